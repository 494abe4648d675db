"""The dashboard: the council at a glance, against its targets, for a chosen quarter or year.

Three headline cards (savings realised against target, CAP outputs against
plan, expert days used against agreed), the charts behind them, and the
count of records in each register. The figures come from
:mod:`lga_desktop.registers.headlines`; this page only lays them out.
"""

from __future__ import annotations

from decimal import Decimal

from lga_desktop.features import describe
from lga_desktop.money import format_money
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.procurement.derived import (
    Shares,
    share_for,
    shares_by_quarter,
    shares_by_year,
)
from lga_desktop.registers import cap, savings
from lga_desktop.registers.headlines import Headlines, default_period, headlines, years_with_data
from lga_desktop.returns.changes import banner_text
from lga_desktop.ui.cards import Card, chart_box, show_sme_share
from lga_desktop.ui.charts import Bar, BulletChart, Column, ColumnChart, ProgressBars
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.qt import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.styles import NOTE_STYLES
from lga_desktop.validation import Severity
from lga_desktop.words import plural

__all__ = ["DashboardPage"]

WHOLE_YEAR = 0


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f" ({value:.0f}%)"


def due_text(ws) -> str:
    """The programme pack's due dates for this council, with days left (empty before a pack)."""
    from datetime import date

    from lga_desktop.exchange.council import due_dates

    parts = []
    for d in due_dates(ws):
        left = d["days_left"]
        when = f"{left} days left" if left > 0 else "due today" if left == 0 else "date passed"
        parts.append(f"{d['quarter']}: {date.fromisoformat(d['due']):%d %b %Y} ({when})")
    return "Returns due (from the LGA's programme pack): " + " · ".join(parts) if parts else ""


