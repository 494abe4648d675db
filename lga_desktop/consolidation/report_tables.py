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
    ExpertLine,
    OutputLine,
    ProgrammeFigures,
    SavingsLine,
    ShareLine,
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

SAVINGS_COLUMNS = (
    Column("realised", "Realised in quarter"),
    Column("target", "Target for quarter"),
    Column("percent_of_target", "% of target"),
    Column("realised_to_date", "Realised to date"),
    Column("target_to_date", "Target to date"),
)


def _savings_cells(line: SavingsLine) -> tuple[Cell, ...]:
    return (
        _money(line.realised_pence),
        _money(line.target_pence),
        _percent(line.percent_of_target),
        _money(line.realised_to_date_pence),
        _money(line.target_to_date_pence),
    )


def _savings_tables(f: ProgrammeFigures) -> list[ReportTable]:
    about = (
        "Realised savings against target, as the councils' returns state them: in the quarter, "
        "and to date (every quarter up to the end of this one). Each figure is every kind of "
        "saving together: cashable and non-cashable, revenue and capital (each council's "
        "return keeps them apart)."
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
        "The programme's realised savings against target in each quarter of the year so far, "
        "from the returns that count for that quarter.",
        "",
        "Quarter",
        SAVINGS_COLUMNS,
        [Row("", ALL_COUNCILS, s.label, _savings_cells(s)) for s in f.savings_by_quarter],
    )
    by_kind = ReportTable(
        "savings_by_kind",
        "Savings by kind",
        "The quarter's savings kept apart: cashable or non-cashable, revenue or capital "
        "(a non-cashable saving frees no money; a capital saving is not a revenue budget cut). "
        "Returns signed before kinds were kept apart are not in this table.",
        "",
        "Kind",
        SAVINGS_COLUMNS,
        [Row("", ALL_COUNCILS, s.label, _savings_cells(s)) for s in f.savings_by_kind],
    )
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
            _percent(line.sme_percent),
            _percent(line.classified_percent),
            _percent(line.vcse_percent),
            _percent(line.local_percent),
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
        "Spend in the quarter, the procurement spend the shares are of (grants, payments to "
        "other public bodies, benefits, refunds and redacted personal payees left out), and "
        "the share of it with small and medium-sized enterprises, shown with how much of it "
        "has suppliers classified at all (not yet classified is not 'not an SME'). "
        f"{SME_DEFINITION} The {SME_ASPIRATION}% is {SME_ASPIRATION_WORDS}. The all-councils "
        "share is worked out from the summed spend, not averaged.",
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
            (_text(code), _money(pence), _percent(percent(pence, total)), _count(lines)),
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
        "The quarter's spend of every pilot council by big-spend category, largest first.",
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


OUTPUT_COLUMNS = (
    Column("unit", "Unit", in_csv=False),
    Column("planned_to_date", "Plan due by the quarter's end"),
    Column("realised_in_quarter", "Realised in quarter"),
    Column("realised_to_date", "Realised to date"),
    Column("percent_of_plan", "% of plan due by the quarter's end"),
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
    about = (
        "The five Capital & Assets Pathfinder outputs: the plan due by the quarter's end "
        "(earlier years in full, this year pro-rata by quarter), realised in the quarter and "
        "in every quarter up to its end."
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
            "The same outputs, as each council's return states them.",
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
        "savings the councils report from that support.",
        "Council",
        "",
        (
            Column("engagements", "Engagements"),
            Column("days_agreed", "Days agreed"),
            Column("days_used_in_quarter", "Days used in quarter"),
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
        "version for the quarter. The return hash (SHA-256 of the return's return.json) is "
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
            for r in sorted(f.returns, key=lambda r: r.council_name)
        ],
        empty="No return has been counted for this quarter.",
    )


def _missing_table(f: ProgrammeFigures) -> ReportTable:
    return ReportTable(
        "missing_returns",
        "Missing returns",
        "Pilot councils with no accepted return for the quarter: their figures are not in "
        "any total above (nor their earlier quarters' figures to date).",
        "Council",
        "",
        (Column("return_received", "Return received"),),
        [Row(gss, name, "", (_text("No"),)) for gss, name in f.missing],
        empty="Every pilot council's return for the quarter has been counted.",
    )


# ---- headlines --------------------------------------------------------------------------


def _headlines(f: ProgrammeFigures, generated_on: date) -> list[Headline]:
    members = len(f.returns) + len(f.missing)
    s, share = f.savings_total, f.sme_total
    experts = f.experts_total
    out = [
        Headline("programme", "Programme", _text(f.programme)),
        Headline("quarter", "Quarter", _text(str(f.quarter))),
        Headline("pilot_councils", "Pilot councils", _count(members)),
        Headline("returns_counted", "Returns counted", _count(len(f.returns))),
        Headline("councils_missing", "Councils with no return", _count(len(f.missing))),
        Headline(
            "missing_councils",
            "Not yet returned",
            _text(", ".join(name for _gss, name in f.missing) or "none"),
        ),
        Headline("waiting_for_key", "Returns waiting for a key", _count(f.waiting_for_key)),
        Headline("held_aside", "Files held aside", _count(f.held_aside)),
        Headline("savings_realised", "Savings realised in quarter", _money(s.realised_pence)),
        Headline("savings_target", "Savings target for quarter", _money(s.target_pence)),
        Headline(
            "savings_percent_of_target", "Savings, % of target", _percent(s.percent_of_target)
        ),
        Headline(
            "savings_realised_to_date", "Savings realised to date", _money(s.realised_to_date_pence)
        ),
        Headline(
            "savings_target_to_date", "Savings target to date", _money(s.target_to_date_pence)
        ),
        Headline("spend", "Spend in quarter", _money(share.total_pence)),
        Headline("procurement_spend", "Procurement spend", _money(share.basis_pence)),
        Headline("sme_spend", "SME spend", _money(share.sme_pence)),
        Headline("sme_share", "SME share of procurement spend", _percent(share.sme_percent)),
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
    if experts is not None:
        out += [
            Headline("expert_days_agreed", "Expert days agreed", _days(experts.days_agreed_tenths)),
            Headline(
                "expert_days_used_in_quarter",
                "Expert days used in quarter",
                _days(experts.days_used_period_tenths),
            ),
            Headline(
                "expert_days_used_to_date",
                "Expert days used to date",
                _days(experts.days_used_to_date_tenths),
            ),
        ]
    out.append(Headline("generated_on", "Report generated", _text(generated_on.isoformat())))
    return out


def report_content(figures: ProgrammeFigures, generated_on: date | None = None) -> ReportContent:
    """The headlines and tables of the Board report for ``figures``' quarter."""
    generated_on = generated_on or date.today()
    q = figures.quarter
    tables = [
        *_savings_tables(figures),
        _sme_table(figures),
        _category_table(figures),
        *_output_tables(figures),
        _expert_table(figures),
        _returns_table(figures),
        _missing_table(figures),
    ]
    return ReportContent(
        programme=figures.programme,
        quarter=str(q),
        period=f"{q.start.day} {q.start:%B %Y} to {q.end.day} {q.end:%B %Y}",
        generated_on=generated_on,
        headlines=_headlines(figures, generated_on),
        tables=tables,
        missing=list(figures.missing),
    )
