"""Register 4: realised savings (paper Summary and App. 1).

A savings line belongs to a workstream and has a target annual saving from a
start quarter; what it actually saved is recorded quarter by quarter with the
evidence. The LGA adds these up across councils into the figure it reports to
the Board (the paper's "£90m").

Targets by quarter: a recurring line is expected to save its annual target
every year from its start for as many years as it recurs (its end; a line
with no end is warned about), a quarter at a time; the four quarters of a
year share the annual target exactly (£1,000.01 splits 250.00, 250.00,
250.00, 250.01), so a year's quarters always add up to the year's target. A
one-off line is expected to save its whole target in its start quarter.

Cashable and non-cashable, revenue and capital are never added into one
unlabelled total (:func:`by_basis`); each line's *in-year* effect (what is
due in the financial year's quarters) is reported beside its *full-year*
effect (a whole year of it), so a cumulative total counts each year once.

Rules: a realised amount with no evidence note is a warning; one dated before
its line starts is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lga_desktop.features import Feature
from lga_desktop.money import format_money
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers.declaration import Check, Field, Record, Register, warning
from lga_desktop.registers.family import (
    counted_tables,
    last_quarter,
    quarters_of,
    records_json,
    validate_family,
)
from lga_desktop.registers.fields import (
    Choice,
    LongText,
    Money,
    Quantity,
    QuarterType,
    Reference,
    Text,
)
from lga_desktop.registers.store import Links, list_records
from lga_desktop.validation import Finding, Severity
from lga_desktop.workspace import Workspace

KEY = "savings"

WORKSTREAMS = (
    ("cap", "Capital and assets (CAP)"),
    ("category", "Category management"),
    ("expert", "Productivity experts"),
    ("social_care", "Adult social care efficiency"),
    ("waste", "Waste"),
    ("shared", "Shared services"),
    ("troubled", "Troubled families"),
    ("childrens", "Children's commissioning"),
    ("other", "Other"),
)
WORKSTREAM_LABELS = dict(WORKSTREAMS)


def _line_checks(rec: Record) -> Iterator[Check]:
    if rec.get("recurrence") == "recurring" and not rec.get("years"):
        yield warning(
            "savings.recurring_no_end",
            "years",
            "a recurring saving needs an end: say for how many years it recurs, or its "
            "target counts again every year for ever",
        )
    baseline, target = rec.get("baseline"), rec.get("target")
    if baseline is not None and target is not None and target > baseline:
        yield warning(
            "savings.target_above_baseline",
            "target",
            f"the target of {format_money(target)} is more than the baseline spend of "
            f"{format_money(baseline)}",
        )


def _realised_checks(rec: Record) -> Iterator[Check]:
    if rec.get("amount") and not rec.get("evidence"):
        yield warning(
            "savings.no_evidence",
            "evidence",
            "a realised saving has no evidence note; say where the figure comes from",
        )


def _before_start_rule(ws: Workspace, as_at: Quarter | None) -> Iterator[Finding]:
    links = Links(ws)
    lines = {s.id: s for s in list_records(ws, LINES, links=links)}
    for row in list_records(ws, REALISED, links=links, as_at=as_at):
        line = lines.get(row.parent_id)
        if line and line.get("start") and row.get("quarter") and row["quarter"] < line["start"]:
            yield Finding(
                Severity.ERROR,
                KEY,
                "savings.realised_before_start",
                f"{row.ref}: a saving is realised in {row['quarter']}, before {line.ref} starts "
                f"in {line['start']}",
                row.ref,
                "quarter",
            )


LINES = Register(
    key=KEY,
    title="Savings lines",
    item="savings line",
    table="savings_lines",
    ref_prefix="SAV",
    feature=KEY,
    description="Each saving the council is pursuing, its workstream and its target.",
    fields=(
        Field("workstream", "Workstream", Choice(options=WORKSTREAMS), required=True),
        Field("title", "Title", Text(), required=True, width=32),
        Field(
            "cashable",
            "Cashable",
            Choice(options=(("cashable", "Cashable"), ("non_cashable", "Non-cashable"))),
            required=True,
            default="cashable",
        ),
        Field(
            "kind",
            "Revenue or capital",
            Choice(options=(("revenue", "Revenue"), ("capital", "Capital"))),
            required=True,
            default="revenue",
        ),
        Field(
            "recurrence",
            "Recurring",
            Choice(options=(("recurring", "Recurring"), ("one_off", "One-off"))),
            required=True,
            default="recurring",
        ),
        Field(
            "baseline",
            "Baseline (a year)",
            Money(),
            total=True,
            help="What the service cost a year before the saving.",
        ),
        Field(
            "target",
            "Target saving",
            Money(),
            required=True,
            total=True,
            help="A year's saving for a recurring line; the whole saving for a one-off.",
        ),
        Field(
            "start",
            "Starts",
            QuarterType(),
            required=True,
            help="The first quarter the saving is expected in.",
        ),
        Field(
            "engagement",
            "Expert engagement",
            Reference(register="experts", on_delete="SET NULL"),
            help="The productivity expert engagement that unlocked it, if any.",
        ),
        Field("notes", "Notes", LongText(), in_table=False),
        Field(
            "years",
            "Recurs for (years)",
            Quantity(places=0, unit="years", min=Decimal(1), max=Decimal(50)),
            help="How many years a recurring saving lasts from its start (its end); "
            "leave blank for a one-off.",
        ),
    ),
    label_fields=("title",),
    order_by=("workstream", "title"),
    period="start",
    filter_field="workstream",
    checks=(_line_checks,),
)

REALISED = Register(
    key="savings.realised",
    title="Realised by quarter",
    item="realised saving",
    table="savings_realised",
    ref_prefix="RLS",
    ref_digits=4,
    feature=KEY,
    parent="saving",
    period="quarter",
    description="What each line actually saved, quarter by quarter, with the evidence.",
    fields=(
        Field("saving", "Savings line", Reference(register=KEY), required=True, in_table=False),
        Field("quarter", "Quarter", QuarterType(), required=True),
        Field("amount", "Realised", Money(), required=True, total=True),
        Field(
            "evidence",
            "Evidence",
            LongText(),
            width=48,
            help="Where the figure comes from: a budget report, an invoice, a contract variation.",
        ),
    ),
    label_fields=("quarter",),
    order_by=("quarter",),
    unique=((("saving", "quarter"), "this line already has a realised amount for that quarter"),),
    checks=(_realised_checks,),
    rules=(_before_start_rule,),
)

REGISTERS = (LINES, REALISED)


# ---- derived figures -------------------------------------------------------------------


def last_quarter_of(line: Record) -> Quarter | None:
    """The last quarter a recurring line saves in (None: no end given, or a one-off)."""
    start, years = line.get("start"), line.get("years")
    if start is None or not years or line.get("recurrence") == "one_off":
        return None
    return start.plus(int(years) * 4 - 1)


def quarter_target(line: Record, quarter: Quarter) -> int:
    """The pence a line is expected to save in one quarter."""
    start, target = line.get("start"), line.get("target", 0)
    if start is None or quarter < start:
        return 0
    if line.get("recurrence") == "one_off":
        return target if quarter == start else 0
    last = last_quarter_of(line)
    if last is not None and quarter > last:
        return 0
    i = quarter.q - 1  # the year's target shared exactly over its four quarters
    return target * (i + 1) // 4 - target * i // 4


def _quarters_between(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    q = first
    while q <= last:
        yield q
        q = q.next()


def target_over(line: Record, quarters: Iterable[Quarter]) -> int:
    return sum(quarter_target(line, q) for q in quarters)


def target_to(line: Record, end: Quarter) -> int:
    """What a line was expected to save from its start up to the end of ``end``."""
    start = line.get("start")
    return 0 if start is None else target_over(line, _quarters_between(start, end))


@dataclass(frozen=True)
class Against:
    """Realised against target, in pence."""

    target: int
    realised: int

    @property
    def percent(self) -> Decimal | None:
        return Decimal(self.realised) * 100 / self.target if self.target else None

    @property
    def shortfall(self) -> int:
        return self.target - self.realised

    def __add__(self, other: Against) -> Against:
        return Against(self.target + other.target, self.realised + other.realised)

    def to_json(self) -> dict[str, int]:
        return {"target_pence": self.target, "realised_pence": self.realised}


ZERO = Against(0, 0)


@dataclass(frozen=True)
class SavingsRow:
    """One workstream (or quarter) for a period, and cumulatively to the period's end."""

    key: str
    label: str
    period: Against
    to_date: Against

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "period": self.period.to_json(), "to_date": self.to_date.to_json()}


