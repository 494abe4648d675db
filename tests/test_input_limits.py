"""Limits on what a spend file or register workbook may cost: checked before parsing and while reading."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

from lga_desktop.cli import main
from lga_desktop.procurement.spend_import import import_spend
from lga_desktop.workspace import Workspace

OXFORD = "E07000178"
HEADER = ["Date", "Supplier", "Amount", "Expense Type"]
ROWS = [
    ["01/04/2014", "Acme Ltd", "1054.11", "Stationery"],
    ["02/04/2014", "Bolt & Co", "2000.00", "Repairs"],
    ["03/04/2014", "Crane plc", "725.50", "Repairs"],
]


def workbook(
    path: Path, rows: list[list], *, dimension: str | None = None, pad: int = 0, wide: int = 0
) -> Path:
    """An XLSX written by openpyxl, then its sheet XML changed as a hostile file would be."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(
                        r'<dimension ref="[^"]*" ?/>', f'<dimension ref="{dimension}"/>', text
                    )
                if wide:  # rows holding one empty cell in the sheet's last column
                    far = "".join(
                        f'<row r="{i}"><c r="XFD{i}" t="inlineStr"><is><t></t></is></c></row>'
                        for i in range(len(rows) + 1, len(rows) + 1 + wide)
                    )
                    text = text.replace("</sheetData>", far + "</sheetData>")
                if pad:  # whitespace: tiny packed, huge unpacked
                    text = text.replace("<sheetData>", "<sheetData>" + " " * pad)
                data = text.encode()
            dst.writestr(item, data)
    plain.unlink()
    return path


def test_rows_reaching_the_last_column_cost_nothing(workspace, tmp_path):
    path = workbook(
        tmp_path / "spend.xlsx", [HEADER, *ROWS], dimension="A1:XFD1048576", wide=40_000
    )
    assert path.stat().st_size < 2_000_000
    started = time.monotonic()
    report = import_spend(workspace, path)
    assert report.imported == 3
    assert time.monotonic() - started < 15  # not 16,384 cells for each of 40,000 rows


def test_a_long_run_of_blank_rows_ends_the_sheet(workspace, tmp_path):
    blank = [["", "", "", ""]] * 1_500
    late = [["04/04/2014", "Late Ltd", "999.00", "Repairs"]]
    path = workbook(tmp_path / "spend.xlsx", [HEADER, *ROWS, *blank, *late])
    report = import_spend(workspace, path)
    assert report.imported == 3  # the row after 1,500 blank ones is past the sheet's end


def test_a_zip_bomb_is_refused_before_parsing(tmp_path, capsys):
    path = workbook(tmp_path / "bomb.xlsx", [HEADER, *ROWS], pad=60_000_000)
    assert path.stat().st_size < 1_000_000
    ws = tmp_path / "ws.lgaws"
    Workspace.create(ws, OXFORD).close()
    code = main(["import-spend", str(ws), str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "not an ordinary workbook" in err
    code = main(["import", str(ws), "--register", "cap", str(path)])
    assert code == 2 and "not an ordinary workbook" in capsys.readouterr().err


def test_long_refused_cells_do_not_grow_the_workspace(tmp_path, capsys):
    ws = tmp_path / "ws.lgaws"
    Workspace.create(ws, OXFORD).close()
    before = ws.stat().st_size
    spend = tmp_path / "long.csv"
    with open(spend, "w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        for i in range(300):
            f.write(f"{'9' * 20_000}{i},Acme Ltd,{'1' * 2_000},Stationery\n")
    assert spend.stat().st_size > 6_000_000
    code = main(["import-spend", str(ws), str(spend), "--json"])
    capsys.readouterr()
    assert code == 1  # nothing could be imported
    with Workspace.open(ws) as opened:
        opened.db.execute("VACUUM")
        stored = opened.db.execute("SELECT max(length(report)) FROM spend_import").fetchone()[0]
    assert stored is None or stored < 200_000
    assert ws.stat().st_size < before + 1_000_000
