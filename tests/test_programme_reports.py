"""The programme report for the Board, as XLSX, CSV and PDF, read back.

Every figure is checked against sums worked out here, independently, from the
return.json inside the signed .lgareturn files that count for the quarter:
the report must equal the councils' returns to the penny.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lga_desktop.consolidation.figures import ProgrammeFigures, figures_for
from lga_desktop.consolidation.reports import CSV_COLUMNS, write_report
from lga_desktop.consolidation.store import Programme
from lga_desktop.errors import UsageError
from lga_desktop.money import format_money, pence_to_decimal
from lga_desktop.progress import Cancelled, Progress

Q1, Q2 = "2012/13 Q1", "2012/13 Q2"
UNTRUSTED = "E07000177"  # Cherwell: its key is not trusted in the demo programme
SUFFOLK = ("E10000029", "Suffolk County Council")  # sends no return for Q2


# ---- what the signed files say, worked out without the program ------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_EVEN)


def _section(doc: dict, key: str) -> dict:
    return next(s["data"] for s in doc["sections"] if s["key"] == key)


@dataclass
class Expected:
    """The sums of the counted returns' own figures."""

    hashes: dict[str, str] = field(default_factory=dict)  # council name -> return hash
    gss: dict[str, str] = field(default_factory=dict)  # council name -> GSS code
    realised: dict[str, int] = field(default_factory=dict)  # by council, pence
    target: dict[str, int] = field(default_factory=dict)
    by_workstream: dict[str, int] = field(default_factory=dict)  # realised, by workstream key
    spend: dict[str, int] = field(default_factory=dict)  # by council
    sme: dict[str, int] = field(default_factory=dict)
    basis: dict[str, int] = field(default_factory=dict)  # procurement spend, by council
    days_used: dict[str, Decimal] = field(default_factory=dict)  # in the quarter, by council
    outputs: dict[str, Decimal] = field(default_factory=dict)  # realised in quarter, by output

    @property
    def total_realised(self) -> int:
        return sum(self.realised.values())

    @property
    def total_target(self) -> int:
        return sum(self.target.values())

    @property
    def total_spend(self) -> int:
        return sum(self.spend.values())

    @property
    def total_sme(self) -> int:
        return sum(self.sme.values())

    @property
    def sme_percent(self) -> Decimal | None:
        """Of procurement spend, never of all spend."""
        return _percent(self.total_sme, sum(self.basis.values()))

    @property
    def total_days(self) -> Decimal:
        return sum(self.days_used.values(), Decimal(0))


def expected_for(demo, quarter: str) -> Expected:
    """For each trusted council, the highest intact version of its return for ``quarter``."""
    best: dict[str, tuple[int, bytes]] = {}
    for path in demo.return_files:
        with zipfile.ZipFile(path) as z:
            if z.testzip() is not None:
                continue  # the copy changed on the way: held aside, never counted
            raw = z.read("return.json")
        doc = json.loads(raw)
        gss = doc["council"]["gss"]
        if doc["period"]["quarter"] != quarter or gss == UNTRUSTED:
            continue
        if gss not in best or doc["version"] > best[gss][0]:
            best[gss] = (doc["version"], raw)
    out = Expected()
    for _version, raw in best.values():
        doc = json.loads(raw)
        name = doc["council"]["name"]
        out.hashes[name] = hashlib.sha256(raw).hexdigest()
        out.gss[name] = doc["council"]["gss"]
        rows = _section(doc, "savings")["by_workstream"]
        out.realised[name] = sum(r["period"]["realised_pence"] for r in rows)
        out.target[name] = sum(r["period"]["target_pence"] for r in rows)
        for r in rows:
            out.by_workstream[r["key"]] = (
                out.by_workstream.get(r["key"], 0) + r["period"]["realised_pence"]
            )
        share = _section(doc, "procurement")["share"]
        out.spend[name], out.sme[name] = share["total_pence"], share["sme_pence"]
        out.basis[name] = share["basis_pence"]
        out.days_used[name] = Decimal(_section(doc, "experts")["days"]["days_used_period"])
        for o in _section(doc, "cap")["outputs_against_plan"]:
            out.outputs[o["output"]] = out.outputs.get(o["output"], 0) + Decimal(
                o["realised_period"]
            )
    return out


