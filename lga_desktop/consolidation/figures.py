"""The programme-wide picture: exact sums of the returns that count.

Every figure here is a sum over the returns that count (for each council and
quarter, its highest merged version), so a programme total equals the sum of
the councils' returns to the penny. Money is integer pence, days integer
tenths, CAP outputs ``Decimal``; percentages are worked out from the summed
pence, never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lga_desktop.consolidation.store import Programme
from lga_desktop.periods import Quarter, parse_quarter
from lga_desktop.procurement.derived import SHARE_FIELDS, Shares, percent
from lga_desktop.registers.cap import OUTPUTS
from lga_desktop.registers.savings import BASES as SAVINGS_BASES
from lga_desktop.registers.savings import WORKSTREAM_LABELS

__all__ = [
    "CouncilReturn",
    "SavingsLine",
    "ShareLine",
    "OutputLine",
    "ExpertLine",
    "ProgrammeFigures",
    "figures_for",
    "quarters_with_returns",
    "returns_on_record",
    "savings_by_quarter",
    "held_files",
]

OUTPUT_LABELS = {o.name: o.label for o in OUTPUTS}


@dataclass(frozen=True)
class CouncilReturn:
    council_gss: str
    council_name: str
    period: str
    period_key: str
    version: int
    counts: bool
    signed_at: str
    signer_name: str
    signer_role: str
    key_fingerprint: str
    return_hash: str
    warnings: int
    merged_at: str


@dataclass(frozen=True)
class SavingsLine:
    key: str  # a workstream, or a council's GSS code
    label: str
    realised_pence: int
    target_pence: int
    realised_to_date_pence: int
    target_to_date_pence: int

    @property
    def percent_of_target(self) -> Decimal | None:
        return percent(self.realised_pence, self.target_pence)


@dataclass(frozen=True)
class ShareLine(Shares):
    """A council's (or the programme's) spend and its SME, VCSE and local shares."""

    key: str  # a council's GSS code, or "" for the whole programme
    label: str
    total_pence: int
    sme_pence: int
    vcse_pence: int
    local_pence: int
    lines: int
    basis_pence: int  # procurement spend, what the shares are of
    classified_pence: int  # of that, with suppliers classified SME or not


@dataclass(frozen=True)
class OutputLine:
    output: str
    label: str
    unit: str
    planned_to_date: Decimal
    realised_period: Decimal
    realised_to_date: Decimal

    @property
    def percent_of_plan(self) -> Decimal | None:
        if not self.planned_to_date:
            return None
        return (self.realised_to_date * 100 / self.planned_to_date).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ExpertLine:
    key: str  # a council's GSS code, or "" for the whole programme
    label: str
    engagements: int
    days_agreed_tenths: int
    days_used_period_tenths: int
    days_used_to_date_tenths: int
    realised_saving_pence: int

    @property
    def days_agreed(self) -> Decimal:
        return Decimal(self.days_agreed_tenths).scaleb(-1)

    @property
    def days_used_period(self) -> Decimal:
        return Decimal(self.days_used_period_tenths).scaleb(-1)

    @property
    def days_used_to_date(self) -> Decimal:
        return Decimal(self.days_used_to_date_tenths).scaleb(-1)


@dataclass
class ProgrammeFigures:
    """Everything the Board sees for one quarter."""

    programme: str
    quarter: Quarter
    returns: list[CouncilReturn]  # the returns that count for the quarter
    missing: list[tuple[str, str]]  # (gss, name) of members with no return for it
    savings: list[SavingsLine]  # by workstream
    savings_total: SavingsLine
    savings_by_council: list[SavingsLine]
    sme: list[ShareLine]  # by council
    sme_total: ShareLine
    spend_by_category: list[tuple[str, str, int, int]]  # code, name, pence, lines
    outputs: list[OutputLine]  # programme totals by output
    outputs_by_council: dict[str, list[OutputLine]] = field(default_factory=dict)
    experts: list[ExpertLine] = field(default_factory=list)
    experts_total: ExpertLine | None = None
    # programme totals for each quarter of the financial year up to this one (key: "2012Q1")
    savings_by_quarter: list[SavingsLine] = field(default_factory=list)
    # cashable or not, revenue or capital: never added into one unlabelled figure
    savings_by_kind: list[SavingsLine] = field(default_factory=list)
    # files not (yet) counted: held aside, and returns waiting for their key to be trusted
    held_aside: int = 0
    waiting_for_key: int = 0


def quarters_with_returns(prog: Programme) -> list[Quarter]:
    rows = prog.db.execute(
        "SELECT DISTINCT period_key FROM council_return WHERE counts = 1 ORDER BY period_key"
    )
    return [parse_quarter(key) for (key,) in rows]


def returns_on_record(prog: Programme, quarter: Quarter | None = None) -> list[CouncilReturn]:
    """Every merged return (counting and superseded), newest quarter first."""
    sql = (
        "SELECT council_gss, council_name, period, period_key, version, counts, signed_at, "
        "signer_name, signer_role, key_fingerprint, return_hash, warnings, merged_at "
        "FROM council_return"
    )
    params: list[str] = []
    if quarter is not None:
        sql += " WHERE period_key = ?"
        params.append(quarter.key)
    sql += " ORDER BY period_key DESC, council_name, version DESC"
    return [CouncilReturn(*row[:5], bool(row[5]), *row[6:]) for row in prog.db.execute(sql, params)]


def held_files(prog: Programme) -> list[dict]:
    """Files held aside or waiting for their key, with the reason, oldest first."""
    rows = prog.db.execute(
        "SELECT id, file_name, received_at, outcome, status, reason, council_gss, period_key, "
        "version, key_fingerprint FROM received_file WHERE outcome IN ('held', 'waiting-key') "
        "ORDER BY id"
    )
    keys = [
        "id",
        "file_name",
        "received_at",
        "outcome",
        "status",
        "reason",
        "council_gss",
        "period_key",
        "version",
        "key_fingerprint",
    ]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def savings_by_quarter(prog: Programme) -> list[tuple[str, str, int, int]]:
    """(quarter key, workstream, realised pence, target pence): programme totals for every quarter."""
    return [
        tuple(row)
        for row in prog.db.execute(
            "SELECT r.period_key, s.workstream, SUM(s.realised_pence), SUM(s.target_pence) "
            "FROM council_return r JOIN fact_savings s ON s.return_id = r.id "
            "WHERE r.counts = 1 GROUP BY r.period_key, s.workstream "
            "ORDER BY r.period_key, s.workstream"
        )
    ]


def _savings(prog: Programme, quarter: Quarter) -> tuple[list[SavingsLine], list[SavingsLine]]:
    sums = "SUM(s.realised_pence), SUM(s.target_pence), SUM(s.realised_to_date_pence), SUM(s.target_to_date_pence)"
    by_ws = {
        row[0]: row[1:]
        for row in prog.db.execute(
            f"SELECT s.workstream, {sums} FROM council_return r "
            "JOIN fact_savings s ON s.return_id = r.id "
            "WHERE r.counts = 1 AND r.period_key = ? GROUP BY s.workstream",
            [quarter.key],
        )
    }
    order = list(WORKSTREAM_LABELS) + sorted(set(by_ws) - set(WORKSTREAM_LABELS))
    workstreams = [
        SavingsLine(k, WORKSTREAM_LABELS.get(k, k), *map(int, by_ws[k]))
        for k in order
        if k in by_ws
    ]
    councils = [
        SavingsLine(row[0], row[1], *map(int, row[2:]))
        for row in prog.db.execute(
            f"SELECT r.council_gss, r.council_name, {sums} FROM council_return r "
            "JOIN fact_savings s ON s.return_id = r.id "
            "WHERE r.counts = 1 AND r.period_key = ? "
            "GROUP BY r.council_gss, r.council_name ORDER BY r.council_name",
            [quarter.key],
        )
    ]
    return workstreams, councils


def _savings_by_kind(prog: Programme, quarter: Quarter) -> list[SavingsLine]:
    """The quarter's savings of the returns that count, by cashable or not and revenue or capital."""
    sums = {
        (row[0], row[1]): row[2:]
        for row in prog.db.execute(
            "SELECT s.cashable, s.kind, SUM(s.realised_pence), SUM(s.target_pence), "
            "SUM(s.realised_to_date_pence), SUM(s.target_to_date_pence) FROM council_return r "
            "JOIN fact_savings_kind s ON s.return_id = r.id "
            "WHERE r.counts = 1 AND r.period_key = ? GROUP BY s.cashable, s.kind",
            [quarter.key],
        )
    }
    return [
        SavingsLine(f"{cashable}.{kind}", label, *map(int, sums[(cashable, kind)]))
        for cashable, kind, label in SAVINGS_BASES
        if (cashable, kind) in sums
    ]


