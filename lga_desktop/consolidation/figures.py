"""The programme-wide picture: exact sums of the returns that count.

Every figure here is a sum over the returns that count (for each council and
quarter, its highest merged version), so a programme total equals the sum of
the councils' returns to the penny. Money is integer pence, days integer
tenths, CAP outputs ``Decimal``; percentages are worked out from the summed
pence, never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from lga_desktop.consolidation.store import Programme
from lga_desktop.periods import FinancialYear, Quarter, parse_period, parse_quarter
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
    "ALL",
    "Breakdown",
    "ProgrammePeriod",
    "Snapshot",
    "programme_period",
    "quarters_with_returns",
    "returns_on_record",
    "savings_by_quarter",
    "savings_total",
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


@dataclass(frozen=True)
class ProgrammePeriod:
    """What a report covers: one quarter, a financial year, or the programme to date.

    ``quarters`` are the quarters it spans; ``so_far`` those of them up to the
    newest quarter with a return counted (a year still running stops there).
    """

    kind: str  # "quarter", "year" or "all"
    label: str  # "2012/13 Q2", "2012/13", "Programme to date"
    key: str  # "2012Q2", "2012/13", "all": what --period takes
    quarters: tuple[Quarter, ...]
    so_far: tuple[Quarter, ...]

    @property
    def last(self) -> Quarter | None:
        return self.so_far[-1] if self.so_far else None

    @property
    def noun(self) -> str:
        """How the report's headings name it: "quarter", "year" or "programme to date"."""
        return {"quarter": "quarter", "year": "year"}.get(self.kind, "programme to date")

    def __str__(self) -> str:
        return self.label


ALL = "all"


def programme_period(
    prog: Programme, text: str | Quarter | FinancialYear, as_at: Snapshot | None = None
) -> ProgrammePeriod:
    """``2012/13 Q2``, ``2012/13`` or ``all`` as a period of this programme (PeriodError if not)."""
    counted = quarters_with_returns(prog) if as_at is None else as_at.quarters()
    if isinstance(text, str) and text.strip().lower() in (ALL, "programme to date"):
        return ProgrammePeriod("all", "Programme to date", ALL, tuple(counted), tuple(counted))
    period = parse_period(text) if isinstance(text, str) else text
    if isinstance(period, Quarter):
        return ProgrammePeriod("quarter", str(period), period.key, (period,), (period,))
    quarters = tuple(period.quarters)
    last = max((q for q in counted if q in quarters), default=None)
    so_far = tuple(q for q in quarters if last is not None and q <= last)
    return ProgrammePeriod("year", str(period), str(period), quarters, so_far)


@dataclass(frozen=True)
class Snapshot:
    """What a Board report counted: its returns (by hash), pilot councils and file counts."""

    return_hashes: tuple[str, ...]
    quarter_keys: tuple[str, ...]  # the quarter of each return, in the same order
    pilots: tuple[tuple[str, str], ...]
    held_aside: int
    waiting_for_key: int
    roster: tuple[tuple[str, str, str], ...] = ()  # (gss, strand, pilot)

    @property
    def hashes(self) -> frozenset[str]:
        return frozenset(self.return_hashes)

    def quarters(self) -> list[Quarter]:
        return sorted({parse_quarter(k) for k in self.quarter_keys})


@dataclass(frozen=True)
class Breakdown:
    """One row of a programme breakdown: money (and a count) under a key."""

    key: str
    label: str
    pence: int
    count: int = 0
    other_pence: int = 0  # a second sum where the table has one (match funding, realised to date)
    third_pence: int = 0


