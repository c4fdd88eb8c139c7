"""PDF sheets: an issued output and a submission receipt, drawn with fpdf2, each with a QR code
(segno) drawn as vector squares, so there is no image library or font file to ship.

The core PDF fonts cover Latin-1 only; `_text` folds anything else (dashes, curly quotes,
accented letters outside Latin-1) to the nearest Latin-1 text rather than failing.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

import segno
from django.utils.translation import gettext as _
from fpdf import FPDF

FONT = "Helvetica"
QR_SIZE_MM = 38
_FOLD = {"—": "-", "–": "-", "…": "...", "‘": "'", "’": "'", "“": '"', "”": '"', "•": "-"}


def _text(value: object) -> str:
    folded = []
    for char in "".join(_FOLD.get(c, c) for c in str(value)):
        try:
            char.encode("latin-1")
            folded.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            folded.append(plain or "?")
    return "".join(folded)


@dataclass(frozen=True)
class Sheet:
    """What goes on one page: a heading block, label/value rows, a QR code with its URL."""

    kicker: str  # small line above the title
    title: str
    rows: list[tuple[str, str]]
    qr_url: str
    qr_caption: str
    created_at: datetime.datetime
    demo: bool = False
    notes: list[str] = field(default_factory=list)


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m", micro=False)
    rows = list(qr.matrix_iter(border=2))
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for row_number, row in enumerate(rows):
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                pdf.rect(
                    x + start * module, y + row_number * module,
                    (column - start) * module, module, style="F",
                )  # fmt: skip
                start = None


def render(sheet: Sheet) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(sheet.created_at)
    pdf.set_title(_text(sheet.title))
    pdf.set_creator("MPP Digital")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if sheet.demo:
        pdf.set_font(FONT, "B", 14)
        pdf.set_text_color(180, 0, 0)
        banner = _("DOKUMEN CONTOH - TIDAK BERLAKU SEBAGAI DOKUMEN RESMI")
        pdf.cell(0, 10, _text(banner), border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, _text(sheet.kicker), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, _text(sheet.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in sheet.rows:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(55, 7, _text(label))
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 7, _text(value or "-"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    top = pdf.get_y()
    if top + QR_SIZE_MM + 25 > pdf.h - pdf.b_margin:
        pdf.add_page()
        top = pdf.get_y()
    _draw_qr(pdf, sheet.qr_url, pdf.l_margin, top, QR_SIZE_MM)
    pdf.set_y(top + QR_SIZE_MM + 2)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, _text(sheet.qr_caption), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "B", 10)
    pdf.multi_cell(0, 5, _text(sheet.qr_url), new_x="LMARGIN", new_y="NEXT")
    if sheet.notes:
        pdf.ln(4)
        pdf.set_font(FONT, "", 9)
        for note in sheet.notes:
            pdf.multi_cell(0, 5, _text(note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
