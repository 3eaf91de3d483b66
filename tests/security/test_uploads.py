"""Uploads through the Wagtail admin: oversized, decompression bombs, SVG and polyglots
are refused with a clear error and nothing is stored; an ordinary image goes through."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db


def small_png() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (11, 79, 156)).save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_dimension_png(side: int = 20_000) -> bytes:
    """A genuine 20000x20000 greyscale PNG: a few hundred KiB that would decode to 400 MB."""
    compressor = zlib.compressobj(1)
    row = bytes(side + 1)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def upload_image(admin_client, name: str, content: bytes, content_type="image/png"):
    return admin_client.post(
        "/admin/images/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def form_errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def test_an_ordinary_png_is_stored(admin_client):
    response = upload_image(admin_client, "logo.png", small_png())
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="logo.png").exists()


def test_a_50_megabyte_image_is_refused_with_the_limit_named(admin_client):
    content = small_png() + bytes(50 * 1024 * 1024)
    response = upload_image(admin_client, "big.png", content)
    assert response.status_code == 200
    assert "10" in form_errors(response) and "MB" in form_errors(response)
    assert not get_image_model().objects.exists()


def test_a_20000_by_20000_png_is_refused_before_it_is_decoded(admin_client):
    response = upload_image(admin_client, "bomb.png", huge_dimension_png())
    assert response.status_code == 200
    assert "pixels" in form_errors(response).lower()
    assert not get_image_model().objects.exists()


def test_an_svg_with_script_is_refused(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = upload_image(admin_client, "logo.svg", svg, content_type="image/svg+xml")
    assert response.status_code == 200
    assert "not a supported image format" in form_errors(response).lower()
    assert not get_image_model().objects.exists()


def test_a_png_with_an_html_page_appended_is_refused(admin_client):
    polyglot = small_png() + b"<html><body><script>alert(document.cookie)</script></body></html>"
    response = upload_image(admin_client, "polyglot.png", polyglot)
    assert response.status_code == 200
    assert "HTML or script" in form_errors(response)
    assert not get_image_model().objects.exists()


def test_a_document_over_the_limit_is_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024 * 1024
    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "Brochure",
            "file": SimpleUploadedFile("brochure.pdf", b"%PDF-1.4\n" + bytes(2 * 1024 * 1024)),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert "Maximum filesize" in form_errors(response)
    assert not get_document_model().objects.exists()