class DashboardPage(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("dashboardPage")
        self.context = context
        self.figures: Headlines | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)

        top = QHBoxLayout()
        self.heading = QLabel()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Show:"))
        self.year_box = QComboBox(self)
        self.year_box.setObjectName("yearBox")
        self.quarter_box = QComboBox(self)
        self.quarter_box.setObjectName("quarterBox")
        self.quarter_box.addItem("Whole year", WHOLE_YEAR)
        for q, months in enumerate(("Apr–Jun", "Jul–Sep", "Oct–Dec", "Jan–Mar"), start=1):
            self.quarter_box.addItem(f"Q{q} {months}", q)
        top.addWidget(self.year_box)
        top.addWidget(self.quarter_box)
        layout.addLayout(top)
        self.signed_banner = QLabel()
        self.signed_banner.setObjectName("changedSinceSigned")
        self.signed_banner.setWordWrap(True)
        self.signed_banner.setStyleSheet(NOTE_STYLES[Severity.WARNING] + " font-weight: bold;")
        layout.addWidget(self.signed_banner)
        # from the LGA's programme pack: when each quarter's return is due, and days left
        self.due_label = QLabel()
        self.due_label.setObjectName("dueDates")
        self.due_label.setWordWrap(True)
        layout.addWidget(self.due_label)

        cards = QHBoxLayout()
        self.savings_card = Card(
            "Savings realised against target: all kinds together "
            "(cashable and non-cashable, revenue and capital)"
        )
        self.cap_card = Card("CAP outputs against plan")
        self.days_card = Card("Expert days used against agreed", over_is_warning=True)
        self.sme_card = Card("Procurement spend with SMEs")
        for card in (self.savings_card, self.cap_card, self.days_card, self.sme_card):
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        grid = QGridLayout()
        self.workstream_chart = BulletChart()
        self.workstream_chart.setObjectName("workstreamChart")
        self.quarter_chart = ColumnChart()
        self.quarter_chart.setObjectName("quarterChart")
        self.outputs_chart = ProgressBars()
        self.outputs_chart.setObjectName("outputsChart")
        self.days_chart = ProgressBars(over_is_warning=True)
        self.days_chart.setObjectName("daysChart")
        self.workstream_box = chart_box("Savings by workstream", self.workstream_chart)
        self.quarter_box_group = chart_box("Savings by quarter", self.quarter_chart)
        self.outputs_box = chart_box("CAP outputs against plan", self.outputs_chart)
        self.days_box = chart_box("Expert days by engagement", self.days_chart)
        grid.addWidget(self.workstream_box, 0, 0)
        grid.addWidget(self.quarter_box_group, 0, 1)
        grid.addWidget(self.outputs_box, 1, 0)
        grid.addWidget(self.days_box, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid)

        self.counts_box = QGroupBox("Registers")
        self.counts_form = QFormLayout(self.counts_box)
        layout.addWidget(self.counts_box)
        layout.addStretch(1)

        self._fill_years(default_period(context.workspace))
        self.year_box.currentIndexChanged.connect(lambda _i: self.refresh_figures())
        self.quarter_box.currentIndexChanged.connect(lambda _i: self.refresh_figures())
        context.changed.connect(lambda _what: self.refresh())
        self.refresh()

    def _sme(self, period: Quarter | FinancialYear, label: str) -> None:
        ws = self.context.workspace
        if isinstance(period, Quarter):
            shares: Shares = share_for(ws, period)
        else:
            first, last = period.quarters[0], period.quarters[-1]
            years = shares_by_year(ws, shares_by_quarter(ws, first, last))
            shares = years[0] if years else share_for(ws, first)
        if not shares.total_pence:
            self.sme_card.set(
                "—",
                f"No spend imported for {label}.",
                None,
                "Import the spend files on the Procurement page.",
            )
            return
        show_sme_share(
            self.sme_card,
            shares,
            f"in {label}",
            f"VCSE {shares.vcse_percent}%, local {shares.local_percent}%. Suppliers not yet "
            "classified are neither SME nor not (Procurement > Suppliers).",
        )

    # ---- the period --------------------------------------------------------------------
    def _fill_years(self, chosen: Quarter | FinancialYear) -> None:
        self.year_box.blockSignals(True)
        self.quarter_box.blockSignals(True)
        current = self.year_box.currentData()
        self.year_box.clear()
        for y in years_with_data(self.context.workspace):
            self.year_box.addItem(str(y), y.start_year)
        start = (
            current
            if current is not None
            else (
                chosen.start_year if isinstance(chosen, FinancialYear) else chosen.year.start_year
            )
        )
        self.year_box.setCurrentIndex(max(0, self.year_box.findData(start)))
        if current is None:
            self.quarter_box.setCurrentIndex(
                chosen.q if isinstance(chosen, Quarter) else WHOLE_YEAR
            )
        self.year_box.blockSignals(False)
        self.quarter_box.blockSignals(False)

    def period(self) -> Quarter | FinancialYear:
        year = FinancialYear(self.year_box.currentData())
        q = self.quarter_box.currentData()
        return year if q == WHOLE_YEAR else Quarter(year.start_year, q)

    def set_period(self, period: Quarter | FinancialYear) -> None:
        year = period if isinstance(period, FinancialYear) else period.year
        index = self.year_box.findData(year.start_year)
        if index < 0:
            self.year_box.addItem(str(year), year.start_year)
            index = self.year_box.count() - 1
        self.year_box.blockSignals(True)
        self.year_box.setCurrentIndex(index)
        self.year_box.blockSignals(False)
        self.quarter_box.setCurrentIndex(period.q if isinstance(period, Quarter) else WHOLE_YEAR)
        self.refresh_figures()

    # ---- refreshing ----------------------------------------------------------------------
    def refresh(self) -> None:
        banner = banner_text(self.context.changed_since_signed)
        self.signed_banner.setText(banner)
        self.signed_banner.setVisible(bool(banner))
        self.due_label.setText(due_text(self.context.workspace))
        self.due_label.setVisible(bool(self.due_label.text()))
        info = describe(self.context.workspace)
        council = info["council"]
        officer = info["officer"]
        who = f"<br>Kept by {officer['name']}, {officer['role']}" if officer else ""
        self.heading.setText(
            f"<h2>{council['name']}</h2><p>{council['type']} · {council['gss']}{who}</p>"
        )
        while self.counts_form.rowCount():
            self.counts_form.removeRow(0)
        counts = info["counts"]
        if not any(counts.values()):
            self.counts_form.addRow(QLabel("No registers hold any records yet."))
        else:
            for label, n in counts.items():
                self.counts_form.addRow(f"{label}:", QLabel(f"{n:,}"))
        self._fill_years(default_period(self.context.workspace))
        self.refresh_figures()

    def refresh_figures(self) -> None:
        period = self.period()
        h = self.figures = headlines(self.context.workspace, period)
        label = str(period) if isinstance(period, Quarter) else f"{period} (whole year)"
        year = period.year if isinstance(period, Quarter) else period

        s = h.savings
        self.savings_card.set(
            format_money(s.period.realised),
            f"of {format_money(s.period.target)} target in {label}{_percent(s.period.percent)}",
            Bar(
                "In the period",
                s.period.realised,
                s.period.target,
                _percent(s.period.percent).strip(" ()"),
            ),
            f"Since the first line started: {format_money(s.to_date.realised)} of "
            f"{format_money(s.to_date.target)}{_percent(s.to_date.percent)}. In the period: "
            + "; ".join(
                f"{r.label.lower()} {format_money(r.period.realised)}"
                for r in savings.by_basis(self.context.workspace, period)
            ),
        )
        self._sme(period, label)
        planned, on_plan = h.outputs_planned, h.outputs_on_plan
        self.cap_card.set(
            f"{len(on_plan)} of {len(planned)}" if planned else "—",
            f"outputs planned for {year} have reached {cap.plan_due_label(period)}"
            if planned
            else f"No CAP outputs are planned for {year}.",
            None,
            ", ".join(
                f"{o.output.label.lower()} {o.output.display(o.realised_year_to_date)}"
                for o in h.outputs
                if o.realised_year_to_date
            )
            or "No outputs realised yet this year.",
        )
        d = h.days
        per = d.realised_per_day
        self.days_card.set(
            f"{d.days_used_to_date} of {d.days_agreed}",
            f"days used on {plural(d.engagements, 'engagement')}"
            f"{_percent(d.percent_used)}; {d.days_used_period} in {label}",
            Bar(
                "Days used",
                d.days_used_to_date,
                d.days_agreed,
                _percent(d.percent_used).strip(" ()"),
            ),
            f"{format_money(d.realised_saving)} realised on the savings they unlocked"
            + (f": {format_money(per)} per expert day" if per is not None else ""),
        )

        self.workstream_box.setTitle(f"Savings by workstream, {label}")
        self.workstream_chart.set_bars(
            [
                Bar(
                    r.label,
                    r.period.realised,
                    r.period.target,
                    f"{format_money(r.period.realised)} of {format_money(r.period.target)}{_percent(r.period.percent)}"
                    if r.period.target or r.period.realised
                    else "nothing due in the period",
                )
                for r in h.by_workstream
            ]
        )
        self.quarter_box_group.setTitle(f"Savings by quarter, {year}")
        self.quarter_chart.set_columns(
            [Column(r.label, r.period.target, r.period.realised) for r in h.by_quarter],
            highlight=period.q - 1 if isinstance(period, Quarter) else None,
        )
        self.outputs_box.setTitle(
            f"CAP outputs in {year}"
            + (f" to the end of Q{period.q}" if isinstance(period, Quarter) else "")
            + f", against {cap.plan_due_label(period)}"
        )
        self.outputs_chart.set_bars(
            [
                Bar(
                    o.output.label,
                    o.realised_year_to_date,
                    o.planned_due_year,
                    f"{o.output.display(o.realised_year_to_date)} of "
                    f"{o.output.display(o.planned_due_year)} due{_percent(o.percent)}"
                    + cap.whole_year_words(o)
                    if o.planned_year or o.realised_year_to_date
                    else "none planned",
                )
                for o in h.outputs
            ]
        )
        self.days_box.setTitle(f"Expert days by engagement, to the end of {period}")
        self.days_chart.set_bars(
            [
                Bar(
                    u.engagement.label,
                    u.days_used,
                    u.days_agreed,
                    f"{u.days_used} of {u.days_agreed} days{_percent(u.percent_used)}",
                )
                for u in h.engagements
            ]
        )
