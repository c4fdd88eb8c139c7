"""Read the text drawn on a PDF page (fpdf2 core fonts: `(text) Tj` in Flate streams)."""

import re
import zlib

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