@pytest.fixture(scope="module")
def figures(built_demo_programme, tmp_path_factory) -> dict[str, ProgrammeFigures]:
    """The programme's figures for Q1 and Q2, from a private copy of the demo programme."""
    copy = tmp_path_factory.mktemp("report-programme") / built_demo_programme.path.name
    shutil.copy(built_demo_programme.path, copy)
    with Programme.open(copy) as prog:
        return {q: figures_for(prog, q) for q in (Q1, Q2, "2012/13 Q3")}


@pytest.fixture(scope="module")
def expected(built_demo_programme) -> dict[str, Expected]:
    return {q: expected_for(built_demo_programme, q) for q in (Q1, Q2)}


def test_the_demo_quarters_are_what_the_tests_expect(expected):
    assert sorted(expected[Q1].hashes) == [
        "Leeds City Council",
        "Oxford City Council",
        "Portsmouth City Council",
        "Suffolk County Council",
    ]
    assert SUFFOLK[1] not in expected[Q2].hashes and len(expected[Q2].hashes) == 3


# ---- XLSX -------------------------------------------------------------------------------


def _pence(value) -> int:
    """A money cell read back by openpyxl (a float) as pence, refusing any fraction."""
    exact = Decimal(repr(value)) * 100
    assert exact == exact.to_integral_value(), value
    return int(exact)


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.mark.parametrize("quarter", [Q2, Q1])
def test_xlsx_totals_equal_the_returns_to_the_penny(figures, expected, tmp_path, quarter):
    exp = expected[quarter]
    path = write_report(figures[quarter], tmp_path / "report.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [
        "Summary",
        "Savings by workstream",
        "Cashable and capital savings",
        "Savings by quarter",
        "Savings by council",
        "SME share by council",
        "Spend by category",
        "Programme by strand",
        "Pipeline by year",
        "Pipeline by category",
        "Pipeline by confidence",
        "Pipeline by council",
        "120-day compliance",
        "CAP funding by council",
        "CAP plans by status",
        "CAP outputs",
        "CAP outputs by council",
        "Savings by kind",
        "Expert days by council",
        "Experts by specialism",
        "Councils by workstream",
        "By council type",
        "By region",
        "Returns counted",
        "Missing returns",
        "Annex - exceptions",
        "Annex - files not counted",
    ]
    rows = _rows(book["Summary"])
    headlines = rows[: [r["Measure"] for r in rows].index(None)]  # then what each sheet holds
    summary = {r["Measure"]: r["Value"] for r in headlines}
    assert summary["Quarter"] == quarter
    assert _pence(summary["Savings realised in quarter"]) == exp.total_realised
    assert _pence(summary["Savings target for quarter"]) == exp.total_target
    assert _pence(summary["Spend in quarter"]) == exp.total_spend
    assert _pence(summary["SME spend"]) == exp.total_sme
    assert Decimal(repr(summary["SME share of procurement spend"])) * 100 == exp.sme_percent
    assert _pence(summary["Procurement spend"]) == sum(exp.basis.values())
    assert summary["Central government's SME aspiration (context)"] == 0.25
    assert "Meets the SME aspiration" not in summary
    assert Decimal(repr(summary["Expert days used in quarter"])) == exp.total_days
    assert summary["Returns counted"] == len(exp.hashes)

    by_council = {r["Council"]: r for r in _rows(book["Savings by council"])}
    for name, pence in exp.realised.items():
        assert _pence(by_council[name]["Realised in quarter"]) == pence
        assert by_council[name]["Council code"] == exp.gss[name]
    total = by_council["All pilot councils"]
    assert _pence(total["Realised in quarter"]) == exp.total_realised
    assert _pence(total["Target for quarter"]) == exp.total_target

    # kinds kept apart; together they are the quarter's total
    kinds = _rows(book["Cashable and capital savings"])
    assert {r["Kind"] for r in kinds} <= {"Cashable revenue", "Non-cashable revenue"} | {
        "Cashable capital",
        "Non-cashable capital",
    }
    assert sum(_pence(r["Realised in quarter"]) for r in kinds) == exp.total_realised

    # the year so far, quarter by quarter: each quarter's own returns
    by_quarter = {r["Quarter"]: r for r in _rows(book["Savings by quarter"])}
    assert list(by_quarter) == ([Q1, "Total"] if quarter == Q1 else [Q1, Q2, "Total"])
    quarters = [q for q in by_quarter if q != "Total"]
    for q in quarters:
        assert _pence(by_quarter[q]["Realised in quarter"]) == expected[q].total_realised
        assert _pence(by_quarter[q]["Target for quarter"]) == expected[q].total_target
    # the rows add up (the total is of the quarters, not a position to date)
    assert _pence(by_quarter["Total"]["Realised in quarter"]) == sum(
        expected[q].total_realised for q in quarters
    )
    # the admin counts are in an annex, not among the Board's headline figures
    assert "Files held aside" not in summary
    annex = {r["Files"]: r["Count"] for r in _rows(book["Annex - files not counted"])}
    assert annex == {"Returns waiting for a key": 2, "Files held aside": 1}

    workstreams = _rows(book["Savings by workstream"])
    assert _pence(workstreams[-1]["Realised in quarter"]) == exp.total_realised
    assert sum(_pence(r["Realised in quarter"]) for r in workstreams[:-1]) == exp.total_realised

    sme = {r["Council"]: r for r in _rows(book["SME share by council"])}
    for name in exp.hashes:
        assert _pence(sme[name]["Spend"]) == exp.spend[name]
        assert _pence(sme[name]["SME spend"]) == exp.sme[name]
        assert _pence(sme[name]["Procurement spend"]) == exp.basis[name]
        assert "Meets 25%" not in sme[name]
    everyone = sme["All pilot councils"]
    assert _pence(everyone["Spend"]) == exp.total_spend
    assert round(Decimal(repr(everyone["SME share"])) * 100, 1) == exp.sme_percent

    days = {r["Council"]: r for r in _rows(book["Expert days by council"])}
    for name, used in exp.days_used.items():
        assert Decimal(repr(days[name]["Days used in quarter"])) == used
    assert Decimal(repr(days["All pilot councils"]["Days used in quarter"])) == exp.total_days

    outputs = {r["Output"]: r for r in _rows(book["CAP outputs"])}
    assert Decimal(repr(outputs["Jobs created"]["Realised in quarter"])) == exp.outputs["jobs"]
    assert (
        Decimal(repr(outputs["Carbon reduction"]["Realised in quarter"])) == exp.outputs["carbon"]
    )
    capex = outputs["Capital-asset spend reduced"]
    assert (
        capex["Unit"] == "£"
        and _pence(capex["Realised in quarter"]) == exp.outputs["capex_reduced"]
    )

    counted = {r["Council"]: r for r in _rows(book["Returns counted"])}
    assert {n: r["Return hash"] for n, r in counted.items()} == exp.hashes
    missing = list(book["Missing returns"].iter_rows(min_row=2, values_only=True))
    if quarter == Q2:
        assert missing == [(*SUFFOLK, Q2, "No")]
    else:
        assert missing == [
            ("Every pilot council's return for the quarter has been counted.", None, None, None)
        ]


