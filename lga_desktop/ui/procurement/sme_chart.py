"""The SME-share tab: SME and VCSE share of procurement spend by quarter.

Every share is shown with how much of the procurement spend has suppliers
classified at all, and "not yet classified" apart from "not an SME". The 25%
line is central government's aspiration for its own spend, drawn as context.

Drawn with QPainter (QtCharts is not part of PySide6-Essentials); the figures
are in the table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

from decimal import Decimal

from lga_desktop.money import format_money
from lga_desktop.procurement import derived
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.qt import (
    QColor,
    QFont,
    QLabel,
    QPainter,
    QPen,
    QRectF,
    QSizePolicy,
    QSplitter,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

KEY = "procurement"
SME_COLOUR = QColor("#1f5fa8")
VCSE_COLOUR = QColor("#3c9a5f")
ASPIRATION_COLOUR = QColor("#7f8c8d")  # context, not a pass mark: grey, not red
COLUMNS = (
    "Period",
    "All spend",
    "Procurement spend",
    "SME",
    "Not SME",
    "Not yet classified",
    "SME share",
    "Classified",
    "VCSE share",
    "Local share",
)


class SmeShareChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("smeShareChart")
        self.shares: list[derived.Share] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_shares(self, shares: list[derived.Share]) -> None:
        self.shares = shares
        self.setToolTip(
            "\n".join(
                f"{s.period}: SME {s.sme_percent or 0}% (classified {s.classified_percent or 0}%), "
                f"VCSE {s.vcse_percent or 0}%"
                for s in shares
            )
        )
        self.update()

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = p.fontMetrics()
        left, right, top, bottom = fm.horizontalAdvance("100%") + 12, 16, 28, fm.height() * 2 + 12
        plot = QRectF(
            left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom)
        )
        if not self.shares:
            p.setPen(self.palette().text().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No spend imported yet")
            return
        highest = max(
            [s.sme_percent or Decimal(0) for s in self.shares]
            + [s.vcse_percent or Decimal(0) for s in self.shares]
            + [Decimal(40)]
        )
        top_value = min(100, int(highest / 10 + 1) * 10)

        def y(v: Decimal | float) -> float:
            return plot.bottom() - float(v) / top_value * plot.height()

        # grid and axis labels
        grid = QPen(QColor("#d0d0d0"))
        for v in range(0, top_value + 1, 10):
            p.setPen(grid)
            p.drawLine(int(plot.left()), int(y(v)), int(plot.right()), int(y(v)))
            p.setPen(self.palette().text().color())
            p.drawText(
                QRectF(0, y(v) - fm.height() / 2, left - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{v}%",
            )
        # bars: SME and VCSE side by side for each quarter
        slot = plot.width() / len(self.shares)
        bar = max(2.0, min(28.0, slot * 0.35))
        for i, s in enumerate(self.shares):
            x = plot.left() + slot * i + slot / 2
            for offset, value, colour in (
                (-bar, s.sme_percent, SME_COLOUR),
                (0, s.vcse_percent, VCSE_COLOUR),
            ):
                if value is None:
                    continue
                value = max(Decimal(0), value)
                p.fillRect(QRectF(x + offset, y(value), bar - 1, plot.bottom() - y(value)), colour)
            p.setPen(self.palette().text().color())
            if slot > fm.horizontalAdvance("2012/13") or i % max(1, int(60 // slot)) == 0:
                year, q = s.period.split(" ")
                p.drawText(
                    QRectF(x - slot / 2, plot.bottom() + 4, slot, fm.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    q,
                )
                p.drawText(
                    QRectF(x - slot, plot.bottom() + 4 + fm.height(), slot * 2, fm.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    year,
                )
        # the 25% aspiration
        pen = QPen(ASPIRATION_COLOUR, 2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        ay = y(derived.SME_ASPIRATION)
        p.drawLine(int(plot.left()), int(ay), int(plot.right()), int(ay))
        p.setFont(QFont(p.font().family(), p.font().pointSize()))
        p.drawText(
            QRectF(plot.left() + 4, ay - fm.height() - 2, 320, fm.height()),
            Qt.AlignmentFlag.AlignLeft,
            "25%: central government's aspiration (context)",
        )
        # legend
        lx = plot.right() - 190
        for n, (label, colour) in enumerate(
            (("SME share", SME_COLOUR), ("VCSE share", VCSE_COLOUR))
        ):
            p.fillRect(QRectF(lx + n * 100, 8, 12, 12), colour)
            p.setPen(self.palette().text().color())
            p.drawText(
                QRectF(lx + n * 100 + 16, 4, 84, fm.height() + 4), Qt.AlignmentFlag.AlignLeft, label
            )
        p.end()


class SmeShareTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("smeShareTab")
        self.context = context
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.chart = SmeShareChart()
        splitter.addWidget(self.chart)
        self.figures = QTreeWidget()
        self.figures.setHeaderLabels(list(COLUMNS))
        self.figures.setRootIsDecorated(True)
        splitter.addWidget(self.figures)
        layout.addWidget(splitter)
        about = QLabel(
            "<small>Shares are of procurement spend: grants, payments to other public bodies, "
            "benefits, refunds (the categories marked not procurement on the Categories tab) "
            f"and redacted personal payees are left out. {derived.SME_DEFINITION} The 25% line: "
            f"{derived.SME_ASPIRATION_WORDS}.</small>"
        )
        about.setObjectName("smeBasis")
        about.setWordWrap(True)
        layout.addWidget(about)
        # a hidden tab refreshes when it is shown (see ui/deferred_refresh.py)
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._changed)
        self.refresh()

    def _changed(self, what: frozenset) -> None:
        if KEY in what or "*" in what:
            self._deferred.request()

    def refresh(self) -> None:
        ws = self.context.workspace
        quarters = derived.shares_by_quarter(ws)
        self.chart.set_shares(quarters)
        self.figures.clear()
        by_cat: dict[str, list[tuple]] = {}
        for q, _code, name, pence, lines in derived.spend_by_category(ws):
            by_cat.setdefault(q, []).append((name, pence, lines))

        def pct(d: Decimal | None) -> str:
            return "-" if d is None else f"{d}%"

        def cells(s: derived.Share) -> list[str]:
            return [
                s.period,
                format_money(s.total_pence),
                format_money(s.basis_pence),
                format_money(s.sme_pence),
                format_money(s.not_sme_pence),
                format_money(s.unclassified_pence),
                pct(s.sme_percent),
                pct(s.classified_percent),
                pct(s.vcse_percent),
                pct(s.local_percent),
            ]

        for year in derived.shares_by_year(ws, quarters):
            y_item = QTreeWidgetItem(cells(year))
            self.figures.addTopLevelItem(y_item)
            for s in quarters:
                if s.key[:4] != year.key:
                    continue
                q_item = QTreeWidgetItem(cells(s))
                y_item.addChild(q_item)
                for name, pence, lines in by_cat.get(s.key, []):
                    q_item.addChild(
                        QTreeWidgetItem([f"{name} ({lines:,} lines)", format_money(pence)])
                    )
            y_item.setExpanded(True)
        for col in range(len(COLUMNS)):
            self.figures.resizeColumnToContents(col)
