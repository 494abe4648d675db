"""Register 2, continued: the procurement pipeline and procurement timelines.

The pipeline (paper §10, App. 2 commitment 1) lists procurements planned up to
five years ahead, with a confidence rating and whether each will be split into
lots suitable for SMEs (commitment 2). It is refreshed every six months, so
the Q2 and Q4 returns carry it.

A procurement timeline (App. 2 commitment 3) records a procurement from its
contract notice (OJEU before 2021, Find a Tender since) to the contract
award; the commitment is to award within 120 working days (weekends and
England & Wales bank holidays excluded, counted by
:func:`lga_desktop.periods.working_days_between`). A procurement without a
notice has no 120-day clock. The procedures offered are those of the rules in
force on the notice date (:data:`REGIMES`). Competitive dialogue needs a
written justification.

Rules: an advert after the contract start, a contract start beyond the
five-year horizon, an award before the notice, and competitive dialogue with
no justification are errors; an award after more than 120 working days is a
warning whose note explains it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lga_desktop.categories import procurement_categories
from lga_desktop.features import Feature
from lga_desktop.periods import FinancialYear, PeriodError, Quarter, working_days_between, year_of
from lga_desktop.registers.declaration import Check, Field, Record, Register, error, warning
from lga_desktop.registers.family import counted_tables, records_json, validate_family
from lga_desktop.registers.fields import (
    Choice,
    Date,
    LongText,
    Money,
    Quantity,
    Reference,
    Text,
    YesNo,
)
from lga_desktop.registers.store import list_records
from lga_desktop.validation import Finding
from lga_desktop.workspace import Workspace

KEY = "pipeline"
TIMELINES = "timelines"
COMMITMENT_DAYS = 120  # working days from OJEU notice to contract award
HORIZON_YEARS = 5

CATEGORIES = tuple((c.code, c.name) for c in procurement_categories())
CONFIDENCE = (("high", "High"), ("medium", "Medium"), ("low", "Low"))
PROCEDURES = (
    ("open", "Open"),
    ("restricted", "Restricted"),
    ("negotiated", "Negotiated with a contract notice"),
    ("without_notice", "Negotiated without a notice"),
    ("dialogue", "Competitive dialogue"),
    ("negotiation", "Competitive with negotiation"),
    ("innovation", "Innovation partnership"),
    ("flexible", "Competitive flexible"),
    ("direct_award", "Direct award"),
)
PROCEDURE_LABELS = dict(PROCEDURES)
WITHOUT_NOTICE = frozenset({"without_notice", "direct_award"})  # no notice: no 120-day clock


@dataclass(frozen=True)
class Regime:
    """The procurement rules in force from a date, and the procedures they allow."""

    name: str
    start: date
    procedures: tuple[str, ...]


# The Public Contracts Regulations 2006 (in force when the programme began), 2015 (from
# 26 February 2015) and the Procurement Act 2023 (from 24 February 2025).
REGIMES = (
    Regime(
        "the Public Contracts Regulations 2006",
        date(2006, 1, 31),
        ("open", "restricted", "negotiated", "without_notice", "dialogue"),
    ),
    Regime(
        "the Public Contracts Regulations 2015",
        date(2015, 2, 26),
        ("open", "restricted", "negotiation", "dialogue", "innovation", "without_notice"),
    ),
    Regime(
        "the Procurement Act 2023",
        date(2025, 2, 24),
        ("open", "flexible", "direct_award"),
    ),
)
FIND_A_TENDER_FROM = date(2021, 1, 1)  # notices went to the OJEU before, Find a Tender since


def regime_on(day: date) -> Regime:
    """The procurement rules in force on ``day`` (the earliest shipped, before it began)."""
    current = REGIMES[0]
    for regime in REGIMES:
        if regime.start <= day:
            current = regime
    return current


def procedures_on(day: date | None) -> tuple[tuple[str, str], ...]:
    """The procedures to offer for a notice on ``day`` (every one, if no date yet)."""
    if day is None:
        return PROCEDURES
    allowed = regime_on(day).procedures
    return tuple((k, v) for k, v in PROCEDURES if k in allowed)


def notice_words(day: date | None) -> str:
    """'OJEU contract notice' before 2021, 'Find a Tender contract notice' since."""
    if day is None:
        return "contract notice"
    return "Find a Tender contract notice" if day >= FIND_A_TENDER_FROM else "OJEU contract notice"


def _pipeline_checks(rec: Record) -> Iterator[Check]:
    advert, start = rec.get("advert_date"), rec.get("contract_start")
    if advert and start and advert > start:
        yield error(
            "pipeline.advert_after_start",
            "advert_date",
            f"the advert ({advert:%d/%m/%Y}) is after the contract starts ({start:%d/%m/%Y})",
        )
    planned_on = rec.get("added_on")
    if start and planned_on and start > years_after(planned_on, HORIZON_YEARS):
        yield error(
            "pipeline.beyond_horizon",
            "contract_start",
            f"the contract starts {start:%d/%m/%Y}, beyond the pipeline's {HORIZON_YEARS}-year "
            f"horizon from when it was added ({planned_on:%d/%m/%Y})",
        )


def years_after(day: date, years: int) -> date:
    """The same date ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _timeline_checks(rec: Record) -> Iterator[Check]:
    notice, award = rec.get("ojeu_date"), rec.get("award_date")
    procedure = rec.get("procedure")
    if procedure in WITHOUT_NOTICE:
        if notice:
            yield error(
                "timelines.notice_without_notice",
                "ojeu_date",
                f"a procedure '{PROCEDURE_LABELS[procedure].lower()}' has no contract notice; "
                "clear the notice date or choose the procedure that was used",
            )
        return
    if not notice:
        yield error(
            "timelines.no_notice",
            "ojeu_date",
            "the contract notice date is missing (only a procedure without a notice has none)",
        )
    elif procedure and procedure not in regime_on(notice).procedures:
        regime = regime_on(notice)
        yield error(
            "timelines.procedure_not_in_force",
            "procedure",
            f"'{PROCEDURE_LABELS.get(procedure, procedure)}' was not a procedure under "
            f"{regime.name} on {notice:%d/%m/%Y}; choose one of: "
            + ", ".join(PROCEDURE_LABELS[p].lower() for p in regime.procedures),
        )
    if procedure == "dialogue" and not rec.get("justification"):
        yield error(
            "timelines.dialogue_unjustified",
            "justification",
            "competitive dialogue needs a written justification",
        )
    if notice and award:
        if award < notice:
            yield error(
                "timelines.award_before_notice",
                "award_date",
                f"the award ({award:%d/%m/%Y}) is before the {notice_words(notice)} "
                f"({notice:%d/%m/%Y})",
            )
            return
        days = working_days_or_none(notice, award)
        if days is not None and days > COMMITMENT_DAYS:
            yield warning(
                "timelines.over_120_days",
                "award_date",
                f"the award came {days} working days after the {notice_words(notice)}, "
                f"beyond the {COMMITMENT_DAYS}-day commitment; say why",
            )