def test_xlsx_money_is_written_as_the_exact_pounds_and_pence(figures, expected, tmp_path):
    path = write_report(figures[Q2], tmp_path / "report.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    # the very text of the amount, not 16 digits of a binary float
    assert f"<v>{pence_to_decimal(expected[Q2].total_spend)}</v>" in sheets
    assert f"<v>{pence_to_decimal(expected[Q2].total_sme)}</v>" in sheets
    book = load_workbook(path)
    money = book["Savings by council"]["C2"]
    assert money.number_format == '"£"#,##0.00'
    assert book["Savings by council"].freeze_panes == "C2"


# ---- CSV --------------------------------------------------------------------------------


def _csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("quarter", [Q2, Q1])
def test_csv_is_one_long_table_that_adds_up_to_the_penny(figures, expected, tmp_path, quarter):
    exp = expected[quarter]
    rows = _csv(write_report(figures[quarter], tmp_path / "report.csv"))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert {r["quarter"] for r in rows} == {quarter}

    def value(table: str, measure: str, council: str = "All pilot councils", item: str = ""):
        (found,) = [
            r
            for r in rows
            if (r["table"], r["measure"], r["council"], r["item"])
            == (table, measure, council, item)
        ]
        return found["value"], found["unit"]

    def pounds(pence: int) -> tuple[str, str]:
        return str(pence_to_decimal(pence)), "GBP"

    assert value("summary", "savings_realised") == pounds(exp.total_realised)
    assert value("summary", "savings_target") == pounds(exp.total_target)
    assert value("summary", "spend") == pounds(exp.total_spend)
    assert value("summary", "sme_share") == (str(exp.sme_percent), "percent")
    assert value("summary", "expert_days_used_in_quarter") == (str(exp.total_days), "days")
    for name, pence in exp.realised.items():
        assert value("savings_by_council", "realised", name) == pounds(pence)
        assert value("sme_share_by_council", "sme_spend", name) == pounds(exp.sme[name])
        assert value("returns_counted", "return_hash", name) == (exp.hashes[name], "")
    assert value("sme_share_by_council", "spend") == pounds(exp.total_spend)

    # pivoting the council rows (a non-empty council_gss) gives the programme totals back
    council_rows = [
        r for r in rows if r["table"] == "savings_by_council" and r["measure"] == "realised"
    ]
    assert sum(Decimal(r["value"]) for r in council_rows if r["council_gss"]) == pence_to_decimal(
        exp.total_realised
    )
    workstream_rows = [
        r
        for r in rows
        if r["table"] == "savings_by_workstream"
        and r["measure"] == "realised"
        and r["item"] != "Programme total"
    ]
    assert {r["item"] for r in workstream_rows} >= {"Category management", "Productivity experts"}
    assert sum(Decimal(r["value"]) for r in workstream_rows) * 100 == sum(
        exp.by_workstream.values()
    )
    jobs = value("cap_outputs", "realised_in_quarter", item="Jobs created")
    assert jobs == (str(exp.outputs["jobs"]), "FTE")
    missing = [r["council"] for r in rows if r["table"] == "missing_returns"]
    assert missing == ([SUFFOLK[1]] if quarter == Q2 else [])
    if quarter == Q2:
        assert value("missing_returns", "return_received", SUFFOLK[1], Q2) == ("No", "")
        (row,) = [r for r in rows if r["table"] == "missing_returns"]
        assert row["council_gss"] == SUFFOLK[0]


# ---- PDF --------------------------------------------------------------------------------


def _pages(path: Path) -> list[str]:
    """Each page's text, its runs of white space (pypdf puts a line break between cells) as one."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@pytest.mark.parametrize("quarter", [Q2, Q1])
def test_pdf_for_the_board_shows_the_totals_and_traces_them_to_signed_files(
    figures, expected, tmp_path, quarter
):
    exp = expected[quarter]
    pages = _pages(write_report(figures[quarter], tmp_path / "report.pdf"))
    text = "\n".join(pages)
    assert f"{figures[quarter].programme}: {quarter}" in text
    today = date.today()
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page
        assert f"Made on {today.day} {today:%B %Y}" in page
    for amount in (exp.total_realised, exp.total_target, exp.total_spend, exp.total_sme):
        assert format_money(amount) in text
    for name, pence in exp.realised.items():
        assert f"{name} {format_money(pence)}" in text  # the council's line in Savings by council
    assert f"SME share of procurement spend {exp.sme_percent}%" in text
    assert "meet the aspiration" not in text and "Meets" not in text
    assert f"Expert days used in quarter {exp.total_days:.1f}" in text
    # the closing list: every counted return's hash, printed as on the return (two halves)
    closing = text[text.rindex("Returns counted") :]
    for return_hash in exp.hashes.values():
        assert return_hash[:32] in closing and return_hash[32:] in closing
    if quarter == Q2:
        assert f"Not yet returned for {Q2}: {SUFFOLK[1]}" in text
        missing = text[text.rindex("Missing returns") : text.rindex("Returns counted")]
        assert SUFFOLK[1] in missing
    else:
        assert f"Every pilot council's return for {Q1} is counted" in text


@pytest.mark.parametrize("quarter", [Q2, Q1])
def test_pdf_tables_fit_the_page_and_break_no_word(figures, quarter):
    """No table is wider than the page; no heading, number or hash is wider than its column."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from lga_desktop.consolidation import report_pdf
    from lga_desktop.consolidation.report_tables import report_content

    width = A4[0] - 32 * mm
    st = report_pdf._styles()
    for table in report_content(figures[quarter]).tables:
        (flowable,) = report_pdf._table(table, st, width)
        if not table.rows:
            continue  # a sentence, not a table
        widths = flowable._colWidths
        assert sum(widths) <= width + 0.01, table.title
        for n, row in enumerate(flowable._cellvalues):
            bold = n == 0 or table.rows[n - 1].total
            for cell, column_width in zip(row, widths, strict=True):
                if isinstance(cell, str):  # one line (a hash: two), printed as it is
                    font, size = (
                        (report_pdf.MONO, report_pdf.CODE_SIZE)
                        if "\n" in cell
                        else (
                            report_pdf.SANS_BOLD if bold else report_pdf.SANS,
                            report_pdf.FONT_SIZE,
                        )
                    )
                    need = max(stringWidth(line, font, size) for line in cell.split("\n"))
                    assert need + report_pdf.PAD <= column_width + 0.01, (table.title, cell)
                    continue
                assert cell.minWidth() + report_pdf.PAD <= column_width + 0.01, (
                    table.title,
                    cell.getPlainText(),
                )


# ---- a quarter with nothing in, and the ways it can fail --------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".pdf"])
def test_a_quarter_with_no_returns_still_reports_who_is_missing(figures, tmp_path, suffix):
    empty = figures["2012/13 Q3"]
    assert not empty.returns and len(empty.missing) == 4
    path = write_report(empty, tmp_path / f"q3{suffix}")
    if suffix == ".pdf":
        text = "\n".join(_pages(path))
        assert "No return has been counted for this quarter." in text
    elif suffix == ".csv":
        text = path.read_text("utf-8-sig")
    else:
        text = repr([list(s.values) for s in load_workbook(path).worksheets])
    for _gss, name in empty.missing:
        assert name in text


def test_another_suffix_is_refused_saying_which_work(figures, tmp_path):
    for name in ("report.docx", "report"):
        with pytest.raises(UsageError, match=r"\.xlsx, \.csv or \.pdf"):
            write_report(figures[Q2], tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_leaves_nothing_behind(figures, tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        write_report(figures[Q2], tmp_path / "no such folder" / "report.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".pdf"])
def test_a_failure_while_writing_leaves_the_earlier_report_as_it_was(figures, tmp_path, suffix):
    target = tmp_path / f"report{suffix}"
    write_report(figures[Q1], target)
    before = target.read_bytes()
    calls = []

    def stop_midway(done: int, total: int, message: str) -> None:
        calls.append(message)
        if len(calls) == 3:
            progress.cancel()  # the next update, mid-file, stops the writing

    progress = Progress(stop_midway)
    with pytest.raises(Cancelled):
        write_report(figures[Q2], target, progress=progress)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_folder_where_the_file_should_go_is_one_sentence(figures, tmp_path):
    (tmp_path / "report.csv").mkdir()
    with pytest.raises(UsageError, match="The report could not be saved"):
        write_report(figures[Q2], tmp_path / "report.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_the_report_module_loads_without_reportlab_or_openpyxl():
    code = (
        "import sys, lga_desktop.consolidation.reports;"
        "print([m for m in sys.modules if m.startswith(('reportlab', 'openpyxl', 'PySide6'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
