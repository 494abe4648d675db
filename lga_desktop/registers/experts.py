"""Register 3: productivity expert support days (paper App. 1 §3).

An engagement is an expert (often from another council) lent to the council
under LGA seed funding for an agreed number of days, to unlock a saving; its
day log records each day or half day and what was done.

Rules: days logged beyond those agreed, and more than a day logged for one
expert on one date, are warnings; a day logged outside
the engagement's dates is an error. Derived: days used against agreed, and
savings per expert day (the expected saving, and the savings realised on
lines linked to the engagement, each divided by the days used).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lga_desktop.features import Feature
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers.declaration import Check, Field, Record, Register, error
from lga_desktop.registers.family import (
    counted_tables,
    last_quarter,
    quarters_of,
    records_json,
    validate_family,
)
from lga_desktop.registers.fields import Choice, Date, LongText, Money, Quantity, Reference, Text
from lga_desktop.registers.store import Links, list_records
from lga_desktop.validation import Finding, Severity
from lga_desktop.workspace import Workspace

KEY = "experts"

SPECIALISMS = (
    ("procurement", "Procurement and contracting"),
    ("renegotiation", "Contract renegotiation"),
    ("systems", "Systems thinking"),
    ("assets", "Asset management"),
    ("shared", "Shared services"),
    ("social_care", "Adult social care"),
    ("waste", "Waste"),
    ("other", "Other"),
)
SAVING_BASES = (("annual", "A year"), ("one_off", "One-off"))
HALF_DAYS = Quantity(
    places=1, unit="days", min=Decimal("0.5"), step=Decimal("0.5"), step_words="whole or half days"
)


def _engagement_checks(rec: Record) -> Iterator[Check]:
    start, end = rec.get("start_date"), rec.get("end_date")
    if start and end and end < start:
        yield error(
            "experts.end_before_start",
            "end_date",
            f"the engagement ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})",
        )


def _days_rule(ws: Workspace, as_at: Quarter | None) -> Iterator[Finding]:
    links = Links(ws)
    used = days_used_by_engagement(ws, until=as_at, links=links)
    for eng in list_records(ws, ENGAGEMENTS, links=links, as_at=as_at):
        days = used.get(eng.id, Decimal(0))
        agreed = eng.get("days_agreed")
        if agreed is not None and days > agreed:
            yield Finding(
                Severity.WARNING,
                KEY,
                "experts.days_beyond_agreed",
                f"{eng.ref}: {days} days are logged, {days - agreed} more than the {agreed} agreed; "
                "explain the extra days or agree more with the LGA",
                eng.ref,
                "days_agreed",
            )


def _dates_rule(ws: Workspace, as_at: Quarter | None) -> Iterator[Finding]:
    links = Links(ws)
    engagements = {e.id: e for e in list_records(ws, ENGAGEMENTS, links=links)}
    for day in list_records(ws, DAYS, links=links, as_at=as_at):
        eng = engagements.get(day.parent_id)
        when = day.get("date")
        if eng is None or when is None:
            continue
        start, end = eng.get("start_date"), eng.get("end_date")
        if (start and when < start) or (end and when > end):
            span = f"{start:%d/%m/%Y} to {end:%d/%m/%Y}" if end else f"from {start:%d/%m/%Y}"
            yield Finding(
                Severity.ERROR,
                KEY,
                "experts.day_outside_engagement",
                f"{day.ref}: a day is logged on {when:%d/%m/%Y}, outside {eng.ref}'s dates ({span})",
                day.ref,
                "date",
            )


def _same_day_rule(ws: Workspace, as_at: Quarter | None) -> Iterator[Finding]:
    """More than one day logged for one expert on one date (a line typed twice?)."""
    links = Links(ws)
    experts = {e.id: e.get("expert", "").strip().lower() for e in list_records(ws, ENGAGEMENTS)}
    by_day: dict[tuple[str, Any], list[Record]] = {}
    for day in list_records(ws, DAYS, links=links, as_at=as_at):
        who = experts.get(day.parent_id)
        if who is not None and day.get("date") is not None:
            by_day.setdefault((who, day["date"]), []).append(day)
    for lines in by_day.values():
        total = sum((d["days"] for d in lines), Decimal(0))
        if total > 1:
            last = lines[-1]
            others = ", ".join(d.ref for d in lines[:-1])
            yield Finding(
                Severity.WARNING,
                KEY,
                "experts.more_than_a_day",
                f"{last.ref}: {total} days are logged for one expert on {last['date']:%d/%m/%Y} "
                f"(with {others}); remove the line typed twice, or explain",
                last.ref,
                "date",
            )


ENGAGEMENTS = Register(
    key=KEY,
    title="Expert engagements",
    item="engagement",
    table="expert_engagements",
    ref_prefix="EXP",
    feature=KEY,
    description="Productivity experts working with the council under LGA seed funding.",
    fields=(
        Field("expert", "Expert", Text(), required=True, width=20),
        Field("organisation", "Home organisation", Text(), width=24, help="Often another council."),
        Field("specialism", "Specialism", Choice(options=SPECIALISMS), required=True),
        Field("purpose", "Purpose", LongText(), required=True, width=36),
        Field(
            "days_agreed",
            "Days agreed",
            HALF_DAYS,
            required=True,
            total=True,
            help="Days of expert time agreed under LGA seed funding; half days allowed.",
        ),
        Field("start_date", "Start", Date(), required=True),
        Field("end_date", "End", Date()),
        Field(
            "expected_saving",
            "Expected saving",
            Money(),
            total=True,
            help="The saving the engagement is expected to unlock.",
        ),
        Field("saving_basis", "Saving is", Choice(options=SAVING_BASES), default="annual"),
    ),
    label_fields=("expert",),
    order_by=("start_date",),
    period="start_date",
    filter_field="specialism",
    checks=(_engagement_checks,),
    rules=(_days_rule,),
)

DAYS = Register(
    key="experts.days",
    title="Day log",
    item="day log line",
    table="expert_days",
    ref_prefix="DAY",
    ref_digits=4,
    feature=KEY,
    parent="engagement",
    period="date",
    description="Each day or half day the expert worked, and what was done.",
    fields=(
        Field("engagement", "Engagement", Reference(register=KEY), required=True, in_table=False),
        Field("date", "Date", Date(), required=True),
        Field(
            "days",
            "Days",
            Quantity(
                places=1,
                unit="days",
                min=Decimal("0.5"),
                max=Decimal(1),
                step=Decimal("0.5"),
                step_words="a whole or a half day",
            ),
            required=True,
            total=True,
            default=Decimal(1),
            help="A line is one date: a whole day (1) or a half day (0.5).",
        ),
        Field("work", "What was done", LongText(), required=True, width=48),
    ),
    label_fields=("date",),
    order_by=("date",),
    rules=(_dates_rule, _same_day_rule),
)

REGISTERS = (ENGAGEMENTS, DAYS)


# ---- derived figures -------------------------------------------------------------------


def days_used_by_engagement(
    ws: Workspace, *, until: Quarter | None = None, links: Links | None = None
) -> dict[int, Decimal]:
    """Days logged per engagement id (up to the end of a quarter, if given)."""
    used: dict[int, Decimal] = {}
    for day in list_records(ws, DAYS, links=links, as_at=until):
        used[day.parent_id] = used.get(day.parent_id, Decimal(0)) + day["days"]
    return used


def per_day(pence: int, days: Decimal) -> int | None:
    """Pence per day, rounded half up to the penny; None when no days are used."""
    if not days:
        return None
    return int((Decimal(pence) / days).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class EngagementUse:
    engagement: Record
    days_agreed: Decimal
    days_used: Decimal
    expected_saving: int | None  # pence
    realised_saving: int  # pence realised on savings lines linked to the engagement

    @property
    def days_left(self) -> Decimal:
        return self.days_agreed - self.days_used

    @property
    def percent_used(self) -> Decimal | None:
        return self.days_used * 100 / self.days_agreed if self.days_agreed else None

    @property
    def expected_per_day(self) -> int | None:
        return (
            None if self.expected_saving is None else per_day(self.expected_saving, self.days_used)
        )

    @property
    def realised_per_day(self) -> int | None:
        return per_day(self.realised_saving, self.days_used)


def engagement_use(ws: Workspace, *, until: Quarter | None = None) -> list[EngagementUse]:
    """Every engagement's days used against agreed, and savings per expert day."""
    from lga_desktop.registers.savings import realised_by_engagement

    links = Links(ws)
    used = days_used_by_engagement(ws, until=until, links=links)
    realised = realised_by_engagement(ws, until=until)
    return [
        EngagementUse(
            e,
            e.get("days_agreed", Decimal(0)),
            used.get(e.id, Decimal(0)),
            e.get("expected_saving"),
            realised.get(e.id, 0),
        )
        for e in list_records(ws, ENGAGEMENTS, links=links)
        if until is None or e["start_date"] <= until.end
    ]