def _load(
    ws: Workspace, as_at: Quarter | None = None
) -> tuple[list[Record], dict[int, list[Record]]]:
    links = Links(ws)
    lines = list_records(ws, LINES, links=links, as_at=as_at)
    realised: dict[int, list[Record]] = {}
    for r in list_records(ws, REALISED, links=links, as_at=as_at):
        realised.setdefault(r.parent_id, []).append(r)
    return lines, realised


def _line_against(
    line: Record, realised: list[Record], quarters: set[Quarter], end: Quarter
) -> tuple[Against, Against]:
    period = Against(
        target_over(line, quarters),
        sum(r["amount"] for r in realised if r["quarter"] in quarters),
    )
    to_date = Against(
        target_to(line, end), sum(r["amount"] for r in realised if r["quarter"] <= end)
    )
    return period, to_date


def by_workstream(ws: Workspace, period: Quarter | FinancialYear) -> list[SavingsRow]:
    """Realised against target per workstream, for a quarter or year and to date.

    Only workstreams with at least one line appear, in the declared order.
    """
    quarters, end = set(quarters_of(period)), last_quarter(period)
    lines, realised = _load(ws, end)
    sums: dict[str, tuple[Against, Against]] = {}
    for line in lines:
        p, t = _line_against(line, realised.get(line.id, []), quarters, end)
        old = sums.get(line["workstream"], (ZERO, ZERO))
        sums[line["workstream"]] = (old[0] + p, old[1] + t)
    return [SavingsRow(key, label, *sums[key]) for key, label in WORKSTREAMS if key in sums]


