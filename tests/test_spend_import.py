"""Importing spend files: the real Oxford files to the penny, and the odd files councils publish."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from lga_desktop.errors import NotValidError, UsageError
from lga_desktop.procurement.headers import match_header, recognise
from lga_desktop.procurement.reading import CellError, DateReader, detect_encoding, read_amount
from lga_desktop.procurement.spend_import import (
    ColumnMappingNeeded,
    import_spend,
    read_header,
    remove_import,
)
from lga_desktop.progress import Cancelled, Progress

OXFORD = Path(__file__).parent / "data" / "spend" / "oxford"
FILES = sorted(OXFORD.glob("*.csv"))


def oxford_rows(
    name: str = "expenditure-over-500-apr-jun-2015.csv",
) -> tuple[list[str], list[list[str]]]:
    with open(OXFORD / name, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def decimal_total(path: Path) -> tuple[Decimal, int]:
    """The file's total, computed independently of the importer."""
    total, n = Decimal(0), 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            amount = next(v for k, v in row.items() if k.strip().lower() == "amount")
            if amount.strip():
                total += Decimal(amount)
                n += 1
    return total, n


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], *, encoding="utf-8", bom=b""
) -> Path:
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(bom + buf.getvalue().encode(encoding))
    return path


def line_count(ws) -> int:
    return ws.db.execute("SELECT COUNT(*) FROM spend_line").fetchone()[0]


def db_total(ws) -> int:
    return ws.db.execute("SELECT COALESCE(SUM(amount_pence), 0) FROM spend_line").fetchone()[0]


# ---- the four Oxford files ----------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_oxford_file_imports_with_exact_total(workspace, path):
    expected, n = decimal_total(path)
    report = import_spend(workspace, path)
    assert report.total_pence == int(expected * 100)
    assert report.imported == n
    assert db_total(workspace) == int(expected * 100)
    assert report.duplicates == 0
    summary = workspace.db.execute("SELECT SUM(pence), SUM(lines) FROM spend_summary").fetchone()
    assert summary == (int(expected * 100), n)


def test_all_four_oxford_files_recognised_without_mapping(workspace):
    for path in FILES:
        report = import_spend(workspace, path)
        assert {"date", "amount", "supplier_name", "reference", "category"} <= set(report.columns)
        assert report.unread_columns == []
    assert line_count(workspace) == sum(decimal_total(p)[1] for p in FILES)


def test_trailing_junk_row_in_2014_file_is_refused_with_its_line(workspace):
    report = import_spend(workspace, OXFORD / "expenditure-over-500-jan-mar-2014.csv")
    assert report.refused == [(3861, "not a spend line: it has no date, amount or supplier")]
    assert report.rows_read == 3860


def test_redacted_names_are_kept_and_flagged(workspace):
    report = import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2015.csv")
    assert report.redacted_lines == 92
    n = workspace.db.execute(
        "SELECT COUNT(*) FROM spend_line l JOIN supplier s ON s.id = l.supplier_id "
        "WHERE s.redacted = 1 AND l.supplier_name = 'Redacted personal data'"
    ).fetchone()[0]
    assert n == 92
    # a supplier whose name merely starts like the word is not redacted
    import_spend(workspace, OXFORD / "expenditure-over-500-jul-sep-2016.csv")
    assert workspace.db.execute(
        "SELECT redacted FROM supplier WHERE name LIKE 'REDACTIVE MEDIA%'"
    ).fetchone() == (0,)


def test_the_quick_redacted_check_agrees_with_its_expression():
    """is_redacted looks for a few words before its regular expression: never a different answer."""
    from hypothesis import given
    from hypothesis import strategies as st

    from lga_desktop.procurement.suppliers import _REDACTED, is_redacted

    names = [row[-1] for path in FILES for row in oxford_rows(path.name)[1]]
    names += ["REDACTED", "Name removed", "Private Individual", "INDIVIDUAL", "Withheld"]
    assert sum(map(is_redacted, names)) > 90
    assert [is_redacted(n) for n in names] == [bool(_REDACTED.search(n)) for n in names]

    words = ["redacted", "redaction", "withheld", "personal data", "personal information"]
    words += ["private individual", "data protection", "individual", "name removed", "Ltd"]

    @given(
        st.lists(
            st.sampled_from(words)
            | st.text(alphabet="aeioudnrstlkKſİıÅ ", max_size=6)
            | st.just(" "),
            max_size=5,
        ),
        st.lists(st.booleans(), min_size=1, max_size=40),
    )
    def agree(parts, upper):
        text = "".join(parts)
        name = "".join(c.upper() if upper[i % len(upper)] else c for i, c in enumerate(text))
        assert is_redacted(name) == bool(_REDACTED.search(name))

    agree()


