"""Headline cards and titled chart frames: the council's dashboard and the LGA's overview.

A :class:`Card` is one figure with what it is measured against (and a bar);
:func:`chart_box` frames a chart under a title that elides rather than widen
the page; :func:`show_sme_share` fills the SME card alike in both windows.
"""

from __future__ import annotations

from dataclasses import replace

from lga_desktop.money import format_money
from lga_desktop.procurement.derived import SME_ASPIRATION_WORDS, Shares
from lga_desktop.ui.charts import Bar, ProgressBars
from lga_desktop.ui.qt import QFrame, QGroupBox, QLabel, QSize, Qt, QVBoxLayout, QWidget
from lga_desktop.ui.styles import MUTED

__all__ = ["Card", "ChartBox", "chart_box", "show_sme_share"]


class Card(QFrame):
    """A headline figure with what it is measured against."""

    def __init__(
        self, title: str, parent: QWidget | None = None, *, over_is_warning: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#card { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        self.title = QLabel(f"<span style='color:{MUTED}'>{title}</span>")
        self.title.setWordWrap(True)
        self.figure = QLabel()
        self.figure.setObjectName("figure")
        font = self.figure.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.figure.setFont(font)
        self.against = QLabel()
        self.against.setWordWrap(True)
        self.bar = ProgressBars(self, over_is_warning=over_is_warning)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {MUTED};")
        for w in (self.title, self.figure, self.against, self.bar, self.note):
            layout.addWidget(w)
        layout.addStretch(1)

    def set(self, figure: str, against: str, bar: Bar | None, note: str) -> None:
        self.figure.setText(figure)
        self.against.setText(against)
        # the card's title names the measure: the bar keeps its width for the bar itself
        self.bar.set_bars([replace(bar, label="")] if bar else [])
        self.bar.setToolTip(f"{bar.label}: {bar.text}" if bar else "")
        self.bar.setVisible(bar is not None)
        self.note.setText(note)


def show_sme_share(card: Card, shares: Shares, spent: str, note: str) -> None:
    """The SME card: the share of the procurement spend ``spent`` (a sentence's end) that went
    to SMEs, always with how much of it has suppliers classified; 25% is context, not a bar."""
    share = shares.sme_percent
    classified = shares.classified_percent
    card.set(
        "—" if share is None else f"{share}%",
        f"of {format_money(shares.basis_pence)} of procurement spend {spent} went to SMEs "
        f"({format_money(shares.sme_pence)}); suppliers are classified for "
        f"{classified if classified is not None else '—'}% of it",
        None
        if share is None
        else Bar(
            "Classified",
            shares.classified_pence,
            shares.basis_pence,
            f"{classified}%",
        ),
        f"{format_money(shares.unclassified_pence)} not yet classified. {note} "
        f"Context: {SME_ASPIRATION_WORDS}.",
    )


class ChartBox(QGroupBox):
    """A titled frame whose title elides (the whole of it in the tooltip) rather than widen the page."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self._full = ""
        self.setTitle(title)

    def title(self) -> str:
        return self._full

    def setTitle(self, title: str) -> None:  # noqa: N802 - Qt's name
        self._full = title
        self.setToolTip(title)
        self._elide()

    def _elide(self) -> None:
        room = max(40, self.width() - 3 * self.fontMetrics().averageCharWidth())
        super().setTitle(
            self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        )

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        inner = self.layout().minimumSize().width() if self.layout() else 0
        return QSize(max(inner + 16, 160), super().minimumSizeHint().height())


def chart_box(title: str, chart: QWidget) -> QGroupBox:
    """A chart in a titled frame (the council dashboard and the programme overview)."""
    box = ChartBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(chart)
    return box
