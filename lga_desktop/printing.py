"""What every printed page shares (reportlab, imported only when a PDF is made).

The printed return (``returns.pdf``) and the programme report for the Board
(``consolidation.report_pdf``) use the same styles, tables and paragraphs and
the same canvas that numbers pages "Page x of y".

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
    "numbered_canvas",
    "para",
    "register_fonts",
    "styles",
    "table",
    "when",
]

SANS, SANS_BOLD, MONO = "LGA-Sans", "LGA-Sans-Bold", "LGA-Mono"
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
    """Paragraph styles by name: title, h1, h2, body, small, cell, num (right-aligned), mono, big."""
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    register_fonts()
    base = getSampleStyleSheet()
    bold = {"fontName": SANS_BOLD}
    sans = {"fontName": SANS}
    mono = {"fontName": MONO}
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=18, spaceAfter=4, **bold),
        "h1": ParagraphStyle("h1", parent=base["Heading2"], spaceBefore=10, spaceAfter=4, **bold),
        "h2": ParagraphStyle("h2", parent=base["Heading3"], spaceBefore=6, spaceAfter=2, **bold),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9.5, leading=12, **sans),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=10, **sans),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=8, leading=9.5, **sans),
        "num": ParagraphStyle(
            "n", parent=base["BodyText"], fontSize=8, leading=9.5, alignment=2, **sans
        ),
        "mono": ParagraphStyle("m", parent=base["Code"], fontSize=8, leading=10, **mono),
        "big": ParagraphStyle(
            "big", parent=base["Code"], fontSize=20, leading=26, alignment=1, spaceAfter=6, **mono
        ),
    }


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
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ef")))
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