@dataclass(frozen=True)
class DaysSummary:
    days_agreed: Decimal  # on engagements started by the period's end
    days_used_period: Decimal  # logged within the period
    days_used_to_date: Decimal  # logged up to the period's end
    engagements: int
    expected_saving: int  # pence
    realised_saving: int  # pence, on linked savings lines up to the period's end

    @property
    def percent_used(self) -> Decimal | None:
        return self.days_used_to_date * 100 / self.days_agreed if self.days_agreed else None

    @property
    def realised_per_day(self) -> int | None:
        return per_day(self.realised_saving, self.days_used_to_date)

    @property
    def expected_per_day(self) -> int | None:
        return per_day(self.expected_saving, self.days_used_to_date)

    def to_json(self) -> dict[str, Any]:
        return {
            "days_agreed": str(self.days_agreed),
            "days_used_period": str(self.days_used_period),
            "days_used_to_date": str(self.days_used_to_date),
            "engagements": self.engagements,
            "expected_saving_pence": self.expected_saving,
            "realised_saving_pence": self.realised_saving,
            "realised_per_day_pence": self.realised_per_day,
        }


def days_summary(ws: Workspace, period: Quarter | FinancialYear) -> DaysSummary:
    """Expert days used against agreed, for a quarter or a year."""
    end = last_quarter(period)
    first = quarters_of(period)[0]
    uses = engagement_use(ws, until=end)
    in_period = sum(
        (d["days"] for d in list_records(ws, DAYS) if first.start <= d["date"] <= end.end),
        Decimal(0),
    )
    return DaysSummary(
        days_agreed=sum((u.days_agreed for u in uses), Decimal(0)),
        days_used_period=in_period,
        days_used_to_date=sum((u.days_used for u in uses), Decimal(0)),
        engagements=len(uses),
        expected_saving=sum(u.expected_saving or 0 for u in uses),
        realised_saving=sum(u.realised_saving for u in uses),
    )


# ---- the feature --------------------------------------------------------------------------


def snapshot(ws: Workspace, quarter: Quarter) -> dict[str, Any]:
    return {
        "records": records_json(ws, KEY, quarter),
        "days": days_summary(ws, quarter).to_json(),
        "engagements": [
            {
                "ref": u.engagement.ref,
                "days_agreed": str(u.days_agreed),
                "days_used": str(u.days_used),
                "expected_saving_pence": u.expected_saving,
                "realised_saving_pence": u.realised_saving,
                "realised_per_day_pence": u.realised_per_day,
            }
            for u in engagement_use(ws, until=quarter)
        ],
    }


def validate(ws: Workspace, quarter: Quarter) -> list[Finding]:
    return validate_family(ws, KEY, quarter)


FEATURE = Feature(
    key=KEY,
    title="Productivity expert support",
    counted_tables=counted_tables(REGISTERS),
    demo="lga_desktop.registers.demo:fill_experts",
    snapshot=snapshot,
    validate=validate,
)
