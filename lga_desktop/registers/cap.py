"""Register 1: the Capital & Assets Pathfinder (CAP) business plan.

A plan (LGA investment, the council's match funding, partners, dates,
status) with its assets, and the five measurable outputs of the 2012/13
programme (paper §5.1-5.5) planned by financial year for up to ten years and
realised by quarter. Homes are counted for the public and private sector
apart, so there are six output columns.

Rules: match funding below the LGA investment is an error (councils "match
fund the initial investment offered by the LGA"); outputs dated outside the
plan are errors; an output realised at more than twice its plan for a year is
a warning that needs a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lga_desktop.features import Feature
from lga_desktop.money import format_money
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers.declaration import Check, Field, Record, Register, error, warning
from lga_desktop.registers.family import (
    counted_tables,
    last_quarter,
    quarters_of,
    records_json,
    validate_family,
)
from lga_desktop.registers.fields import (
    Choice,
    Date,
    LongText,
    Money,
    MultiChoice,
    Quantity,
    QuarterType,
    Reference,
    Text,
    YearType,
)
from lga_desktop.registers.store import Links, list_records
from lga_desktop.validation import Finding, Severity
from lga_desktop.workspace import Workspace

KEY = "cap"
PLAN_YEARS = 10  # outputs are planned for up to ten years (paper §6)
FAR_ABOVE = 2  # realised above this multiple of the plan needs an explanation

STATUSES = (
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("evaluation", "Under evaluation"),
    ("approved", "Approved"),
    ("delivering", "Delivering"),
    ("closed", "Closed"),
)
PARTNERS = (
    ("nhs", "NHS"),
    ("police", "Police"),
    ("fire", "Fire and rescue"),
    ("jcp", "Jobcentre Plus"),
    ("central", "Central government departments"),
    ("councils", "Other councils"),
    ("education", "Colleges and universities"),
    ("housing", "Housing associations"),
    ("other", "Other public bodies"),
)
ACTIONS = (
    ("dispose", "Dispose"),
    ("colocate", "Co-locate"),
    ("employment", "Reuse for employment"),
    ("housing", "Redevelop for housing"),
    ("retain", "Retain"),
)


def _plan_checks(rec: Record) -> Iterator[Check]:
    lga, match = rec.get("lga_investment"), rec.get("match_funding")
    if lga is not None and match is not None and match < lga:
        yield error(
            "cap.match_below_lga",
            "match_funding",
            f"match funding of {format_money(match)} is below the LGA investment of "
            f"{format_money(lga)}; councils match fund at least what the LGA invests",
        )
    start, end = rec.get("start_date"), rec.get("end_date")
    if start and end and end < start:
        yield error(
            "cap.end_before_start",
            "end_date",
            f"the plan ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})",
        )


def _asset_checks(rec: Record) -> Iterator[Check]:
    before, after = rec.get("running_before"), rec.get("running_after")
    if before is not None and after is not None and after > before:
        yield warning(
            "cap.running_cost_rises",
            "running_after",
            f"the running cost rises from {format_money(before)} to {format_money(after)} a year; "
            "say why in the plan",
        )
    if rec.get("action") == "retain" and rec.get("capital_receipt"):
        yield warning(
            "cap.receipt_from_retained",
            "capital_receipt",
            "a capital receipt is expected from an asset the plan retains",
        )


@dataclass(frozen=True)
class Output:
    name: str
    label: str  # "Jobs created"
    unit: str  # "FTE", "homes", "m²", "£", "tCO2e a year"
    field: Field

    def zero(self) -> Decimal | int:
        return 0 if isinstance(self.field.type, Money) else Decimal(0)

    def display(self, value: Decimal | int) -> str:
        if isinstance(self.field.type, Money):
            return format_money(int(value))
        return f"{self.field.type.display(value)} {self.unit}"


def _output_fields() -> tuple[Field, ...]:
    return (
        Field(
            "jobs",
            "Jobs created (FTE)",
            Quantity(places=1, unit="FTE"),
            total=True,
            heading="Jobs (FTE)",
        ),
        Field(
            "homes_public",
            "Homes, public sector",
            Quantity(places=0, unit="homes"),
            total=True,
            heading="Homes (public)",
        ),
        Field(
            "homes_private",
            "Homes, private sector",
            Quantity(places=0, unit="homes"),
            total=True,
            heading="Homes (private)",
        ),
        Field(
            "space_reused",
            "Space reused for employment (m²)",
            Quantity(places=0, unit="m²"),
            total=True,
            heading="Space reused (m²)",
            help="Redundant public-sector space brought back into use for employment.",
        ),
        Field(
            "capex_reduced",
            "Capital-asset spend reduced",
            Money(),
            total=True,
            heading="Capex reduced",
            help="Reduction in public-sector capital-asset expenditure.",
        ),
        Field(
            "carbon",
            "Carbon reduction (tCO2e a year)",
            Quantity(places=1, unit="tCO2e"),
            total=True,
            heading="Carbon (tCO2e/yr)",
        ),
    )


_UNITS = {
    "jobs": ("Jobs created", "FTE"),
    "homes_public": ("Homes, public sector", "homes"),
    "homes_private": ("Homes, private sector", "homes"),
    "space_reused": ("Space reused for employment", "m²"),
    "capex_reduced": ("Capital-asset spend reduced", "£"),
    "carbon": ("Carbon reduction", "tCO2e a year"),
}
OUTPUTS: tuple[Output, ...] = tuple(Output(f.name, *_UNITS[f.name], f) for f in _output_fields())

# ---- rules across records -------------------------------------------------------


def _plans(ws: Workspace, links: Links) -> dict[int, Record]:
    return {p.id: p for p in list_records(ws, PLAN, links=links)}


def _covers(plan: Record, first: Any, last: Any) -> bool:
    start, end = plan.get("start_date"), plan.get("end_date")
    if start is None or end is None:
        return True
    return first <= end and last >= start


def _outside_plan_rule(ws: Workspace, as_at: Quarter | None) -> Iterator[Finding]:
    links = Links(ws)
    plans = _plans(ws, links)
    for row in list_records(ws, REALISED, links=links, as_at=as_at):
        plan = plans.get(row.parent_id)
        q: Quarter | None = row.get("quarter")
        if plan and q and not _covers(plan, q.start, q.end):
            yield Finding(
                Severity.ERROR,
                KEY,
                "cap.realised_outside_plan",
                f"{row.ref}: outputs are realised in {q}, outside the plan's dates "
                f"({plan['start_date']:%d/%m/%Y} to {plan['end_date']:%d/%m/%Y})",
                row.ref,
                "quarter",
            )
    for row in list_records(ws, PLANNED, links=links):
        plan = plans.get(row.parent_id)
        y: FinancialYear | None = row.get("year")
        if not (plan and y):
            continue
        if not _covers(plan, y.start, y.end):
            yield Finding(
                Severity.ERROR,
                KEY,
                "cap.planned_outside_plan",
                f"{row.ref}: outputs are planned for {y}, outside the plan's dates "
                f"({plan['start_date']:%d/%m/%Y} to {plan['end_date']:%d/%m/%Y})",
                row.ref,
                "year",
            )
        elif (
            plan.get("start_date")
            and y.start_year
            - FinancialYear(plan["start_date"].year - (plan["start_date"].month < 4)).start_year
            >= PLAN_YEARS
        ):
            yield Finding(
                Severity.ERROR,
                KEY,
                "cap.planned_beyond_ten_years",
                f"{row.ref}: outputs are planned for {y}, more than {PLAN_YEARS} years into the plan",
                row.ref,
                "year",
            )


def _far_above_rule(ws: Workspace, as_at: Quarter | None) -> Iterator[Finding]:
    links = Links(ws)
    planned = {(r.parent_id, r["year"]): r for r in list_records(ws, PLANNED, links=links)}
    by_year: dict[tuple[int | None, FinancialYear], list[Record]] = {}
    for r in list_records(ws, REALISED, links=links, as_at=as_at):
        by_year.setdefault((r.parent_id, r["quarter"].year), []).append(r)
    for (plan_id, year), rows in sorted(by_year.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
        plan_row = planned.get((plan_id, year))
        for out in OUTPUTS:
            done = sum((r.get(out.name, out.zero()) for r in rows), out.zero())
            aim = plan_row.get(out.name, out.zero()) if plan_row else out.zero()
            if done <= 0 or done <= FAR_ABOVE * aim:
                continue
            last = [r for r in rows if r.get(out.name)][-1]
            what = (
                f"{out.display(done)} realised in {year} against {out.display(aim)} planned"
                if aim
                else f"{out.display(done)} realised in {year} with none planned"
            )
            yield Finding(
                Severity.WARNING,
                KEY,
                "cap.realised_far_above_plan",
                f"{last.ref}: {out.label.lower()}: {what}; explain the difference",
                last.ref,
                out.name,
            )


# ---- the declarations ---------------------------------------------------------------

PLAN = Register(
    key=KEY,
    title="CAP business plans",
    item="plan",
    table="cap_plans",
    ref_prefix="CAP",
    ref_digits=2,
    feature=KEY,
    description="The council's Capital & Assets Pathfinder business plan, its funding and partners.",
    fields=(
        Field("title", "Title", Text(), required=True, width=36),
        Field(
            "wave",
            "Wave",
            Choice(options=(("1", "Wave 1"), ("2", "Wave 2"), ("3", "Wave 3"))),
            required=True,
            default="2",
        ),
        Field("status", "Status", Choice(options=STATUSES), required=True, default="draft"),
        Field(
            "summary",
            "Summary",
            LongText(),
            in_table=False,
            help="What the plan will do, in a paragraph.",
        ),
        Field("partners", "Public-sector partners", MultiChoice(options=PARTNERS), width=30),
        Field("lga_investment", "LGA investment", Money(), required=True, total=True),
        Field(
            "match_funding",
            "Match funding",
            Money(),
            required=True,
            total=True,
            help="The council's own funding; it must at least match the LGA investment.",
        ),
        Field("start_date", "Start", Date(), required=True),
        Field("end_date", "End", Date(), required=True),
    ),
    label_fields=("title",),
    order_by=("start_date",),
    filter_field="status",
    checks=(_plan_checks,),
)


ASSETS = Register(
    key="cap.assets",
    title="Assets",
    item="asset",
    table="cap_assets",
    ref_prefix="AST",
    feature=KEY,
    parent="plan",
    description="The buildings and land in the plan and what will happen to each.",
    fields=(
        Field("plan", "Plan", Reference(register=KEY), required=True, in_table=False),
        Field("name", "Asset", Text(), required=True, width=28),
        Field("address", "Address or UPRN", Text(), width=28),
        Field("owner", "Owning body", Text(), width=20),
        Field("action", "Action", Choice(options=ACTIONS), required=True),
        Field("floor_area", "Floor area (m²)", Quantity(places=0, unit="m²"), total=True),
        Field(
            "running_before",
            "Cost a year before",
            Money(),
            total=True,
            help="The asset's running cost a year before the plan.",
        ),
        Field(
            "running_after",
            "Cost a year after",
            Money(),
            total=True,
            help="The running cost a year once the plan's action is done (nothing if disposed of).",
        ),
        Field(
            "capital_receipt",
            "Capital receipt",
            Money(),
            total=True,
            help="The capital receipt expected.",
        ),
    ),
    label_fields=("name",),
    order_by=("name",),
    filter_field="action",
    checks=(_asset_checks,),
)


PLANNED = Register(
    key="cap.planned",
    title="Outputs planned",
    item="year of planned outputs",
    table="cap_outputs_planned",
    ref_prefix="PLN",
    feature=KEY,
    parent="plan",
    description="The five outputs the plan commits to, year by year for up to ten years.",
    fields=(
        Field("plan", "Plan", Reference(register=KEY), required=True, in_table=False),
        Field("year", "Financial year", YearType(), required=True),
        *_output_fields(),
    ),
    label_fields=("year",),
    order_by=("year",),
    unique=((("plan", "year"), "this plan already has outputs planned for that year"),),
)

REALISED = Register(
    key="cap.realised",
    title="Outputs realised",
    item="quarter of realised outputs",
    table="cap_outputs_realised",
    ref_prefix="OUT",
    feature=KEY,
    parent="plan",
    period="quarter",
    description="What the plan actually delivered, quarter by quarter.",
    fields=(
        Field("plan", "Plan", Reference(register=KEY), required=True, in_table=False),
        Field("quarter", "Quarter", QuarterType(), required=True),
        *_output_fields(),
        Field("evidence", "Evidence", LongText(), width=30, help="Where the figures come from."),
    ),
    label_fields=("quarter",),
    order_by=("quarter",),
    unique=((("plan", "quarter"), "this plan already has outputs realised for that quarter"),),
    rules=(_outside_plan_rule, _far_above_rule),
)


REGISTERS = (PLAN, ASSETS, PLANNED, REALISED)


# ---- derived figures -----------------------------------------------------------------


def due_by(planned_year: Decimal | int, quarters_elapsed: int) -> Decimal | int:
    """The part of a year's plan due after ``quarters_elapsed`` quarters: pro-rata.

    Money (int pence) is shared over the quarters exactly as a savings target
    is, so the four quarters add up to the year's plan to the penny.
    """
    if isinstance(planned_year, int):
        return planned_year * quarters_elapsed // 4
    return planned_year * quarters_elapsed / 4


@dataclass(frozen=True)
class OutputProgress:
    """One output against plan for a period, exactly (pence for money, Decimal otherwise).

    The plan is judged by what was due by the period's end: earlier years in
    full and the period's year pro-rata (a council exactly on plan shows 100%
    at Q2, not 50%).
    """

    output: Output
    planned_year: Decimal | int  # planned for the period's financial year, the whole year
    planned_due_year: Decimal | int  # of that, due by the period's end (pro-rata)
    realised_period: Decimal | int  # realised in the period (a quarter, or a whole year)
    realised_year_to_date: Decimal | int  # realised in the year up to the period's end
    planned_to_date: Decimal | int  # due by the period's end: earlier years + this year's due
    realised_to_date: Decimal | int  # realised in every quarter up to the period's end

    @property
    def percent(self) -> Decimal | None:
        """Realised so far this year as a percentage of the plan due by the period's end."""
        if not self.planned_due_year:
            return None
        return Decimal(self.realised_year_to_date) * 100 / Decimal(self.planned_due_year)

    def to_json(self) -> dict[str, Any]:
        def j(v: Decimal | int) -> Any:
            return v if isinstance(v, int) else str(v)

        return {
            "output": self.output.name,
            "unit": "pence" if self.output.unit == "£" else self.output.unit,
            "planned_year": j(self.planned_year),
            "planned_due_year": j(self.planned_due_year),
            "realised_period": j(self.realised_period),
            "realised_year_to_date": j(self.realised_year_to_date),
            "planned_to_date": j(self.planned_to_date),
            "realised_to_date": j(self.realised_to_date),
        }


