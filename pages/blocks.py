"""The blocks every editorial page body is made of, shared so editors learn one palette."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=255, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "club/blocks/captioned_image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=255, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "club/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        required=False, max_length=255, label=_("Link text"), help_text=_("Defaults to the title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "club/blocks/document_link.html"


class CallToActionBlock(blocks.StructBlock):
    """A prominent link: to a page of the site or to an outside address."""

    text = blocks.CharBlock(max_length=120, label=_("Text"))
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("Outside address"))

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            from django.core.exceptions import ValidationError
            from wagtail.blocks import StructBlockValidationError

            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or give an address."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "club/blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200,
        label=_("Heading"),
        form_classname="title",
        template="club/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    document = DocumentLinkBlock()
    call_to_action = CallToActionBlock()
    embed = EmbedBlock(label=_("Embedded media"), max_width=960, icon="media")

    class Meta:
        block_counts = {}
