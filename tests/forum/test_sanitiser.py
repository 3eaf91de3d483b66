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
    assert '<a href="https://clusterclub.eu" rel="nofollow noopener noreferrer">club</a>' in html
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