def plan_due_label(period: Quarter | FinancialYear) -> str:
    """The exact words for what a percentage of plan compares with."""
    end = last_quarter(period)
    if end.q == 4:
        return f"the plan for {end.year}"
    return f"the plan due by {end.end.day} {end.end:%B %Y} ({end.q} of 4 quarters of {end.year}, pro-rata)"


def whole_year_words(o: OutputProgress) -> str:
    """'; 5.0 FTE for the year' when less than the whole year's plan is due yet."""
    if o.planned_due_year == o.planned_year:
        return ""
    return f"; {o.output.display(o.planned_year)} for the year"


def outputs_against_plan(
    ws: Workspace, period: Quarter | FinancialYear, *, plan_id: int | None = None
) -> list[OutputProgress]:
    """Each output realised against plan for a quarter or a year, for one plan or all."""
    links = Links(ws)
    planned = list_records(ws, PLANNED, parent_id=plan_id, links=links)
    end = last_quarter(period)
    realised = list_records(ws, REALISED, parent_id=plan_id, links=links, as_at=end)
    quarters = set(quarters_of(period))
    year = quarters_of(period)[0].year
    result = []
    for out in OUTPUTS:

        def total(rows: Iterable[Record], out: Output = out) -> Decimal | int:
            return sum((r.get(out.name, out.zero()) for r in rows), out.zero())

        planned_year = total(r for r in planned if r["year"] == year)
        due = due_by(planned_year, end.q)
        result.append(
            OutputProgress(
                out,
                planned_year=planned_year,
                planned_due_year=due,
                realised_period=total(r for r in realised if r["quarter"] in quarters),
                realised_year_to_date=total(r for r in realised if r["quarter"].year == year),
                planned_to_date=total(r for r in planned if r["year"] < year) + due,
                realised_to_date=total(realised),
            )
        )
    return result


