"""The Overview page: the programme's picture for a quarter, as the Board sees it.

Which pilot councils have not sent a return; savings realised against target
(the programme and each workstream and council); SME share against the 25%
aspiration; expert days used; CAP outputs against plan. Every figure is
:func:`lga_desktop.consolidation.figures.figures_for`'s, shown exactly (the
charts only draw them).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html import escape

from lga_desktop.consolidation.figures import (
    ALL,
    ProgrammeFigures,
    figures_for,
    programme_period,
)
from lga_desktop.councils import council_by_gss
from lga_desktop.errors import LgaError
from lga_desktop.money import format_money
from lga_desktop.periods import Quarter, parse_period, parse_quarter
from lga_desktop.procurement.derived import percent
from lga_desktop.registers.cap import OUTPUTS
from lga_desktop.ui.cards import Card, chart_box, show_sme_share
from lga_desktop.ui.charts import Bar, BulletChart, Column, ColumnChart, ProgressBars
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.programme.board_tables import fill_period_box
from lga_desktop.ui.programme.context import ProgrammeContext
from lga_desktop.ui.qt import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.styles import MUTED
from lga_desktop.words import plural

__all__ = ["OverviewPage"]

QUARTERS_CHARTED = 8  # the savings-by-quarter chart shows up to this many, ending at the chosen one
_OUTPUTS = {o.name: o for o in OUTPUTS}


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f" ({value:.0f}%)"


def _council(gss: str, label: str) -> str:
    """The council's short name (``Portsmouth``) for a chart's row; its full name elsewhere."""
    try:
        return council_by_gss(gss).name
    except LgaError:
        return label


def _short(q: Quarter) -> str:
    """``Q2 12/13``: fits under a column."""
    return f"Q{q.q} {q.start_year % 100:02d}/{(q.start_year + 1) % 100:02d}"


def _output_text(name: str, unit: str, value: Decimal) -> str:
    output = _OUTPUTS.get(name)
    if output is not None:
        if isinstance(output.zero(), int):  # money, in pence
            return format_money(int(value))
        return output.display(value)
    return f"{value} {unit}"


class OverviewPage(QWidget):
    def __init__(
        self, context: ProgrammeContext, *, export_report: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("overviewPage")
        self.context = context
        self.figures: ProgrammeFigures | None = None
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
        self.heading.setObjectName("overviewHeading")
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Period:"))
        self.quarter_box = QComboBox()
        self.quarter_box.setObjectName("quarterBox")
        self.quarter_box.setMinimumContentsLength(10)
        top.addWidget(self.quarter_box)
        self.export_button = QPushButton("Export report…")
        self.export_button.setObjectName("exportButton")
        if export_report is not None:
            self.export_button.clicked.connect(lambda _=False: export_report())
        top.addWidget(self.export_button)
        layout.addLayout(top)

        self.empty = QLabel(
            "<h3>No returns merged yet</h3><p>Add the returns councils sent with File &gt; Add "
            "returns… or Add a folder of returns…, or drop the files (or a folder of them) on "
            "this window. Each file is checked, and merged only if it is intact and signed "
            "with the council's trusted key.</p>"
        )
        self.empty.setObjectName("overviewEmpty")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

        self.board_note = QLabel()
        self.board_note.setObjectName("boardNote")
        self.board_note.setWordWrap(True)
        layout.addWidget(self.board_note)

        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.content)
        layout.addStretch(1)

        self.missing_box = QFrame()
        self.missing_box.setObjectName("missingBox")
        missing = QVBoxLayout(self.missing_box)
        self.missing_title = QLabel()
        self.missing_title.setObjectName("missingTitle")
        self.missing_title.setWordWrap(True)
        missing.addWidget(self.missing_title)
        self.missing_list = QListWidget()
        self.missing_list.setObjectName("missingList")
        self.missing_list.setFrameShape(QFrame.Shape.NoFrame)
        self.missing_list.setStyleSheet(
            "QListWidget { background: transparent; font-weight: bold; }"
        )
        missing.addWidget(self.missing_list)
        content.addWidget(self.missing_box)

        cards = QHBoxLayout()
        self.savings_card = Card("Savings realised against target")
        self.sme_card = Card("SME share of procurement spend")
        self.days_card = Card("Expert days used against agreed", over_is_warning=True)
        for card in (self.savings_card, self.sme_card, self.days_card):
            cards.addWidget(card, 1)
        content.addLayout(cards)

        grid = QGridLayout()
        self.workstream_chart = BulletChart()
        self.workstream_chart.setObjectName("workstreamChart")
        self.quarter_chart = ColumnChart()
        self.quarter_chart.setObjectName("quarterChart")
        self.council_chart = BulletChart()
        self.council_chart.setObjectName("councilSavingsChart")
        self.sme_chart = ProgressBars()
        self.sme_chart.setObjectName("smeChart")
        self.outputs_chart = ProgressBars()
        self.outputs_chart.setObjectName("outputsChart")
        self.days_chart = ProgressBars(over_is_warning=True)
        self.days_chart.setObjectName("daysChart")
        self.workstream_box = chart_box("Savings by workstream", self.workstream_chart)
        self.quarter_chart_box = chart_box(
            "Savings by quarter, whole programme", self.quarter_chart
        )
        self.council_box = chart_box("Savings by council", self.council_chart)
        self.sme_box = chart_box("SME share by council", self.sme_chart)
        self.outputs_box = chart_box("CAP outputs against plan", self.outputs_chart)
        self.days_box = chart_box("Expert days by council", self.days_chart)
        for i, box in enumerate(
            (
                self.workstream_box,
                self.quarter_chart_box,
                self.council_box,
                self.sme_box,
                self.outputs_box,
                self.days_box,
            )
        ):
            grid.addWidget(box, i // 2, i % 2)
        grid.setColumnStretch(0, 3)  # the money charts' figures are long
        grid.setColumnStretch(1, 2)
        content.addLayout(grid)

        self.quarter_box.currentIndexChanged.connect(lambda _i: self.refresh_figures())
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._deferred.request)
        self.refresh()

    # ---- the quarter -------------------------------------------------------------------

    def quarter(self) -> Quarter | None:
        """The quarter shown, or the last quarter with returns of the year or programme shown."""
        if self.figures is not None:
            return self.figures.quarter
        key = self.quarter_box.currentData()
        return parse_quarter(key) if key and "Q" in key else None

    def period_key(self) -> str | None:
        """What the period box shows, as ``--period`` takes it: "2012Q2", "2012/13" or "all"."""
        return self.quarter_box.currentData()

    def set_quarter(self, quarter: Quarter | str) -> None:
        """Show a quarter ("2012/13 Q2"), a financial year ("2012/13") or "all"."""
        if isinstance(quarter, str) and quarter.strip().lower() == ALL:
            key = ALL
        else:
            period = parse_period(quarter) if isinstance(quarter, str) else quarter
            key = period.key if isinstance(period, Quarter) else str(period)
        index = self.quarter_box.findData(key)
        if index < 0:
            raise KeyError(f"no returns for {quarter}")
        self.quarter_box.setCurrentIndex(index)

    def refresh(self) -> None:
        """The quarters may have changed: newest first, then the years, then the whole programme."""
        fill_period_box(self.quarter_box, self.context.programme)
        self.refresh_figures()

    # ---- the figures -------------------------------------------------------------------

    def refresh_figures(self) -> None:
        prog = self.context.programme
        key = self.period_key()
        members = len(prog.pilot_councils())
        has = key is not None
        self.empty.setVisible(not has)
        self.content.setVisible(has)
        self.quarter_box.setEnabled(has)
        if key is None:
            self.figures = None
            self.heading.setText(
                f"<h2>{escape(prog.name)}</h2><p style='color:{MUTED}'>"
                f"{plural(members, 'pilot council')}; no returns merged yet</p>"
            )
            return
        f = self.figures = figures_for(prog, programme_period(prog, key))
        quarter = f.quarter
        sent = len({r.council_gss for r in f.returns if r.period_key == quarter.key})
        stale = (
            "; last known figures for "
            + ", ".join(f"{f.names[g]} (as at {parse_quarter(k)})" for g, k in f.last_known.items())
            if f.last_known
            else ""
        )
        self.heading.setText(
            f"<h2>{escape(prog.name)}</h2><p style='color:{MUTED}'>{escape(str(f.period))}: "
            f"returns for {quarter} from {sent} of {plural(members, 'pilot council')}"
            f"{escape(stale)}</p>"
        )
        self._missing(f, members)
        self._board_note(f)
        self._cards(f)
        self._charts(f)

    def _missing(self, f: ProgrammeFigures, members: int) -> None:
        self.missing_list.clear()
        for gss, name in f.missing:
            self.missing_list.addItem(f"{name} ({gss})")
        if f.missing:
            n = len(f.missing)
            self.missing_title.setText(
                f"<b style='font-size:13pt'>Missing returns for {f.quarter}</b><br>"
                f"{n} of {members} pilot councils {'has' if n == 1 else 'have'} not sent a "
                "return for the quarter; the figures below are the others' only."
            )
            colour, border = "#fff4e0", "#c77700"
        else:
            self.missing_title.setText(
                f"<b style='font-size:13pt'>No missing returns for {f.quarter}</b><br>"
                f"All {members} pilot councils have sent their return."
            )
            colour, border = "#e8f5ea", "#1b6e20"
        self.missing_box.setStyleSheet(
            f"#missingBox {{ background: {colour}; border-left: 5px solid {border}; }}"
        )
        rows = max(1, self.missing_list.count()) if f.missing else 0
        self.missing_list.setVisible(bool(f.missing))
        self.missing_list.setFixedHeight(
            rows * (self.missing_list.fontMetrics().height() + 6) + 4 if rows else 0
        )

    def _board_note(self, f: ProgrammeFigures) -> None:
        """What has changed since the Board was last given a report on this period."""
        from lga_desktop.consolidation.snapshots import changes_since, snapshots

        told = snapshots(self.context.programme, f.period.key) if f.period else []
        if not told:
            self.board_note.setText("")
            self.board_note.setVisible(False)
            return
        changes = changes_since(self.context.programme, told[0].id)
        s = changes.snapshot
        lines = changes.lines() or ["nothing has changed since."]
        self.board_note.setText(
            f"<b>Since the Board was told</b> (Board report {s.id}, {s.made_on:%d %B %Y}, "
            f"{escape(s.file_name)}): " + "; ".join(escape(x) for x in lines)
        )
        self.board_note.setVisible(True)

    def _cards(self, f: ProgrammeFigures) -> None:
        q = f.period or f.quarter
        noun = f.period.noun if f.period else "quarter"
        s = f.savings_total
        to_date = percent(s.realised_to_date_pence, s.target_to_date_pence)
        self.savings_card.set(
            format_money(s.realised_pence),
            f"of {format_money(s.target_pence)} target in {q}{_pct(s.percent_of_target)}",
            Bar(
                f"In the {noun}",
                s.realised_pence,
                s.target_pence,
                _pct(s.percent_of_target).strip(" ()"),
            ),
            f"To the end of {q}: {format_money(s.realised_to_date_pence)} of "
            f"{format_money(s.target_to_date_pence)}{_pct(to_date)}",
        )
        sme = f.sme_total
        show_sme_share(
            self.sme_card,
            sme,
            f"by the councils in {q}",
            f"VCSE {sme.vcse_percent if sme.vcse_percent is not None else '—'}%, local "
            f"{sme.local_percent if sme.local_percent is not None else '—'}%.",
        )
        e = f.experts_total
        if e is None or not (e.days_agreed_tenths or e.days_used_to_date_tenths):
            self.days_card.set("—", f"No expert support reported for {q}.", None, "")
        else:
            used = percent(e.days_used_to_date_tenths, e.days_agreed_tenths)
            self.days_card.set(
                f"{e.days_used_to_date} of {e.days_agreed}",
                f"days used to the end of {q} on {plural(e.engagements, 'engagement')}{_pct(used)}; "
                f"{e.days_used_period} in the {noun}",
                Bar("Days used", e.days_used_to_date, e.days_agreed, _pct(used).strip(" ()")),
                f"{format_money(e.realised_saving_pence)} realised on the savings they unlocked",
            )

    def _charts(self, f: ProgrammeFigures) -> None:
        q = f.period or f.quarter
        noun = f.period.noun if f.period else "quarter"
        self.workstream_box.setTitle(f"Savings by workstream, {q}")
        self.workstream_chart.set_bars(
            [
                Bar(
                    s.label,
                    s.realised_pence,
                    s.target_pence,
                    f"{format_money(s.realised_pence)} of {format_money(s.target_pence)}"
                    f"{_pct(s.percent_of_target)}"
                    if s.target_pence or s.realised_pence
                    else f"nothing due in the {noun}",
                )
                for s in f.savings
            ]
        )
        by_quarter = {s.key: (s.target_pence, s.realised_pence) for s in f.savings_by_quarter}
        keys = sorted(by_quarter)[-QUARTERS_CHARTED:]
        last = f.quarter.key
        self.quarter_chart.set_columns(
            [Column(_short(parse_quarter(k)), *by_quarter[k]) for k in keys],
            highlight=keys.index(last) if last in keys and noun == "quarter" else None,
        )
        self.council_box.setTitle(f"Savings by council, {q}")
        self.council_chart.set_bars(
            [
                Bar(
                    _council(s.key, s.label),
                    s.realised_pence,
                    s.target_pence,
                    f"{format_money(s.realised_pence)} of {format_money(s.target_pence)}"
                    f"{_pct(s.percent_of_target)}",
                )
                for s in f.savings_by_council
            ]
        )
        self.sme_box.setTitle(f"SME share of procurement spend by council, {q}")
        self.sme_chart.set_bars(
            [
                Bar(
                    _council(c.key, c.label),
                    c.sme_percent or Decimal(0),
                    Decimal(100),
                    f"{c.sme_percent}% of {format_money(c.basis_pence)}, "
                    f"{c.classified_percent}% classified"
                    if c.sme_percent is not None
                    else "no procurement spend reported",
                )
                for c in f.sme
            ]
        )
        self.outputs_box.setTitle(
            f"CAP outputs to the end of {f.quarter}, against the plan due by then (this year pro-rata)"
        )
        self.outputs_chart.set_bars(
            [
                Bar(
                    o.label,
                    o.realised_to_date,
                    o.planned_to_date,
                    f"{_output_text(o.output, o.unit, o.realised_to_date)} of "
                    f"{_output_text(o.output, o.unit, o.planned_to_date)}{_pct(o.percent_of_plan)}"
                    if o.planned_to_date or o.realised_to_date
                    else "none planned",
                )
                for o in f.outputs
            ]
        )
        self.days_box.setTitle(f"Expert days by council, to the end of {f.quarter}")
        self.days_chart.set_bars(
            [
                Bar(
                    _council(e.key, e.label),
                    e.days_used_to_date,
                    e.days_agreed,
                    f"{e.days_used_to_date} of {e.days_agreed} days"
                    f"{_pct(percent(e.days_used_to_date_tenths, e.days_agreed_tenths))}",
                )
                for e in f.experts
            ]
        )
