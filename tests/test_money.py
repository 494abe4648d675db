"""Money is integer pence: parsing what officers type, and showing it."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lga_desktop.money import (
    MoneyError,
    format_money,
    format_money_short,
    parse_money,
    pence_to_decimal,
)


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£1,234.50", 123450),
        ("1234.5", 123450),
        ("1200.5", 120050),
        ("£1,200", 120000),
        ("1.2m", 120000000),
        ("£1.2M", 120000000),
        ("500k", 50000000),
        ("2 million", 200000000),
        ("£1.5bn", 150000000000),
        ("(500)", -50000),
        ("(£1,234.56)", -123456),
        ("-£500", -50000),
        ("£-500", -50000),
        ("500-", -50000),
        ("  £ 12.05 ", 1205),
        ("0.01", 1),
        ("-0.01", -1),
        (".5", 50),
        ("1,234,567.89", 123456789),
        ("GBP 10", 1000),
        ("\u2212100", -10000),
    ],
)
def test_parses_what_officers_type(text, pence):
    assert parse_money(text) == pence


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no amount"),
        ("abc", "not an amount"),
        ("1,23", "decimal comma"),
        ("12,34", "decimal comma"),
        ("1.234", "more than two decimal places"),
        ("1,2345", "commas or points"),
        ("1.234.567", "commas or points"),
        ("(-500)", "two minus signs"),
        ("--5", "two minus signs"),
        ("1.234567k", "fraction of a penny"),
        ("£", "no digits"),
    ],
)
def test_refuses_ambiguous_text_with_the_reason(text, reason):
    with pytest.raises(MoneyError, match=reason):
        parse_money(text)


def test_negative_can_be_refused():
    with pytest.raises(MoneyError, match="cannot be negative"):
        parse_money("(5)", allow_negative=False)
    with pytest.raises(MoneyError, match="cannot be negative"):
        parse_money("-5", allow_negative=False)


def test_ints_and_decimals():
    assert parse_money(12) == 1200
    assert parse_money(Decimal("12.34")) == 1234
    with pytest.raises(MoneyError):
        parse_money(Decimal("0.001"))
    with pytest.raises(MoneyError):
        parse_money(True)


@pytest.mark.parametrize(
    ("pence", "text"),
    [
        (0, "£0.00"),
        (1, "£0.01"),
        (123456789, "£1,234,567.89"),
        (-50000, "-£500.00"),
        (-5, "-£0.05"),
    ],
)
def test_format(pence, text):
    assert format_money(pence) == text


def test_format_refuses_floats():
    with pytest.raises(TypeError, match="integer pence"):
        format_money(12.5)  # type: ignore[arg-type]


def test_short_format():
    assert format_money_short(120000000) == "£1.2m"
    assert format_money_short(35012345) == "£350k"
    assert format_money_short(92000) == "£920"
    assert format_money_short(-100000000) == "-£1m"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_then_parse_round_trips(pence):
    assert parse_money(format_money(pence)) == pence
    assert parse_money(format_money(pence, symbol=False)) == pence
    assert parse_money(str(pence_to_decimal(pence))) == pence


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_decimal_text_parses_exactly(value):
    assert parse_money(f"{value:.2f}") == int(value * 100)