@dataclass
class ProgrammeFigures:
    """Everything the Board sees for one period (a quarter, a year, the programme to date).

    Figures *for the period* (savings realised and their targets, spend, expert
    days used, CAP outputs realised) are sums of the returns counted for each of
    its quarters: a council that missed a quarter adds nothing for it. Figures
    *as at the end of the period* (to date, the pipeline, the 120-day timelines,
    CAP funding and plans, expert engagements) come from each council's latest
    return in the period; where that is not the period's last quarter the
    council is in ``last_known`` (its last known figures, flagged as such).
    """

    programme: str
    quarter: Quarter  # the period's last quarter with returns (the quarter itself for one)
    returns: list[CouncilReturn]  # the returns that count for the period
    missing: list[tuple[str, str]]  # (gss, name) of pilot councils with no return for `quarter`
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
    # programme totals for each quarter of the year so far, or of the period (key: "2012Q1")
    savings_by_quarter: list[SavingsLine] = field(default_factory=list)
    # cashable or not, revenue or capital: never added into one unlabelled figure
    savings_by_kind: list[SavingsLine] = field(default_factory=list)
    # files not (yet) counted: held aside, and returns waiting for their key to be trusted
    held_aside: int = 0
    waiting_for_key: int = 0
    period: ProgrammePeriod | None = None
    # gss -> the quarter key of the latest return, for councils whose figures as at the
    # period's end are their last known ones (no return for the period's last quarter)
    last_known: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # gss -> council name, every return
    # (quarter key, gss, name) for each quarter of the period so far without a return
    missing_by_quarter: list[tuple[str, str, str]] = field(default_factory=list)
    returns_by_quarter: dict[str, int] = field(default_factory=dict)
    quarter_returns: dict[str, int] = field(default_factory=dict)  # every quarter's count
    pipeline_by: dict[str, list[Breakdown]] = field(default_factory=dict)  # year/category/...
    pipeline_total: Breakdown | None = None  # pence value, count entries, other: SME lots
    pipeline_councils: list[Breakdown] = field(default_factory=list)
    timelines: list[dict] = field(default_factory=list)  # by council, with a total last
    cap_funding: list[Breakdown] = field(default_factory=list)  # by council: LGA, match
    cap_plans_by_status: list[Breakdown] = field(default_factory=list)
    savings_splits: dict[str, list[Breakdown]] = field(default_factory=dict)
    annual_target_pence: int = 0
    experts_by_specialism: list[Breakdown] = field(default_factory=list)
    councils_by_workstream: list[Breakdown] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    # the roster by strand: councils (count), pilots (other_pence), councils counted (third)
    strands: list[Breakdown] = field(default_factory=list)
    roster_councils: int = 0
    roster_councils_counted: int = 0

    def savings_by_quarter_keys(self) -> list[Quarter]:
        return [parse_quarter(s.key) for s in self.savings_by_quarter]

    def set_of_councils(
        self, as_at: bool, present: set[str] | None = None, quarters: list[str] | None = None
    ) -> str:
        """One sentence naming which councils' returns a table adds up.

        ``present``: the councils the table has figures from (default: every
        council with a return counted); ``quarters``: the quarters a table of
        flows covers (default: the period's).
        """
        p = self.period
        if as_at:
            present = {r.council_gss for r in self.returns} if present is None else present
            n = len(present)
            text = f"{n} council{'s' if n != 1 else ''}, each from its latest return"
            if p is not None and p.kind != "quarter":
                text += f" up to {self.quarter}"
            if any(g in present for g in self.last_known):
                stale = ", ".join(
                    f"{self.names.get(g, g)} (as at {parse_quarter(k)})"
                    for g, k in sorted(self.last_known.items())
                    if g in present
                )
                text += f"; last known figures, flagged, for {stale}"
            return text + "."
        by_quarter = self.returns_by_quarter
        if quarters is not None:
            by_quarter = {k: by_quarter.get(k, self.quarter_returns.get(k, 0)) for k in quarters}
        counts = ", ".join(f"{parse_quarter(k)}: {n}" for k, n in sorted(by_quarter.items()))
        return (
            f"Returns counted for each quarter ({counts or 'none'}); a council with no return "
            "for a quarter adds nothing for it."
        )


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


