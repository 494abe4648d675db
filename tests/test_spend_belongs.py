"""Spend belongs to this council: another body's file is refused, asked about, or warned of."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from lga_desktop.cli import main
from lga_desktop.errors import UsageError
from lga_desktop.periods import Quarter
from lga_desktop.procurement.feature import validate
from lga_desktop.procurement.spend_import import NotThisCouncil, import_spend

HEADER = ["Body Name", "Expenditure Category", "Paid Date", "Trans No", "Amount", "Supplier Name"]


def spend_file(folder, name: str, body: str, dates=("10/07/2012", "15/08/2012")):
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for n, day in enumerate(dates):
            w.writerow([body, "Materials", day, f"{name}-{n}", "1,250.00", "Instarmac Ltd"])
    return path


def lines(ws) -> int:
    return ws.db.execute("SELECT COUNT(*) FROM spend_line").fetchone()[0]


def test_calderdales_year_is_refused_by_oxford(workspace, tmp_path):
    path = spend_file(tmp_path, "calderdale.csv", "The Borough of Calderdale")
    with pytest.raises(NotThisCouncil) as refused:
        import_spend(workspace, path)
    assert "'The Borough of Calderdale' (2 lines, £2,500.00), not Oxford City Council" in str(
        refused.value
    )
    assert "--other-body" in str(refused.value)
    assert lines(workspace) == 0  # nothing was written
    report = import_spend(workspace, path, other_body=True)
    assert report.imported == 2 and "Imported although" in report.warnings[-1]
    # the return warns, and needs a note
    [finding] = [f for f in validate(workspace, Quarter(2012, 2)) if f.code.endswith("other_body")]
    assert finding.severity == "warning" and "The Borough of Calderdale" in finding.message


def test_this_councils_file_and_sensible_dates(workspace, tmp_path):
    ok = spend_file(tmp_path, "oxford.csv", "Oxford City Council")
    assert import_spend(workspace, ok).imported == 2
    assert not [f for f in validate(workspace, Quarter(2012, 2)) if "other_body" in f.code]
    future = spend_file(tmp_path, "future.csv", "Oxford City Council", dates=("10/07/2031",))
    with pytest.raises(NotThisCouncil, match="dated 2031-07-10, after today"):
        import_spend(workspace, future, today=date(2026, 12, 1))
    old = spend_file(tmp_path, "old.csv", "", dates=("10/07/1998",))
    with pytest.raises(UsageError, match="dated 1998-07-10, before 2005-04-01"):
        import_spend(workspace, old)
    assert lines(workspace) == 2


def test_only_the_lines_imported_decide_whether_a_file_belongs(workspace, tmp_path):
    """A line skipped (duplicate) or refused does not make a file another body's."""
    calderdale = spend_file(tmp_path, "calderdale.csv", "The Borough of Calderdale")
    import_spend(workspace, calderdale, other_body=True)
    path = tmp_path / "oxford.csv"
    with open(calderdale, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerows(rows[:2])  # the header and a line already imported (another body's)
        w.writerow(["Oxford City Council", "Materials", "12/07/2012", "ox-1", "10.00", "A Ltd"])
        # a line dated after today, refused for its amount
        w.writerow(["Oxford City Council", "Materials", "12/07/2031", "ox-2", "ten", "A Ltd"])
    report = import_spend(workspace, path, today=date(2026, 12, 1))
    assert (report.imported, report.duplicates, len(report.refused)) == (1, 1, 1)
    assert report.last_date == "2031-07-12"  # read, though not imported
    assert not [w for w in report.warnings if "Imported although" in w]
    # the same lines imported do count, wherever they are in the file
    late = spend_file(tmp_path, "late.csv", "Oxford City Council", dates=("10/07/2012",) * 3)
    with open(late, "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(
            ["Cherwell District Council", "Materials", "11/07/2012", "bus-1", "5.00", "B Ltd"]
        )
    with pytest.raises(NotThisCouncil, match=r"'Cherwell District Council' \(1 lines, £5.00\)"):
        import_spend(workspace, late)


def test_the_command_line_refuses_unless_other_body(workspace, tmp_path, capsys):
    path = spend_file(tmp_path, "calderdale.csv", "The Borough of Calderdale")
    ws_path = workspace.path
    workspace.close()
    assert main(["import-spend", str(ws_path), str(path)]) == 2
    err = capsys.readouterr().err
    assert "The Borough of Calderdale" in err and "--other-body" in err
    assert main(["import-spend", str(ws_path), str(path), "--other-body"]) == 0
    assert "Imported although" in capsys.readouterr().out


def test_the_window_asks_and_imports_only_when_told(
    qtbot, workspace, immediate_tasks, tmp_path, monkeypatch
):
    from lga_desktop.ui.context import AppContext
    from lga_desktop.ui.procurement.import_wizard import ImportWizard

    context = AppContext(workspace)
    asked: list[list] = []
    answers = iter([False, True])

    def confirm(self, refused):
        asked.append([e.file_name for e in refused])
        return next(answers)

    monkeypatch.setattr(ImportWizard, "confirm_other_body", confirm)
    calderdale = spend_file(tmp_path, "calderdale.csv", "The Borough of Calderdale")
    oxford = spend_file(tmp_path, "oxford.csv", "Oxford City Council")
    for expected_lines in (2, 4):  # "No": only Oxford's; then "Yes": Calderdale's too
        wizard = ImportWizard(context)
        qtbot.addWidget(wizard)
        wizard.files_page.add_paths([calderdale, oxford])
        wizard.show()
        wizard.next()
        wizard.accept()
        if wizard.report_dialog is not None:
            wizard.report_dialog.close()
        assert lines(workspace) == expected_lines
        refused = [r for r in wizard.results if isinstance(r, tuple)]
        if expected_lines == 2:  # told no: reported as not imported, with the reason
            assert refused[0][0] == "calderdale.csv" and "not imported" in refused[0][1]
        else:
            assert refused == []
    assert asked == [["calderdale.csv"], ["calderdale.csv"]]
