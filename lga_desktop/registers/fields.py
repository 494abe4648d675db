"""Field types: what a register's column holds and how it travels.

A field type knows, for one kind of value, everything the machinery needs:
how a person or a file writes it (``parse``), how the database stores it
(``to_db`` / ``from_db``), how it is shown (``display``), written to CSV
(``to_text``) and to an XLSX cell (``to_cell``), read back from a cell
(``from_cell``), sorted and put into a return (``to_json``). The UI picks an
editor by the type's class. Values are exact: money is integer pence,
quantities are ``Decimal`` stored as scaled integers, never ``float``.

Every type treats ``None`` as "no value"; whether a value is required is the
:class:`~lga_desktop.registers.declaration.Field`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from lga_desktop.errors import LgaError
from lga_desktop.money import (
    MoneyError,
    decimal_to_pence,
    format_money,
    parse_money,
    pence_to_decimal,
)
from lga_desktop.periods import (
    FinancialYear,
    PeriodError,
    Quarter,
    parse_date,
    parse_period,
    parse_quarter,
)
from lga_desktop.workbook import MONEY_FORMAT

__all__ = [
    "FieldError",
    "FieldType",
    "Text",
    "LongText",
    "Money",
    "Quantity",
    "Date",
    "Choice",
    "MultiChoice",
    "QuarterType",
    "YearType",
    "YesNo",
    "Reference",
    "Link",
]


class FieldError(LgaError):
    """A value that does not fit its field; the message says why, in a sentence."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_SPREADSHEET_DIGITS = Context(prec=15)


def _exact_decimal(value: float) -> Decimal:
    """A spreadsheet number as the decimal a person typed.

    ``repr`` is the shortest text that reads back as the same float; spreadsheets
    keep 15 significant digits, so a sum such as 0.1 + 0.2 stored as
    0.30000000000000004 is read as the 0.3 the sheet shows.
    """
    return _SPREADSHEET_DIGITS.create_decimal(repr(value)).normalize(_SPREADSHEET_DIGITS)


