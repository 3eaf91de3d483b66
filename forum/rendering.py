"""Markdown to safe HTML: members write Markdown, readers get an allow-listed subset.

python-markdown renders (raw HTML in the source is escaped, never passed through), then
nh3 keeps only the tags, attributes and URL schemes below. Every link gets
``LINK_REL`` whatever the member wrote: search engines learn that it is user-generated
content to which the club lends no ranking, and the page it opens gets no handle on ours.
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "ugc nofollow noopener"

MENTION_PATTERN = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_.+-]{1,150})")


class _EscapeRawHtml(markdown.Extension):
    """Raw HTML in a post is shown as text, not interpreted."""

    def extendMarkdown(self, md):  # noqa: N802 - python-markdown's API name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(source: str) -> str:
    """The sanitised HTML for a post's Markdown ``source``."""
    html = markdown.markdown(
        source,
        extensions=["fenced_code", "tables", "sane_lists", "nl2br", _EscapeRawHtml()],
        output_format="html",
    )
    return sanitise_html(html)


SAFE_HREF = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)


def _keep_safe_links(tag: str, attribute: str, value: str) -> str | None:
    # nh3 drops unknown schemes; this also drops relative links that only look harmless
    # ("java  script:..."), keeping absolute http(s)/mailto links, site paths and anchors.
    if attribute == "href" and not SAFE_HREF.match(value.strip()):
        return None
    return value


def sanitise_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_keep_safe_links,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def mentioned_usernames(source: str) -> set[str]:
    """Usernames written as @name in ``source`` (lower-cased), outside code."""
    without_code = re.sub(r"```.*?```|`[^`\n]*`", " ", source, flags=re.DOTALL)
    return {name.rstrip(".").lower() for name in MENTION_PATTERN.findall(without_code)}
