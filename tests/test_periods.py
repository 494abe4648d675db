"""Financial years, quarters and working days."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lga_desktop.periods import (
    FIRST_HOLIDAY_YEAR,
    LAST_HOLIDAY_YEAR,
    FinancialYear,
    PeriodError,
    Quarter,
    add_working_days,
    bank_holidays,
    is_working_day,
    parse_date,
    parse_period,
    parse_quarter,
    quarter_of,
    working_days_between,
    year_of,
)


def test_year_and_quarter_text():
    assert str(FinancialYear(2012)) == "2012/13"
    assert str(FinancialYear(1999)) == "1999/00"
    assert str(Quarter(2012, 2)) == "2012/13 Q2"
    assert Quarter(2012, 2).key == "2012Q2"


@pytest.mark.parametrize(
    ("q", "start", "end"),
    [
        (1, date(2012, 4, 1), date(2012, 6, 30)),
        (2, date(2012, 7, 1), date(2012, 9, 30)),
        (3, date(2012, 10, 1), date(2012, 12, 31)),
        (4, date(2013, 1, 1), date(2013, 3, 31)),
    ],
)
def test_quarter_bounds(q, start, end):
    quarter = Quarter(2012, q)
    assert (quarter.start, quarter.end) == (start, end)
    assert quarter_of(start) == quarter == quarter_of(end)


def test_period_of_a_date():
    assert quarter_of(date(2013, 1, 15)) == Quarter(2012, 4)
    assert year_of(date(2013, 3, 31)) == FinancialYear(2012)
    assert year_of(date(2013, 4, 1)) == FinancialYear(2013)
    assert date(2012, 4, 1) in FinancialYear(2012)
    assert date(2012, 3, 31) not in FinancialYear(2012)


def test_next_and_previous_cross_years():
    assert Quarter(2012, 4).next() == Quarter(2013, 1)
    assert Quarter(2013, 1).previous() == Quarter(2012, 4)
    assert [q.q for q in FinancialYear(2012).quarters] == [1, 2, 3, 4]


@pytest.mark.parametrize("n", [-9, -4, -1, 0, 1, 3, 4, 7, 40])
def test_plus_is_next_n_times(n):
    q = Quarter(2012, 3)
    stepped = q
    for _ in range(abs(n)):
        stepped = stepped.next() if n > 0 else stepped.previous()
    assert q.plus(n) == stepped


def test_pipeline_quarters():
    assert [q.carries_pipeline for q in FinancialYear(2012).quarters] == [False, True, False, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012/13 Q2", Quarter(2012, 2)),
        ("2012-13 q2", Quarter(2012, 2)),
        ("Q2 2012/13", Quarter(2012, 2)),
        ("2012/2013 Q4", Quarter(2012, 4)),
        ("2012Q3", Quarter(2012, 3)),
        ("2012/13", FinancialYear(2012)),
        ("FY 2019/20", FinancialYear(2019)),
        ("1999/00", FinancialYear(1999)),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2012/14 Q1", "two consecutive years"),
        ("2012/13 Q5", "Q1 to Q4"),
        ("last quarter", "not a financial year"),
    ],
)
def test_parse_period_refuses(text, reason):
    with pytest.raises(PeriodError, match=reason):
        parse_period(text)


def test_parse_quarter_insists_on_a_quarter():
    with pytest.raises(PeriodError, match="whole year"):
        parse_quarter("2012/13")


@given(st.integers(min_value=1990, max_value=2090), st.integers(min_value=1, max_value=4))
def test_quarter_text_round_trips(year, q):
    quarter = Quarter(year, q)
    assert parse_period(str(quarter)) == quarter
    assert parse_period(quarter.key) == quarter
    assert quarter_of(quarter.start) == quarter_of(quarter.end) == quarter


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_every_date_is_in_its_quarter(day):
    assert day in quarter_of(day)
    assert day in year_of(day)


def test_parse_date_is_british_and_never_guesses():
    assert parse_date("25/12/2012") == date(2012, 12, 25)
    assert parse_date("2012-12-25") == date(2012, 12, 25)
    assert parse_date("07/04/2015 00:00:00") == date(2015, 4, 7)
    with pytest.raises(PeriodError, match="not a real date"):
        parse_date("12/25/2012")
    with pytest.raises(PeriodError, match="not a date"):
        parse_date("Christmas")


def test_bank_holidays_include_one_offs_and_substitutes():
    hols = set(bank_holidays())
    assert date(2022, 9, 19) in hols  # the Queen's state funeral
    assert date(2023, 5, 8) in hols  # the coronation
    assert date(2012, 6, 5) in hols  # diamond jubilee
    assert date(2021, 12, 28) in hols  # Boxing Day substitute
    assert date(2021, 12, 25) not in hols  # a Saturday: already not a working day
    assert min(hols).year == 2010 and max(hols).year == 2035
    assert all(d.weekday() < 5 for d in hols)


def test_the_shipped_bank_holidays_are_the_holidays_packages():
    """resources/bank-holidays-england-wales.csv is what scripts/build_reference_data.py
    writes from the package: every weekday holiday, and nothing else."""
    import holidays

    calendar = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(FIRST_HOLIDAY_YEAR, LAST_HOLIDAY_YEAR + 1)
    )
    assert bank_holidays() == tuple(sorted(d for d in calendar if d.weekday() < 5))


def test_counting_working_days_does_not_load_the_holidays_package():
    """Importing holidays loads every country it knows (a tenth of a second, on the first
    return a session builds): the window and the commands read the shipped list."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from datetime import date\n"
        "from lga_desktop.periods import working_days_between\n"
        "print(working_days_between(date(2012, 12, 24), date(2013, 1, 2)), 'holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["4", "False"]


def test_working_days_over_christmas():
    # Fri 23 Dec 2022 -> Tue 3 Jan 2023: 28, 29, 30 Dec and 3 Jan (2 Jan is a bank holiday)
    assert working_days_between(date(2022, 12, 23), date(2023, 1, 3)) == 4
    assert working_days_between(date(2023, 1, 3), date(2022, 12, 23)) == -4
    assert working_days_between(date(2023, 1, 3), date(2023, 1, 3)) == 0
    assert not is_working_day(date(2023, 1, 2))
    assert is_working_day(date(2023, 1, 3))


@given(
    st.dates(min_value=date(2010, 1, 1), max_value=date(2034, 12, 1)),
    st.integers(min_value=0, max_value=200),
)
def test_working_days_agree_with_counting_day_by_day(start, span):
    end = start + timedelta(days=span)
    counted = sum(is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))
    assert working_days_between(start, end) == counted


def test_add_working_days_inverts_counting():
    start = date(2012, 12, 20)
    award = add_working_days(start, 120)
    assert working_days_between(start, award) == 120
    assert is_working_day(award)


def test_outside_the_known_years_is_refused():
    with pytest.raises(PeriodError, match="bank holidays are known"):
        working_days_between(date(2009, 1, 1), date(2012, 1, 1))
