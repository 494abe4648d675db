"""A one-line label that gives up width gracefully: it elides with "…" and shows the rest as a tooltip.

A plain ``QLabel`` asks for the width of its whole text, so one long sentence
can make a page, and then the window, wider than the screen. This one asks for
little, draws what fits, and keeps the full text in its tooltip.
"""

from __future__ import annotations

from lga_desktop.ui.qt import QComboBox, QLabel, QPainter, QSize, Qt, QWidget

__all__ = ["ElidedLabel", "compact_combo"]


class ElidedLabel(QLabel):
    MIN_CHARS = 12

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setToolTip(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().averageCharWidth() * self.MIN_CHARS, hint.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()) | int(Qt.AlignmentFlag.AlignVCenter), shown)


def compact_combo(box: QComboBox, chars: int = 18) -> QComboBox:
    """A combo box whose long entries elide in the box rather than widen the page
    (the drop-down list still shows them whole)."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(chars)
    return box