def programme_total(ws: Workspace, period: Quarter | FinancialYear) -> SavingsRow:
    """Every workstream together: the council's part of the figure reported to the Board."""
    return total_of(by_workstream(ws, period))


def total_of(rows: list[SavingsRow]) -> SavingsRow:
    """The workstreams' rows added up (see :func:`programme_total`)."""
    return SavingsRow(
        "total",
        "All workstreams",
        sum((r.period for r in rows), ZERO),
        sum((r.to_date for r in rows), ZERO),
    )


def by_quarter(ws: Workspace, year: FinancialYear) -> list[SavingsRow]:
    """Each quarter of a year: realised against target, and cumulative to that quarter."""
    lines, realised = _load(ws)
    rows = []
    for q in year.quarters:
        period, to_date = ZERO, ZERO
        for line in lines:
            p, t = _line_against(line, realised.get(line.id, []), {q}, q)
            period, to_date = period + p, to_date + t
        rows.append(SavingsRow(q.key, f"Q{q.q}", period, to_date))
    return rows


BASES = (
    ("cashable", "revenue", "Cashable revenue"),
    ("cashable", "capital", "Cashable capital"),
    ("non_cashable", "revenue", "Non-cashable revenue"),
    ("non_cashable", "capital", "Non-cashable capital"),
)


def by_basis(ws: Workspace, period: Quarter | FinancialYear) -> list[SavingsRow]:
    """Realised against target kept apart by cashable or not and revenue or capital.

    These four are never added together into one figure without saying so:
    a non-cashable saving frees no money, and a capital saving is not a
    revenue budget reduction.
    """
    quarters, end = set(quarters_of(period)), last_quarter(period)
    lines, realised = _load(ws, end)
    rows = []
    for cashable, kind, label in BASES:
        mine = [x for x in lines if x.get("cashable") == cashable and x.get("kind") == kind]
        if not mine:
            continue
        p = t = ZERO
        for line in mine:
            lp, lt = _line_against(line, realised.get(line.id, []), quarters, end)
            p, t = p + lp, t + lt
        rows.append(SavingsRow(f"{cashable}.{kind}", label, p, t))
    return rows


@dataclass(frozen=True)
class Effect:
    """What a line is expected to save in a financial year (in-year) and in a full year."""

    line: Record
    in_year: int  # pence due in the year's quarters (a part year when it starts or ends)
    full_year: int  # pence a whole year of it saves (a one-off: its whole saving)

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.line.ref,
            "cashable": self.line.get("cashable"),
            "kind": self.line.get("kind"),
            "recurrence": self.line.get("recurrence"),
            "years": None if self.line.get("years") is None else int(self.line["years"]),
            "in_year_pence": self.in_year,
            "full_year_pence": self.full_year,
        }


def effects(ws: Workspace, year: FinancialYear, *, as_at: Quarter | None = None) -> list[Effect]:
    """Each line live in ``year``: its in-year and full-year effect (no year counted twice)."""
    out = []
    for line in list_records(ws, LINES, as_at=as_at):
        in_year = target_over(line, year.quarters)
        if not in_year:
            continue
        full = line.get("target", 0)
        out.append(Effect(line, in_year, full))
    return out


