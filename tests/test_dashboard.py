"""The dashboard: headline figures against targets for a quarter or a year, and the page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lga_desktop import features
from lga_desktop.money import format_money
from lga_desktop.periods import FinancialYear, Quarter, quarter_of
from lga_desktop.registers import experts, savings, store
from lga_desktop.registers.headlines import default_period, headlines, years_with_data
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.pages.dashboard import DashboardPage


def _realised_in(ws, quarters):
    return sum(
        r["amount"] for r in store.list_records(ws, savings.REALISED) if r["quarter"] in quarters
    )


def test_headlines_add_up_to_the_penny(demo_workspace):
    q2 = Quarter(2012, 2)
    h = headlines(demo_workspace, q2)
    assert h.savings.period.realised == _realised_in(demo_workspace, {q2})
    assert h.savings.period == sum((r.period for r in h.by_workstream), savings.ZERO)
    assert h.savings.to_date.realised == _realised_in(demo_workspace, {Quarter(2012, 1), q2})
    year = headlines(demo_workspace, FinancialYear(2012))
    assert year.savings.period.realised == _realised_in(
        demo_workspace, set(FinancialYear(2012).quarters)
    )
    assert [r.period for r in year.by_quarter] == [r.period for r in h.by_quarter]
    assert sum(r.period.target for r in year.by_quarter) == year.savings.period.target
    # expert days used in Q2, from the day log itself
    logged = sum(
        d["days"]
        for d in store.list_records(demo_workspace, experts.DAYS)
        if quarter_of(d["date"]) == q2
    )
    assert h.days.days_used_period == logged
    assert [o.output.name for o in year.outputs_on_plan] == [
        "jobs",
        "space_reused",
        "capex_reduced",
        "carbon",
    ]
    assert len(year.outputs_planned) == 4


def test_the_default_period_is_the_latest_with_anything_recorded(demo_workspace, workspace):
    assert default_period(demo_workspace) == Quarter(2012, 4)
    assert years_with_data(demo_workspace) == [FinancialYear(2012)]
    assert default_period(workspace) == quarter_of(date.today())
    assert years_with_data(workspace) == [quarter_of(date.today()).year]


@pytest.fixture
def page(qtbot, demo_workspace):
    page = DashboardPage(AppContext(demo_workspace))
    qtbot.addWidget(page)
    page.resize(1300, 1000)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_dashboard_opens_on_the_latest_quarter_with_headlines_and_charts(page, demo_workspace):
    assert "Oxford City Council" in page.heading.text()
    assert page.period() == Quarter(2012, 4)
    q4 = _realised_in(demo_workspace, {Quarter(2012, 4)})
    assert page.savings_card.figure.text() == format_money(q4)
    # one figure for every kind of saving is labelled so, and shown split
    assert "all kinds together" in page.savings_card.title.text()
    assert "cashable revenue £" in page.savings_card.note.text()
    assert "non-cashable capital £" in page.savings_card.note.text()
    assert page.cap_card.figure.text() == "4 of 4"
    assert page.days_card.figure.text() == "48.5 of 57.0"
    assert "Productivity experts" in page.workstream_chart.describe()
    assert page.quarter_chart.highlight == 3
    assert "EXP-002 David Okafor: 16.5 of 15.0 days (110%)" in page.days_chart.describe()
    assert (
        "Carbon reduction: 6.3 tCO2e a year of 2.5 tCO2e a year due (252%)"
        in page.outputs_chart.describe()
    )
    assert page.counts_form.rowCount() == len(features.counts(demo_workspace)) >= 8


def test_choosing_a_quarter_or_the_whole_year_changes_every_figure(page, demo_workspace):
    page.quarter_box.setCurrentIndex(page.quarter_box.findData(2))
    assert page.period() == Quarter(2012, 2)
    assert page.savings_card.figure.text() == format_money(
        _realised_in(demo_workspace, {Quarter(2012, 2)})
    )
    # jobs 2.5 FTE of the 2.5 due by 30 September (5.0 for the year) is on plan, as is carbon
    assert page.cap_card.figure.text() == "2 of 4"
    assert "Q2" in page.outputs_box.title()
    page.quarter_box.setCurrentIndex(page.quarter_box.findData(0))
    assert page.period() == FinancialYear(2012)
    year_total = _realised_in(demo_workspace, set(FinancialYear(2012).quarters))
    assert page.savings_card.figure.text() == format_money(year_total)
    assert page.quarter_chart.highlight is None
    assert "whole year" in page.workstream_box.title()


def test_the_dashboard_follows_changes_to_the_registers(page, demo_workspace):
    row = next(
        r
        for r in store.list_records(demo_workspace, savings.REALISED)
        if r["quarter"] == Quarter(2012, 4)
    )
    before = page.figures.savings.period.realised
    store.update(demo_workspace, savings.REALISED, row.id, {"amount": row["amount"] + 123456})
    page.context.notify("savings")
    assert page.figures.savings.period.realised == before + 123456
    assert page.savings_card.figure.text() == format_money(before + 123456)


def test_an_empty_workspace_says_so(qtbot, workspace):
    page = DashboardPage(AppContext(workspace))
    qtbot.addWidget(page)
    assert page.savings_card.figure.text() == "£0.00"
    assert page.cap_card.figure.text() == "—"
    assert page.days_card.figure.text() == "0 of 0"
    assert page.counts_form.rowCount() == 1
    assert page.workstream_chart.describe() == ""
    assert page.figures.days.days_agreed == Decimal(0)