class _Scope:
    """SQL conditions on ``council_return r`` for a period: its flows and its position."""

    def __init__(self, period: ProgrammePeriod, only: list[int] | None = None) -> None:
        self.keys = [q.key for q in period.so_far]
        self.marks = ", ".join("?" * len(self.keys)) or "NULL"
        # the returns that count: today's, or those a Board report counted (by id)
        self.only = only

    def counts(self, alias: str) -> str:
        if self.only is None:
            return f"{alias}.counts = 1"
        return f"{alias}.id IN ({', '.join(str(int(i)) for i in self.only) or 'NULL'})"

    def flow(self) -> tuple[str, list[str]]:
        """Every return counted for a quarter of the period."""
        return f"{self.counts('r')} AND r.period_key IN ({self.marks})", list(self.keys)

    def latest(self, table: str) -> tuple[str, list[str]]:
        """Each council's latest return counted in the period that carries ``table``."""
        has = f"EXISTS (SELECT 1 FROM {table} t WHERE t.return_id = c.id)"
        return (
            f"r.id IN (SELECT c.id FROM council_return c WHERE {self.counts('c')} "
            f"AND c.period_key IN ({self.marks}) AND {has} AND c.period_key = ("
            f"SELECT MAX(c2.period_key) FROM council_return c2 WHERE {self.counts('c2')} "
            f"AND c2.council_gss = c.council_gss AND c2.period_key IN ({self.marks}) "
            f"AND EXISTS (SELECT 1 FROM {table} t WHERE t.return_id = c2.id)))",
            self.keys + self.keys,
        )


def _rows(prog: Programme, sql: str, where: tuple[str, list[str]], tail: str = "") -> list:
    return prog.db.execute(f"{sql} WHERE {where[0]} {tail}", where[1]).fetchall()


def _savings(prog: Programme, scope: _Scope) -> tuple[list[SavingsLine], list[SavingsLine]]:
    base = "FROM council_return r JOIN fact_savings s ON s.return_id = r.id"

    def lines(key: str, label: str) -> dict[str, list]:
        out: dict[str, list] = {}
        for k, name, realised, target in _rows(
            prog,
            f"SELECT {key}, {label}, SUM(s.realised_pence), SUM(s.target_pence) {base}",
            scope.flow(),
            f"GROUP BY {key}",
        ):
            out[k] = [name, int(realised), int(target), 0, 0]
        for k, name, realised, target in _rows(
            prog,
            f"SELECT {key}, {label}, SUM(s.realised_to_date_pence), "
            f"SUM(s.target_to_date_pence) {base}",
            scope.latest("fact_savings"),
            f"GROUP BY {key}",
        ):
            out.setdefault(k, [name, 0, 0, 0, 0])[3:] = [int(realised), int(target)]
        return out

    by_ws = lines("s.workstream", "s.workstream")
    order = list(WORKSTREAM_LABELS) + sorted(set(by_ws) - set(WORKSTREAM_LABELS))
    workstreams = [
        SavingsLine(k, WORKSTREAM_LABELS.get(k, k), *by_ws[k][1:]) for k in order if k in by_ws
    ]
    by_council = lines("r.council_gss", "MAX(r.council_name)")
    councils = [
        SavingsLine(k, v[0], *v[1:]) for k, v in sorted(by_council.items(), key=lambda kv: kv[1][0])
    ]
    return workstreams, councils


def _savings_by_kind(prog: Programme, scope: _Scope) -> list[SavingsLine]:
    """The period's savings kept apart by cashable or not and revenue or capital: realised and
    target in the period (each quarter's returns), to date from each council's latest return."""
    base = "FROM council_return r JOIN fact_savings_kind s ON s.return_id = r.id"
    sums: dict[tuple[str, str], list[int]] = {}
    for cashable, kind, realised, target in _rows(
        prog,
        f"SELECT s.cashable, s.kind, SUM(s.realised_pence), SUM(s.target_pence) {base}",
        scope.flow(),
        "GROUP BY s.cashable, s.kind",
    ):
        sums[(cashable, kind)] = [int(realised), int(target), 0, 0]
    for cashable, kind, realised, target in _rows(
        prog,
        f"SELECT s.cashable, s.kind, SUM(s.realised_to_date_pence), "
        f"SUM(s.target_to_date_pence) {base}",
        scope.latest("fact_savings_kind"),
        "GROUP BY s.cashable, s.kind",
    ):
        sums.setdefault((cashable, kind), [0, 0, 0, 0])[2:] = [int(realised), int(target)]
    return [
        SavingsLine(f"{cashable}.{kind}", label, *sums[(cashable, kind)])
        for cashable, kind, label in SAVINGS_BASES
        if (cashable, kind) in sums
    ]