PIPELINE = Register(
    key=KEY,
    title="Procurement pipeline",
    item="planned procurement",
    table="pipeline",
    ref_prefix="PIP",
    feature=KEY,
    description=(
        "Procurements planned up to five years ahead, refreshed every six months "
        "(the Q2 and Q4 returns carry it)."
    ),
    fields=(
        Field("title", "Title", Text(), required=True, width=32),
        Field("category", "Category", Choice(options=CATEGORIES), required=True),
        Field("estimated_value", "Estimated value", Money(), required=True, total=True),
        Field("advert_date", "Expected advert", Date()),
        Field("contract_start", "Contract start", Date(), required=True),
        Field(
            "length_months",
            "Length (months)",
            Quantity(places=0, unit="months", min=Decimal(1), max=Decimal(600)),
            help="How long the contract runs, extensions included.",
        ),
        Field("confidence", "Confidence", Choice(options=CONFIDENCE), required=True),
        Field(
            "sme_lots",
            "Lots for SMEs",
            YesNo(),
            default=False,
            help="Will it be split into lots small and medium-sized firms can bid for?",
        ),
        Field(
            "added_on",
            "Added on",
            Date(),
            in_table=False,
            help="When it entered the pipeline; the five-year horizon counts from here.",
        ),
        Field("notes", "Notes", LongText(), in_table=False),
    ),
    label_fields=("title",),
    order_by=("contract_start",),
    period="added_on",
    filter_field="category",
    checks=(_pipeline_checks,),
)