def test_reimport_counts_duplicates_and_adds_nothing(workspace):
    path = OXFORD / "expenditure-over-500-jul-sep-2016.csv"
    first = import_spend(workspace, path)
    again = import_spend(workspace, path)
    assert again.imported == 0
    assert again.duplicates == first.imported == 3581
    assert again.total_pence == 0
    assert line_count(workspace) == 3581


def test_lines_repeated_within_a_file_count_once_with_exact_sums(workspace, tmp_path):
    """A big file into an empty workspace (indexes rebuilt at the end) repeating its own lines."""
    header, rows = oxford_rows()
    rows = rows[:300]
    repeated = rows[:200] + rows[100:150] + rows[200:] + rows[290:]  # 60 lines twice
    report = import_spend(workspace, write_csv(tmp_path / "twice.csv", header, repeated))
    assert (report.rows_read, report.imported, report.duplicates) == (360, 300, 60)
    expected = sum(Decimal(r[6]) for r in rows) * 100
    assert report.total_pence == db_total(workspace) == int(expected)
    summary = workspace.db.execute("SELECT SUM(pence), SUM(lines) FROM spend_summary").fetchone()
    assert summary == (int(expected), 300)
    ids = workspace.db.execute("SELECT MIN(id), MAX(id) FROM spend_line").fetchone()
    stored = "SELECT first_line_id, last_line_id, duplicates FROM spend_import WHERE id = ?"
    assert workspace.db.execute(stored, [report.import_id]).fetchone() == (*ids, 60)
    # all of it again: nothing imported, and no lines to point at
    again = import_spend(workspace, tmp_path / "twice.csv")
    assert (again.imported, again.duplicates, again.total_pence) == (0, 360, 0)
    assert workspace.db.execute(stored, [again.import_id]).fetchone() == (None, None, 360)


def test_partly_overlapping_file_imports_only_new_lines(workspace, tmp_path):
    header, rows = oxford_rows()
    write_csv(tmp_path / "a.csv", header, rows[:100])
    write_csv(tmp_path / "b.csv", header, rows[50:150])
    import_spend(workspace, tmp_path / "a.csv")
    report = import_spend(workspace, tmp_path / "b.csv")
    assert (report.imported, report.duplicates) == (50, 50)
    expected = sum(Decimal(r[6]) for r in rows[100:150])
    assert report.total_pence == int(expected * 100)


def test_same_supplier_written_differently_is_one_supplier(workspace):
    import_spend(workspace, OXFORD / "expenditure-over-500-jul-sep-2016.csv")
    import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2017.csv")
    rows = workspace.db.execute("SELECT name FROM supplier WHERE name_key = 'INSTARMAC'").fetchall()
    assert len(rows) == 1


# ---- odd files ---------------------------------------------------------------


def test_bom_with_windows_1252_pounds_and_thousands(workspace, tmp_path):
    header, rows = oxford_rows()
    rows = [list(r) for r in rows[:200]]
    for r in rows:
        r[6] = f"£{Decimal(r[6]):,.2f}"
    rows[0][9] = "Café Rouge – Oxford"  # é and the en dash are Windows-1252 bytes
    path = write_csv(tmp_path / "bom1252.csv", header, rows, encoding="cp1252", bom=b"\xef\xbb\xbf")
    assert detect_encoding(path) == ("cp1252", 3)
    report = import_spend(workspace, path)
    assert report.encoding == "cp1252"
    assert report.imported == 200
    _, original = oxford_rows()
    assert report.total_pence == int(sum(Decimal(r[6]) for r in original[:200]) * 100)
    assert workspace.db.execute(
        "SELECT COUNT(*) FROM supplier WHERE name = 'Café Rouge – Oxford'"
    ).fetchone() == (1,)


def stored_sha256(ws, import_id: int) -> str:
    return ws.db.execute(
        "SELECT file_sha256 FROM spend_import WHERE id = ?", [import_id]
    ).fetchone()[0]


def test_the_stored_hash_is_the_whole_files_taken_while_reading(workspace, tmp_path):
    """The byte-order mark, every line and the trailing blank rows are all in it."""
    header, rows = oxford_rows()
    rows = [list(r) for r in rows[:3000]] + [[""] * len(header)] * 3
    path = write_csv(tmp_path / "bom.csv", header, rows, encoding="cp1252", bom=b"\xef\xbb\xbf")
    report = import_spend(workspace, path)
    assert report.imported == 3000
    assert (
        stored_sha256(workspace, report.import_id) == hashlib.sha256(path.read_bytes()).hexdigest()
    )