def _savings_by_quarter(
    prog: Programme, quarters: list[Quarter], scope: _Scope
) -> list[SavingsLine]:
    """The programme's savings in each of ``quarters`` (zero where none counted).

    Only the quarter's own figures: "to date" is a position, not a sum of
    quarters, so a column of it would not add up down the table.
    """
    if not quarters:
        return []
    sums = {
        row[0]: row[1:]
        for row in prog.db.execute(
            "SELECT r.period_key, SUM(s.realised_pence), SUM(s.target_pence) "
            "FROM council_return r JOIN fact_savings s ON s.return_id = r.id "
            f"WHERE {scope.counts('r')} AND r.period_key IN ({', '.join('?' * len(quarters))}) GROUP BY r.period_key",
            [q.key for q in quarters],
        )
    }
    return [SavingsLine(q.key, str(q), *map(int, sums.get(q.key, (0, 0))), 0, 0) for q in quarters]


def savings_total(lines: list[SavingsLine], label: str = "Programme total") -> SavingsLine:
    """The sum of savings lines, each of its four figures."""
    return SavingsLine(
        "",
        label,
        sum(x.realised_pence for x in lines),
        sum(x.target_pence for x in lines),
        sum(x.realised_to_date_pence for x in lines),
        sum(x.target_to_date_pence for x in lines),
    )


def _shares(prog: Programme, scope: _Scope) -> list[ShareLine]:
    return [
        ShareLine(*row[:2], *map(int, row[2:]))
        for row in _rows(
            prog,
            "SELECT r.council_gss, MAX(r.council_name), SUM(f.total_pence), SUM(f.sme_pence), "
            "SUM(f.vcse_pence), SUM(f.local_pence), SUM(f.lines), "
            "SUM(COALESCE(f.basis_pence, f.total_pence)), SUM(COALESCE(f.classified_pence, 0)) "
            "FROM council_return r JOIN fact_spend f ON f.return_id = r.id",
            scope.flow(),
            "GROUP BY r.council_gss ORDER BY MAX(r.council_name)",
        )
    ]


def _outputs(
    prog: Programme, scope: _Scope
) -> tuple[list[OutputLine], dict[str, list[OutputLine]]]:
    # per council and output: [unit, planned to date, realised in period, realised to date]
    cells: dict[tuple[str, str], list] = {}
    base = "FROM council_return r JOIN fact_cap_output o ON o.return_id = r.id"
    for gss, output, unit, period in _rows(
        prog, f"SELECT r.council_gss, o.output, o.unit, o.realised_period {base}", scope.flow()
    ):
        c = cells.setdefault((gss, output), [unit, Decimal(0), Decimal(0), Decimal(0)])
        c[2] += Decimal(period)
    for gss, output, unit, planned, to_date in _rows(
        prog,
        f"SELECT r.council_gss, o.output, o.unit, o.planned_to_date, o.realised_to_date {base}",
        scope.latest("fact_cap_output"),
    ):
        c = cells.setdefault((gss, output), [unit, Decimal(0), Decimal(0), Decimal(0)])
        c[0], c[1], c[3] = unit, Decimal(planned), Decimal(to_date)
    per_council: dict[str, list[OutputLine]] = {}
    totals: dict[str, list] = {}
    for (gss, output), (unit, planned, period, to_date) in sorted(cells.items()):
        line = OutputLine(output, OUTPUT_LABELS.get(output, output), unit, planned, period, to_date)
        per_council.setdefault(gss, []).append(line)
        t = totals.setdefault(output, [unit, Decimal(0), Decimal(0), Decimal(0)])
        t[1] += planned
        t[2] += period
        t[3] += to_date
    order = list(OUTPUT_LABELS) + sorted(set(totals) - set(OUTPUT_LABELS))
    lines = [OutputLine(k, OUTPUT_LABELS.get(k, k), *totals[k]) for k in order if k in totals]
    return lines, per_council


def _experts(prog: Programme, scope: _Scope) -> list[ExpertLine]:
    base = "FROM council_return r JOIN fact_experts e ON e.return_id = r.id"
    used = {
        gss: int(tenths)
        for gss, tenths in _rows(
            prog,
            f"SELECT r.council_gss, SUM(e.days_used_period_tenths) {base}",
            scope.flow(),
            "GROUP BY r.council_gss",
        )
    }
    lines = {
        row[0]: row
        for row in _rows(
            prog,
            "SELECT r.council_gss, r.council_name, e.engagements, e.days_agreed_tenths, "
            f"e.days_used_to_date_tenths, e.realised_saving_pence {base}",
            scope.latest("fact_experts"),
        )
    }
    return [
        ExpertLine(gss, name, n, agreed, used.get(gss, 0), to_date, saving)
        for gss, name, n, agreed, to_date, saving in sorted(lines.values(), key=lambda r: r[1])
    ]


