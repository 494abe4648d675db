"""Registers to and from XLSX and CSV: round trips, refusals, all-or-nothing, the CLI."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lga_desktop.cli import main
from lga_desktop.progress import Cancelled, Progress
from lga_desktop.registers import experts, savings, store
from lga_desktop.registers.excel import csv_paths, export_family, import_family
from lga_desktop.registers.family import records_json
from lga_desktop.workspace import Workspace

FAMILIES = ("cap", "experts", "savings")


def _audit_rows(ws):
    return ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_into_an_empty_workspace_loses_nothing(
    demo_workspace, workspace, tmp_path, suffix
):
    for key in FAMILIES:  # in this order: savings lines name the expert engagements
        path = tmp_path / f"{key}{suffix}"
        export_family(demo_workspace, key, path)
        report = import_family(workspace, key, path)
        assert report.ok, report.refused
        assert records_json(workspace, key) == records_json(demo_workspace, key)
    # and back again into the same workspace, nothing changes
    before = _audit_rows(workspace)
    for key in FAMILIES:
        report = import_family(workspace, key, tmp_path / f"{key}{suffix}")
        assert report.ok and not report.added and not report.changed
        assert sum(report.unchanged.values()) == sum(
            len(v) for v in records_json(workspace, key).values()
        )
    assert _audit_rows(workspace) == before


def test_xlsx_cells_are_typed_for_people(demo_workspace, tmp_path):
    path = tmp_path / "savings.xlsx"
    export_family(demo_workspace, "savings", path)
    book = load_workbook(path)
    assert book.sheetnames == ["Savings lines", "Realised by quarter", "About this file"]
    lines = book["Savings lines"]
    header = [c.value for c in lines[1]]
    assert header[:3] == ["Ref", "Workstream", "Title"]
    target = lines.cell(row=2, column=header.index("Target saving") + 1)
    assert isinstance(target.value, int | float) and target.number_format == '"£"#,##0.00'
    assert lines.cell(row=2, column=header.index("Starts") + 1).value == "2012/13 Q3"
    assert (
        lines.cell(row=2, column=header.index("Workstream") + 1).value == "Capital and assets (CAP)"
    )
    export_family(demo_workspace, "experts", tmp_path / "experts.xlsx")
    log = load_workbook(tmp_path / "experts.xlsx")["Day log"]
    assert isinstance(log["C2"].value, datetime) and log["C2"].number_format == "dd/mm/yyyy"
    assert log["B2"].value.startswith("EXP-")


def test_xlsx_money_is_the_exact_amount_in_the_file(demo_workspace, tmp_path):
    # openpyxl's own number writing would store 97726971.15000001
    first = store.list_records(demo_workspace, savings.LINES)[0]
    store.update(demo_workspace, savings.LINES, first.id, {"target": 9_772_697_115})
    path = tmp_path / "savings.xlsx"
    export_family(demo_workspace, "savings", path)
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>97726971.15</v>" in xml and "97726971.1500" not in xml
    report = import_family(demo_workspace, "savings", path)
    assert report.ok and not report.changed


def test_csv_export_writes_one_file_per_register(demo_workspace, tmp_path):
    written = export_family(demo_workspace, "experts", tmp_path / "experts.csv")
    assert [p.name for p in written] == ["experts.csv", "experts - Day log.csv"]
    text = (tmp_path / "experts.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Ref,Expert,Home organisation,Specialism")
    assert csv_paths("cap", tmp_path / "c.csv")["cap.realised"].name == "c - Outputs realised.csv"


def test_an_edited_workbook_updates_and_adds_with_the_import_in_the_trail(demo_workspace, tmp_path):
    path = tmp_path / "experts.xlsx"
    export_family(demo_workspace, "experts", path)
    book = load_workbook(path)
    sheet = book["Expert engagements"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Days agreed") + 1, value=25)
    sheet.append(
        [
            None,
            "Priya Shah",
            "Kent County Council",
            "Shared services",
            "Shared legal team",
            5.5,
            datetime(2012, 9, 3),
            None,
            "£75,000",
            "A year",
        ]
    )
    book.save(path)
    report = import_family(demo_workspace, "experts", path)
    assert report.ok, report.refused
    assert report.added == {"experts": 1} and report.changed == {"experts": 1}
    added = store.find_by_ref(demo_workspace, experts.ENGAGEMENTS, "EXP-005")
    assert added["days_agreed"] == Decimal("5.5") and added["expected_saving"] == 7_500_000
    first = store.find_by_ref(demo_workspace, experts.ENGAGEMENTS, "EXP-001")
    assert first["days_agreed"] == Decimal("25.0")
    from lga_desktop.registers.audit import history

    latest = history(demo_workspace, experts.ENGAGEMENTS, first.id)[0]
    assert latest.source == "Imported from experts.xlsx"
    assert [(i.field, i.old, i.new) for i in latest.items] == [("days_agreed", "20.0", "25.0")]


def test_refused_rows_are_reported_and_nothing_is_imported(demo_workspace, tmp_path):
    path = tmp_path / "savings.xlsx"
    export_family(demo_workspace, "savings", path)
    book = load_workbook(path)
    lines, realised = book["Savings lines"], book["Realised by quarter"]
    lh = [c.value for c in lines[1]]
    rh = [c.value for c in realised[1]]
    lines.cell(row=2, column=lh.index("Title") + 1, value="Renamed, but the row below is bad")
    lines.cell(row=3, column=lh.index("Target saving") + 1, value="12,34")
    lines.cell(row=4, column=lh.index("Workstream") + 1, value="Juggling")
    lines.cell(row=5, column=lh.index("Expert engagement") + 1, value="EXP-099")
    realised.cell(row=2, column=rh.index("Quarter") + 1, value="2012/13")
    realised.cell(row=3, column=rh.index("Savings line") + 1, value="SAV-404")
    realised.cell(row=4, column=1, value=realised.cell(row=5, column=1).value)  # a repeated ref
    row4 = [c.value for c in realised[4]]
    clash = next(
        r.ref
        for r in store.list_records(demo_workspace, savings.REALISED)
        if r["saving"].ref == row4[rh.index("Savings line")]
        and str(r["quarter"]) == row4[rh.index("Quarter")]
    )
    book.save(path)
    before = (records_json(demo_workspace, "savings"), _audit_rows(demo_workspace))
    report = import_family(demo_workspace, "savings", path)
    assert not report.ok
    assert [str(p) for p in report.refused] == [
        "Savings lines, row 3, Target saving: '12,34' looks like a decimal comma; write pounds and pence with a point, e.g. 1234.50",
        "Savings lines, row 4, Workstream: 'Juggling' is not one of Capital and assets (CAP), Category management, Productivity experts, Adult social care efficiency, Waste, Shared services, Troubled families, Children's commissioning, Other",
        "Savings lines, row 5, Expert engagement: there is no engagement EXP-099 in this workspace",
        "Realised by quarter, row 2, Quarter: '2012/13' is a whole year; name the quarter, e.g. 2012/13 Q2",
        "Realised by quarter, row 3, Savings line: there is no savings line SAV-404 in this workspace",
        # row 4 now names another record, which it would move onto a quarter that line has
        f"Realised by quarter, row 4, Quarter: this line already has a realised amount for that quarter ({clash})",
        f"Realised by quarter, row 5, Ref: {realised.cell(row=5, column=1).value} is also on row 4",
    ]
    assert report.summary().startswith(
        "Nothing was imported from savings.xlsx: 7 rows were refused"
    )
    assert not report.added and not report.changed
    assert (records_json(demo_workspace, "savings"), _audit_rows(demo_workspace)) == before


def test_a_missing_required_column_refuses_the_sheet(demo_workspace, tmp_path):
    path = tmp_path / "experts.xlsx"
    export_family(demo_workspace, "experts", path)
    book = load_workbook(path)
    book["Day log"].delete_cols(5)  # What was done
    book["Day log"].delete_cols(4)  # Days: it has a default, so it may be left out
    book.save(path)
    report = import_family(demo_workspace, "experts", path)
    assert [str(p) for p in report.refused] == [
        "Day log, row 1: the column 'What was done' is missing"
    ]


def test_a_repeated_period_in_the_file_is_refused(workspace, tmp_path):
    path = tmp_path / "cap.csv"
    path.write_text(
        "Ref,Title,Wave,Status,LGA investment,Match funding,Start,End\n"
        ",Estate,Wave 2,Draft,50000,50000,01/04/2012,31/03/2022\n",
        encoding="utf-8",
    )
    csv_paths("cap", path)["cap.planned"].write_text(
        "Plan,Financial year,Jobs created (FTE)\nCAP-01,2012/13,5\nCAP-01,2012-13,6\n",
        encoding="utf-8",
    )
    report = import_family(workspace, "cap", path)
    assert [str(p) for p in report.refused] == [
        "cap - Outputs planned.csv, row 3, Financial year: this plan already has outputs planned "
        "for that year (PLN-001)"
    ]
    assert store.count(workspace, store.register("cap")) == 0


def test_a_csv_saved_by_excel_in_windows_1252_reads(workspace, tmp_path):
    path = tmp_path / "savings.csv"
    path.write_bytes(
        'Workstream,Title,Target saving,Starts\r\nWaste,Café contract,"£1,200.50",Q2 2012/13\r\n'.encode(
            "cp1252"
        )
    )
    report = import_family(workspace, "savings", path)
    assert report.ok, report.refused
    [line] = store.list_records(workspace, savings.LINES)
    assert (line.ref, line["title"], line["target"]) == ("SAV-001", "Café contract", 120050)
    assert line["cashable"] == "cashable"  # a column left out takes its default


def test_replace_deletes_what_the_file_leaves_out(demo_workspace, tmp_path):
    path = tmp_path / "experts.xlsx"
    export_family(demo_workspace, "experts", path)
    book = load_workbook(path)
    eng = book["Expert engagements"]
    eng.delete_rows(5)  # EXP-004
    log = book["Day log"]
    gone = [r for r in range(2, log.max_row + 1) if log.cell(row=r, column=2).value == "EXP-004"]
    for r in reversed(gone):
        log.delete_rows(r)
    book.save(path)
    report = import_family(demo_workspace, "experts", path, replace=True)
    assert report.ok, report.refused
    assert report.deleted == {"experts.days": len(gone), "experts": 1}
    assert store.find_by_ref(demo_workspace, experts.ENGAGEMENTS, "EXP-004") is None


def test_replace_refuses_to_delete_a_parent_the_file_keeps_rows_under(demo_workspace, tmp_path):
    path = tmp_path / "experts.xlsx"
    export_family(demo_workspace, "experts", path)
    book = load_workbook(path)
    book["Expert engagements"].delete_rows(5)  # EXP-004, but its day log stays
    book.save(path)
    report = import_family(demo_workspace, "experts", path, replace=True)
    assert not report.ok
    assert "EXP-004 is not in the file, so replacing would delete it" in report.refused[0].message
    assert store.find_by_ref(demo_workspace, experts.ENGAGEMENTS, "EXP-004") is not None


def test_cancelling_an_import_leaves_the_workspace_as_it_was(demo_workspace, workspace, tmp_path):
    path = tmp_path / "experts.xlsx"
    export_family(demo_workspace, "experts", path)
    progress = Progress()
    seen = []

    def stop_half_way(done, total, message):
        seen.append(done)
        progress.cancel()

    progress._callback = stop_half_way
    with pytest.raises(Cancelled):
        import_family(workspace, "experts", path, progress)
    assert seen and store.count(workspace, experts.ENGAGEMENTS) == 0
    assert _audit_rows(workspace) == 0


def test_files_that_cannot_be_read_get_one_clear_sentence(workspace, tmp_path):
    from lga_desktop.errors import UsageError

    with pytest.raises(UsageError, match="ending .xlsx or .csv"):
        import_family(workspace, "cap", tmp_path / "plan.ods")
    bad = tmp_path / "plan.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(UsageError, match="could not be read as an Excel workbook"):
        import_family(workspace, "cap", bad)
    with pytest.raises(UsageError, match="no file"):
        import_family(workspace, "cap", tmp_path / "missing.csv")


# ---- the command line ----------------------------------------------------------------


def test_cli_export_then_import_round_trip(demo_workspace, workspace, tmp_path, capsys):
    demo_workspace.close()
    workspace.close()
    out = tmp_path / "savings.xlsx"
    assert (
        main(
            [
                "export",
                str(demo_workspace.path),
                "--register",
                "experts",
                "--out",
                str(tmp_path / "e.xlsx"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "export",
                str(demo_workspace.path),
                "--register",
                "savings",
                "--out",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["files"] == [str(out)]
    assert (
        main(["import", str(workspace.path), "--register", "experts", str(tmp_path / "e.xlsx")])
        == 0
    )
    assert main(["import", str(workspace.path), "--register", "savings", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["ok"] and report["added"] == {"savings": 12, "savings.realised": 34}
    with Workspace.open(workspace.path) as ws, Workspace.open(demo_workspace.path) as demo:
        assert records_json(ws, "savings") == records_json(demo, "savings")


def test_cli_import_with_refused_rows_exits_1_and_lists_them(workspace, tmp_path, capsys):
    workspace.close()
    path = tmp_path / "savings.csv"
    path.write_text(
        "Workstream,Title,Target saving,Starts\nWaste,Rounds,lots,2012/13 Q1\n", encoding="utf-8"
    )
    assert main(["import", str(workspace.path), "--register", "savings", str(path)]) == 1
    err = capsys.readouterr().err
    assert "savings.csv, row 2, Target saving: 'lots' is not an amount of money" in err
    assert "Nothing was imported from savings.csv: 1 row was refused" in err


def test_cli_usage_errors_exit_2(workspace, tmp_path, capsys):
    workspace.close()
    assert (
        main(["export", str(workspace.path), "--register", "cap", "--out", str(tmp_path / "x.pdf")])
        == 2
    )
    assert "choose a file ending .xlsx or .csv" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["export", str(workspace.path), "--register", "spend", "--out", "x.csv"])
    assert caught.value.code == 2
