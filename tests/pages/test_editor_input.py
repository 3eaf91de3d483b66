"""What a limited editor types into a page body reaches visitors escaped or not at all:
script in text blocks is escaped, javascript: links are dropped from rich text, and a
call-to-action refuses a javascript: address."""

import json

import pytest
from django.core.exceptions import ValidationError
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.rich_text import expand_db_html

from pages.blocks import BodyBlock, CallToActionBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


def contentstate_with_link(url: str) -> str:
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "Read the brochure",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 17, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


def test_a_javascript_link_in_rich_text_is_dropped_on_the_way_in():
    converter = ContentstateConverter(features=PARAGRAPH_FEATURES)
    stored = converter.to_database_format(contentstate_with_link("javascript:alert(1)"))
    rendered = expand_db_html(stored)
    assert "Read the brochure" in rendered
    assert "javascript:" not in rendered.lower()


def test_an_ordinary_link_in_rich_text_is_kept():
    converter = ContentstateConverter(features=PARAGRAPH_FEATURES)
    stored = converter.to_database_format(
        contentstate_with_link("https://www.clustercollaboration.eu/")
    )
    assert 'href="https://www.clustercollaboration.eu/"' in expand_db_html(stored)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("heading", "<script>alert(1)</script>"),
        ("quote", {"text": "<img src=x onerror=alert(1)>", "attribution": "<b>x</b>"}),
    ],
)
def test_markup_in_text_blocks_is_escaped_when_rendered(kind, value):
    block = BodyBlock()
    html = block.render(block.to_python([{"type": kind, "value": value}]))
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;" in html


def test_a_call_to_action_refuses_a_javascript_address():
    block = CallToActionBlock()
    value = block.to_python({"text": "Apply", "page": None, "url": "javascript:alert(1)"})
    with pytest.raises((ValidationError, StructBlockValidationError, StreamBlockValidationError)):
        block.clean(value)