TIMELINE = Register(
    key=TIMELINES,
    title="Procurement timelines",
    item="procurement timeline",
    table="procurement_timelines",
    ref_prefix="PRC",
    feature=KEY,
    period="ojeu_date",
    events=("award_date",),
    description=(
        "Procurements from contract notice to contract award, against the commitment to "
        f"award within {COMMITMENT_DAYS} working days."
    ),
    fields=(
        Field("title", "Title", Text(), required=True, width=32),
        Field("category", "Category", Choice(options=CATEGORIES), required=True),
        Field("procedure", "Procedure", Choice(options=PROCEDURES), required=True),
        Field(
            "ojeu_date",
            "Contract notice",
            Date(),
            help="When the contract notice was published (OJEU before 2021, Find a Tender "
            "since). Leave blank for a procedure without a notice: it has no 120-day clock.",
        ),
        Field("award_date", "Contract award", Date(), help="Leave blank while it is running."),
        Field("value", "Contract value", Money(), total=True),
        Field(
            "justification",
            "Why competitive dialogue",
            LongText(),
            in_table=False,
            help="Required for competitive dialogue: why the open or restricted procedure would not do.",
        ),
        Field(
            "pipeline_entry",
            "From the pipeline",
            Reference(register=KEY, on_delete="SET NULL"),
            in_table=False,
            help="The pipeline entry this procurement carries out, if any.",
        ),
    ),
    label_fields=("title",),
    order_by=("ojeu_date",),
    options_from={"procedure": lambda values: procedures_on(values.get("ojeu_date"))},
    filter_field="procedure",
    checks=(_timeline_checks,),
)

REGISTERS = (PIPELINE, TIMELINE)


# ---- derived figures -------------------------------------------------------------------


def working_days_or_none(start: date, end: date) -> int | None:
    """Working days between two dates, or None outside the years with bank-holiday data."""
    try:
        return working_days_between(start, end)
    except PeriodError:
        return None


@dataclass(frozen=True)
class TimelineDays:
    record: Record
    working_days: int | None  # notice to award, or to ``as_of`` while running
    awarded: bool

    @property
    def within_commitment(self) -> bool | None:
        if self.working_days is None:
            return None
        return self.working_days <= COMMITMENT_DAYS


def timeline_days(ws: Workspace, *, as_of: date | None = None) -> list[TimelineDays]:
    """Each timeline's working days from notice to award (or to ``as_of`` while running)."""
    out = []
    for rec in list_records(ws, TIMELINE):
        notice, award = rec.get("ojeu_date"), rec.get("award_date")
        if as_of is not None and (notice or award or as_of) > as_of:
            continue
        awarded = award is not None and (as_of is None or award <= as_of)
        end = award if awarded else as_of
        # a procurement without a notice has no 120-day clock
        days = working_days_or_none(notice, end) if end and notice else None
        out.append(TimelineDays(rec, days, awarded))
    return out


@dataclass(frozen=True)
class TimelineSummary:
    awarded: int
    within_commitment: int
    running: int
    running_over: int  # still running and already past the commitment
    mean_working_days: Decimal | None  # of those awarded, to one decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "awarded": self.awarded,
            "within_120_working_days": self.within_commitment,
            "running": self.running,
            "running_past_120_working_days": self.running_over,
            "mean_working_days_to_award": None
            if self.mean_working_days is None
            else str(self.mean_working_days),
        }