PIPELINE_DIMENSIONS = ("year", "category", "confidence")


def _pipeline(prog: Programme, scope: _Scope, f: ProgrammeFigures) -> None:
    from lga_desktop.categories import default_categories

    names = {c.code: c.name for c in default_categories()}
    where = scope.latest("fact_pipeline")
    labels = {"category": lambda k: names.get(k, k), "confidence": lambda k: k.capitalize()}
    for dimension in PIPELINE_DIMENSIONS:
        rows = _rows(
            prog,
            "SELECT p.key, SUM(p.value_pence), COUNT(DISTINCT r.council_gss) "
            "FROM council_return r JOIN fact_pipeline_split p ON p.return_id = r.id",
            where,
            f"AND p.dimension = '{dimension}' GROUP BY p.key ORDER BY p.key",
        )
        label = labels.get(dimension, str)
        f.pipeline_by[dimension] = [Breakdown(k, label(k), int(v), int(n)) for k, v, n in rows]
    councils = _rows(
        prog,
        "SELECT r.council_gss, r.council_name, p.value_pence, p.entries, p.sme_lots_pence "
        "FROM council_return r JOIN fact_pipeline p ON p.return_id = r.id",
        where,
        "ORDER BY r.council_name",
    )
    f.pipeline_councils = [Breakdown(g, n, int(v), int(e), int(s)) for g, n, v, e, s in councils]
    f.pipeline_total = Breakdown(
        "",
        "All pilot councils",
        sum(b.pence for b in f.pipeline_councils),
        sum(b.count for b in f.pipeline_councils),
        sum(b.other_pence for b in f.pipeline_councils),
    )


def _timelines(prog: Programme, scope: _Scope) -> list[dict]:
    keys = ("awarded", "within_120", "days_to_award", "running", "running_past_120")
    rows = [
        {"gss": g, "council": n, **dict(zip(keys, map(int, rest), strict=True))}
        for g, n, *rest in _rows(
            prog,
            f"SELECT r.council_gss, r.council_name, {', '.join('t.' + k for k in keys)} "
            "FROM council_return r JOIN fact_timelines t ON t.return_id = r.id",
            scope.latest("fact_timelines"),
            "ORDER BY r.council_name",
        )
    ]
    if rows:
        rows.append(
            {"gss": "", "council": "All pilot councils"}
            | {k: sum(r[k] for r in rows) for k in keys}
        )
    return rows


def _cap(prog: Programme, scope: _Scope, f: ProgrammeFigures) -> None:
    from lga_desktop.registers.cap import STATUSES

    statuses = dict(STATUSES)
    f.cap_funding = [
        Breakdown(g, n, int(lga), 0, int(match))
        for g, n, lga, match in _rows(
            prog,
            "SELECT r.council_gss, r.council_name, c.lga_investment_pence, c.match_funding_pence "
            "FROM council_return r JOIN fact_cap c ON c.return_id = r.id",
            scope.latest("fact_cap"),
            "ORDER BY r.council_name",
        )
    ]
    f.cap_plans_by_status = [
        Breakdown(k, statuses.get(k, k or "Not stated"), int(lga), int(n), int(m))
        for k, n, lga, m in _rows(
            prog,
            "SELECT p.status, COUNT(*), SUM(p.lga_investment_pence), SUM(p.match_funding_pence) "
            "FROM council_return r JOIN fact_cap_plan p ON p.return_id = r.id",
            scope.latest("fact_cap_plan"),
            "GROUP BY p.status ORDER BY p.status",
        )
    ]


SPLIT_LABELS = {"non_cashable": "Non-cashable", "one_off": "One-off"}
SAVINGS_SPLITS = {
    "cashable": "Cashable or not",
    "kind": "Revenue or capital",
    "recurrence": "Recurring or one-off",
}


