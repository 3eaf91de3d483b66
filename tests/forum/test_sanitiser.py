"""Member Markdown becomes HTML with nothing executable left in it."""

from html.parser import HTMLParser

import pytest

from forum import services
from forum.rendering import render_markdown

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><input name=a></form>',
    "[x](vbscript:msgbox(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '[a](http://ok.example "title" onclick=alert(1))',
    '<a href="http://ok.example" onclick="alert(1)">ok</a>',
]


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def parsed(html):
    collector = TagCollector()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_no_xss_vector_survives_rendering(source):
    result = parsed(render_markdown(source))
    dangerous_tags = {"script", "svg", "img", "iframe", "object", "embed", "style", "form", "math"}
    assert not dangerous_tags & set(result.tags)
    for name, value in result.attributes:
        assert not name.startswith("on"), (name, value)
        assert name != "style"
        assert name != "src"
        if name == "href":
            assert value.startswith(("http://", "https://", "mailto:", "#")) or (
                value.startswith("/") and not value.startswith("//")
            ), value


def test_markdown_formatting_and_safe_links_are_kept():
    html = render_markdown("**bold** _em_ `code` [club](https://clusterclub.eu)\n\n- a\n- b")
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<code>code</code>" in html
    assert '<a href="https://clusterclub.eu" rel="ugc nofollow noopener">club</a>' in html
    assert "<li>a</li>" in html


def test_raw_html_is_shown_as_text_not_interpreted():
    html = render_markdown("<b>bold?</b>")
    assert "<b>" not in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


@pytest.mark.django_db
def test_stored_post_html_is_sanitised_on_the_way_in(public_category, member):
    thread = services.start_thread(
        category=public_category,
        author=member.user,
        title="A harmless title",
        body='Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="y">',
    )
    html = thread.posts.get().body_html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<img" not in html


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rels = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.rels.append(dict(attrs).get("rel"))


def link_rels(html: str) -> list:
    parser = _Links()
    parser.feed(html)
    return parser.rels


@pytest.mark.parametrize(
    "source",
    [
        "[inline](https://example.org/a)",
        "<https://example.org/autolink>",
        "[reference][ref]\n\n[ref]: https://example.org/ref",
        "[site path](/forum/) and [anchor](#top) and [mail](mailto:a@example.org)",
        '[titled](https://example.org/t "A title")',
    ],
)
def test_every_link_a_member_writes_carries_rel_ugc_nofollow_noopener(source):
    rels = link_rels(render_markdown(source))

    assert rels
    assert set(rels) == {"ugc nofollow noopener"}


def test_a_rel_the_member_set_is_replaced_not_kept():
    from forum.rendering import sanitise_html

    html = sanitise_html(
        '<a href="https://example.org" rel="opener follow">x</a>'
        '<a href="https://example.org" rel="">y</a><a href="https://example.org">z</a>'
    )

    assert link_rels(html) == ["ugc nofollow noopener"] * 3
    assert "opener follow" not in html


@pytest.mark.django_db
def test_a_stored_post_and_its_edit_carry_the_rel_on_every_link(public_category, member):
    thread = services.start_thread(
        category=public_category,
        author=member.user,
        title="Links to share",
        body="See [one](https://example.org/1) and <https://example.org/2>.",
    )
    post = thread.posts.get()
    assert link_rels(post.body_html) == ["ugc nofollow noopener"] * 2

    services.edit_post(post=post, editor=member.user, body="Now [three](https://example.org/3).")
    post.refresh_from_db()
    assert link_rels(post.body_html) == ["ugc nofollow noopener"]


@pytest.mark.django_db
def test_posts_stored_before_the_rule_get_the_rel_from_the_migration(public_category, member):
    from importlib import import_module

    from django.apps import apps

    from forum.models import Post

    thread = services.start_thread(
        category=public_category, author=member.user, title="Old links", body="[x](https://a.eu)"
    )
    old = '<p><a href="https://a.eu" rel="nofollow noopener noreferrer">x</a></p>'
    Post.objects.filter(thread=thread).update(body_html=old)

    import_module("forum.migrations.0003_links_rel_ugc").resanitise(apps, None)

    assert Post.objects.get(thread=thread).body_html == (
        '<p><a href="https://a.eu" rel="ugc nofollow noopener">x</a></p>'
    )
