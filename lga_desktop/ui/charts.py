"""Small charts drawn with QPainter (QtCharts is not part of PySide6-Essentials).

* :class:`ProgressBars` - "7.0 of 10.0 FTE": one bar per row, filled to the
  share done, with the figures beside it.
* :class:`BulletChart` - realised against target for several categories on one
  scale: a pale bar for the target, a solid one for what was realised.
* :class:`ColumnChart` - target and realised side by side per period, with a
  scale and a legend.

Values are exact numbers (int pence or ``Decimal``); only the drawing turns
them into pixel positions. Each chart has a plain-text ``describe()`` for
screen readers and tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lga_desktop.ui.qt import QColor, QFont, QPainter, QPen, QRectF, QSize, Qt, QWidget

__all__ = ["Bar", "ProgressBars", "BulletChart", "ColumnChart", "short_money", "COLOURS"]

Number = int | Decimal

COLOURS = {
    "done": QColor("#1f6fb2"),
    "over": QColor("#0b7a5a"),
    "over_warning": QColor("#c77700"),
    "target": QColor("#c9d6e3"),
    "track": QColor("#eceff3"),
    "text": QColor("#1d2733"),
    "muted": QColor("#5b6875"),
    "grid": QColor("#dfe3e8"),
}


def short_money(pence: int) -> str:
    """£1.25m, £250k, £900: for chart labels, where the exact figure is in the table."""
    pounds = Decimal(pence) / 100
    sign = "-" if pounds < 0 else ""
    pounds = abs(pounds)
    if pounds >= 1_000_000:
        return f"{sign}£{(pounds / 1_000_000).quantize(Decimal('0.01')).normalize():f}m"
    if pounds >= 10_000:
        return f"{sign}£{(pounds / 1000).quantize(Decimal('1')):f}k"
    if pounds >= 1000:
        return f"{sign}£{(pounds / 1000).quantize(Decimal('0.1')).normalize():f}k"
    return f"{sign}£{pounds.quantize(Decimal('1')):f}"


def _ratio(value: Number, whole: Number) -> float:
    """A drawing proportion (pixels only; never stored or shown as a figure)."""
    if not whole:
        return 1.0 if value else 0.0
    return max(0.0, float(Decimal(value) / Decimal(whole)))


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    target: Number
    text: str  # the figures, as people read them


class _Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(40)
        self.empty_text = "Nothing recorded for this period."

    def _painter(self) -> QPainter:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        return p

    def _empty(self, p: QPainter) -> None:
        p.setPen(COLOURS["muted"])
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)


class _BarRows(_Chart):
    """A chart of one row per :class:`Bar`: label, bar, figures; ``FOOT`` px below (a legend)."""

    ROW = 30
    FOOT = 6
    WIDTH = 480

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        self.setMinimumHeight(max(40, self.ROW * len(self.bars) + self.FOOT))
        self.updateGeometry()
        self.update()

    def describe(self) -> str:
        return "\n".join(f"{b.label}: {b.text}" for b in self.bars)

    def sizeHint(self) -> QSize:
        return QSize(self.WIDTH, max(40, self.ROW * len(self.bars) + self.FOOT))


class ProgressBars(_BarRows):
    """One row per measure: label, a bar filled to value/target, the figures.

    Going past the target is good news for outputs and savings; for days used
    against days agreed it is a warning, so ``over_is_warning`` draws it amber.
    """

    def __init__(self, parent: QWidget | None = None, *, over_is_warning: bool = False) -> None:
        super().__init__(parent)
        self.over_colour = COLOURS["over_warning" if over_is_warning else "over"]

    def paintEvent(self, _event: object) -> None:
        p = self._painter()
        if not self.bars:
            self._empty(p)
            return
        fm = self.fontMetrics()
        width = self.width()
        label_w = min(max(fm.horizontalAdvance(b.label) for b in self.bars) + 12, int(width * 0.32))
        text_w = min(max(fm.horizontalAdvance(b.text) for b in self.bars) + 12, int(width * 0.42))
        bar_x = label_w
        bar_w = max(40, width - label_w - text_w)
        for i, bar in enumerate(self.bars):
            y = 3 + i * self.ROW
            h = self.ROW - 12
            p.setPen(COLOURS["text"])
            label = fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_w - 10)
            p.drawText(
                QRectF(0, y, label_w - 8, self.ROW - 6),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
            track = QRectF(bar_x, y + 3, bar_w, h)
            p.fillRect(track, COLOURS["track"])
            share = _ratio(bar.value, bar.target)
            fill = QRectF(bar_x, y + 3, bar_w * min(share, 1.0), h)
            p.fillRect(fill, self.over_colour if share > 1 else COLOURS["done"])
            if share > 1:  # the plan line, so "above plan" is visible at a glance
                x = bar_x + bar_w / share
                p.setPen(QPen(QColor("white"), 2))
                p.drawLine(int(x), int(y + 3), int(x), int(y + 3 + h))
            p.setPen(COLOURS["text"])
            p.drawText(
                QRectF(bar_x + bar_w + 8, y, text_w - 8, self.ROW - 6),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(bar.text, Qt.TextElideMode.ElideRight, text_w - 8),
            )


class BulletChart(_BarRows):
    """Categories on one scale: pale target bar, solid realised bar inside it."""

    FOOT = 30  # the legend
    WIDTH = 520

    def paintEvent(self, _event: object) -> None:
        p = self._painter()
        if not self.bars:
            self._empty(p)
            return
        fm = self.fontMetrics()
        width = self.width()
        label_w = min(max(fm.horizontalAdvance(b.label) for b in self.bars) + 12, int(width * 0.32))
        text_w = min(max(fm.horizontalAdvance(b.text) for b in self.bars) + 12, int(width * 0.42))
        scale = max(max(Decimal(b.value), Decimal(b.target)) for b in self.bars) or Decimal(1)
        bar_x, bar_w = label_w, max(40, width - label_w - text_w)
        for i, bar in enumerate(self.bars):
            y = i * self.ROW
            p.setPen(COLOURS["text"])
            p.drawText(
                QRectF(0, y, label_w - 8, self.ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_w - 10),
            )
            p.fillRect(
                QRectF(bar_x, y + 5, bar_w * _ratio(bar.target, scale), self.ROW - 10),
                COLOURS["target"],
            )
            p.fillRect(
                QRectF(bar_x, y + 10, bar_w * _ratio(bar.value, scale), self.ROW - 20),
                COLOURS["done"],
            )
            p.setPen(COLOURS["text"])
            p.drawText(
                QRectF(bar_x + bar_w + 8, y, text_w - 8, self.ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(bar.text, Qt.TextElideMode.ElideRight, text_w - 8),
            )
        _legend(p, fm, QRectF(bar_x, len(self.bars) * self.ROW + 6, bar_w, 18))


def _legend(p: QPainter, fm: object, rect: QRectF) -> None:
    x = rect.x()
    for colour, text in ((COLOURS["target"], "Target"), (COLOURS["done"], "Realised")):
        p.fillRect(QRectF(x, rect.y() + 4, 12, 10), colour)
        p.setPen(COLOURS["muted"])
        p.drawText(QRectF(x + 16, rect.y(), 80, rect.height()), Qt.AlignmentFlag.AlignVCenter, text)
        x += 16 + fm.horizontalAdvance(text) + 16  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Column:
    label: str
    target: int
    realised: int


class ColumnChart(_Chart):
    """Target and realised side by side for each period, money on the scale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[Column] = []
        self.highlight: int | None = None
        self.setMinimumHeight(200)

    def set_columns(self, columns: list[Column], *, highlight: int | None = None) -> None:
        """``highlight`` marks one column (the chosen quarter) with a bold label."""
        self.columns = list(columns)
        self.highlight = highlight
        self.update()

    def describe(self) -> str:
        return "\n".join(
            f"{c.label}: {short_money(c.realised)} realised of {short_money(c.target)} target"
            for c in self.columns
        )

    def sizeHint(self) -> QSize:
        return QSize(420, 220)

    def paintEvent(self, _event: object) -> None:
        p = self._painter()
        if not self.columns or not any(c.target or c.realised for c in self.columns):
            self._empty(p)
            return
        fm = self.fontMetrics()
        top = max(max(c.target, c.realised) for c in self.columns)
        step = _nice_step(top)
        ticks = int(-(-top // step))
        scale_max = step * ticks
        left = max(
            max(fm.horizontalAdvance(short_money(step * t)) for t in range(ticks + 1)) + 10, 40
        )
        plot = QRectF(left, 24, self.width() - left - 8, self.height() - 24 - fm.height() - 10)
        small = QFont(self.font())
        p.setFont(small)
        for t in range(ticks + 1):
            y = plot.bottom() - plot.height() * t / ticks
            p.setPen(QPen(COLOURS["grid"], 1))
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(COLOURS["muted"])
            p.drawText(
                QRectF(0, y - 8, left - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                short_money(step * t),
            )
        slot = plot.width() / len(self.columns)
        bar_w = min(slot * 0.32, 48)
        for i, col in enumerate(self.columns):
            cx = plot.left() + slot * i + slot / 2
            for offset, value, colour in (
                (-bar_w - 2, col.target, COLOURS["target"]),
                (2, col.realised, COLOURS["done"]),
            ):
                h = plot.height() * _ratio(value, scale_max)
                p.fillRect(QRectF(cx + offset, plot.bottom() - h, bar_w, h), colour)
            p.setPen(COLOURS["text"])
            p.drawText(
                QRectF(cx - slot / 2, plot.bottom() + 4, slot, fm.height() + 4),
                Qt.AlignmentFlag.AlignCenter,
                col.label,
            )
        _legend(p, fm, QRectF(plot.left(), 0, plot.width(), 18))


def _nice_step(top: int) -> int:
    """A round step (1, 2 or 5 times a power of ten pence) giving four or five gridlines."""
    if top <= 0:
        return 100
    raw = top / 4
    power = 1
    while power * 10 <= raw:
        power *= 10
    for m in (1, 2, 5, 10):
        if power * m >= raw:
            return power * m
    return power * 10