def _savings_splits(prog: Programme, scope: _Scope, f: ProgrammeFigures) -> None:
    """Realised in the period (pence), annual target (other) and realised to date (third)."""
    base = "FROM council_return r JOIN fact_savings_line s ON s.return_id = r.id"
    for column in SAVINGS_SPLITS:
        out: dict[str, list[int]] = {}
        for k, realised in _rows(
            prog,
            f"SELECT s.{column}, SUM(s.realised_pence) {base}",
            scope.flow(),
            f"GROUP BY s.{column}",
        ):
            out.setdefault(k, [0, 0, 0, 0])[0] = int(realised)
        for k, n, target, to_date in _rows(
            prog,
            f"SELECT s.{column}, COUNT(*), SUM(s.annual_target_pence), "
            f"SUM(s.realised_to_date_pence) {base}",
            scope.latest("fact_savings_line"),
            f"GROUP BY s.{column}",
        ):
            out.setdefault(k, [0, 0, 0, 0])[1:] = [int(n), int(target), int(to_date)]
        f.savings_splits[column] = [
            Breakdown(k, SPLIT_LABELS.get(k, k.capitalize() or "Not stated"), *v)
            for k, v in sorted(out.items())
        ]
    f.annual_target_pence = sum(b.other_pence for b in f.savings_splits["cashable"])


def _engagements(prog: Programme, scope: _Scope) -> list[Breakdown]:
    """By specialism: days used (tenths, in ``count``), expected (other) and realised (pence)."""
    from lga_desktop.registers.experts import SPECIALISMS

    labels = dict(SPECIALISMS)
    return [
        Breakdown(
            k,
            labels.get(k, k or "Not stated"),
            int(realised),
            int(used),
            int(exp),
            int(n),
        )
        for k, n, used, exp, realised in _rows(
            prog,
            "SELECT e.specialism, COUNT(*), SUM(e.days_used_tenths), "
            "SUM(e.expected_saving_pence), SUM(e.realised_saving_pence) "
            "FROM council_return r JOIN fact_engagement e ON e.return_id = r.id",
            scope.latest("fact_engagement"),
            "GROUP BY e.specialism ORDER BY e.specialism",
        )
    ]


def _councils_by_workstream(prog: Programme, scope: _Scope) -> list[Breakdown]:
    """Councils taking part in each workstream: a savings target or a saving realised to date."""
    rows = {
        k: int(n)
        for k, n in _rows(
            prog,
            "SELECT s.workstream, COUNT(DISTINCT r.council_gss) "
            "FROM council_return r JOIN fact_savings s ON s.return_id = r.id",
            scope.latest("fact_savings"),
            "AND (s.target_to_date_pence <> 0 OR s.realised_to_date_pence <> 0) "
            "GROUP BY s.workstream",
        )
    }
    order = list(WORKSTREAM_LABELS) + sorted(set(rows) - set(WORKSTREAM_LABELS))
    return [Breakdown(k, WORKSTREAM_LABELS.get(k, k), 0, rows[k]) for k in order if k in rows]


def _warnings(prog: Programme, scope: _Scope) -> list[dict]:
    keys = ("gss", "council", "quarter", "register", "code", "record", "message", "note")
    return [
        dict(zip(keys, row, strict=True))
        for row in _rows(
            prog,
            "SELECT r.council_gss, r.council_name, r.period, w.register, w.code, w.record, "
            "w.message, w.note FROM council_return r JOIN fact_warning w ON w.return_id = r.id",
            scope.flow(),
            "ORDER BY r.period_key, r.council_name, w.seq",
        )
    ]