def test_utf8_bom_header_is_recognised(workspace, tmp_path):
    header, rows = oxford_rows()
    path = write_csv(tmp_path / "bom.csv", header, rows[:10], bom=b"\xef\xbb\xbf")
    report = import_spend(workspace, path)
    assert report.columns["body"] == "Body Name"
    assert report.imported == 10


def test_excel_serial_dates_and_trailing_blank_rows(workspace, tmp_path):
    header, rows = oxford_rows()
    rows = [list(r) for r in rows[:50]]
    days = [datetime.strptime(r[4], "%d/%m/%Y").date() for r in rows]
    for r, d in zip(rows, days, strict=True):
        r[4] = str((d - date(1899, 12, 30)).days)
    rows += [[""] * 10, [""] * 10, []]
    path = write_csv(tmp_path / "serial.csv", header, rows)
    report = import_spend(workspace, path)
    assert report.imported == 50
    assert report.refused == []
    assert report.blank == 3
    assert report.first_date == min(days).isoformat()
    stored = workspace.db.execute("SELECT spend_date FROM spend_line ORDER BY line_no").fetchall()
    assert [r[0] for r in stored] == [d.isoformat() for d in days]


def test_unusable_dates_are_refused_never_guessed(workspace, tmp_path):
    header, rows = oxford_rows()
    rows = [list(r) for r in rows[:5]]
    rows[1][4] = "31/02/2015"
    rows[2][4] = "00:00:00"
    rows[3][4] = ""
    path = write_csv(tmp_path / "dates.csv", header, rows)
    report = import_spend(workspace, path)
    assert report.imported == 2
    lines = dict(report.refused)
    assert set(lines) == {3, 4, 5}
    assert "not a real date" in lines[3]
    assert "'00:00:00' is not a date" in lines[4]
    assert lines[5] == "no date"


def test_negative_and_parenthesised_amounts(workspace, tmp_path):
    header, rows = oxford_rows()
    rows = [list(r) for r in rows[:3]]
    rows[0][6], rows[1][6], rows[2][6] = "(1,250.00)", "-£30.5", "£2,000"
    report = import_spend(workspace, write_csv(tmp_path / "neg.csv", header, rows))
    assert report.total_pence == -125000 - 3050 + 200000


def test_missing_reference_column_warns_and_still_imports(workspace, tmp_path):
    header, rows = oxford_rows()
    keep = [i for i, h in enumerate(header) if h != "Trans No"]
    path = write_csv(
        tmp_path / "noref.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows[:20]]
    )
    report = import_spend(workspace, path)
    assert report.imported == 20
    assert any("no transaction reference" in w for w in report.warnings)


def test_missing_amount_column_asks_for_a_mapping_and_writes_nothing(workspace, tmp_path):
    header, rows = oxford_rows()
    keep = [i for i, h in enumerate(header) if h != "Amount"]
    path = write_csv(
        tmp_path / "noamount.csv",
        [header[i] for i in keep],
        [[r[i] for i in keep] for r in rows[:20]],
    )
    with pytest.raises(ColumnMappingNeeded) as err:
        import_spend(workspace, path)
    assert "amount" in str(err.value)
    assert err.value.proposal.missing == ["amount"]
    assert line_count(workspace) == 0
    assert workspace.db.execute("SELECT COUNT(*) FROM spend_import").fetchone() == (0,)


def test_unrecognised_headers_are_mapped_once_and_remembered(workspace, tmp_path):
    header, rows = oxford_rows()
    odd = ["Org", "Team", "What for", "GL", "When", "Doc", "Paid £", "R/C", "Vend", "Who"]
    path = write_csv(tmp_path / "odd.csv", odd, rows[:30])
    proposal = read_header(path, workspace)
    assert set(proposal.missing) == {"date", "amount", "supplier_name"}
    with pytest.raises(ColumnMappingNeeded):
        import_spend(workspace, path)
    columns = {
        "date": "When",
        "amount": "Paid £",
        "supplier_name": "Who",
        "reference": "Doc",
        "category": "What for",
    }
    report = import_spend(workspace, path, columns=columns)
    assert report.imported == 30
    # the next file with the same headers needs no mapping
    path2 = write_csv(tmp_path / "odd2.csv", odd, rows[30:40])
    assert read_header(path2, workspace).remembered
    assert import_spend(workspace, path2).imported == 10


def test_title_rows_above_the_header_are_skipped(workspace, tmp_path):
    header, rows = oxford_rows()
    path = tmp_path / "titled.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Oxford City Council: expenditure over £500"])
        w.writerow([])
        w.writerow(header)
        w.writerows(rows[:5])
    report = import_spend(workspace, path)
    assert report.header_line == 3
    assert report.imported == 5