def line_progress(ws: Workspace, line: Record, end: Quarter) -> Against:
    """One line's realised against target from its start to the end of a quarter."""
    realised = list_records(ws, REALISED, parent_id=line.id)
    return Against(target_to(line, end), sum(r["amount"] for r in realised if r["quarter"] <= end))


def realised_by_engagement(ws: Workspace, *, until: Quarter | None = None) -> dict[int, int]:
    """Pence realised on lines linked to each expert engagement (up to a quarter's end)."""
    lines, realised = _load(ws, until)
    out: dict[int, int] = {}
    for line in lines:
        eng = line.get("engagement")
        if eng is None:
            continue
        amount = sum(
            r["amount"] for r in realised.get(line.id, []) if until is None or r["quarter"] <= until
        )
        out[eng.id] = out.get(eng.id, 0) + amount
    return out


def latest_quarter(ws: Workspace) -> Quarter | None:
    """The latest quarter anything was realised in (the dashboard opens on it)."""
    row = ws.db.execute("SELECT max(quarter) FROM savings_realised").fetchone()
    return REALISED.field("quarter").type.from_db(row[0]) if row and row[0] else None


# ---- the feature --------------------------------------------------------------------------


def snapshot(ws: Workspace, quarter: Quarter) -> dict[str, Any]:
    lines = effects(ws, quarter.year, as_at=quarter)
    return {
        "records": records_json(ws, KEY, quarter),
        "by_workstream": [r.to_json() for r in by_workstream(ws, quarter)],
        # never one unlabelled total: cashable or not, revenue or capital, apart
        "by_basis": [r.to_json() for r in by_basis(ws, quarter)],
        "effect": {
            "year": str(quarter.year),
            "lines": [e.to_json() for e in lines],
            "by_basis": [
                {
                    "cashable": cashable,
                    "kind": kind,
                    "in_year_pence": sum(e.in_year for e in mine),
                    "full_year_pence": sum(e.full_year for e in mine),
                }
                for cashable, kind, _label in BASES
                if (
                    mine := [
                        e
                        for e in lines
                        if (e.line.get("cashable"), e.line.get("kind")) == (cashable, kind)
                    ]
                )
            ],
        },
    }


def validate(ws: Workspace, quarter: Quarter) -> list[Finding]:
    return validate_family(ws, KEY, quarter) + list(_lga_pack_rules(ws, quarter))


def _lga_pack_rules(ws: Workspace, quarter: Quarter) -> Iterator[Finding]:
    """With the LGA's programme pack in force: a line's workstream must be one of its codes,
    and the savings realised may change against last quarter's by its variance at most."""
    from lga_desktop.exchange.council import current_pack

    pack = current_pack(ws)
    if pack is None:
        return
    allowed = pack.document["thresholds"]["variance_percent"]
    before = Quarter(quarter.start_year - (quarter.q == 1), (quarter.q - 2) % 4 + 1)
    now = programme_total(ws, quarter).period.realised
    then = programme_total(ws, before).period.realised
    if then > 0 and abs(now - then) * 100 > allowed * then:
        change = Decimal(abs(now - then) * 100 / then).quantize(Decimal("0.1"))
        yield Finding(
            Severity.WARNING,
            KEY,
            "savings.variance_over_lga_threshold",
            f"Savings realised in {quarter} ({format_money(now)}) differ from {before}'s "
            f"({format_money(then)}) by {change}%, more than the {allowed}% the LGA's "
            "programme pack allows without a word; check the figures, or explain.",
        )
    codes = {w["code"] for w in pack.document["workstreams"]}
    for line in list_records(ws, LINES, as_at=quarter):
        if line.get("workstream") and line["workstream"] not in codes:
            yield Finding(
                Severity.WARNING,
                KEY,
                "savings.workstream_not_lga",
                f"{line.ref}: the workstream {WORKSTREAM_LABELS.get(line['workstream'], '')!r} "
                "is not one of the LGA's workstreams in its programme pack; choose one of "
                "them, or explain.",
                line.ref,
                "workstream",
            )


FEATURE = Feature(
    key=KEY,
    title="Realised savings",
    counted_tables=counted_tables(REGISTERS),
    demo="lga_desktop.registers.demo:fill_savings",
    snapshot=snapshot,
    validate=validate,
)
