"""Productivity expert support days: rules, days used, savings per expert day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers import experts, savings, store


def _engagement(ws, **over):
    values = {
        "expert": "Helen Carter",
        "specialism": "renegotiation",
        "purpose": "Renegotiate contracts",
        "days_agreed": "3",
        "start_date": "01/05/2012",
        "end_date": "31/03/2013",
        "expected_saving": "£1m",
    } | over
    return store.create(ws, experts.ENGAGEMENTS, values)


def _log(ws, eng, when, days="1"):
    return store.create(
        ws, experts.DAYS, {"engagement": eng.link(), "date": when, "days": days, "work": "Work"}
    )


def test_days_beyond_those_agreed_are_a_warning_on_the_engagement(workspace):
    eng = _engagement(workspace)
    for d in (1, 2, 3):
        _log(workspace, eng, date(2012, 5, d))
    assert experts.validate(workspace, Quarter(2013, 4)) == []  # exactly the days agreed
    _log(workspace, eng, date(2012, 5, 4), "0.5")
    [finding] = experts.validate(workspace, Quarter(2013, 4))
    assert (finding.code, finding.record, finding.field) == (
        "experts.days_beyond_agreed",
        "EXP-001",
        "days_agreed",
    )
    assert finding.severity.value == "warning"
    assert "3.5 days are logged, 0.5 more than the 3.0 agreed" in finding.message


def test_a_day_outside_the_engagement_is_an_error(workspace):
    eng = _engagement(workspace, days_agreed="10")
    _log(workspace, eng, date(2012, 4, 30))
    _log(workspace, eng, date(2012, 5, 1))
    _log(workspace, eng, date(2013, 4, 1))
    found = experts.validate(workspace, Quarter(2012, 4))
    assert [(f.code, f.record) for f in found] == [("experts.day_outside_engagement", "DAY-0001")]
    # the April 2013 day belongs to a later quarter than the 2012/13 Q4 return's
    found = experts.validate(workspace, Quarter(2013, 1))
    assert sorted(f.record for f in found) == ["DAY-0001", "DAY-0003"]


def test_two_full_days_for_one_expert_on_one_date_are_a_warning(workspace):
    eng = _engagement(workspace, days_agreed="10")
    other = _engagement(workspace, days_agreed="10", purpose="Another engagement")
    _log(workspace, eng, date(2012, 5, 1), "0.5")
    _log(workspace, other, date(2012, 5, 1), "0.5")  # two halves: one day, fine
    assert experts.validate(workspace, Quarter(2012, 1)) == []
    _log(workspace, eng, date(2012, 5, 2))
    _log(workspace, other, date(2012, 5, 2))  # the same expert, a second full day
    [finding] = experts.validate(workspace, Quarter(2012, 1))
    assert (finding.code, finding.record, finding.severity.value) == (
        "experts.more_than_a_day",
        "DAY-0004",
        "warning",
    )
    assert "2.0 days are logged for one expert on 02/05/2012 (with DAY-0003)" in finding.message


def test_a_log_line_is_a_whole_or_half_day(workspace):
    eng = _engagement(workspace)
    with pytest.raises(store.RecordError, match="whole or a half day"):
        _log(workspace, eng, date(2012, 5, 2), "0.7")
    with pytest.raises(store.RecordError, match="most allowed"):
        _log(workspace, eng, date(2012, 5, 2), "2")
    assert _log(workspace, eng, date(2012, 5, 2), "0.5")["days"] == Decimal("0.5")


def test_days_used_against_agreed_and_savings_per_day_are_exact(workspace):
    a = _engagement(workspace, days_agreed="20")  # £1m expected
    b = _engagement(
        workspace,
        expert="David Okafor",
        days_agreed="10.5",
        expected_saving="500k",
        start_date="01/10/2012",
    )
    for i in range(18):
        _log(workspace, a, date(2012, 6, 1 + i))
    _log(workspace, a, date(2012, 7, 2), "0.5")
    _log(workspace, b, date(2012, 10, 2), "0.5")
    _log(workspace, b, date(2013, 1, 7))
    line = store.create(
        workspace,
        savings.LINES,
        {
            "workstream": "expert",
            "title": "Waste contract",
            "target": "400k",
            "start": "2012/13 Q2",
            "engagement": a.link(),
        },
    )
    store.create(
        workspace,
        savings.REALISED,
        {"saving": line.link(), "quarter": "2012/13 Q2", "amount": "100,000.01", "evidence": "x"},
    )
    store.create(
        workspace,
        savings.REALISED,
        {"saving": line.link(), "quarter": "2012/13 Q3", "amount": "33,333.33", "evidence": "x"},
    )

    uses = {u.engagement.ref: u for u in experts.engagement_use(workspace)}
    ua = uses["EXP-001"]
    assert (ua.days_used, ua.days_left) == (Decimal("18.5"), Decimal("1.5"))
    assert ua.percent_used == Decimal("92.5")
    # £1,000,000 / 18.5 days = £54,054.054... -> £54,054.05
    assert ua.expected_per_day == 5_405_405
    # £133,333.34 realised / 18.5 days = £7,207.207... -> £7,207.21
    assert ua.realised_saving == 13_333_334
    assert ua.realised_per_day == 720_721
    assert uses["EXP-002"].realised_per_day == 0
    assert experts.per_day(100, Decimal(0)) is None
    assert experts.per_day(5, Decimal(2)) == 3  # half a penny rounds up

    q2 = experts.days_summary(workspace, Quarter(2012, 2))
    assert q2.engagements == 1  # EXP-002 had not started
    assert (q2.days_agreed, q2.days_used_period, q2.days_used_to_date) == (
        Decimal("20.0"),
        Decimal("0.5"),
        Decimal("18.5"),
    )
    assert q2.realised_saving == 10_000_001
    year = experts.days_summary(workspace, FinancialYear(2012))
    assert (year.days_agreed, year.days_used_to_date, year.engagements) == (
        Decimal("30.5"),
        Decimal("20.0"),
        2,
    )
    assert year.realised_per_day == 666_667  # £133,333.34 / 20 days
    q3 = experts.days_summary(workspace, Quarter(2012, 3))
    assert q3.days_used_period == Decimal("0.5")