def test_xlsx_with_date_cells_and_numbers(workspace, tmp_path):
    import openpyxl

    header, rows = oxford_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows[:300]:
        cells = list(r)
        cells[4] = datetime.strptime(r[4], "%d/%m/%Y")
        cells[6] = float(r[6])
        sheet.append(cells)
    path = tmp_path / "spend.xlsx"
    book.save(path)
    report = import_spend(workspace, path)
    assert report.encoding == "xlsx"
    assert report.imported == 300
    assert (
        stored_sha256(workspace, report.import_id) == hashlib.sha256(path.read_bytes()).hexdigest()
    )
    assert report.total_pence == int(sum(Decimal(r[6]) for r in rows[:300]) * 100)


def test_old_xls_and_empty_files_get_a_clear_message(workspace, tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(UsageError, match="save it as .xlsx or .csv"):
        import_spend(workspace, xls)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UsageError, match="empty"):
        import_spend(workspace, empty)


def test_strict_refuses_the_whole_file(workspace, tmp_path):
    header, rows = oxford_rows()
    rows = [list(r) for r in rows[:10]]
    rows[4][6] = "12,34"
    path = write_csv(tmp_path / "strict.csv", header, rows)
    with pytest.raises(NotValidError, match="line 6"):
        import_spend(workspace, path, strict=True)
    assert line_count(workspace) == 0
    report = import_spend(workspace, path)
    assert report.imported == 9
    assert "decimal comma" in dict(report.refused)[6]


def test_cancelling_leaves_the_workspace_as_it_was(workspace, tmp_path):
    header, rows = oxford_rows()
    write_csv(tmp_path / "first.csv", header, rows[:10])
    import_spend(workspace, tmp_path / "first.csv")
    before = [
        workspace.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in (
            "spend_line",
            "supplier",
            "spend_source_category",
            "spend_import",
            "spend_summary",
        )
    ]
    indexes = workspace.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    progress = Progress(lambda done, total, msg: progress.cancel())
    with pytest.raises(Cancelled):
        import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2017.csv", progress=progress)
    after = [
        workspace.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in (
            "spend_line",
            "supplier",
            "spend_source_category",
            "spend_import",
            "spend_summary",
        )
    ]
    assert after == before
    assert (
        workspace.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
        == indexes
    )


def test_lines_always_refer_to_real_suppliers_and_categories(workspace, tmp_path):
    """The importer writes with foreign-key checks off; what it writes must still pass them."""
    conn = workspace.db.conn
    settings = ("PRAGMA foreign_keys", "PRAGMA cache_size")
    before = [conn.execute(p).fetchone() for p in settings]
    import_spend(workspace, OXFORD / "expenditure-over-500-jul-sep-2016.csv")
    import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2017.csv")
    header, rows = oxford_rows()
    rows = [list(r) for r in rows[:20]]
    rows[3][6] = "12,34"
    with pytest.raises(NotValidError):
        import_spend(workspace, write_csv(tmp_path / "bad.csv", header, rows), strict=True)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert [conn.execute(p).fetchone() for p in settings] == before
    orphans = conn.execute(
        "SELECT COUNT(*) FROM spend_line l LEFT JOIN supplier s ON s.id = l.supplier_id "
        "LEFT JOIN spend_source_category c ON c.id = l.source_category_id "
        "WHERE s.id IS NULL OR c.id IS NULL"
    ).fetchone()[0]
    assert orphans == 0


def test_remove_import_takes_its_lines_and_sums_away(workspace):
    a = import_spend(workspace, OXFORD / "expenditure-over-500-jul-sep-2016.csv")
    b = import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2017.csv")
    assert remove_import(workspace, a.import_id) == 3581
    assert db_total(workspace) == b.total_pence
    assert (
        workspace.db.execute("SELECT SUM(pence) FROM spend_summary").fetchone()[0] == b.total_pence
    )
    report = json.loads(
        workspace.db.execute(
            "SELECT report FROM spend_import WHERE id = ?", [b.import_id]
        ).fetchone()[0]
    )
    assert report["imported"] == 4052


