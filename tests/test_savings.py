"""Realised savings: rules, and realised against target by workstream, quarter and to date."""

from __future__ import annotations

from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers import savings, store
from lga_desktop.registers.store import draft


def _line(ws, **over):
    values = {
        "workstream": "category",
        "title": "ICT framework",
        "target": "1,000.01",
        "start": "2012/13 Q1",
        "years": "5",
    } | over
    return store.create(ws, savings.LINES, values)


def _realise(ws, line, quarter, amount, evidence="Invoice"):
    return store.create(
        ws,
        savings.REALISED,
        {"saving": line.link(), "quarter": quarter, "amount": amount, "evidence": evidence},
    )


def test_a_years_quarters_share_the_annual_target_exactly(workspace):
    line = _line(workspace)
    shares = [savings.quarter_target(line, q) for q in FinancialYear(2012).quarters]
    assert shares == [25000, 25000, 25000, 25001]
    assert sum(shares) == 100001
    assert savings.quarter_target(line, Quarter(2011, 4)) == 0
    late = _line(workspace, title="Late", start="2012/13 Q3", target="1000")
    assert [savings.quarter_target(late, q) for q in FinancialYear(2012).quarters] == [
        0,
        0,
        25000,
        25000,
    ]
    one_off = _line(
        workspace, title="Once", recurrence="one-off", start="2012/13 Q2", target="999.99"
    )
    assert [savings.quarter_target(one_off, q) for q in FinancialYear(2012).quarters] == [
        0,
        99999,
        0,
        0,
    ]
    assert savings.target_to(one_off, Quarter(2014, 1)) == 99999
    assert savings.target_to(line, Quarter(2013, 2)) == 100001 + 50000


def test_realised_without_evidence_is_a_warning_and_before_start_an_error(workspace):
    line = _line(workspace, start="2012/13 Q2")
    _realise(workspace, line, "2012/13 Q1", "10")
    _realise(workspace, line, "2012/13 Q2", "10", evidence="")
    found = sorted(
        (f.code, f.record, f.field, f.severity.value)
        for f in savings.validate(workspace, Quarter(2012, 4))
    )
    assert found == [
        ("savings.no_evidence", "RLS-0002", "evidence", "warning"),
        ("savings.realised_before_start", "RLS-0001", "quarter", "error"),
    ]
    assert savings.validate(workspace, Quarter(2012, 1)) == [
        f for f in savings.validate(workspace, Quarter(2012, 1)) if f.record == "RLS-0001"
    ]


def test_a_target_above_the_baseline_is_a_warning():
    rec = draft(savings.LINES, {"baseline": "1,000", "target": "1,000.01"})
    assert [f.code for f in savings.LINES.findings(rec)] == ["savings.target_above_baseline"]


def test_realised_against_target_by_workstream_quarter_and_to_date(workspace):
    ict = _line(workspace)  # category, £1,000.01 a year from Q1
    waste = _line(workspace, workstream="waste", title="Rounds", target="400", start="2012/13 Q2")
    _realise(workspace, ict, "2012/13 Q1", "200.01")
    _realise(workspace, ict, "2012/13 Q2", "300.33")
    _realise(workspace, waste, "2012/13 Q2", "99.99")
    _realise(workspace, ict, "2012/13 Q3", "250")

    q2 = {r.key: r for r in savings.by_workstream(workspace, Quarter(2012, 2))}
    assert list(q2) == ["category", "waste"]
    assert q2["category"].period == savings.Against(25000, 30033)
    assert q2["category"].to_date == savings.Against(50000, 50034)
    assert q2["waste"].period == savings.Against(10000, 9999)
    total = savings.programme_total(workspace, Quarter(2012, 2))
    assert total.period == savings.Against(35000, 40032)
    assert total.to_date == savings.Against(60000, 60033)

    year = savings.programme_total(workspace, FinancialYear(2012))
    assert year.period == savings.Against(100001 + 30000, 20001 + 30033 + 9999 + 25000)
    assert year.period.percent is not None and round(year.period.percent, 2) == round(
        __import__("decimal").Decimal(85033 * 100) / 130001, 2
    )

    quarters = savings.by_quarter(workspace, FinancialYear(2012))
    assert [(r.label, r.period.realised, r.to_date.realised) for r in quarters] == [
        ("Q1", 20001, 20001),
        ("Q2", 40032, 60033),
        ("Q3", 25000, 85033),
        ("Q4", 0, 85033),
    ]
    assert [r.period.target for r in quarters] == [25000, 35000, 35000, 35001]
    assert quarters[-1].to_date.target == year.period.target
    assert savings.line_progress(workspace, ict, Quarter(2012, 3)) == savings.Against(75000, 75034)


# ---- an end, in-year and full-year effect, totals kept apart ------------------------------


def test_a_recurring_line_has_an_end_and_its_target_stops_there(workspace):
    line = _line(workspace, target="4,000", start="2012/13 Q3", years="1")
    # Q3 and Q4 of 2012/13, Q1 and Q2 of 2013/14: a year of saving, then nothing
    assert [savings.quarter_target(line, q) for q in Quarter(2012, 1).year.quarters] == [
        0,
        0,
        100_000,
        100_000,
    ]
    assert savings.target_over(line, FinancialYear(2013).quarters) == 200_000
    assert savings.target_over(line, FinancialYear(2014).quarters) == 0
    assert savings.target_to(line, Quarter(2020, 4)) == 400_000  # never inflated year on year
    no_end = _line(workspace, title="No end", years="")
    [warned] = [f for f in savings.validate(workspace, Quarter(2012, 1)) if f.record == no_end.ref]
    assert (warned.code, warned.field, warned.severity.value) == (
        "savings.recurring_no_end",
        "years",
        "warning",
    )


def test_in_year_and_full_year_effect(workspace):
    _line(workspace, target="4,000", start="2012/13 Q3", years="3")
    _line(workspace, title="One-off", recurrence="one_off", target="900", start="2012/13 Q2")
    snap = savings.snapshot(workspace, Quarter(2012, 4))
    effect = {e["ref"]: e for e in snap["effect"]["lines"]}
    assert snap["effect"]["year"] == "2012/13"
    # starting at Q3: half a year in 2012/13, a whole year's effect
    assert (effect["SAV-001"]["in_year_pence"], effect["SAV-001"]["full_year_pence"]) == (
        200_000,
        400_000,
    )
    assert (effect["SAV-002"]["in_year_pence"], effect["SAV-002"]["full_year_pence"]) == (
        90_000,
        90_000,
    )


def test_cashable_and_non_cashable_revenue_and_capital_are_never_one_unlabelled_total(workspace):
    a = _line(workspace, target="4,000")
    b = _line(workspace, title="Avoided borrowing", cashable="Non-cashable", kind="Capital")
    _realise(workspace, a, "2012/13 Q1", "1,000")
    _realise(workspace, b, "2012/13 Q1", "250")
    snap = savings.snapshot(workspace, Quarter(2012, 1))
    assert "total" not in snap
    rows = {r["key"]: r for r in snap["by_basis"]}
    assert set(rows) == {"cashable.revenue", "non_cashable.capital"}
    assert rows["cashable.revenue"]["period"]["realised_pence"] == 100_000
    assert rows["non_cashable.capital"]["period"]["realised_pence"] == 25_000
    labels = [r.label for r in savings.by_basis(workspace, Quarter(2012, 1))]
    assert labels == ["Cashable revenue", "Non-cashable capital"]