def _savings_by_quarter(prog: Programme, quarter: Quarter) -> list[SavingsLine]:
    """The programme's savings in each quarter of the year so far (zero where none counted)."""
    quarters = [q for q in quarter.year.quarters if q <= quarter]
    sums = {
        row[0]: row[1:]
        for row in prog.db.execute(
            "SELECT r.period_key, SUM(s.realised_pence), SUM(s.target_pence), "
            "SUM(s.realised_to_date_pence), SUM(s.target_to_date_pence) FROM council_return r "
            "JOIN fact_savings s ON s.return_id = r.id WHERE r.counts = 1 "
            f"AND r.period_key IN ({', '.join('?' * len(quarters))}) GROUP BY r.period_key",
            [q.key for q in quarters],
        )
    }
    return [SavingsLine(q.key, str(q), *map(int, sums.get(q.key, (0, 0, 0, 0)))) for q in quarters]


def _total(lines: list[SavingsLine]) -> SavingsLine:
    return SavingsLine(
        "",
        "Programme total",
        sum(x.realised_pence for x in lines),
        sum(x.target_pence for x in lines),
        sum(x.realised_to_date_pence for x in lines),
        sum(x.target_to_date_pence for x in lines),
    )


def _shares(prog: Programme, quarter: Quarter) -> list[ShareLine]:
    return [
        ShareLine(*row[:2], *map(int, row[2:]))
        for row in prog.db.execute(
            "SELECT r.council_gss, r.council_name, f.total_pence, f.sme_pence, f.vcse_pence, "
            "f.local_pence, f.lines, COALESCE(f.basis_pence, f.total_pence), "
            "COALESCE(f.classified_pence, 0) "
            "FROM council_return r JOIN fact_spend f ON f.return_id = r.id "
            "WHERE r.counts = 1 AND r.period_key = ? ORDER BY r.council_name",
            [quarter.key],
        )
    ]