def figures_for(
    prog: Programme,
    period: ProgrammePeriod | Quarter | FinancialYear | str,
    *,
    as_at: Snapshot | None = None,
) -> ProgrammeFigures:
    """The programme's figures for a quarter, a financial year or ``"all"`` (to date).

    ``as_at``: the returns, pilot councils and file counts a Board report
    counted, to make that report again exactly as it was.
    """
    if not isinstance(period, ProgrammePeriod):
        period = programme_period(prog, period, as_at)
    only = None
    if as_at is not None:
        hashes = list(as_at.return_hashes)
        only = [
            i
            for (i,) in prog.db.execute(
                f"SELECT id FROM council_return WHERE return_hash IN "
                f"({', '.join('?' * len(hashes)) or 'NULL'})",
                hashes,
            )
        ]
    scope = _Scope(period, only)
    last = period.last or period.quarters[-1] if period.quarters else None
    if last is None:  # the programme to date, with nothing counted yet
        last = quarters_with_returns(prog)[-1] if quarters_with_returns(prog) else None
    keys = set(scope.keys)
    counted = (lambda r: r.counts) if as_at is None else (lambda r: r.return_hash in as_at.hashes)
    returns = [r for r in returns_on_record(prog) if counted(r) and r.period_key in keys]
    if as_at is not None:
        returns = [replace(r, counts=True) for r in returns]
    latest: dict[str, str] = {}
    for r in returns:
        latest[r.council_gss] = max(latest.get(r.council_gss, ""), r.period_key)
    names = {r.council_gss: r.council_name for r in returns}
    pilots = prog.pilot_councils() if as_at is None else list(as_at.pilots)
    sent = {(r.council_gss, r.period_key) for r in returns}
    missing_by_quarter = [
        (q.key, gss, name)
        for q in period.so_far or period.quarters
        for gss, name in pilots
        if (gss, q.key) not in sent
    ]
    last_key = last.key if last is not None else ""
    savings, by_council = _savings(prog, scope)
    shares = _shares(prog, scope)
    outputs, outputs_by_council = _outputs(prog, scope)
    experts = _experts(prog, scope)
    categories = [
        (code, name, int(pence), int(lines))
        for code, name, pence, lines in _rows(
            prog,
            "SELECT c.category, MAX(c.name), SUM(c.pence), SUM(c.lines) FROM council_return r "
            "JOIN fact_spend_category c ON c.return_id = r.id",
            scope.flow(),
            "GROUP BY c.category ORDER BY SUM(c.pence) DESC, c.category",
        )
    ]
    by_quarter = (
        [q for q in last.year.quarters if q <= last]
        if period.kind == "quarter" and last is not None
        else list(period.so_far)
    )
    counts = prog.counts()
    f = ProgrammeFigures(
        period=period,
        last_known={g: k for g, k in latest.items() if k != last_key},
        names=names,
        missing_by_quarter=missing_by_quarter,
        returns_by_quarter={k: sum(r.period_key == k for r in returns) for k in scope.keys},
        quarter_returns={
            k: int(n)
            for k, n in prog.db.execute(
                f"SELECT period_key, COUNT(*) FROM council_return r WHERE {scope.counts('r')} "
                "GROUP BY period_key"
            )
        },
        savings_by_quarter=_savings_by_quarter(prog, by_quarter, scope),
        savings_by_kind=_savings_by_kind(prog, scope),
        held_aside=counts["held_aside"] if as_at is None else as_at.held_aside,
        waiting_for_key=counts["waiting_for_key"] if as_at is None else as_at.waiting_for_key,
        programme=prog.name,
        quarter=last or parse_quarter("2012/13 Q1"),
        returns=returns,
        missing=[(g, n) for k, g, n in missing_by_quarter if k == last_key],
        savings=savings,
        savings_total=savings_total(savings),
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
    _pipeline(prog, scope, f)
    f.timelines = _timelines(prog, scope)
    _cap(prog, scope, f)
    _savings_splits(prog, scope, f)
    f.experts_by_specialism = _engagements(prog, scope)
    f.councils_by_workstream = _councils_by_workstream(prog, scope)
    f.warnings = _warnings(prog, scope)
    rows = (
        as_at.roster
        if as_at is not None
        else tuple(
            tuple(r) for r in prog.db.execute("SELECT gss, strand, pilot FROM roster ORDER BY 1, 2")
        )
    )
    _strands(f, rows)
    return f


def _strands(f: ProgrammeFigures, rows: tuple[tuple[str, str, str], ...]) -> None:
    """The roster by strand: how many councils and pilots, and how many councils are counted."""
    counted = {r.council_gss for r in f.returns}
    by: dict[str, tuple[set, set]] = {}
    for gss, strand, pilot in rows:
        councils, pilots = by.setdefault(strand, (set(), set()))
        councils.add(gss)
        if pilot:
            pilots.add(pilot)
    f.strands = [
        Breakdown(k, k, 0, len(c), len(p), len(c & counted)) for k, (c, p) in sorted(by.items())
    ]
    on_roster = {gss for gss, _s, _p in rows}
    f.roster_councils = len(on_roster)
    f.roster_councils_counted = len(on_roster & counted)
