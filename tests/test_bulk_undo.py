"""Undo for every bulk write: named backups first, remove-import, audited flags and mappings, copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from returns_support import fast_keys  # noqa: F401  (fixture)

from lga_desktop.cli import main
from lga_desktop.procurement import derived
from lga_desktop.procurement.category_mapping import (
    big_categories,
    map_sources,
    source_categories,
)
from lga_desktop.procurement.spend_import import import_spend, list_imports
from lga_desktop.procurement.suppliers import list_suppliers, set_flags
from lga_desktop.workspace import Workspace, list_backups_of

OXFORD = "E07000178"
SPEND = Path(__file__).parent / "data" / "spend" / "oxford"
F2014 = SPEND / "expenditure-over-500-jan-mar-2014.csv"
F2016 = SPEND / "expenditure-over-500-jul-sep-2016.csv"


def summary(ws) -> list:
    return [(s.period, s.total_pence) for s in derived.shares_by_quarter(ws)]


def test_import_spend_takes_a_named_backup_and_remove_import_undoes_it(tmp_path, capsys):
    path = tmp_path / "ws.lgaws"
    Workspace.create(path, OXFORD).close()
    assert main(["import-spend", str(path), str(F2014)]) == 0
    with Workspace.open(path, read_only=True) as ws:
        before = summary(ws)
        lines_before = ws.db.execute("SELECT count(*) FROM spend_line").fetchone()[0]
    assert main(["import-spend", str(path), str(F2016)]) == 0
    names = [b.name for b in list_backups_of(path)]
    assert f"before import of {F2016.name}".replace("-", " ") in names
    capsys.readouterr()
    assert main(["restore", str(path), "--list"]) == 0
    assert "before import of expenditure over 500 jul sep 2016.csv" in capsys.readouterr().out
    assert main(["remove-import", str(path), "--list", "--json"]) == 0
    imports = json.loads(capsys.readouterr().out)
    newest = imports[0]
    assert newest["file"] == F2016.name
    assert main(["remove-import", str(path), str(newest["id"])]) == 0
    assert "Removed import" in capsys.readouterr().out
    with Workspace.open(path, read_only=True) as ws:
        assert summary(ws) == before  # exact, to the penny
        assert ws.db.execute("SELECT count(*) FROM spend_line").fetchone()[0] == lines_before
        assert [i["file"] for i in list_imports(ws)] == [F2014.name]
    assert any("before removing import" in b.name for b in list_backups_of(path))
    assert main(["remove-import", str(path), "999"]) == 2


@pytest.mark.usefixtures("fast_keys")
def test_restore_list_warns_when_a_backup_would_drop_signed_returns(demo_workspace, capsys):
    from returns_support import sign_q2

    demo_workspace.backup(reason="at the start")
    sign_q2(demo_workspace)
    path = demo_workspace.path
    demo_workspace.close()
    assert main(["restore", str(path), "--list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    [row] = [r for r in rows if r["name"] == "at the start"]
    assert any("1 signed return recorded since" in w for w in row["restoring_drops"])
    assert main(["restore", str(path), "--list"]) == 0
    assert "warning: 1 signed return recorded since would be dropped" in capsys.readouterr().out


def test_flag_and_mapping_changes_are_audited(workspace):
    import_spend(workspace, F2014)
    suppliers = list_suppliers(workspace)[:3]
    set_flags(workspace, [s.id for s in suppliers], sme=True)
    rows = workspace.db.execute(
        "SELECT record_ref, field, old_value, new_value FROM audit_log WHERE register = 'supplier'"
    ).fetchall()
    assert sorted(rows) == sorted(
        (s.name, "sme", "not yet classified" if s.sme is None else "no", "yes")
        for s in suppliers
        if not s.sme
    )
    source = source_categories(workspace)[0]
    code = big_categories(workspace)[0].code
    map_sources(workspace, [source.id], code)
    rows = workspace.db.execute(
        "SELECT field, new_value, source FROM audit_log WHERE register = 'category rule'"
    ).fetchall()
    assert ("category", code, "category mapping") in rows


def test_copy_of_an_open_workspace_and_programme(tmp_path, capsys, demo_programme):
    path = tmp_path / "ws.lgaws"
    with Workspace.create(path, OXFORD) as ws:  # open for writing, as in the window
        ws.set_meta("figure", 42)
        assert main(["copy", str(path), str(tmp_path / "sent.lgaws")]) == 0
    with Workspace.open(tmp_path / "sent.lgaws") as copy:
        assert copy.get_meta("figure") == 42
    assert main(["copy", str(demo_programme.path), str(tmp_path / "sent.lgaprog")]) == 0
    assert main(["programme", str(tmp_path / "sent.lgaprog")]) == 0
    assert main(["copy", str(path), str(path)]) == 2


@pytest.fixture
def context(qtbot, workspace):
    from lga_desktop.ui.context import AppContext

    return AppContext(workspace)


def test_remove_import_in_the_window(qtbot, context, message_boxes):
    from lga_desktop.ui.procurement.spend_page import SpendTab

    import_spend(context.workspace, F2016)
    tab = SpendTab(context)
    qtbot.addWidget(tab)
    tab.choose_import = lambda imports: imports[0]
    tab.remove_button.click()
    assert context.workspace.db.execute("SELECT count(*) FROM spend_line").fetchone()[0] == 0
    title, text = message_boxes[-1]
    assert "Removed expenditure-over-500-jul-sep-2016.csv" in text and "backup" in text


def test_save_a_copy_in_the_window(qtbot, workspace, settings, tmp_path, monkeypatch):
    from lga_desktop.ui import file_dialogs
    from lga_desktop.ui.main_window import MainWindow

    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    out = tmp_path / "to send.lgaws"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(out), ""))
    window.findChild(type(window.menuBar().actions()[0]), "actionSaveCopy").trigger()
    with Workspace.open(out, read_only=True) as copy:
        assert copy.council.gss == OXFORD


def test_trusting_a_key_backs_the_programme_up_first(tmp_path, capsys, demo_programme):
    from lga_desktop.consolidation.store import Programme

    card = tmp_path / "oxford.lgakey"
    oxford = demo_programme.path.parent / "E07000178.lgaws"
    assert main(["export-key", str(oxford), "--out", str(card)]) == 0
    prog = tmp_path / "board.lgaprog"
    Programme.create(prog, "Board").close()
    assert main(["trust-key", str(card), "--programme", str(prog)]) == 0
    with Programme.open(prog, read_only=True) as opened:
        [backup] = opened.list_backups()
        assert backup.name == "before trusting E07000178"
    with Programme.open(backup.path, read_only=True) as before:
        assert before.trusted_keys().councils == {}
