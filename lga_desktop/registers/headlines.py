"""The dashboard's figures for a quarter or a year, from the three registers, exactly.

Savings realised against target (in the period, by workstream, by quarter of
its year, and to date), CAP outputs against plan, expert days used against
agreed. The window draws these; the figures themselves live here so they can
be tested to the penny without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lga_desktop.periods import FinancialYear, Quarter, quarter_of
from lga_desktop.registers import cap, experts, savings
from lga_desktop.workspace import Workspace

__all__ = ["Headlines", "headlines", "default_period", "years_with_data"]

Period = Quarter | FinancialYear


@dataclass(frozen=True)
class Headlines:
    period: Period
    savings: savings.SavingsRow  # all workstreams: in the period and to date
    by_workstream: list[savings.SavingsRow]
    by_quarter: list[savings.SavingsRow]  # the quarters of the period's year
    outputs: list[cap.OutputProgress]
    days: experts.DaysSummary
    engagements: list[experts.EngagementUse]

    @property
    def outputs_planned(self) -> list[cap.OutputProgress]:
        """Outputs with something planned for the period's year."""
        return [o for o in self.outputs if o.planned_year]

    @property
    def outputs_on_plan(self) -> list[cap.OutputProgress]:
        """Of those, the ones whose realised so far this year has reached the plan due by now."""
        return [o for o in self.outputs_planned if o.realised_year_to_date >= o.planned_due_year]


def headlines(ws: Workspace, period: Period) -> Headlines:
    end = period if isinstance(period, Quarter) else period.quarters[-1]
    year = period.year if isinstance(period, Quarter) else period
    by_workstream = savings.by_workstream(ws, period)
    return Headlines(
        period=period,
        savings=savings.total_of(by_workstream),
        by_workstream=by_workstream,
        by_quarter=savings.by_quarter(ws, year),
        outputs=cap.outputs_against_plan(ws, period),
        days=experts.days_summary(ws, period),
        engagements=experts.engagement_use(ws, until=end),
    )


def _latest(ws: Workspace) -> Quarter | None:
    found: list[Quarter] = []
    for table, column in (("savings_realised", "quarter"), ("cap_outputs_realised", "quarter")):
        row = ws.db.execute(f"SELECT max({column}) FROM {table}").fetchone()
        if row and row[0]:
            found.append(Quarter(int(row[0][:4]), int(row[0][5])))
    row = ws.db.execute("SELECT max(date) FROM expert_days").fetchone()
    if row and row[0]:
        found.append(quarter_of(date.fromisoformat(row[0])))
    return max(found) if found else None


def default_period(ws: Workspace) -> Quarter:
    """The latest quarter anything was realised or logged in; else the current quarter."""
    return _latest(ws) or quarter_of(date.today())


def years_with_data(ws: Workspace) -> list[FinancialYear]:
    """Every financial year from the earliest record to the latest (or this year), in order."""
    firsts: list[Quarter] = []
    for table, column in (
        ("savings_lines", "start"),
        ("savings_realised", "quarter"),
        ("cap_outputs_realised", "quarter"),
    ):
        row = ws.db.execute(f"SELECT min({column}) FROM {table}").fetchone()
        if row and row[0]:
            firsts.append(Quarter(int(row[0][:4]), int(row[0][5])))
    for table, column in (("expert_days", "date"), ("cap_plans", "start_date")):
        row = ws.db.execute(f"SELECT min({column}) FROM {table}").fetchone()
        if row and row[0]:
            firsts.append(quarter_of(date.fromisoformat(row[0])))
    last = default_period(ws).year
    first = min(firsts).year if firsts else last
    first = min(first, last)
    return [FinancialYear(y) for y in range(first.start_year, last.start_year + 1)]
