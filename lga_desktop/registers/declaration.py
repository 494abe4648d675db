"""A register, declared: its fields, its parent, its rules.

Everything else follows from a :class:`Register`: the store (create, update,
delete with audit), the XLSX/CSV layout and importer, the window's table,
editor and page. A new register is a declaration plus its own derived figures.

Two kinds of rule produce :class:`~lga_desktop.validation.Finding` values:

* ``checks`` look at one record (``match funding below the LGA investment``).
  The editor runs them as the officer types, so the reason shows beside the
  field before anything is saved.
* ``rules`` look across records (``days logged beyond those agreed``). They
  run against the workspace.

Neither stops a record being saved: errors block a return and warnings need a
note. What stops a save is a value that does not fit its field at all
(:class:`~lga_desktop.registers.fields.FieldError`) or a missing required one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from lga_desktop.periods import Quarter
from lga_desktop.registers.fields import FieldType, Link, Reference
from lga_desktop.validation import Finding, Severity

if TYPE_CHECKING:
    from lga_desktop.workspace import Workspace

__all__ = ["Field", "Register", "Record", "Check", "error", "warning"]


@dataclass(frozen=True)
class Field:
    """One column of a register."""

    name: str  # the column in the table and the key in a record
    label: str  # for people: headers, the editor, files
    type: FieldType
    required: bool = False
    help: str = ""  # a sentence shown under the editor and as a tooltip
    default: Any = None
    total: bool = False  # summed in the totals row
    in_table: bool = True  # shown as a column of the page's table
    width: int = 0  # a hint for the table column, in characters
    heading: str = ""  # a shorter column heading for the table, where the label is long

    @property
    def column_label(self) -> str:
        return self.heading or self.label

    def __post_init__(self) -> None:
        if self.total and not self.type.summable:
            raise ValueError(f"field {self.name}: only money and quantities can be totalled")


@dataclass(frozen=True)
class Check:
    """What a check says about one record: severity, field at fault, code, message."""

    severity: Severity
    field: str | None
    code: str
    message: str


def error(code: str, field: str | None, message: str) -> Check:
    return Check(Severity.ERROR, field, code, message)


def warning(code: str, field: str | None, message: str) -> Check:
    return Check(Severity.WARNING, field, code, message)


@dataclass(frozen=True, eq=False)
class Record:
    """One row of a register, with typed values (pence, ``Decimal``, ``date``, ``Quarter``)."""

    register: Register
    id: int | None
    ref: str
    values: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    @property
    def parent_id(self) -> int | None:
        if self.register.parent is None:
            return None
        link = self.values.get(self.register.parent)
        return link.id if isinstance(link, Link) else None

    @property
    def label(self) -> str:
        """What names the record for people: its ref and its title fields."""
        name = " · ".join(
            self.register.field(f).type.display(self.values.get(f))
            for f in self.register.label_fields
            if self.values.get(f) is not None
        )
        return f"{self.ref} {name}".strip()

    @property
    def name(self) -> str:
        """The title fields alone (a link's label)."""
        return " · ".join(
            self.register.field(f).type.display(self.values.get(f))
            for f in self.register.label_fields
            if self.values.get(f) is not None
        )

    def display(self, name: str) -> str:
        return self.register.field(name).type.display(self.values.get(name))

    def link(self) -> Link:
        return Link(self.id, self.ref, self.name)

    def __repr__(self) -> str:
        return f"<{self.register.key} {self.ref} #{self.id}>"


def after(value: Any, quarter: Quarter) -> bool:
    """True when a quarter or date falls after ``quarter`` (so a return leaves it out)."""
    if isinstance(value, Quarter):
        return value > quarter
    if isinstance(value, date):
        return value > quarter.end
    return False


RecordCheck = Callable[[Record], Iterable[Check]]
# a rule looks across records; with a quarter, at the records as they stood at its end
RegisterRule = Callable[["Workspace", "Quarter | None"], Iterable[Finding]]


@dataclass(frozen=True, eq=False)
class Register:
    """The declaration of a register.

    ``parent`` names the :class:`Reference` field that ties each record to its
    parent record (a day log line to its engagement); the page shows such a
    register as a detail table under the selected parent. ``unique`` lists
    field groups that may not repeat, with the sentence to say when they do.
    ``period`` names the quarter or date field that places a record in time,
    so a quarter's return leaves out what comes after it. ``events`` name the
    date fields that record something happening later in a record's life (a
    contract award): as at an earlier date they had not happened, so
    :meth:`as_at` leaves them blank.
    """

    key: str  # "experts", "experts.days": stable, used in files and the audit trail
    title: str  # "Day log"
    item: str  # one record, for messages: "day log line"
    table: str  # the SQL table
    ref_prefix: str  # "DAY": refs are DAY-0001, DAY-0002 ...
    fields: tuple[Field, ...]
    feature: str  # the feature key its changes notify and its findings carry
    parent: str | None = None
    label_fields: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()  # default order of lists; "-name" for descending
    unique: tuple[tuple[tuple[str, ...], str], ...] = ()
    period: str | None = None
    events: tuple[str, ...] = ()
    # choice fields whose options depend on the record's other values (the procedures of
    # the rules in force on the notice date): field -> values -> (key, label) options
    options_from: Mapping[str, Callable[[Mapping[str, Any]], tuple[tuple[str, str], ...]]] = field(
        default_factory=dict
    )
    filter_field: str | None = None  # a choice field the page offers as a filter
    checks: tuple[RecordCheck, ...] = ()
    rules: tuple[RegisterRule, ...] = ()
    description: str = ""  # a sentence for the page and the file's notes sheet
    ref_digits: int = 3
    _by_name: dict[str, Field] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"register {self.key}: a field name is repeated")
        if {"id", "ref"} & set(names):
            raise ValueError(f"register {self.key}: 'id' and 'ref' are kept by the machinery")
        self._by_name.update({f.name: f for f in self.fields})
        for name in (self.parent, self.period, self.filter_field, *self.label_fields, *self.events):
            if name is not None and name not in self._by_name:
                raise ValueError(f"register {self.key}: no field {name!r}")
        if self.parent is not None:
            parent = self._by_name[self.parent]
            if not isinstance(parent.type, Reference) or not parent.required:
                raise ValueError(f"register {self.key}: the parent must be a required reference")

    def field(self, name: str) -> Field:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"register {self.key} has no field {name!r}") from None

    def has_field(self, name: str) -> bool:
        return name in self._by_name

    @property
    def parent_register(self) -> str | None:
        if self.parent is None:
            return None
        ref_type = self.field(self.parent).type
        assert isinstance(ref_type, Reference)
        return ref_type.register

    @property
    def links(self) -> tuple[Field, ...]:
        """Reference fields, the parent link included."""
        return tuple(f for f in self.fields if isinstance(f.type, Reference))

    @property
    def table_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.in_table)

    def as_at(self, record: Record, quarter: Quarter | None) -> Record | None:
        """The record as it stood at ``quarter``'s end: None if it came later.

        A record whose ``period`` falls after the quarter did not exist yet;
        an ``events`` date after the quarter had not happened yet (blank).
        """
        if quarter is None:
            return record
        if after(record.values.get(self.period) if self.period else None, quarter):
            return None
        later = [e for e in self.events if after(record.values.get(e), quarter)]
        if not later:
            return record
        values = {**record.values, **dict.fromkeys(later)}
        return Record(record.register, record.id, record.ref, values)

    def findings(self, record: Record) -> list[Finding]:
        """What this register's checks say about one record (saved or not)."""
        found = []
        for check in self.checks:
            for c in check(record):
                message = f"{record.ref}: {c.message}" if record.ref else c.message
                found.append(
                    Finding(c.severity, self.feature, c.code, message, record.ref or None, c.field)
                )
        return found

    def with_ref(self, ref: str, message: str) -> str:
        """A message that names the record: ``EXP-003: ...``."""
        return f"{ref}: {message}" if ref else message
