"""What the programme report for the Board says, once, for every format.

:func:`report_content` turns :class:`~lga_desktop.consolidation.figures.ProgrammeFigures`
into headline figures and tables of typed cells; ``report_xlsx``,
``report_pdf`` and the CSV writer in ``reports`` only lay them out, so the
three files always carry the same figures. A cell knows its kind: money stays
integer pence, days and CAP outputs stay ``Decimal``, percentages are the
figures module's own (worked out from summed pence, never averaged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from lga_desktop.consolidation.figures import (
    Breakdown,
    ExpertLine,
    OutputLine,
    ProgrammeFigures,
    SavingsLine,
    ShareLine,
    savings_total,
)
from lga_desktop.money import format_money, pence_to_decimal
from lga_desktop.printing import when
from lga_desktop.procurement.derived import (
    SME_ASPIRATION,
    SME_ASPIRATION_WORDS,
    SME_DEFINITION,
    percent,
)
from lga_desktop.registers.cap import OUTPUTS

__all__ = [
    "TEXT",
    "CODE",
    "MONEY",
    "PERCENT",
    "DAYS",
    "COUNT",
    "QUANTITY",
    "WHEN",
    "ALL_COUNCILS",
    "Cell",
    "Column",
    "Row",
    "ReportTable",
    "Headline",
    "ReportContent",
    "report_content",
    "report_json",
    "display",
    "exact_text",
]

# the kinds of cell
TEXT = "text"
CODE = "code"  # a hash or fingerprint: text, printed in a fixed-width font
MONEY = "money"  # int pence
PERCENT = "percent"  # Decimal per cent (18.2 is 18.2%)
DAYS = "days"  # Decimal days, to a tenth
COUNT = "count"  # int
QUANTITY = "quantity"  # Decimal in the cell's own unit (a CAP output)
WHEN = "when"  # a moment as ISO 8601 text, shown as "15 October 2012 at 10:30 (UTC+01:00)"

UNITS = {
    TEXT: "",
    CODE: "",
    WHEN: "",
    MONEY: "GBP",
    PERCENT: "percent",
    DAYS: "days",
    COUNT: "count",
}
ALL_COUNCILS = "All pilot councils"
PENCE_UNIT = "pence"  # how a return names the unit of the CAP output counted in money
OUTPUT_ORDER = {o.name: i for i, o in enumerate(OUTPUTS)}


@dataclass(frozen=True)
class Cell:
    value: int | Decimal | str | None
    kind: str = TEXT
    unit: str = ""  # a quantity's unit: FTE, homes, m², tCO2e a year
    small: bool = False  # a share above nothing that rounds to 0.0%: shown as "<0.1%"

    @property
    def csv_unit(self) -> str:
        return self.unit if self.kind == QUANTITY else UNITS[self.kind]


@dataclass(frozen=True)
class Column:
    key: str  # the measure's name in the CSV
    heading: str
    in_csv: bool = True  # False for a column the CSV's own columns already carry (a unit)


@dataclass(frozen=True)
class Row:
    council_gss: str  # "" for a programme-wide row
    council: str
    item: str  # the workstream, category or output; "" in the council tables
    cells: tuple[Cell, ...]
    total: bool = False


@dataclass
class ReportTable:
    key: str  # the table's name in the CSV
    title: str  # the sheet's name and the printed heading (at most 31 characters)
    about: str  # one or two sentences printed under the heading
    council_heading: str  # "" when the rows are programme-wide, not one per council
    item_heading: str  # "" when the rows are councils alone
    columns: tuple[Column, ...]
    rows: list[Row] = field(default_factory=list)
    empty: str = "Nothing to report for this quarter."


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    cell: Cell


@dataclass
class ReportContent:
    programme: str
    quarter: str  # "2012/13 Q2"
    period: str  # "1 July 2012 to 30 September 2012"
    generated_on: date
    headlines: list[Headline]
    tables: list[ReportTable]
    missing: list[tuple[str, str]]  # (gss, name)

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)


# ---- cells ------------------------------------------------------------------------------


def _text(value: str) -> Cell:
    return Cell(value, TEXT)


def _money(pence: int) -> Cell:
    return Cell(pence, MONEY)


def _percent(value: Decimal | None) -> Cell:
    return Cell(value, PERCENT)


def _share(part: int, whole: int) -> Cell:
    """``part`` of ``whole``; a part above nothing that rounds to 0.0% reads "<0.1%"."""
    value = percent(part, whole)
    return Cell(value, PERCENT, small=bool(part > 0 and value == 0))


def _days(tenths: int) -> Cell:
    return Cell((Decimal(tenths) / 10).quantize(Decimal("0.1")), DAYS)


def _count(n: int) -> Cell:
    return Cell(n, COUNT)


def _output_value(value: Decimal, unit: str) -> Cell:
    """A CAP output; the one counted in pence becomes money (whole pence, else left as it is)."""
    if unit == PENCE_UNIT and value == value.to_integral_value():
        return _money(int(value))
    return Cell(value, QUANTITY, unit)


def display(cell: Cell) -> str:
    """A cell as a person reads it: ``£1,234.50``, ``18.2%``, ``12.5``, ``1,056``."""
    value = cell.value
    if value is None or value == "":
        return "—"
    if cell.kind == MONEY:
        return format_money(value)
    if cell.kind == PERCENT:
        if cell.small or (0 < value < Decimal("0.1")):
            return "<0.1%"
        return f"{value}%"
    if cell.kind == DAYS:
        return f"{value:,.1f}"
    if cell.kind == COUNT:
        return f"{value:,}"
    if cell.kind == QUANTITY:
        return f"{value:,f}"
    if cell.kind == WHEN:
        return when(str(value))
    return str(value)


def exact_text(cell: Cell) -> str:
    """A cell as exact plain text for a data file: pounds as ``1234.50``, no separators."""
    value = cell.value
    if value is None:
        return ""
    if cell.kind == MONEY:
        return str(pence_to_decimal(value))
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


# ---- the tables -------------------------------------------------------------------------


def _savings_columns(noun: str, to_date: bool = True) -> tuple[Column, ...]:
    columns = (
        Column("realised", f"Realised in {noun}"),
        Column("target", f"Target for {noun}"),
        Column("percent_of_target", "% of target"),
    )
    if to_date:
        columns += (
            Column("realised_to_date", "Realised to date"),
            Column("target_to_date", "Target to date"),
        )
    return columns


def _savings_cells(line: SavingsLine, to_date: bool = True) -> tuple[Cell, ...]:
    cells = (
        _money(line.realised_pence),
        _money(line.target_pence),
        _percent(line.percent_of_target),
    )
    if to_date:
        cells += (_money(line.realised_to_date_pence), _money(line.target_to_date_pence))
    return cells


def _noun(f: ProgrammeFigures) -> str:
    return f.period.noun if f.period is not None else "quarter"


def _councils(f: ProgrammeFigures, flow: bool) -> str:
    return " " + f.set_of_councils(not flow)


def _savings_tables(f: ProgrammeFigures) -> list[ReportTable]:
    noun = _noun(f)
    SAVINGS_COLUMNS = _savings_columns(noun)
    about = (
        f"Realised savings against target, as the councils' returns state them: in the {noun} "
        "(the sum of each quarter's returns), and to date (each council's latest return). Each "
        "figure is every kind of saving together: cashable and non-cashable, revenue and "
        "capital (kept apart in the next table)."
        + _councils(f, True)
    )
    by_workstream = ReportTable(
        "savings_by_workstream",
        "Savings by workstream",
        about,
        "",
        "Workstream",
        SAVINGS_COLUMNS,
        [Row("", ALL_COUNCILS, s.label, _savings_cells(s)) for s in f.savings],
    )
    by_council = ReportTable(
        "savings_by_council",
        "Savings by council",
        about,
        "Council",
        "",
        SAVINGS_COLUMNS,
        [Row(s.key, s.label, "", _savings_cells(s)) for s in f.savings_by_council],
    )
    if f.savings:
        total = _savings_cells(f.savings_total)
        by_workstream.rows.append(Row("", ALL_COUNCILS, f.savings_total.label, total, True))
        by_council.rows.append(Row("", ALL_COUNCILS, "", total, True))
    by_quarter = ReportTable(
        "savings_by_quarter",
        "Savings by quarter",
        "The programme's realised savings against target in each quarter"
        + (" of the year so far" if noun == "quarter" else "")
        + ", from the returns that count for that quarter; the total is the sum of the rows. "
        + f.set_of_councils(False, quarters=[q.key for q in f.savings_by_quarter_keys()]),
        "",
        "Quarter",
        _savings_columns("quarter", to_date=False),
        [Row("", ALL_COUNCILS, s.label, _savings_cells(s, False)) for s in f.savings_by_quarter],
    )
    by_kind = ReportTable(
        "savings_by_basis",
        "Cashable and capital savings",
        f"The {_noun(f)}'s savings kept apart: cashable or non-cashable, revenue or capital "
        "(a non-cashable saving frees no money; a capital saving is not a revenue budget cut). "
        "Returns signed before kinds were kept apart are not in this table."
        + _councils(f, True),
        "",
        "Kind",
        SAVINGS_COLUMNS,
        [Row("", ALL_COUNCILS, s.label, _savings_cells(s)) for s in f.savings_by_kind],
    )
    if f.savings_by_quarter:
        total = savings_total(f.savings_by_quarter, "Total")
        by_quarter.rows.append(Row("", ALL_COUNCILS, "Total", _savings_cells(total, False), True))
    return [by_workstream, by_kind, by_quarter, by_council]


def _share_row(line: ShareLine, total: bool = False) -> Row:
    return Row(
        line.key,
        line.label,
        "",
        (
            _money(line.total_pence),
            _money(line.basis_pence),
            _money(line.sme_pence),
            _money(line.unclassified_pence),
            _share(line.sme_pence, line.basis_pence),
            _share(line.classified_pence, line.basis_pence),
            _share(line.vcse_pence, line.basis_pence),
            _share(line.local_pence, line.basis_pence),
        ),
        total,
    )


def _sme_table(f: ProgrammeFigures) -> ReportTable:
    rows = [_share_row(s) for s in f.sme]
    if rows:
        rows.append(_share_row(f.sme_total, total=True))
    return ReportTable(
        "sme_share_by_council",
        "SME share by council",
        f"Spend in the {_noun(f)}, the procurement spend the shares are of (grants, payments to "
        "other public bodies, benefits, refunds and redacted personal payees left out), and "
        "the share of it with small and medium-sized enterprises, shown with how much of it "
        "has suppliers classified at all (not yet classified is not 'not an SME'). "
        f"{SME_DEFINITION} The {SME_ASPIRATION}% is {SME_ASPIRATION_WORDS}. The all-councils "
        "share is worked out from the summed spend, not averaged." + _councils(f, True),
        "Council",
        "",
        (
            Column("spend", "Spend"),
            Column("procurement_spend", "Procurement spend"),
            Column("sme_spend", "SME spend"),
            Column("unclassified_spend", "Not yet classified"),
            Column("sme_share", "SME share"),
            Column("classified_share", "Classified"),
            Column("vcse_share", "VCSE share"),
            Column("local_share", "Local share"),
        ),
        rows,
    )


def _category_table(f: ProgrammeFigures) -> ReportTable:
    total = sum(pence for _code, _name, pence, _lines in f.spend_by_category)
    rows = [
        Row(
            "",
            ALL_COUNCILS,
            name,
            (_text(code), _money(pence), _share(pence, total), _count(lines)),
        )
        for code, name, pence, lines in f.spend_by_category
    ]
    if rows:
        lines = sum(n for *_rest, n in f.spend_by_category)
        rows.append(
            Row(
                "",
                ALL_COUNCILS,
                "All categories",
                (_text(""), _money(total), _percent(percent(total, total)), _count(lines)),
                True,
            )
        )
    return ReportTable(
        "spend_by_category",
        "Spend by category",
        f"Spend in the {_noun(f)} by big-spend category, largest first." + _councils(f, True),
        "",
        "Category",
        (
            Column("category_code", "Code"),
            Column("spend", "Spend"),
            Column("share_of_spend", "Share of spend"),
            Column("spend_lines", "Lines"),
        ),
        rows,
    )


def _output_columns(noun: str) -> tuple[Column, ...]:
    end = "quarter's end" if noun == "quarter" else "period's end"
    return (
        Column("unit", "Unit", in_csv=False),
        Column("planned_to_date", f"Plan due by the {end}"),
        Column("realised_in_quarter", f"Realised in {noun}"),
        Column("realised_to_date", "Realised to date"),
        Column("percent_of_plan", f"% of plan due by the {end}"),
    )


def _output_cells(line: OutputLine) -> tuple[Cell, ...]:
    unit = "£" if line.unit == PENCE_UNIT else line.unit
    return (
        _text(unit),
        _output_value(line.planned_to_date, line.unit),
        _output_value(line.realised_period, line.unit),
        _output_value(line.realised_to_date, line.unit),
        _percent(line.percent_of_plan),
    )


def _output_tables(f: ProgrammeFigures) -> list[ReportTable]:
    noun = _noun(f)
    OUTPUT_COLUMNS = _output_columns(noun)
    about = (
        "The Capital & Assets Pathfinder outputs (jobs; homes, public and private; space "
        "re-used; capital-asset spend reduced; carbon): the plan due by the end (earlier years "
        f"in full, this year pro-rata by quarter), realised in the {noun} and to date."
        + _councils(f, True)
    )
    names = {r.council_gss: r.council_name for r in f.returns}
    per_council = []
    for gss, lines in sorted(f.outputs_by_council.items(), key=lambda kv: names.get(kv[0], kv[0])):
        for line in sorted(lines, key=lambda o: (OUTPUT_ORDER.get(o.output, 99), o.output)):
            per_council.append(Row(gss, names.get(gss, gss), line.label, _output_cells(line)))
    return [
        ReportTable(
            "cap_outputs",
            "CAP outputs",
            about + " Programme totals.",
            "",
            "Output",
            OUTPUT_COLUMNS,
            [Row("", ALL_COUNCILS, o.label, _output_cells(o)) for o in f.outputs],
        ),
        ReportTable(
            "cap_outputs_by_council",
            "CAP outputs by council",
            "The same outputs, as each council's return states them." + _councils(f, True),
            "Council",
            "Output",
            OUTPUT_COLUMNS,
            per_council,
        ),
    ]


def _expert_row(line: ExpertLine, total: bool = False) -> Row:
    used = percent(line.days_used_to_date_tenths, line.days_agreed_tenths)
    return Row(
        line.key,
        line.label,
        "",
        (
            _count(line.engagements),
            _days(line.days_agreed_tenths),
            _days(line.days_used_period_tenths),
            _days(line.days_used_to_date_tenths),
            _percent(used),
            _money(line.realised_saving_pence),
        ),
        total,
    )


def _expert_table(f: ProgrammeFigures) -> ReportTable:
    rows = [_expert_row(e) for e in f.experts]
    if rows and f.experts_total is not None:
        rows.append(_expert_row(f.experts_total, total=True))
    return ReportTable(
        "expert_days_by_council",
        "Expert days by council",
        "Days of productivity expert support agreed under LGA seed funding and used, and the "
        "savings the councils report from that support." + _councils(f, True),
        "Council",
        "",
        (
            Column("engagements", "Engagements"),
            Column("days_agreed", "Days agreed"),
            Column("days_used_in_quarter", f"Days used in {_noun(f)}"),
            Column("days_used_to_date", "Days used to date"),
            Column("percent_used", "% of agreed used"),
            Column("realised_saving", "Savings realised"),
        ),
        rows,
    )


def _returns_table(f: ProgrammeFigures) -> ReportTable:
    return ReportTable(
        "returns_counted",
        "Returns counted",
        "The signed returns these figures add up: for each council its latest accepted "
        f"version for each quarter of the {_noun(f)}. The return hash (SHA-256 of the return's return.json) is "
        "printed on every page of the council's own signed return, so each figure can be "
        "traced to a signed file.",
        "Council",
        "",
        (
            Column("version", "Version"),
            Column("signed_at", "Signed"),
            Column("signer", "Signed by"),
            Column("key_fingerprint", "Key fingerprint"),
            Column("return_hash", "Return hash"),
        ),
        [
            Row(
                r.council_gss,
                r.council_name,
                "",
                (
                    _count(r.version),
                    Cell(r.signed_at, WHEN),
                    _text(f"{r.signer_name}, {r.signer_role}" if r.signer_role else r.signer_name),
                    Cell(r.key_fingerprint, CODE),
                    Cell(r.return_hash, CODE),
                ),
            )
            for r in sorted(f.returns, key=lambda r: (r.council_name, r.period_key))
        ],
        empty=f"No return has been counted for this {_noun(f)}.",
    )


def _missing_table(f: ProgrammeFigures) -> ReportTable:
    from lga_desktop.periods import parse_quarter

    return ReportTable(
        "missing_returns",
        "Missing returns",
        "Pilot councils with no accepted return for a quarter: they add nothing for that "
        "quarter; figures to date use their latest return, flagged as last known figures "
        "(or, with no return in the period at all, nothing).",
        "Council",
        "Quarter",
        (Column("return_received", "Return received"),),
        [
            Row(gss, name, str(parse_quarter(key)), (_text("No"),))
            for key, gss, name in f.missing_by_quarter
        ],
        empty=(
            "Every pilot council's return for the quarter has been counted."
            if _noun(f) == "quarter"
            else f"Every pilot council's return for each quarter of the {_noun(f)} has been counted."
        ),
    )


# ---- what else the returns carry --------------------------------------------------------


def _breakdown_table(
    key: str,
    title: str,
    about: str,
    item_heading: str,
    columns: tuple[Column, ...],
    lines: list,
    cells,
    total_label: str = "Total",
    council_rows: bool = False,
) -> ReportTable:
    rows = [
        Row(
            b.key if council_rows else "",
            b.label if council_rows else ALL_COUNCILS,
            "" if council_rows else b.label,
            cells(b),
        )
        for b in lines
    ]
    if lines:
        total = Breakdown(
            "", total_label, *(sum(getattr(b, a) for b in lines) for a in BREAKDOWN_SUMS)
        )
        rows.append(Row("", ALL_COUNCILS, "" if council_rows else total_label, cells(total), True))
    return ReportTable(
        key,
        title,
        about,
        "Council" if council_rows else "",
        "" if council_rows else item_heading,
        columns,
        rows,
    )


BREAKDOWN_SUMS = ("pence", "count", "other_pence", "third_pence")


def _pipeline_tables(f: ProgrammeFigures) -> list[ReportTable]:
    about = (
        "The procurement pipeline the councils publish (refreshed in the Q2 and Q4 returns): "
        "estimated contract value"
    )
    present = {b.key for b in f.pipeline_councils}
    councils = " " + f.set_of_councils(True, present)
    value = (Column("value", "Estimated value"), Column("councils", "Councils"))
    out = [
        _breakdown_table(
            f"pipeline_by_{dim}",
            f"Pipeline by {dim}",
            f"{about} by {heading.lower()}.{councils}",
            heading,
            value,
            f.pipeline_by.get(dim, []),
            lambda b: (_money(b.pence), _count(b.count)),
        )
        for dim, heading in (
            ("year", "Year the contract starts"),
            ("category", "Category"),
            ("confidence", "Confidence"),
        )
    ]
    for table in out:  # a council counts once in the total, not once per row
        if table.rows:
            table.rows[-1] = Row(
                "",
                ALL_COUNCILS,
                "Total",
                (table.rows[-1].cells[0], _count(len(present))),
                True,
            )
    out.append(
        _breakdown_table(
            "pipeline_by_council",
            "Pipeline by council",
            f"{about} by council, and how much of it is split into lots for SMEs.{councils}",
            "",
            (
                Column("entries", "Entries"),
                Column("value", "Estimated value"),
                Column("sme_lots_value", "Split into lots for SMEs"),
                Column("sme_lots_share", "Share in lots"),
            ),
            f.pipeline_councils,
            lambda b: (
                _count(b.count),
                _money(b.pence),
                _money(b.other_pence),
                _share(b.other_pence, b.pence),
            ),
            council_rows=True,
        )
    )
    return out


def _timelines_table(f: ProgrammeFigures) -> ReportTable:
    def cells(t: dict) -> tuple[Cell, ...]:
        mean = (
            (Decimal(t["days_to_award"]) / t["awarded"]).quantize(Decimal("0.1"))
            if t["awarded"]
            else None
        )
        return (
            _count(t["awarded"]),
            _count(t["within_120"]),
            _percent(percent(t["within_120"], t["awarded"])),
            Cell(mean, DAYS),
            _count(t["running"]),
            _count(t["running_past_120"]),
        )

    present = {t["gss"] for t in f.timelines if t["gss"]}
    return ReportTable(
        "procurement_120_days",
        "120-day compliance",
        "Procurements from contract notice to award: how many were awarded, how many within "
        "120 working days, the mean working days to award, and those still running (and "
        "beyond 120 working days). " + f.set_of_councils(True, present),
        "Council",
        "",
        (
            Column("awarded", "Awarded"),
            Column("within_120", "Within 120 working days"),
            Column("within_120_share", "% within"),
            Column("mean_days_to_award", "Mean working days"),
            Column("running", "Still running"),
            Column("running_past_120", "Running beyond 120"),
        ),
        [Row(t["gss"], t["council"], "", cells(t), not t["gss"]) for t in f.timelines],
    )


def _cap_tables(f: ProgrammeFigures) -> list[ReportTable]:
    present = {b.key for b in f.cap_funding}
    return [
        _breakdown_table(
            "cap_funding_by_council",
            "CAP funding by council",
            "The LGA's investment in each council's Capital & Assets Pathfinder plans and the "
            "match funding the council puts in. " + f.set_of_councils(True, present),
            "",
            (
                Column("lga_investment", "LGA investment"),
                Column("match_funding", "Match funding"),
                Column("total", "Together"),
            ),
            f.cap_funding,
            lambda b: (_money(b.pence), _money(b.other_pence), _money(b.pence + b.other_pence)),
            council_rows=True,
        ),
        _breakdown_table(
            "cap_plans_by_status",
            "CAP plans by status",
            "The councils' CAP business plans by status, with their funding. "
            + f.set_of_councils(True, present),
            "Status",
            (
                Column("plans", "Plans"),
                Column("lga_investment", "LGA investment"),
                Column("match_funding", "Match funding"),
            ),
            f.cap_plans_by_status,
            lambda b: (_count(b.count), _money(b.pence), _money(b.other_pence)),
        ),
    ]


def _savings_split_table(f: ProgrammeFigures) -> ReportTable:
    from lga_desktop.consolidation.figures import SAVINGS_SPLITS

    noun = _noun(f)
    rows: list[Row] = []
    for column, heading in SAVINGS_SPLITS.items():
        lines = f.savings_splits.get(column, [])
        for b in lines:
            rows.append(Row("", ALL_COUNCILS, f"{heading}: {b.label}", _split_cells(b)))
        if lines:
            total = Breakdown("", "", *(sum(getattr(b, a) for b in lines) for a in BREAKDOWN_SUMS))
            rows.append(Row("", ALL_COUNCILS, f"{heading}: all lines", _split_cells(total), True))
    return ReportTable(
        "savings_by_kind",
        "Savings by kind",
        f"The councils' savings lines, split three ways; each split adds up to the same "
        f"totals. Realised in the {noun} (each quarter's returns), the lines' annual targets "
        "and realised to date (each council's latest return). " + f.set_of_councils(True),
        "",
        "Split",
        (
            Column("lines", "Lines"),
            Column("realised", f"Realised in {noun}"),
            Column("annual_target", "Annual target"),
            Column("realised_to_date", "Realised to date"),
        ),
        rows,
    )


def _split_cells(b: Breakdown) -> tuple[Cell, ...]:
    return (_count(b.count), _money(b.pence), _money(b.other_pence), _money(b.third_pence))


def _specialism_table(f: ProgrammeFigures) -> ReportTable:
    return _breakdown_table(
        "experts_by_specialism",
        "Experts by specialism",
        "Productivity expert engagements by specialism: days used to date, the savings "
        "expected and realised, and realised savings per day used. " + f.set_of_councils(True),
        "Specialism",
        (
            Column("engagements", "Engagements"),
            Column("days_used", "Days used"),
            Column("expected_saving", "Savings expected"),
            Column("realised_saving", "Savings realised"),
            Column("saving_per_day", "Realised per day"),
        ),
        f.experts_by_specialism,
        lambda b: (
            _count(b.third_pence),
            _days(b.count),
            _money(b.other_pence),
            _money(b.pence),
            _money(b.pence * 10 // b.count) if b.count else _money(0),
        ),
    )


def _workstream_councils_table(f: ProgrammeFigures) -> ReportTable:
    n = len({r.council_gss for r in f.returns})
    return ReportTable(
        "councils_by_workstream",
        "Councils by workstream",
        "How many councils take part in each workstream (a savings target or a saving to "
        f"date in it), of the {n} whose returns are counted; a council can take part in "
        "several, so the rows add up to more than the councils. " + f.set_of_councils(True),
        "",
        "Workstream",
        (Column("councils", "Councils"),),
        [Row("", ALL_COUNCILS, b.label, (_count(b.count),)) for b in f.councils_by_workstream],
    )


def _breakdowns_by_place(f: ProgrammeFigures) -> list[ReportTable]:
    from lga_desktop.councils import council_by_gss

    out = []
    for attr, key, title in (
        ("type_name", "by_council_type", "By council type"),
        ("region", "by_region", "By region"),
    ):
        groups: dict[str, list[int]] = {}
        for s in f.savings_by_council:
            groups.setdefault(getattr(council_by_gss(s.key), attr), [0, 0, 0, 0])[0] += (
                s.realised_pence
            )
        for sh in f.sme:
            g = groups.setdefault(getattr(council_by_gss(sh.key), attr), [0, 0, 0, 0])
            g[1] += sh.basis_pence
            g[2] += sh.sme_pence
        for gss in {r.council_gss for r in f.returns}:
            groups.setdefault(getattr(council_by_gss(gss), attr), [0, 0, 0, 0])[3] += 1
        lines = [Breakdown(k, k, v[0], v[3], v[1], v[2]) for k, v in sorted(groups.items())]
        out.append(
            _breakdown_table(
                key,
                title,
                f"Savings realised in the {_noun(f)} and the SME share of procurement spend, "
                f"{title.lower()} (resources/councils.csv). " + f.set_of_councils(False),
                "Council type" if attr == "type_name" else "Region",
                (
                    Column("councils", "Councils"),
                    Column("realised", f"Savings realised in {_noun(f)}"),
                    Column("procurement_spend", "Procurement spend"),
                    Column("sme_share", "SME share"),
                ),
                lines,
                lambda b: (
                    _count(b.count),
                    _money(b.pence),
                    _money(b.other_pence),
                    _share(b.third_pence, b.other_pence),
                ),
            )
        )
    return out


def _strands_table(f: ProgrammeFigures) -> ReportTable:
    rows = [
        Row(
            "",
            ALL_COUNCILS,
            b.label,
            (_count(b.other_pence), _count(b.count), _count(b.third_pence)),
        )
        for b in f.strands
    ]
    if rows:
        rows.append(
            Row(
                "",
                ALL_COUNCILS,
                "All strands",
                (
                    _count(sum(b.other_pence for b in f.strands)),
                    _count(f.roster_councils),
                    _count(f.roster_councils_counted),
                ),
                True,
            )
        )
    return ReportTable(
        "programme_by_strand",
        "Programme by strand",
        "The programme's strands as the LGA's roster names them: pilots, the councils taking "
        "part, and how many of them have a return counted in the period. A council in two "
        "strands is in both rows and once in the total.",
        "",
        "Strand",
        (
            Column("pilots", "Pilots"),
            Column("councils", "Councils"),
            Column("councils_counted", "With a return counted"),
        ),
        rows,
        empty="No roster has been imported: the pilot councils are those whose key is trusted.",
    )


def _warnings_table(f: ProgrammeFigures) -> ReportTable:
    return ReportTable(
        "exceptions",
        "Annex - exceptions",
        "Every warning in the returns counted, with the council's note explaining it.",
        "Council",
        "Quarter",
        (Column("register", "Register"), Column("warning", "Warning"), Column("note", "Note")),
        [
            Row(
                w["gss"],
                w["council"],
                w["quarter"],
                (_text(w["register"]), _text(w["message"]), _text(w["note"])),
            )
            for w in f.warnings
        ],
        empty="No return counted carries a warning.",
    )


def _admin_table(f: ProgrammeFigures) -> ReportTable:
    return ReportTable(
        "administration",
        "Annex - files not counted",
        "Files received but not counted in any figure: returns waiting for their council's "
        "key to be confirmed, and files held aside (damaged, altered or in conflict).",
        "",
        "Files",
        (Column("files", "Count"),),
        [
            Row("", ALL_COUNCILS, "Returns waiting for a key", (_count(f.waiting_for_key),)),
            Row("", ALL_COUNCILS, "Files held aside", (_count(f.held_aside),)),
        ],
    )


# ---- headlines --------------------------------------------------------------------------


def _headlines(f: ProgrammeFigures, generated_on: date) -> list[Headline]:
    members = len({r.council_gss for r in f.returns} | {g for g, _n in f.missing})
    noun = _noun(f)
    s, share = f.savings_total, f.sme_total
    experts = f.experts_total
    out = [
        Headline("programme", "Programme", _text(f.programme)),
        Headline(
            "quarter",
            "Quarter" if noun == "quarter" else "Period",
            _text(str(f.period or f.quarter)),
        ),
        Headline("savings_realised", f"Savings realised in {noun}", _money(s.realised_pence)),
        Headline("savings_target", f"Savings target for {noun}", _money(s.target_pence)),
        Headline(
            "savings_percent_of_target", "Savings, % of target", _percent(s.percent_of_target)
        ),
        Headline(
            "savings_realised_to_date", "Savings realised to date", _money(s.realised_to_date_pence)
        ),
        Headline(
            "savings_target_to_date", "Savings target to date", _money(s.target_to_date_pence)
        ),
        Headline("spend", f"Spend in {noun}", _money(share.total_pence)),
        Headline("procurement_spend", "Procurement spend", _money(share.basis_pence)),
        Headline("sme_spend", "SME spend", _money(share.sme_pence)),
        Headline(
            "sme_share",
            "SME share of procurement spend",
            _share(share.sme_pence, share.basis_pence),
        ),
        Headline(
            "sme_classified_share",
            "Procurement spend with suppliers classified",
            _percent(share.classified_percent),
        ),
        Headline(
            "unclassified_spend",
            "Not yet classified (SME or not)",
            _money(share.unclassified_pence),
        ),
        Headline(
            "sme_aspiration",
            "Central government's SME aspiration (context)",
            _percent(SME_ASPIRATION),
        ),
    ]
    pipeline = f.pipeline_total
    out += [
        Headline("pipeline_value", "Pipeline value", _money(pipeline.pence if pipeline else 0)),
        Headline(
            "pipeline_sme_lots",
            "Pipeline split into lots for SMEs",
            _money(pipeline.other_pence if pipeline else 0),
        ),
        Headline(
            "cap_lga_investment",
            "CAP: LGA investment",
            _money(sum(b.pence for b in f.cap_funding)),
        ),
        Headline(
            "cap_match_funding",
            "CAP: match funding",
            _money(sum(b.other_pence for b in f.cap_funding)),
        ),
    ]
    if f.timelines:
        t = f.timelines[-1]
        out.append(
            Headline(
                "awarded_within_120_days",
                "Contracts awarded within 120 working days",
                _text(f"{t['within_120']} of {t['awarded']}"),
            )
        )
    if experts is not None:
        out += [
            Headline("expert_days_agreed", "Expert days agreed", _days(experts.days_agreed_tenths)),
            Headline(
                "expert_days_used_in_quarter",
                f"Expert days used in {noun}",
                _days(experts.days_used_period_tenths),
            ),
            Headline(
                "expert_days_used_to_date",
                "Expert days used to date",
                _days(experts.days_used_to_date_tenths),
            ),
        ]
    out += [
        Headline("pilot_councils", "Pilot councils", _count(members)),
        Headline("returns_counted", "Returns counted", _count(len(f.returns))),
        Headline("councils_missing", "Councils with no return", _count(len(f.missing))),
        Headline(
            "missing_councils",
            f"Not yet returned for {f.quarter}",
            _text(", ".join(name for _gss, name in f.missing) or "none"),
        ),
        Headline("generated_on", "Report generated", _text(generated_on.isoformat())),
    ]
    return out


def report_json(figures: ProgrammeFigures) -> dict:
    """Every headline and table of the Board report as JSON: exact values (pounds as text)."""
    content = report_content(figures)
    return {
        "period": content.quarter,
        "dates": content.period,
        "headlines": {h.key: exact_text(h.cell) for h in content.headlines},
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "about": t.about,
                "columns": [c.key for c in t.columns],
                "rows": [
                    {
                        "council_gss": r.council_gss,
                        "council": r.council,
                        "item": r.item,
                        "total": r.total,
                        "values": {
                            c.key: exact_text(cell)
                            for c, cell in zip(t.columns, r.cells, strict=True)
                        },
                    }
                    for r in t.rows
                ],
            }
            for t in content.tables
        ],
    }


def report_content(figures: ProgrammeFigures, generated_on: date | None = None) -> ReportContent:
    """The headlines and tables of the Board report for ``figures``' quarter."""
    generated_on = generated_on or date.today()
    p = figures.period
    first = p.so_far[0] if p is not None and p.so_far else figures.quarter
    q = figures.quarter
    tables = [
        *_savings_tables(figures),
        _sme_table(figures),
        _category_table(figures),
        _strands_table(figures),
        *_pipeline_tables(figures),
        _timelines_table(figures),
        *_cap_tables(figures),
        *_output_tables(figures),
        _savings_split_table(figures),
        _expert_table(figures),
        _specialism_table(figures),
        _workstream_councils_table(figures),
        *_breakdowns_by_place(figures),
        _returns_table(figures),
        _missing_table(figures),
        _warnings_table(figures),
        _admin_table(figures),
    ]
    return ReportContent(
        programme=figures.programme,
        quarter=str(p or q),
        period=f"{first.start.day} {first.start:%B %Y} to {q.end.day} {q.end:%B %Y}",
        generated_on=generated_on,
        headlines=_headlines(figures, generated_on),
        tables=tables,
        missing=list(figures.missing),
    )
