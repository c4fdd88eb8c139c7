"""Make small PDFs for uploads, and read the text drawn on a PDF page (fpdf2 core fonts:
`(text) Tj` in Flate streams)."""

import datetime as dt
import re
import zlib

from fpdf import FPDF

# fpdf2 stamps the current second into each file: two files made a second apart would differ, and
# a test expecting the same bytes (a dedupe twin) would fail now and then.
_FIXED_DATE = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def make_pdf(text: str = "KK") -> bytes:
    """A one-page PDF showing `text`; the same text always gives the same bytes."""
    pdf = FPDF()
    pdf.set_creation_date(_FIXED_DATE)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


# The data ends at "\nendstream"; a stream whose last byte is "\r" (1 in 256 adler32 checksums)
# must keep it, so the "\r" is not eaten here and the decompressor ignores what follows its end.
_STREAM = re.compile(rb"stream\r?\n(.*?)\nendstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")


def pdf_text(data: bytes) -> str:
    """Every string shown on the pages, one per line, in drawing order."""
    shown = []
    for raw in _STREAM.findall(data):
        try:
            content = zlib.decompressobj().decompress(raw)
        except zlib.error:
            content = raw
        for text in _SHOWN.findall(content):
            text = re.sub(rb"\\([()\\])", rb"\1", text)
            shown.append(text.decode("latin-1"))
    return "\n".join(shown)
