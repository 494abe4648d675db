"""Financial years, quarters and working days.

The financial year runs 1 April to 31 March and is written ``2012/13``.
Quarters: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar, written
``2012/13 Q2``. Working days exclude weekends and the England & Wales bank
holidays (shipped in ``resources/``, written from the well-kept ``holidays``
package, which carries the one-off ones such as jubilees and royal funerals).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

__all__ = [
    "PeriodError",
    "FinancialYear",
    "Quarter",
    "parse_period",
    "parse_date",
    "quarter_of",
    "year_of",
    "working_days_between",
    "add_working_days",
    "is_working_day",
    "bank_holidays",
    "FIRST_HOLIDAY_YEAR",
    "LAST_HOLIDAY_YEAR",
]

BANK_HOLIDAYS_FILE = "bank-holidays-england-wales.csv"
FIRST_HOLIDAY_YEAR = 2010
LAST_HOLIDAY_YEAR = 2035


class PeriodError(ValueError):
    """Text that is not a financial year, quarter or date; the message says why."""


@dataclass(frozen=True, order=True, slots=True)
class FinancialYear:
    """The year that starts on 1 April of ``start_year``."""

    start_year: int

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def quarters(self) -> tuple[Quarter, ...]:
        return tuple(Quarter(self.start_year, q) for q in (1, 2, 3, 4))

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """Quarter ``q`` (1-4) of the financial year starting in ``start_year``."""

    start_year: int
    q: int

    def __post_init__(self) -> None:
        if self.q not in (1, 2, 3, 4):
            raise PeriodError(f"a quarter is Q1 to Q4, not Q{self.q}")

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.q - 1)
        return date(self.start_year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def key(self) -> str:
        """A sortable text key for storage: ``2012Q2``."""
        return f"{self.start_year}Q{self.q}"

    def next(self) -> Quarter:
        return Quarter(self.start_year + (self.q == 4), self.q % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.start_year - (self.q == 1), (self.q - 2) % 4 + 1)

    def plus(self, quarters: int) -> Quarter:
        """The quarter ``quarters`` after this one (before it, when negative)."""
        index = self.start_year * 4 + self.q - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def carries_pipeline(self) -> bool:
        """Pipelines are refreshed every six months: the Q2 and Q4 returns carry them."""
        return self.q in (2, 4)

    def __str__(self) -> str:
        return f"{self.year} Q{self.q}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


_YEAR = r"(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2}|\d{4})"
_QUARTER_AFTER = re.compile(rf"^{_YEAR}\s*,?\s*Q(?P<q>\d)$", re.IGNORECASE)
_QUARTER_BEFORE = re.compile(rf"^Q(?P<q>\d)\s*,?\s*{_YEAR}$", re.IGNORECASE)
_YEAR_ONLY = re.compile(rf"^(?:FY\s*)?{_YEAR}$", re.IGNORECASE)
_KEY = re.compile(r"^(?P<y1>\d{4})Q(?P<q>\d)$", re.IGNORECASE)


def _year_from(match: re.Match[str]) -> FinancialYear:
    y1 = int(match["y1"])
    y2 = match.groupdict().get("y2")
    if y2 is not None:
        expected = (y1 + 1) % (100 if len(y2) == 2 else 10000)
        if int(y2) != expected:
            raise PeriodError(
                f"{match.string!r}: a financial year spans two consecutive years, "
                f"e.g. {y1}/{(y1 + 1) % 100:02d}"
            )
    return FinancialYear(y1)


def parse_period(text: str) -> Quarter | FinancialYear:
    """Read ``2012/13 Q2``, ``Q2 2012/13``, ``2012-13 Q2``, ``2012Q2`` or ``2012/13``."""
    s = str(text).strip()
    for pattern in (_QUARTER_AFTER, _QUARTER_BEFORE, _KEY):
        m = pattern.match(s)
        if m:
            return Quarter(_year_from(m).start_year, int(m["q"]))
    m = _YEAR_ONLY.match(s)
    if m:
        return _year_from(m)
    raise PeriodError(
        f"{text!r} is not a financial year or quarter (write it like 2012/13 or 2012/13 Q2)"
    )


def parse_quarter(text: str) -> Quarter:
    """Like :func:`parse_period` but insists on a quarter."""
    period = parse_period(text)
    if not isinstance(period, Quarter):
        raise PeriodError(f"{text!r} is a whole year; name the quarter, e.g. {period} Q2")
    return period


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(text: str | date) -> date:
    """Read a date as a British officer writes it (``25/12/2012``) or ISO (``2012-12-25``).

    Never guesses: ``12/25/2012`` is refused rather than read as American.
    """
    if isinstance(text, date):
        return text
    s = str(text).strip()
    m = _ISO.match(s)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DMY.match(s)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError as exc:
        raise PeriodError(f"{text!r} is not a real date ({exc})") from None
    if not s:
        raise PeriodError("no date was given")
    raise PeriodError(f"{text!r} is not a date (write it as dd/mm/yyyy or yyyy-mm-dd)")


def year_of(day: date) -> FinancialYear:
    """The financial year a date falls in."""
    return FinancialYear(day.year if day.month >= 4 else day.year - 1)


def quarter_of(day: date) -> Quarter:
    """The quarter a date falls in: 2013-01-15 is 2012/13 Q4."""
    fy = year_of(day)
    return Quarter(fy.start_year, ((day.month - 4) % 12) // 3 + 1)


@cache
def bank_holidays() -> tuple[date, ...]:
    """England & Wales bank holidays on weekdays from 2010 to 2035, sorted.

    Read from ``resources/bank-holidays-england-wales.csv``, which
    ``scripts/build_reference_data.py`` writes from the ``holidays`` package
    (a weekend holiday is a non-working day anyway; its substitute weekday is
    listed). Shipped as data: importing the package loads every country it
    knows, a tenth of a second on the first return built.
    """
    from lga_desktop.resources import resource

    with resource(BANK_HOLIDAYS_FILE).open(encoding="utf-8") as f:
        next(f)  # the header: date,name
        return tuple(sorted(date.fromisoformat(line[:10]) for line in f if line.strip()))


def _check_range(day: date) -> None:
    if not FIRST_HOLIDAY_YEAR <= day.year <= LAST_HOLIDAY_YEAR:
        raise PeriodError(
            f"{day:%d/%m/%Y} is outside {FIRST_HOLIDAY_YEAR}-{LAST_HOLIDAY_YEAR}, "
            "the years whose bank holidays are known"
        )


def is_working_day(day: date) -> bool:
    _check_range(day)
    if day.weekday() >= 5:
        return False
    hols = bank_holidays()
    i = bisect.bisect_left(hols, day)
    return not (i < len(hols) and hols[i] == day)


def _weekdays_up_to(day: date) -> int:
    """Weekdays from a fixed Monday up to and including ``day``."""
    days = (day - date(2000, 1, 3)).days  # a Monday
    weeks, rest = divmod(days + 1, 7)
    return weeks * 5 + min(rest, 5)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``.

    This is how the 120-working-day commitment is counted from the OJEU
    notice to the contract award: the notice day itself is day 0. Negative
    when ``end`` is before ``start``.
    """
    _check_range(start)
    _check_range(end)
    if end < start:
        return -working_days_between(end, start)
    hols = bank_holidays()
    weekday_holidays = bisect.bisect_right(hols, end) - bisect.bisect_right(hols, start)
    # bank holidays never fall on weekends (substitute days are the weekday)
    return _weekdays_up_to(end) - _weekdays_up_to(start) - weekday_holidays


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start``."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
