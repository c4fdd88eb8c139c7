"""What an uploaded file really is: PDF, JPEG or PNG judged by its bytes, never its name.

The type is sniffed from the magic bytes (`filetype`), then the structure is checked (PDF header
and trailer; JPEG segments up to the image data; every PNG chunk with its checksum), so a renamed
.exe or an HTML page called foto.jpg is refused.
"""

import struct
import zlib
from collections.abc import Callable

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mpp.core.errors import InvalidInput, TooLarge

KINDS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}
TAIL = 1024  # a PDF's %%EOF and a JPEG's end marker must sit this close to the end


def _pdf_is_whole(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-TAIL:]


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_is_whole(data: bytes) -> bool:
    """IHDR first, at least one IDAT, IEND last and at the very end, every chunk's CRC right."""
    if not data.startswith(_PNG_SIGNATURE) or len(data) < 8 + 25:
        return False
    position, kinds = len(_PNG_SIGNATURE), set()
    first = last = b""
    while position + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            return False
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[position + 4 : end - 4]) != crc:
            return False
        first, last = first or kind, kind
        kinds.add(kind)
        position = end
        if kind == b"IEND":
            break
    width, height = struct.unpack(">II", data[16:24])
    return (
        first == b"IHDR"
        and last == b"IEND"
        and b"IDAT" in kinds
        and position == len(data)
        and width > 0
        and height > 0
    )


# Start-of-frame markers carry the image size; C4, C8 and CC are other segments.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_is_whole(data: bytes) -> bool:
    """Walk the segments from SOI to the start of scan: a frame with a size must come first."""
    if not data.startswith(b"\xff\xd8") or b"\xff\xd9" not in data[-TAIL:]:
        return False
    position, framed = 2, False
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            return False
        if marker in _JPEG_FRAMES:
            if length < 8:
                return False
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            framed = width > 0 and height > 0
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return framed
        position += 2 + length
    return False


_WHOLE: dict[str, Callable[[bytes], bool]] = {
    "application/pdf": _pdf_is_whole,
    "image/jpeg": _jpeg_is_whole,
    "image/png": _png_is_whole,
}


def too_large(size: int) -> TooLarge:
    return TooLarge(
        _("Berkas terlalu besar (%(size)s). Ukuran maksimal %(limit)s.")
        % {
            "size": filesizeformat(size),
            "limit": filesizeformat(settings.MPP_UPLOAD_MAX_BYTES),
        },
        field="file",
    )


def content_type_of(data: bytes) -> str:
    """What the bytes really are (PDF, JPEG or PNG), or a refusal the citizen can act on."""
    if not data:
        raise InvalidInput(_("Berkas kosong. Pilih berkas yang berisi dokumen."), field="file")
    if len(data) > settings.MPP_UPLOAD_MAX_BYTES:
        raise too_large(len(data))
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind is not None else ""
    if mime not in KINDS:
        raise InvalidInput(
            _(
                "Jenis berkas tidak didukung. Unggah PDF, JPEG, atau PNG; jenis berkas dinilai "
                "dari isinya, bukan dari namanya."
            ),
            field="file",
        )
    if not _WHOLE[mime](data):
        raise InvalidInput(
            _("Berkas %(kind)s ini rusak atau tidak utuh. Unggah ulang dari berkas aslinya.")
            % {"kind": KINDS[mime]},
            field="file",
        )
    return mime


def display_name(name: str, content_type: str) -> str:
    """The uploader's name without folders or control characters, its extension matching the
    content, so a download opens in the right program. Only ever shown, never a path."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".") or _("berkas")
    extensions = EXTENSIONS[content_type]
    if not clean.lower().endswith(extensions):
        clean += extensions[0]
    stem, dot, extension = clean.rpartition(".")
    return f"{stem[: 199 - len(extension)]}{dot}{extension}"
