"""What every printed page shares (reportlab, imported only when a PDF is made).

The printed return and the key card (``returns.pdf``) and the programme
report for the Board (``consolidation.report_pdf``) use the same styles
(:func:`styles`), tables (:func:`table`, label-value lines :func:`facts_table`,
columns fitted to their text :func:`fit_widths`), the same QR code drawing
(:func:`draw_qr`) and the same canvas that numbers pages "Page x of y".

Fonts: DejaVu Sans and DejaVu Sans Mono, shipped in ``resources/fonts`` and
embedded (subset) in every PDF. The PDF standard fonts (Helvetica, Courier)
only have the Windows-1252 letters, so a signer called Łukasz or Nguyễn
would print as black boxes on the declaration they sign; DejaVu covers Latin,
Greek and Cyrillic scripts and Vietnamese. (Chinese, Japanese and Korean
names would need a far larger font: not shipped.) Use :data:`SANS`,
:data:`SANS_BOLD` and :data:`MONO` after :func:`register_fonts`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

__all__ = [
    "MONO",
    "SANS",
    "SANS_BOLD",
    "draw_qr",
    "facts_table",
    "column_needs",
    "fit_widths",
    "numbered_canvas",
    "para",
    "register_fonts",
    "styles",
    "table",
    "when",
]

SANS, SANS_BOLD, MONO = "LGA-Sans", "LGA-Sans-Bold", "LGA-Mono"
GREY = "#4a5560"  # labels and subtitles
SHADE = "#e4e9ef"  # table headings and card titles
SHORT = 12  # a cell text this short is kept on one line
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


def register_fonts() -> None:
    """Make :data:`SANS`, :data:`SANS_BOLD` and :data:`MONO` known to reportlab (once)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if SANS in pdfmetrics.getRegisteredFontNames():
        return
    from lga_desktop.resources import resource

    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource(f"fonts/{file}"))))
    # <b> in a paragraph picks the bold face; there is no italic one, so it stays upright
    for bold, italic, face in ((0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS), (1, 1, SANS_BOLD)):
        addMapping(SANS, bold, italic, face)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(MONO, bold, italic, MONO)


def when(iso: str) -> str:
    """``2012-10-15T09:30:00+01:00`` -> ``15 October 2012 at 09:30 (UTC+01:00)``."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    zone = moment.strftime("%z")
    zone = f" (UTC{zone[:3]}:{zone[3:]})" if zone else ""
    return f"{moment.day} {moment:%B %Y at %H:%M}{zone}"


def styles() -> dict[str, Any]:
    """Paragraph styles by name.

    title, subtitle, h1, h2 (each kept on the page of what follows it), body, small; in tables: head and head_num (column
    headings), cell, cell_b (bold), num and num_b (right-aligned figures), label
    (what a figure is called, in grey); mono, big (a fingerprint to read out).
    """
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    register_fonts()
    base = getSampleStyleSheet()
    bold = {"fontName": SANS_BOLD}
    sans = {"fontName": SANS}
    mono = {"fontName": MONO}
    found = {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=18, spaceAfter=4, **bold),
        "h1": ParagraphStyle(
            "h1", parent=base["Heading2"], spaceBefore=10, spaceAfter=4, keepWithNext=1, **bold
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading3"], spaceBefore=6, spaceAfter=2, keepWithNext=1, **bold
        ),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9.5, leading=12, **sans),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=10, **sans),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=8, leading=9.5, **sans),
        "num": ParagraphStyle(
            "n", parent=base["BodyText"], fontSize=8, leading=9.5, alignment=2, **sans
        ),
        "subtitle": ParagraphStyle(
            "st", parent=base["BodyText"], fontSize=10.5, leading=13, textColor=GREY, **sans
        ),
        "mono": ParagraphStyle("m", parent=base["Code"], fontSize=8, leading=10, **mono),
        "big": ParagraphStyle(
            "big", parent=base["Code"], fontSize=20, leading=26, alignment=1, spaceAfter=6, **mono
        ),
    }
    found["head"] = ParagraphStyle("hd", parent=found["cell"], **bold)
    found["head_num"] = ParagraphStyle("hn", parent=found["num"], **bold)
    found["cell_b"] = ParagraphStyle("cb", parent=found["cell"], **bold)
    found["num_b"] = ParagraphStyle("nb", parent=found["num"], **bold)
    found["label"] = ParagraphStyle("lb", parent=found["cell"], textColor=GREY)
    return found


def table(
    rows: list[list[Any]],
    widths: list[float] | None = None,
    header: bool = True,
    style: Sequence[tuple] = (),
):
    """A gridded table, its header row shaded and repeated on each page; ``style`` adds commands."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    flowable = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SHADE)))
    flowable.setStyle(TableStyle([*commands, *style]))
    return flowable


def para(text: str, style) -> Any:
    """A paragraph of plain text (``<``, ``&`` are printed as they are, not read as markup)."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def numbered_canvas(footer: Callable[[Any, int, int], None]):
    """A canvas class that calls ``footer(canvas, page, pages)`` on every page once all are laid out."""
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):
        """Holds pages back until the end, so each can say "Page x of y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def facts_table(rows: Sequence[Sequence[str]], st: dict, width: float, label_share: float):
    """Label-value lines (a return's summary, a section's figures, a key card's details)."""
    return table(
        [[para(a, st["label"]), para(b, st["cell"])] for a, b in rows],
        [width * label_share, width * (1 - label_share)],
        header=False,
    )


def column_needs(columns: Sequence[Sequence[str]], size: float = 8) -> tuple[list, list]:
    """Each column's least width and most (its longest text), in points.

    ``columns`` holds each column's texts, its heading (printed bold) first.
    The least is the longest word, or the whole of a short cell text (a
    quarter such as "2012/13 Q2" is never broken).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    pad = 7
    low, high = [], []
    for col in columns:
        least = most = 0.0
        for n, text in enumerate(col):
            font = SANS_BOLD if n == 0 else SANS
            whole = stringWidth(text, font, size)
            most = max(most, whole)
            unbroken = [text] if n and len(text) <= SHORT else text.split()
            least = max(least, *(stringWidth(w, font, size) for w in unbroken or [""]))
        low.append(least + pad)
        high.append(most + pad)
    return low, high


def fit_widths(columns: Sequence[Sequence[str]], width: float, size: float = 8) -> list[float]:
    """Column widths filling ``width`` for columns of texts (see :func:`column_needs`).

    Each column gets at least its longest word and at most its longest text;
    the room left over goes to the columns whose texts would otherwise wrap.
    """
    low, high = column_needs(columns, size)
    if sum(high) <= width:
        return [h * width / sum(high) for h in high]
    if sum(low) >= width:
        return [lo * width / sum(low) for lo in low]
    give = (width - sum(low)) / (sum(high) - sum(low))
    return [lo + (hi - lo) * give for lo, hi in zip(low, high, strict=True)]


def draw_qr(canv, payload: str, x: float, y: float, size: float) -> None:
    """A QR code of ``payload``, ``size`` square, its lower-left corner at (x, y).

    Drawn once per document as a form and placed on each page: encoding the
    code is the slowest part of printing a page, and the file stays smaller.
    """
    import hashlib

    name = f"qr{hashlib.sha256(f'{payload}|{size}'.encode()).hexdigest()[:16]}"
    if not canv.hasForm(name):
        from reportlab.graphics import renderPDF
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        widget = QrCodeWidget(payload, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(widget)
        canv.beginForm(name, lowerx=0, lowery=0, upperx=size, uppery=size)
        renderPDF.draw(drawing, canv, 0, 0)
        canv.endForm()
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(name)
    canv.restoreState()
