"""The demo's generated files: a brochure PDF from its lines, a banner image."""

import io


def build_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, WinAnsi) with a title and lines of text."""

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = b"BT /F1 18 Tf 56 780 Td (" + escape(title) + b") Tj ET\n"
    y = 748
    for line in lines:
        content += b"BT /F1 11 Tf 56 %d Td (" % y + escape(line) + b") Tj ET\n"
        y -= 16
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + escape(title) + b") /Producer (Cluster Club) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(objects), xref)
    )
    return out.getvalue()


BANNER_SIZE = (1200, 400)


def build_banner_png() -> bytes:
    """A plain banner image in the club's colours, so images and renditions have content."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", BANNER_SIZE, (11, 79, 156))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 60):
        draw.ellipse((i, 150 + (i % 180), i + 40, 190 + (i % 180)), fill=(255, 204, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


PORTRAIT_SIZE = (400, 400)


def build_portrait_png() -> bytes:
    """A plain square portrait placeholder (a head and shoulders in the club's colours)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", PORTRAIT_SIZE, (230, 236, 245))
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 70, 270, 210), fill=(11, 79, 156))
    draw.ellipse((60, 230, 340, 500), fill=(11, 79, 156))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