# ---- headers and cells ---------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Organisatonal Unit", "service_area"),
        ("Expenditure Catergory", "category"),
        ("Expenditure Code", "code"),
        ("caporrev", "cap_rev"),
        ("Type of Expenditure", "cap_rev"),
        ("Payment Date", "date"),
        ("Date Paid", "date"),
        ("Transaction Date", "date"),
        ("TransactionNumber", "reference"),
        ("Transaction Ref.", "reference"),
        ("Net Amount", "amount"),
        ("Amount (£)", "amount"),
        ("Value", "amount"),
        ("Vendor Name", "supplier_name"),
        ("Payee", "supplier_name"),
        ("SUPPLIER_NAME", "supplier_name"),
        ("Supplier Number", "supplier_ref"),
        ("Expense Type", "category"),
        ("Directorate", "service_area"),
        ("Organisation Name", "body"),
        ("Company Registration Number", "company_number"),
        ("Suplier Name", "supplier_name"),
    ],
)
def test_header_synonyms(header, field):
    assert match_header(header)[0] == field


def test_unknown_headers_are_not_forced(tmp_path):
    assert match_header("Narrative") is None
    assert match_header("Col 7") is None


def test_net_amount_preferred_over_gross():
    mapping = recognise(["Supplier", "Date", "Gross Amount", "Net Amount"])
    assert mapping.columns["amount"] == 3
    assert mapping.unread == ["Gross Amount"]


@pytest.mark.parametrize(
    ("cell", "iso"),
    [
        ("07/04/2015", "2015-04-07"),
        ("7/4/2015", "2015-04-07"),
        ("07-04-2015", "2015-04-07"),
        ("07/04/15", "2015-04-07"),
        ("2015-04-07", "2015-04-07"),
        ("2015-04-07T00:00:00", "2015-04-07"),
        ("07/04/2015 00:00:00", "2015-04-07"),
        ("7 Apr 2015", "2015-04-07"),
        ("07-Apr-15", "2015-04-07"),
        ("42101", "2015-04-07"),
        (42101, "2015-04-07"),
        (42101.5, "2015-04-07"),
        (datetime(2015, 4, 7, 0, 0), "2015-04-07"),
    ],
)
def test_dates(cell, iso):
    assert DateReader()(cell)[0] == iso


def test_quarter_key_comes_with_the_date():
    assert DateReader()("15/01/2015") == ("2015-01-15", "2014Q4")


@pytest.mark.parametrize("cell", ["00:00:00", "12/25/2015", "", "soon", "1", "31/02/2015"])
def test_bad_dates_raise(cell):
    with pytest.raises(CellError):
        DateReader()(cell)


@pytest.mark.parametrize(
    ("cell", "pence"),
    [
        ("1054.11", 105411),
        ("8310.6", 831060),
        ("-0.01", -1),
        ("2440", 244000),
        ("£1,234.50", 123450),
        ("(500.00)", -50000),
        ("1054.1100", 105411),
        (1054.11, 105411),
        (1054.1100000000001, 105411),
        (12, 1200),
    ],
)
def test_amounts(cell, pence):
    assert read_amount(cell) == pence


@pytest.mark.parametrize("cell", ["12,34", "1054.111", "", "abc", 0.001])
def test_bad_amounts_raise(cell):
    with pytest.raises(CellError):
        read_amount(cell)


def test_amount_fast_path_agrees_with_parse_money():
    from hypothesis import given
    from hypothesis import strategies as st

    from lga_desktop.money import parse_money

    @given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from([0, 1, 2]))
    def check(pence, places):
        text = f"{Decimal(pence) / 100:.{places}f}" if places else str(pence // 100)
        assert read_amount(text) == parse_money(text)

    check()


def test_decorated_amount_fast_path_agrees_with_parse_money():
    from hypothesis import given
    from hypothesis import strategies as st

    from lga_desktop.money import parse_money
    from lga_desktop.procurement.reading import _grouped_pence

    @given(
        st.integers(min_value=0, max_value=10**12),
        st.sampled_from([0, 1, 2]),
        st.sampled_from(["£{}", "({})", "(£{})", "{}"]),
        st.booleans(),
    )
    def forms(pence, places, pattern, commas):
        pounds = Decimal(pence) / 100 if places else Decimal(pence // 100)
        number = f"{pounds:{',' if commas else ''}.{places}f}"
        text = pattern.format(number)
        assert _grouped_pence(text) == parse_money(text)

    # whatever else it accepts, it reads as parse_money does
    @given(st.text(alphabet="£(),.0123456789- ", max_size=14))
    def anything(text):
        fast = _grouped_pence(text.strip())
        if fast is not None:
            assert fast == parse_money(text)

    forms()
    anything()


def test_every_date_is_in_its_quarter():
    reader = DateReader()
    day = date(2014, 1, 1)
    while day < date(2016, 1, 1):
        iso, key = reader(day.strftime("%d/%m/%Y"))
        assert iso == day.isoformat()
        from lga_desktop.periods import parse_period

        assert day in parse_period(key)
        day += timedelta(days=1)