@dataclass(frozen=True)
class YearOutputs:
    year: FinancialYear
    planned: dict[str, Decimal | int]
    realised: dict[str, Decimal | int]


def outputs_by_year(ws: Workspace, plan_id: int) -> list[YearOutputs]:
    """A plan's outputs planned and realised, year by year (every year with either)."""
    links = Links(ws)
    planned = {r["year"]: r for r in list_records(ws, PLANNED, parent_id=plan_id, links=links)}
    realised: dict[FinancialYear, list[Record]] = {}
    for r in list_records(ws, REALISED, parent_id=plan_id, links=links):
        realised.setdefault(r["quarter"].year, []).append(r)
    rows = []
    for year in sorted(set(planned) | set(realised)):
        p = planned.get(year)
        rows.append(
            YearOutputs(
                year,
                {o.name: (p.get(o.name, o.zero()) if p else o.zero()) for o in OUTPUTS},
                {
                    o.name: sum((r.get(o.name, o.zero()) for r in realised.get(year, [])), o.zero())
                    for o in OUTPUTS
                },
            )
        )
    return rows


def funding(ws: Workspace) -> dict[str, int]:
    """LGA investment and match funding over every plan, in pence."""
    plans = list_records(ws, PLAN)
    return {
        "lga_investment": sum(p.get("lga_investment", 0) for p in plans),
        "match_funding": sum(p.get("match_funding", 0) for p in plans),
    }


# ---- the feature ----------------------------------------------------------------------


def snapshot(ws: Workspace, quarter: Quarter) -> dict[str, Any]:
    return {
        "records": records_json(ws, KEY, quarter),
        "funding": {f"{k}_pence": v for k, v in funding(ws).items()},
        "outputs_against_plan": [o.to_json() for o in outputs_against_plan(ws, quarter)],
    }


def validate(ws: Workspace, quarter: Quarter) -> list[Finding]:
    return validate_family(ws, KEY, quarter)


FEATURE = Feature(
    key=KEY,
    title="CAP business plan",
    counted_tables=counted_tables(REGISTERS),
    demo="lga_desktop.registers.demo:fill_cap",
    snapshot=snapshot,
    validate=validate,
)