class FieldType:
    """Base of every field type. Subclasses override what differs."""

    sql_type = "TEXT"
    numeric = False  # right-aligned, and can be totalled
    summable = False
    cell_format: str | None = None  # XLSX number format
    example = ""  # how to write a value, for messages and the import help

    # -- from people and files ------------------------------------------------
    def parse(self, text: str) -> Any:
        """Read text a person typed or a CSV held; ``None`` for blank."""
        raise NotImplementedError

    def coerce(self, value: Any) -> Any:
        """A typed value passes through (checked); text is parsed."""
        if _blank(value):
            return None
        if isinstance(value, str):
            return self.parse(value)
        return self.accept(value)

    def accept(self, value: Any) -> Any:
        """Check a value that is already of a Python type; return it normalised."""
        raise FieldError(f"{value!r} is not {self.example or 'a value this field holds'}")

    def check(self, value: Any) -> None:
        """Range and step rules of this type; raise :class:`FieldError`."""

    def from_cell(self, value: Any) -> Any:
        """Read an XLSX cell's value (openpyxl gives str, int, float, datetime)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int | float | Decimal | datetime | date) and not isinstance(
            value, bool
        ):
            return self.coerce(str(value) if not isinstance(value, date) else value)
        return self.coerce(value)

    # -- to storage, people and files -----------------------------------------
    def to_db(self, value: Any) -> Any:
        return value

    def from_db(self, raw: Any) -> Any:
        return raw

    def display(self, value: Any) -> str:
        return "" if value is None else str(value)

    def to_text(self, value: Any) -> str:
        """Canonical text: ``parse(to_text(v)) == v`` for every value."""
        return self.display(value)

    def to_cell(self, value: Any) -> Any:
        return None if value is None else self.to_text(value)

    def to_json(self, value: Any) -> Any:
        return None if value is None else self.to_text(value)

    def sort_key(self, value: Any) -> Any:
        return value


# ---- text -------------------------------------------------------------------


@dataclass(frozen=True)
class Text(FieldType):
    max_length: int = 200
    example = "text"

    def parse(self, text: str) -> str | None:
        s = " ".join(str(text).split())
        if not s:
            return None
        if len(s) > self.max_length:
            raise FieldError(f"is {len(s)} characters long; at most {self.max_length} fit")
        return s

    def accept(self, value: Any) -> str | None:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return self.parse(str(value))
        return super().accept(value)

    def from_cell(self, value: Any) -> Any:
        if isinstance(value, float):
            return self.parse(repr(value) if not value.is_integer() else str(int(value)))
        if isinstance(value, datetime | date):
            return self.parse(f"{value:%d/%m/%Y}")
        return self.coerce(value)

    def sort_key(self, value: Any) -> Any:
        return (value or "").casefold()


@dataclass(frozen=True)
class LongText(Text):
    """Several lines: notes, summaries, evidence. Line breaks are kept."""

    max_length: int = 4000

    def parse(self, text: str) -> str | None:
        lines = [line.rstrip() for line in str(text).replace("\r\n", "\n").split("\n")]
        s = "\n".join(lines).strip()
        if not s:
            return None
        if len(s) > self.max_length:
            raise FieldError(f"is {len(s)} characters long; at most {self.max_length} fit")
        return s


# ---- money and quantities -----------------------------------------------------


@dataclass(frozen=True)
class Money(FieldType):
    """Integer pence. ``min``/``max`` are pence."""

    min: int | None = 0
    max: int | None = None
    sql_type = "INTEGER"
    numeric = True
    summable = True
    cell_format = MONEY_FORMAT
    example = "an amount such as £1,200 or 1.2m"

    def parse(self, text: str) -> int | None:
        if _blank(text):
            return None
        try:
            return parse_money(text)
        except MoneyError as exc:
            raise FieldError(str(exc)) from None

    def accept(self, value: Any) -> int:
        if isinstance(value, bool):
            return super().accept(value)
        if isinstance(value, int):
            return value  # already pence
        if isinstance(value, Decimal):
            return self._pence(value)
        return super().accept(value)

    def _pence(self, value: Decimal) -> int:
        try:
            return decimal_to_pence(value)
        except MoneyError:
            raise FieldError(
                f"{value:f} has more than two decimal places: is it pounds and pence?"
            ) from None

    def from_cell(self, value: Any) -> int | None:
        if isinstance(value, bool):
            return super().accept(value)
        if isinstance(value, int):
            return value * 100  # a cell holds pounds
        if isinstance(value, float):
            return self._pence(_exact_decimal(value))
        if isinstance(value, Decimal):
            return self._pence(value)
        return self.coerce(value)

    def check(self, value: int) -> None:
        if self.min is not None and value < self.min:
            if self.min == 0:
                raise FieldError(f"{format_money(value)} is negative; enter the amount as positive")
            raise FieldError(
                f"{format_money(value)} is below the least allowed, {format_money(self.min)}"
            )
        if self.max is not None and value > self.max:
            raise FieldError(
                f"{format_money(value)} is above the most allowed, {format_money(self.max)}"
            )

    def display(self, value: int | None) -> str:
        return "" if value is None else format_money(value)

    def to_text(self, value: int | None) -> str:
        return "" if value is None else str(pence_to_decimal(value))

    def to_cell(self, value: int | None) -> Decimal | None:
        return None if value is None else pence_to_decimal(value)

    def to_json(self, value: int | None) -> int | None:
        return value  # pence, as every return carries money


_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


@dataclass(frozen=True)
class Quantity(FieldType):
    """An exact quantity (FTE, m², tonnes, days) held as ``Decimal`` with ``places`` decimals.

    Stored as an integer count of the smallest unit (tenths for ``places=1``),
    so sums are exact in SQL too. ``step`` (e.g. ``Decimal("0.5")`` for half
    days) restricts the values allowed.
    """

    places: int = 1
    unit: str = ""
    min: Decimal | None = Decimal(0)
    max: Decimal | None = None
    step: Decimal | None = None
    step_words: str = ""  # how to say the step in a message: "whole or half days"
    sql_type = "INTEGER"
    numeric = True
    summable = True

    @property
    def scale(self) -> int:
        return 10**self.places

    @property
    def cell_format(self) -> str:  # type: ignore[override]
        return "#,##0" + ("." + "0" * self.places if self.places else "")

    @property
    def example(self) -> str:  # type: ignore[override]
        return "a number such as " + ("12.5" if self.places else "12")

    def parse(self, text: str) -> Decimal | None:
        s = str(text).strip()
        if self.unit and s.lower().endswith(self.unit.lower()):
            s = s[: -len(self.unit)].strip()
        if not s:
            return None
        if not _NUMBER_TEXT.match(s) or s in {"+", "-", "."}:
            raise FieldError(f"{text!r} is not a number (write it like 1,250.5)")
        return self.accept(Decimal(s.replace(",", "")))

    def accept(self, value: Any) -> Decimal:
        if isinstance(value, bool):
            return super().accept(value)
        if isinstance(value, float):
            value = _exact_decimal(value)
        if isinstance(value, int):
            value = Decimal(value)
        if not isinstance(value, Decimal):
            return super().accept(value)
        if not value.is_finite():
            raise FieldError(f"{value} is not a number")
        quantum = Decimal(1).scaleb(-self.places)
        try:
            exact = value.quantize(quantum)
        except InvalidOperation:
            raise FieldError(f"{value} is too large") from None
        if exact != value:
            places = (
                "whole numbers"
                if not self.places
                else f"{self.places} decimal place" + ("s" if self.places > 1 else "")
            )
            raise FieldError(f"{value} has more detail than is kept here ({places})")
        return exact

    def from_cell(self, value: Any) -> Decimal | None:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return self.accept(value)
        return self.coerce(value)

    def check(self, value: Decimal) -> None:
        unit = f" {self.unit}" if self.unit else ""
        if self.min is not None and value < self.min:
            if self.min == 0:
                raise FieldError(f"{value}{unit} is negative")
            raise FieldError(f"{value}{unit} is less than the least allowed, {self.min}{unit}")
        if self.max is not None and value > self.max:
            raise FieldError(f"{value}{unit} is more than the most allowed, {self.max}{unit}")
        if self.step is not None and (value / self.step) % 1 != 0:
            raise FieldError(
                f"{value}{unit} is not allowed: use {self.step_words or f'steps of {self.step}'}"
            )

    def to_db(self, value: Decimal | None) -> int | None:
        return None if value is None else int(value * self.scale)

    def from_db(self, raw: int | None) -> Decimal | None:
        if raw is None:
            return None
        return (Decimal(raw) / self.scale).quantize(Decimal(1).scaleb(-self.places))

    def display(self, value: Decimal | None) -> str:
        return "" if value is None else f"{value:,.{self.places}f}"

    def to_text(self, value: Decimal | None) -> str:
        return "" if value is None else f"{value:.{self.places}f}"

    def to_cell(self, value: Decimal | None) -> Decimal | int | None:
        if value is None:
            return None
        return int(value) if not self.places else value


# ---- time -------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Date(FieldType):
    """A calendar date; stored as ISO text so it sorts and reads the same everywhere."""

    cell_format = "dd/mm/yyyy"
    example = "a date such as 25/12/2012"

    def parse(self, text: str) -> date | None:
        if _blank(text):
            return None
        try:
            return self.accept(parse_date(text))
        except PeriodError as exc:
            raise FieldError(str(exc)) from None

    def accept(self, value: Any) -> date:
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            return super().accept(value)
        if not 2000 <= value.year <= 2100:
            raise FieldError(f"{value:%d/%m/%Y} is not a date the programme could cover")
        return value

    def from_cell(self, value: Any) -> date | None:
        if isinstance(value, int | float) and not isinstance(value, bool) and 30000 < value < 80000:
            return self.accept(_EXCEL_EPOCH + timedelta(days=int(value)))  # an Excel serial day
        if isinstance(value, date):
            return self.accept(value)
        return self.coerce(value)

    def to_db(self, value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    def from_db(self, raw: str | None) -> date | None:
        return None if raw is None else date.fromisoformat(raw)

    def display(self, value: date | None) -> str:
        return "" if value is None else f"{value:%d/%m/%Y}"

    def to_text(self, value: date | None) -> str:
        return "" if value is None else value.isoformat()

    def to_cell(self, value: date | None) -> date | None:
        return value


@dataclass(frozen=True)
class QuarterType(FieldType):
    """A financial-year quarter, stored as its sortable key (``2012Q2``)."""

    example = "a quarter such as 2012/13 Q2"

    def parse(self, text: str) -> Quarter | None:
        if _blank(text):
            return None
        try:
            quarter = parse_quarter(text)
        except PeriodError as exc:
            raise FieldError(str(exc)) from None
        return self.accept(quarter)

    def accept(self, value: Any) -> Quarter:
        if not isinstance(value, Quarter):
            return super().accept(value)
        if not 2000 <= value.start_year <= 2100:
            raise FieldError(f"{value} is not a quarter the programme could cover")
        return value

    def to_db(self, value: Quarter | None) -> str | None:
        return None if value is None else value.key

    def from_db(self, raw: str | None) -> Quarter | None:
        return None if raw is None else Quarter(int(raw[:4]), int(raw[5]))

    def to_json(self, value: Quarter | None) -> str | None:
        return None if value is None else value.key


@dataclass(frozen=True)
class YearType(FieldType):
    """A financial year, stored as the calendar year it starts in."""

    sql_type = "INTEGER"
    example = "a financial year such as 2012/13"

    def parse(self, text: str) -> FinancialYear | None:
        if _blank(text):
            return None
        try:
            period = parse_period(text)
        except PeriodError as exc:
            raise FieldError(str(exc)) from None
        if not isinstance(period, FinancialYear):
            raise FieldError(f"{text!r} is a quarter; name the whole year, e.g. {period.year}")
        return self.accept(period)

    def accept(self, value: Any) -> FinancialYear:
        if not isinstance(value, FinancialYear):
            return super().accept(value)
        if not 2000 <= value.start_year <= 2100:
            raise FieldError(f"{value} is not a year the programme could cover")
        return value

    def to_db(self, value: FinancialYear | None) -> int | None:
        return None if value is None else value.start_year

    def from_db(self, raw: int | None) -> FinancialYear | None:
        return None if raw is None else FinancialYear(int(raw))


# ---- choices ------------------------------------------------------------------


def norm_words(text: str) -> str:
    """Text compared loosely: case, &, punctuation and spacing ignored."""
    s = str(text).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[-_/,.()']", " ", s).split())


@dataclass(frozen=True)
class Choice(FieldType):
    """One of a fixed list. Stored as the option's key; shown as its label."""

    options: tuple[tuple[str, str], ...] = ()  # (key, label)

    @property
    def example(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(label for _key, label in self.options)

    def label(self, key: str | None) -> str:
        return dict(self.options).get(key, key or "") if key else ""

    def parse(self, text: str) -> str | None:
        if _blank(text):
            return None
        wanted = norm_words(text)
        for key, label in self.options:
            if wanted in (norm_words(key), norm_words(label)):
                return key
        raise FieldError(f"{str(text).strip()!r} is not {self.example}")

    def accept(self, value: Any) -> str:
        return super().accept(value)

    def display(self, value: str | None) -> str:
        return self.label(value)

    def to_json(self, value: str | None) -> str | None:
        return value

    def sort_key(self, value: str | None) -> Any:
        keys = [k for k, _ in self.options]
        return keys.index(value) if value in keys else len(keys)


@dataclass(frozen=True)
class MultiChoice(Choice):
    """Any number of a fixed list, kept in the list's order; stored as ``key|key``."""

    def parse(self, text: str) -> tuple[str, ...] | None:
        if _blank(text):
            return None
        parts = [p for p in re.split(r"[;|\n]", str(text)) if p.strip()]
        return self.accept(tuple(Choice.parse(self, p) for p in parts))

    def accept(self, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list | tuple | set | frozenset):
            return super().accept(value)
        keys = [k for k, _ in self.options]
        unknown = [v for v in value if v not in keys]
        if unknown:
            raise FieldError(f"{unknown[0]!r} is not {self.example}")
        chosen = tuple(k for k in keys if k in set(value))
        return chosen or None

    def to_db(self, value: tuple[str, ...] | None) -> str | None:
        return None if not value else "|".join(value)

    def from_db(self, raw: str | None) -> tuple[str, ...] | None:
        return None if not raw else tuple(raw.split("|"))

    def display(self, value: tuple[str, ...] | None) -> str:
        return "; ".join(self.label(k) for k in value or ())

    def to_json(self, value: tuple[str, ...] | None) -> list[str] | None:
        return None if value is None else list(value)

    def sort_key(self, value: tuple[str, ...] | None) -> Any:
        return self.display(value).casefold()


@dataclass(frozen=True)
class YesNo(FieldType):
    sql_type = "INTEGER"
    example = "Yes or No"

    def parse(self, text: str) -> bool | None:
        if _blank(text):
            return None
        s = str(text).strip().casefold()
        if s in {"yes", "y", "true", "1"}:
            return True
        if s in {"no", "n", "false", "0"}:
            return False
        raise FieldError(f"{text!r} is not Yes or No")

    def accept(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        return super().accept(value)

    def from_cell(self, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        return self.coerce(str(value) if isinstance(value, int | float) else value)

    def to_db(self, value: bool | None) -> int | None:
        return None if value is None else int(value)

    def from_db(self, raw: int | None) -> bool | None:
        return None if raw is None else bool(raw)

    def display(self, value: bool | None) -> str:
        return "" if value is None else ("Yes" if value else "No")

    def to_json(self, value: bool | None) -> bool | None:
        return value


# ---- links between records ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """A reference to another record: its id in the workspace, its ref and its name.

    A link read from a file has only the ref (``id is None``) until the store
    resolves it against the workspace.
    """

    id: int | None
    ref: str
    label: str = ""

    def __str__(self) -> str:
        return f"{self.ref} {self.label}".strip()


@dataclass(frozen=True)
class Reference(FieldType):
    """A link to a record of another register, written in files as that record's ref."""

    register: str = ""  # the key of the register linked to
    on_delete: str = "CASCADE"  # or "SET NULL" for an optional link
    sql_type = "INTEGER"
    example = "the reference of a record, such as EXP-003"

    def parse(self, text: str) -> Link | None:
        if _blank(text):
            return None
        ref = str(text).strip().split()[0].upper()
        return Link(None, ref)

    def accept(self, value: Any) -> Link:
        if isinstance(value, Link):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Link(value, "")
        return super().accept(value)

    def to_db(self, value: Link | None) -> int | None:
        return None if value is None else value.id

    def display(self, value: Link | None) -> str:
        return "" if value is None else str(value)

    def to_text(self, value: Link | None) -> str:
        return "" if value is None else value.ref

    def sort_key(self, value: Link | None) -> Any:
        return "" if value is None else value.ref
