"""Wagtail's image form, with the club's upload check added.

Wagtail already refuses images over WAGTAILIMAGES_MAX_UPLOAD_SIZE or
WAGTAILIMAGES_MAX_IMAGE_PIXELS and extensions outside WAGTAILIMAGES_EXTENSIONS (so no SVG);
documents are limited by WAGTAILDOCS_MAX_UPLOAD_SIZE and WAGTAILDOCS_EXTENSIONS. This form
adds polyglot detection for images; it is chosen through WAGTAILIMAGES_IMAGE_FORM_BASE.
"""

from wagtail.images.forms import BaseImageForm

from core.uploads import validate_no_markup


class SafeImageForm(BaseImageForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "read"):
            validate_no_markup(uploaded)
        return uploaded