def timeline_summary(ws: Workspace, quarter: Quarter) -> TimelineSummary:
    """Timelines as they stood at the quarter's end."""
    rows = timeline_days(ws, as_of=quarter.end)
    awarded = [r for r in rows if r.awarded and r.working_days is not None]
    running = [r for r in rows if not r.awarded]
    mean = (
        (Decimal(sum(r.working_days for r in awarded)) / len(awarded)).quantize(Decimal("0.1"))
        if awarded
        else None
    )
    return TimelineSummary(
        awarded=len(awarded),
        within_commitment=sum(1 for r in awarded if r.within_commitment),
        running=len(running),
        running_over=sum(1 for r in running if r.within_commitment is False),
        mean_working_days=mean,
    )


@dataclass(frozen=True)
class PipelineSummary:
    entries: int
    total_value: int  # pence
    by_category: dict[str, int]  # category code -> pence
    by_year: dict[str, int]  # "2013/14" (of the contract start) -> pence
    by_confidence: dict[str, int]  # high/medium/low -> pence
    sme_lots_value: int  # pence in procurements split into lots for SMEs

    def to_json(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "total_value_pence": self.total_value,
            "by_category_pence": self.by_category,
            "by_year_pence": self.by_year,
            "by_confidence_pence": self.by_confidence,
            "sme_lots_value_pence": self.sme_lots_value,
        }


def pipeline_summary(
    ws: Workspace, *, from_year: FinancialYear | None = None, as_at: Quarter | None = None
) -> PipelineSummary:
    """The pipeline's value by category, year of contract start and confidence; exact pence.

    With ``as_at``, the pipeline as it stood at that quarter's end.
    """
    by_category: dict[str, int] = {}
    by_year: dict[str, int] = {}
    by_confidence: dict[str, int] = {}
    total = sme = entries = 0
    for rec in list_records(ws, PIPELINE, as_at=as_at):
        start = rec["contract_start"]
        if from_year is not None and year_of(start) < from_year:
            continue
        value = rec["estimated_value"]
        entries += 1
        total += value
        by_category[rec["category"]] = by_category.get(rec["category"], 0) + value
        year = str(year_of(start))
        by_year[year] = by_year.get(year, 0) + value
        by_confidence[rec["confidence"]] = by_confidence.get(rec["confidence"], 0) + value
        if rec.get("sme_lots"):
            sme += value
    return PipelineSummary(
        entries, total, by_category, dict(sorted(by_year.items())), by_confidence, sme
    )


# ---- the feature --------------------------------------------------------------------------


def snapshot(ws: Workspace, quarter: Quarter) -> dict[str, Any]:
    """Timelines and, in the Q2 and Q4 returns, the pipeline, as they stood at the quarter's end."""
    data: dict[str, Any] = {
        "timelines": records_json(ws, TIMELINES, quarter)[TIMELINES],
        "timeline_days": {
            t.record.ref: t.working_days for t in timeline_days(ws, as_of=quarter.end)
        },
        "timeline_summary": timeline_summary(ws, quarter).to_json(),
        "carries_pipeline": quarter.carries_pipeline,
    }
    if quarter.carries_pipeline:
        data["pipeline"] = records_json(ws, KEY, quarter)[KEY]
        data["pipeline_summary"] = pipeline_summary(ws, as_at=quarter).to_json()
    return data


def validate(ws: Workspace, quarter: Quarter) -> list[Finding]:
    found = validate_family(ws, TIMELINES, quarter)
    if quarter.carries_pipeline:
        found += validate_family(ws, KEY, quarter)
    return found


FEATURE = Feature(
    key=KEY,
    title="Procurement pipeline and timelines",
    counted_tables=counted_tables(REGISTERS),
    demo="lga_desktop.registers.pipeline_demo:fill_pipeline",
    snapshot=snapshot,
    validate=validate,
)
