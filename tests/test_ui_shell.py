"""The window's shell, driven as a user would: the wizard, navigation, backups, About."""

from conftest import run_window

from lga_desktop.ui.app import workspace_from_answer
from lga_desktop.ui.main_window import MainWindow, recent_workspaces
from lga_desktop.ui.qt import QKeySequence
from lga_desktop.ui.wizard import START_DEMO, SetupWizard
from lga_desktop.workspace import Workspace


def test_wizard_sets_up_a_workspace(qtbot, tmp_path):
    wizard = SetupWizard(None, default_dir=tmp_path / "LGA returns")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == SetupWizard.WELCOME
    wizard.next()
    assert wizard.currentId() == SetupWizard.COUNCIL
    page = wizard.council_page
    assert not page.isComplete()
    qtbot.keyClicks(page.search, "E08000035")  # type-ahead over codes
    assert page.list.count() == 1
    assert page.council.name == "Leeds" and page.isComplete()
    page.search.clear()
    qtbot.keyClicks(page.search, "oxford")
    assert page.list.item(0).text() == "Oxford City Council (E07000178)"
    page.list.setCurrentRow(0)
    wizard.next()

    officer = wizard.officer_page
    qtbot.keyClicks(officer.name, "Priya Shah")
    qtbot.keyClicks(officer.role, "Head of Procurement")
    qtbot.keyClicks(officer.email, "priya.shah@")
    assert not officer.isComplete()
    assert "not complete" in officer.problem.text()
    qtbot.keyClicks(officer.email, "oxford.gov.uk")
    assert officer.isComplete() and officer.problem.text() == ""
    wizard.next()

    location = wizard.location_page
    assert location.path.text() == str(tmp_path / "LGA returns" / "Oxford.lgaws")
    assert location.isComplete()
    answer = wizard.answer()
    ws = workspace_from_answer(answer)
    assert ws is not None
    with ws:
        assert ws.council.gss == "E07000178"
        assert ws.officer.email == "priya.shah@oxford.gov.uk"
    assert (tmp_path / "LGA returns" / "Oxford.lgaws").exists()

    # an existing file is refused on the page, before anything is written
    (tmp_path / "Leeds.lgaws").write_text("someone else's")
    location.path.setText(str(tmp_path / "Leeds.lgaws"))
    assert not location.isComplete()
    assert "already exists" in location.problem.text()


def test_wizard_offers_the_demo(qtbot, tmp_path):
    wizard = SetupWizard(None, default_dir=tmp_path)
    qtbot.addWidget(wizard)
    wizard.welcome.demo.setChecked(True)
    assert wizard.welcome.nextId() == -1  # finishes straight away
    assert wizard.answer().choice == START_DEMO


def _window(qtbot, workspace, settings):
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_main_window_pages_and_status(qtbot, workspace, settings):
    window = _window(qtbot, workspace, settings)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [
        "Dashboard",
        "CAP plan",
        "Procurement",
        "Expert support",
        "Savings",
        "Returns",
    ]
    assert "Oxford City Council" in window.windowTitle()
    assert str(workspace.path) in window.path_label.text()
    assert "E07000178" in window.council_label.text()
    dashboard = window.page("dashboard")
    assert "Oxford City Council" in dashboard.heading.text()
    for i in range(window.nav.count()):  # every page builds, landed or not
        window.nav.setCurrentRow(i)
        assert window.stack.currentIndex() == i
        assert window.stack.currentWidget().property("pageKey") is not None
    # Go > Dashboard (Ctrl+1) goes back to the dashboard
    go = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Go")
    first = go.actions()[0]
    assert first.shortcut() == QKeySequence("Ctrl+1")
    first.trigger()
    assert window.nav.currentRow() == 0


def test_backup_and_restore_from_the_window(qtbot, workspace, settings, message_boxes):
    window = _window(qtbot, workspace, settings)
    workspace.set_meta("figure", 1)
    backup = window.backup_now()
    assert backup is not None and "Backed up" in window.statusBar().currentMessage()
    workspace.set_meta("figure", 2)
    changed = []
    window.context.changed.connect(changed.append)
    assert window.restore(backup)
    assert workspace.get_meta("figure") == 1
    assert changed, "pages were not told the data changed"
    assert "Restored the backup" in window.statusBar().currentMessage()