def _outputs(
    prog: Programme, quarter: Quarter
) -> tuple[list[OutputLine], dict[str, list[OutputLine]]]:
    per_council: dict[str, list[OutputLine]] = {}
    totals: dict[str, list] = {}
    for gss, output, unit, planned, period, to_date in prog.db.execute(
        "SELECT r.council_gss, o.output, o.unit, o.planned_to_date, o.realised_period, "
        "o.realised_to_date FROM council_return r JOIN fact_cap_output o ON o.return_id = r.id "
        "WHERE r.counts = 1 AND r.period_key = ? ORDER BY r.council_name, o.output",
        [quarter.key],
    ):
        line = OutputLine(
            output,
            OUTPUT_LABELS.get(output, output),
            unit,
            Decimal(planned),
            Decimal(period),
            Decimal(to_date),
        )
        per_council.setdefault(gss, []).append(line)
        t = totals.setdefault(output, [unit, Decimal(0), Decimal(0), Decimal(0)])
        t[1] += line.planned_to_date
        t[2] += line.realised_period
        t[3] += line.realised_to_date
    order = list(OUTPUT_LABELS) + sorted(set(totals) - set(OUTPUT_LABELS))
    lines = [OutputLine(k, OUTPUT_LABELS.get(k, k), *totals[k]) for k in order if k in totals]
    return lines, per_council


def _experts(prog: Programme, quarter: Quarter) -> list[ExpertLine]:
    return [
        ExpertLine(*row[:2], *map(int, row[2:]))
        for row in prog.db.execute(
            "SELECT r.council_gss, r.council_name, e.engagements, e.days_agreed_tenths, "
            "e.days_used_period_tenths, e.days_used_to_date_tenths, e.realised_saving_pence "
            "FROM council_return r JOIN fact_experts e ON e.return_id = r.id "
            "WHERE r.counts = 1 AND r.period_key = ? ORDER BY r.council_name",
            [quarter.key],
        )
    ]


def figures_for(prog: Programme, quarter: Quarter | str) -> ProgrammeFigures:
    """The programme's figures for one quarter, from the returns that count for it."""
    if isinstance(quarter, str):
        quarter = parse_quarter(quarter)
    returns = [r for r in returns_on_record(prog, quarter) if r.counts]
    sent = {r.council_gss for r in returns}
    missing = [(m.gss, m.name) for m in prog.members() if m.gss not in sent]
    savings, by_council = _savings(prog, quarter)
    shares = _shares(prog, quarter)
    outputs, outputs_by_council = _outputs(prog, quarter)
    experts = _experts(prog, quarter)
    categories = [
        (code, name, int(pence), int(lines))
        for code, name, pence, lines in prog.db.execute(
            "SELECT c.category, MAX(c.name), SUM(c.pence), SUM(c.lines) FROM council_return r "
            "JOIN fact_spend_category c ON c.return_id = r.id "
            "WHERE r.counts = 1 AND r.period_key = ? GROUP BY c.category ORDER BY SUM(c.pence) DESC",
            [quarter.key],
        )
    ]
    counts = prog.counts()
    return ProgrammeFigures(
        savings_by_quarter=_savings_by_quarter(prog, quarter),
        savings_by_kind=_savings_by_kind(prog, quarter),
        held_aside=counts["held_aside"],
        waiting_for_key=counts["waiting_for_key"],
        programme=prog.name,
        quarter=quarter,
        returns=returns,
        missing=missing,
        savings=savings,
        savings_total=_total(savings),
        savings_by_council=by_council,
        sme=shares,
        sme_total=ShareLine(
            "",
            "All pilot councils",
            *(sum(getattr(s, f) for s in shares) for f in SHARE_FIELDS),
        ),
        spend_by_category=categories,
        outputs=outputs,
        outputs_by_council=outputs_by_council,
        experts=experts,
        experts_total=ExpertLine(
            "",
            "All pilot councils",
            *(
                sum(getattr(e, f) for e in experts)
                for f in (
                    "engagements",
                    "days_agreed_tenths",
                    "days_used_period_tenths",
                    "days_used_to_date_tenths",
                    "realised_saving_pence",
                )
            ),
        ),
    )