def test_restore_with_no_backups_explains(qtbot, workspace, settings, message_boxes):
    window = _window(qtbot, workspace, settings)
    window.restore_dialog()
    assert message_boxes and "no backups" in message_boxes[-1][1]


def test_open_a_bad_file_shows_why_and_keeps_the_workspace(
    qtbot, workspace, settings, message_boxes, tmp_path
):
    window = _window(qtbot, workspace, settings)
    bad = tmp_path / "bad.lgaws"
    bad.write_text("not a workspace")
    assert not window.open_path(bad)
    assert "not an lga-desktop workspace" in message_boxes[-1][1]
    assert window.workspace is workspace


def test_open_another_workspace_swaps_and_remembers(qtbot, workspace, settings, tmp_path):
    window = _window(qtbot, workspace, settings)
    other = tmp_path / "leeds.lgaws"
    Workspace.create(other, "E08000035").close()
    assert window.open_path(other)
    assert "Leeds City Council" in window.windowTitle()
    assert recent_workspaces(settings)[:2] == [str(other), str(workspace.path)]
    assert window.recent_menu.actions()[0].text() == str(other)


def test_geometry_is_remembered(qtbot, workspace, settings):
    window = _window(qtbot, workspace, settings)
    window.resize(700, 500)
    window.close()
    again = MainWindow(Workspace.open(workspace.path), settings)
    qtbot.addWidget(again)
    assert (again.size().width(), again.size().height()) == (700, 500)


def test_about_names_the_data_sources(qtbot, workspace, settings, message_boxes):
    window = _window(qtbot, workspace, settings)
    window.show_about()
    title, text = message_boxes[-1]
    assert "About" in title and "mySociety" in text and "ProClass" in text


def test_undo_redo_actions_follow_the_workspace(qtbot, workspace, settings):
    window = _window(qtbot, workspace, settings)
    undo = window.undo_action_host.undo
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence("Ctrl+Shift+Z") in window.undo_action_host.redo.shortcuts()
    assert not undo.isEnabled()


def test_gui_starts_and_quits_offscreen(tmp_path):
    result = run_window(tmp_path, "--demo")
    assert result.returncode == 0, result.stderr
    assert "window shown" in result.stdout


def test_a_damaged_workspace_offers_its_newest_backup(
    qtbot, workspace, settings, message_boxes, tmp_path
):
    window = _window(qtbot, workspace, settings)
    other = tmp_path / "leeds.lgaws"
    with Workspace.create(other, "E08000035") as leeds:
        leeds.set_meta("figure", 7)
        leeds.backup()
    other.write_bytes(b"SQLite format 3\x00" + b"\xee" * 5000)
    assert window.open_path(other)  # the fixture answers Yes
    title, text = message_boxes[-1]
    assert "Put back the newest backup" in text
    assert window.workspace.get_meta("figure") == 7
    assert list(tmp_path.glob("leeds.lgaws.damaged-*"))


def test_ctrl_z_in_a_page_undoes_once_inside_the_window(
    qtbot, demo_workspace, settings, monkeypatch
):
    from lga_desktop.registers import experts, store
    from lga_desktop.ui.qt import Qt
    from lga_desktop.ui.registers import dialogs

    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    window = _window(qtbot, demo_workspace, settings)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.page("experts")
    before = store.count(demo_workspace, experts.ENGAGEMENTS)
    page.main.select_id(page.main.model.records[0].id)
    page.main.delete()
    assert store.count(demo_workspace, experts.ENGAGEMENTS) == before - 1
    page.main.view.setFocus()
    qtbot.keyClick(page.main.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.count(demo_workspace, experts.ENGAGEMENTS) == before
    qtbot.keyClick(
        page.main.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert store.count(demo_workspace, experts.ENGAGEMENTS) == before - 1
