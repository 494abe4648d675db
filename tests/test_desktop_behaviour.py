"""The app behaves like a desktop app: dates, forms, shortcuts, layout, keyboard (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest

from lga_desktop.registers import cap, experts
from lga_desktop.registers.catalog import all_registers
from lga_desktop.registers.fields import FieldError
from lga_desktop.ui.date_input import DateInput, read_typed_date
from lga_desktop.ui.qt import (
    QAbstractItemView,
    QAction,
    QApplication,
    QMenu,
    QScrollArea,
    QShortcut,
    Qt,
    QTabWidget,
    QToolButton,
    QWidget,
)
from lga_desktop.ui.registers.editors import make_editor
from lga_desktop.ui.registers.form import RecordForm

# ---- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01/04/2012", "1/4/12", "2012-04-01", "1.4.2012", " 1/4/2012 "])
def test_a_date_is_read_as_officers_type_it(typed):
    assert read_typed_date(typed) == date(2012, 4, 1)


def test_a_date_that_is_not_one_says_why():
    with pytest.raises(ValueError, match="not a real date"):
        read_typed_date("31/02/2012")
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        read_typed_date("4th April")
    assert read_typed_date("  ") is None


def test_an_empty_date_field_takes_typing_and_tidies_it(qtbot):
    editor = make_editor(experts.ENGAGEMENTS.field("end_date"))
    qtbot.addWidget(editor)
    editor.set_value(None)
    editor.show()
    line = editor.edit.line
    line.setFocus()
    qtbot.keyClicks(line, "1/4/12")
    assert editor.value() == date(2012, 4, 1)
    line.editingFinished.emit()
    assert line.text() == "01/04/2012"
    line.clear()
    qtbot.keyClicks(line, "31/13/2012")
    with pytest.raises(FieldError, match="not a real date"):
        editor.value()


def test_up_and_down_step_days_and_an_empty_date_starts_at_today_or_the_hint(qtbot):
    box = DateInput()
    qtbot.addWidget(box)
    qtbot.keyClick(box.line, Qt.Key.Key_Up)
    assert box.date() == date.today()
    box.hint = lambda: date(2012, 9, 30)
    box.clear()
    assert box.date() is None
    qtbot.keyClick(box.line, Qt.Key.Key_Up)
    assert box.date() == date(2012, 9, 30)
    for _ in range(20):
        qtbot.keyClick(box.line, Qt.Key.Key_Up)
    assert box.date() == date(2012, 10, 20)
    qtbot.keyClick(box.line, Qt.Key.Key_Down)
    qtbot.keyClick(box.line, Qt.Key.Key_PageDown)
    assert box.date() == date(2012, 9, 19)
    qtbot.keyClick(box.line, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert box.date() is None


def test_the_calendar_opens_at_the_date_or_inside_the_record_and_picks_by_keyboard(qtbot):
    form = RecordForm(experts.ENGAGEMENTS)
    qtbot.addWidget(form)
    form.show()
    form.editors["start_date"].set_value(date(2012, 6, 4))
    end = form.editors["end_date"]
    end.edit.line.setFocus()
    qtbot.keyClick(end.edit.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = end.edit.popup.calendar
    assert end.edit.popup.isVisible()
    assert (calendar.yearShown(), calendar.monthShown()) == (2012, 6)  # not December 1999
    assert calendar.selectedDate().toPython() == date(2012, 6, 4)
    days = calendar.findChild(QAbstractItemView)  # the grid that has the focus
    qtbot.keyClick(days, Qt.Key.Key_Right)
    qtbot.keyClick(days, Qt.Key.Key_Return)
    assert not end.edit.popup.isVisible()
    assert end.value() == date(2012, 6, 5)


def test_no_date_field_uses_a_sentinel_date(qtbot):
    editor = make_editor(cap.PLAN.field("start_date"))
    qtbot.addWidget(editor)
    editor.set_value(None)
    assert editor.edit.line.text() == ""
    assert editor.clear_button is None  # a required date is never cleared to "no date"
    assert editor.value() is None


# ---- forms ---------------------------------------------------------------------------------


def test_a_message_waits_for_the_field_to_be_touched_or_save(qtbot):
    form = RecordForm(cap.PLAN)
    qtbot.addWidget(form)
    form.show()
    form.set_values({})
    assert form.note_text("title") != "Is needed."
    assert form.note_text("start_date") == ""
    heights = {name: note.height() for name, note in form.notes.items()}
    form.editors["title"].setText("x")
    form.editors["title"].textEdited.emit("x")
    form.editors["title"].setText("")
    form.editors["title"].textEdited.emit("")
    qtbot.waitUntil(lambda: form.note_text("title") == "Is needed.")
    assert form.note_text("start_date") == ""  # untouched: still quiet
    form.check(reveal=True)  # Save
    assert form.note_text("start_date") == "Is needed."
    form.editors["start_date"].set_value(date(2012, 4, 1))
    form.check()
    assert form.note_text("start_date") != "Is needed."
    assert not form.notes["start_date"].isHidden()  # the line keeps its place
    for name, note in form.notes.items():
        assert note.height() >= heights[name] > 0, name


# ---- shortcuts -----------------------------------------------------------------------------


def _main_window(qtbot, workspace, settings):
    from lga_desktop.ui.main_window import MainWindow

    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    window.show()
    return window


def _programme_window(qtbot, demo_programme, settings):
    from lga_desktop.consolidation.store import Programme
    from lga_desktop.ui.programme.window import ProgrammeWindow

    window = ProgrammeWindow(Programme.open(demo_programme.path), settings)
    qtbot.addWidget(window)
    window.show()
    return window


def _visit_every_page(window):
    for row in range(window.nav.count()):
        window.show_page(row)
        QApplication.processEvents()


def _shortcuts(window):
    """(key, scope, what) for every action and shortcut in the window; scope None: window-wide."""
    found = []
    for action in window.findChildren(QAction):
        context = action.shortcutContext()
        wide = context in (
            Qt.ShortcutContext.WindowShortcut,
            Qt.ShortcutContext.ApplicationShortcut,
        )
        scopes = set()
        for widget in action.associatedObjects() or [action.parent()]:
            if not isinstance(widget, QWidget) or isinstance(widget, QMenu):
                widget = window
            scopes.add(None if wide or widget is window else widget)
        for scope in scopes:
            for seq in action.shortcuts():
                found.append((seq.toString(), scope, action.text() or action.objectName()))
    for shortcut in window.findChildren(QShortcut):
        wide = shortcut.context() in (
            Qt.ShortcutContext.WindowShortcut,
            Qt.ShortcutContext.ApplicationShortcut,
        )
        scope = None if wide else shortcut.parent()
        for seq in shortcut.keys():  # noqa: SIM118 - a QShortcut, not a dict
            found.append((seq.toString(), scope, f"shortcut on {shortcut.parent().objectName()}"))
    return found


def _clashes(found):
    clashes = []
    for i, (key, scope, what) in enumerate(found):
        for key2, scope2, what2 in found[i + 1 :]:
            if key != key2 or not key:
                continue
            overlap = (
                scope is None
                or scope2 is None
                or scope is scope2
                or scope.isAncestorOf(scope2)
                or scope2.isAncestorOf(scope)
            )
            if overlap:
                clashes.append(f"{key}: {what} / {what2}")
    return clashes


def _no_clash(window, least: int) -> None:
    _visit_every_page(window)
    found = _shortcuts(window)
    assert len(found) >= least  # the collection saw the window's shortcuts
    assert _clashes(found) == []


def test_no_shortcut_is_ambiguous_in_the_council_window(qtbot, demo_workspace, settings):
    window = _main_window(qtbot, demo_workspace, settings)
    _no_clash(window, 20)
    redo = window.findChild(QAction, "actionRedo")
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= {s.toString() for s in redo.shortcuts()}


def test_no_shortcut_is_ambiguous_in_the_programme_window(qtbot, demo_programme, settings):
    _no_clash(_programme_window(qtbot, demo_programme, settings), 8)


# ---- undo, page by page --------------------------------------------------------------------


def test_undo_belongs_to_the_page_and_its_buttons_keep_their_width(
    qtbot, demo_workspace, settings, monkeypatch
):
    from lga_desktop.registers import store
    from lga_desktop.ui.registers import dialogs

    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    window = _main_window(qtbot, demo_workspace, settings)
    window.resize(1024, 700)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.page("experts")
    undo_button = next(b for b in page.findChildren(QToolButton) if b.text() == "Undo")
    width = undo_button.sizeHint().width()
    before = store.count(demo_workspace, experts.ENGAGEMENTS)
    page.main.select_id(page.main.model.records[0].id)
    page.main.delete()
    edit_undo = window.findChild(QAction, "actionUndo")
    assert edit_undo.isEnabled() and "Delete" in edit_undo.text()
    assert undo_button.text() == "Undo" and undo_button.sizeHint().width() == width
    assert "Delete" in undo_button.toolTip()
    window.page("savings")
    assert not edit_undo.isEnabled()  # nothing was done on Savings
    window.page("experts")
    assert edit_undo.isEnabled()
    page.main.view.setFocus()
    qtbot.keyClick(page.main.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.count(demo_workspace, experts.ENGAGEMENTS) == before
    shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.main.view, Qt.Key.Key_Z, shift)
    assert store.count(demo_workspace, experts.ENGAGEMENTS) == before - 1
    qtbot.keyClick(page.main.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.main.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert store.count(demo_workspace, experts.ENGAGEMENTS) == before - 1
    assert window.width() == 1024


# ---- layout at 1024×700 and 1366×768 ---------------------------------------------------------


def _every_page_fits(app_window, size):
    """Visit every page (and each tab of it); none may ask for more room than the window has."""
    width, height = size
    app_window.resize(width, height)
    QApplication.processEvents()
    too_big = []
    for row in range(app_window.nav.count()):
        app_window.show_page(row)
        page = app_window.stack.currentWidget()
        tab_widgets = page.findChildren(QTabWidget) or [None]
        for tabs in tab_widgets:
            for i in range(tabs.count() if tabs else 1):
                if tabs:
                    tabs.setCurrentIndex(i)
                QApplication.processEvents()
                room = app_window.stack.size()
                need = page.minimumSizeHint()
                where = f"{app_window.nav.item(row).text()}" + (
                    f" > {tabs.tabText(i)}" if tabs else ""
                )
                if need.width() > room.width() or need.height() > room.height():
                    too_big.append(f"{where}: needs {need.toTuple()}, has {room.toTuple()}")
                for scroll in page.findChildren(QScrollArea):
                    if scroll.isVisible() and scroll.horizontalScrollBar().maximum() > 0:
                        too_big.append(f"{where}: scrolls sideways")
                if app_window.size().toTuple() != (width, height):
                    too_big.append(f"{where}: the window grew to {app_window.size().toTuple()}")
    return too_big


@pytest.mark.parametrize("size", [(1024, 700), (1366, 768)])
def test_every_page_of_the_council_window_fits(qtbot, demo_workspace, settings, size):
    window = _main_window(qtbot, demo_workspace, settings)
    assert _every_page_fits(window, size) == []


@pytest.mark.parametrize("size", [(1024, 700), (1366, 768)])
def test_every_page_of_the_programme_window_fits(qtbot, demo_programme, settings, size):
    window = _programme_window(qtbot, demo_programme, settings)
    assert _every_page_fits(window, size) == []
    window.show_page(0)
    button = window.stack.currentWidget().export_button
    QApplication.processEvents()
    corner = button.mapTo(window, button.rect().bottomRight())
    assert button.isVisible() and window.rect().contains(corner)
    assert not button.visibleRegion().isEmpty()


def test_the_main_column_takes_the_spare_width(qtbot, demo_workspace, settings):
    window = _main_window(qtbot, demo_workspace, settings)
    window.resize(1024, 700)
    spend = window.page("procurement").spend.table
    QApplication.processEvents()
    assert spend.columnWidth(1) >= spend.fontMetrics().averageCharWidth() * 24  # not "S…"
    assert spend.horizontalScrollBar().maximum() == 0  # and the amount is in view
    savings = window.page("savings").main.view
    QApplication.processEvents()
    title = [f.name for f in savings.model().sourceModel().fields].index("title") + 1
    least = savings.fontMetrics().averageCharWidth() * 26

    def spare():
        count = savings.model().columnCount()
        others = sum(savings.columnWidth(c) for c in range(count) if c != title)
        return savings.viewport().width() - others

    assert savings.columnWidth(title) == max(least, spare())  # what is left, or a title's room
    window.resize(1900, 1000)
    QApplication.processEvents()
    assert savings.columnWidth(title) == spare() > least  # the spare width goes to the title


# ---- dialogs -------------------------------------------------------------------------------


def test_passphrase_fields_are_wide_and_the_error_never_covers_them(qtbot):
    from lga_desktop.ui.pages.returns_dialogs import PassphraseDialog

    dialog = PassphraseDialog(None, "Rotate signing key", current=True, new=True, intro="Why.")
    qtbot.addWidget(dialog)
    dialog.show()
    edits = [dialog.current_edit, dialog.new_edit, dialog.again_edit]
    for edit in edits:
        assert edit.width() >= edit.fontMetrics().averageCharWidth() * 36
        assert edit.accessibleName()
    dialog.new_edit.setText("short")
    dialog.again_edit.setText("short")
    dialog.buttons.accepted.emit()
    QApplication.processEvents()
    assert dialog.error.text()
    error = dialog.error.geometry()
    for widget in [*edits, dialog.buttons]:
        box = widget.geometry()
        box.moveTo(widget.mapTo(dialog, widget.rect().topLeft()))
        assert not error.intersects(box), widget
    assert dialog.error.height() >= dialog.error.sizeHint().height()  # the reason is whole


def test_down_in_the_council_filter_picks_the_first_match(qtbot, tmp_path):
    from lga_desktop.ui.wizard import SetupWizard

    wizard = SetupWizard(default_dir=tmp_path)
    qtbot.addWidget(wizard)
    page = wizard.council_page
    qtbot.keyClicks(page.search, "Oxford")
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.council.official_name == "Oxford City Council"  # not Oxfordshire
    assert page.isComplete()


def test_a_rule_across_records_shows_in_the_form_as_the_officer_types(qtbot, demo_workspace):
    from lga_desktop.periods import Quarter
    from lga_desktop.registers import savings, store
    from lga_desktop.ui.context import AppContext
    from lga_desktop.ui.pages.savings import SavingsPage

    context = AppContext(demo_workspace)
    page = SavingsPage(context)
    qtbot.addWidget(page)
    line = store.find_by_ref(demo_workspace, savings.LINES, "SAV-001")
    realised = store.list_records(demo_workspace, savings.REALISED, parent_id=line.id)
    first = min(r["quarter"] for r in realised)
    page.select_ref("SAV-001")
    page.main.edit()
    form = page.main.dialog.form
    assert "before SAV-001 starts" not in form.rules_note.text()
    form.editors["start"].set_value(first.next())  # now it starts after a saving was realised
    form._edited("start")
    qtbot.waitUntil(lambda: "before SAV-001 starts" in form.rules_note.text())
    assert form.rules_note.text().startswith("Error: RLS-")
    before = demo_workspace.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    assert store.get_record(demo_workspace, savings.LINES, line.id)["start"] == line["start"]
    assert demo_workspace.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before
    form.editors["start"].set_value(Quarter(first.start_year, first.q))
    form.check()
    assert form.rules_note.text() == ""


# ---- help, about, the SME card ---------------------------------------------------------------


def test_f1_opens_the_user_guide_offline_at_the_windows_own_part(
    qtbot, demo_workspace, demo_programme, settings
):
    window = _main_window(qtbot, demo_workspace, settings)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    guide = window.user_guide
    qtbot.waitUntil(guide.isVisible)
    text = guide.browser.toPlainText()
    for heading in (
        "First steps",
        "The registers",
        "Importing spend and the SME basis",
        "Signing and sending a return",
        "The LGA side",
    ):
        assert heading in text
    assert guide.browser.textCursor().selectedText() == "First steps"
    programme = _programme_window(qtbot, demo_programme, settings)
    programme.findChild(QAction, "actionGuide").trigger()
    assert programme.user_guide.browser.textCursor().selectedText() == "The LGA side"


def test_about_names_who_to_ask_for_help(qtbot, workspace, settings, message_boxes):
    from lga_desktop.ui.help import support_contact

    window = _main_window(qtbot, workspace, settings)
    window.findChild(QAction, "actionAbout").trigger()
    title, text = message_boxes[-1]
    contact = support_contact()
    assert contact["team"] == "LGA productivity team"
    assert contact["team"] in text and f"mailto:{contact['email']}" in text


def test_the_council_dashboard_has_an_sme_card(qtbot, demo_workspace):
    from lga_desktop.periods import FinancialYear
    from lga_desktop.procurement.derived import share_for
    from lga_desktop.ui.context import AppContext
    from lga_desktop.ui.pages.dashboard import DashboardPage

    page = DashboardPage(AppContext(demo_workspace))
    qtbot.addWidget(page)
    period = page.period()
    share = share_for(demo_workspace, period)
    assert share.total_pence > 0
    assert page.sme_card.figure.text() == f"{share.sme_percent}%"
    assert "went to SMEs" in page.sme_card.against.text()
    page.quarter_box.setCurrentIndex(0)  # the whole year
    assert isinstance(page.period(), FinancialYear)
    assert page.sme_card.figure.text().endswith("%")


@pytest.mark.parametrize("key", sorted(all_registers()))
def test_every_input_of_every_form_has_an_accessible_name(qtbot, key):
    from lga_desktop.registers.catalog import register

    form = RecordForm(register(key))
    qtbot.addWidget(form)
    for name, editor in form.editors.items():
        inputs = [editor, *editor.findChildren(QWidget)]
        for widget in inputs:
            if (
                widget.focusPolicy() == Qt.FocusPolicy.NoFocus
                or widget.focusProxy()
                or not widget.isVisibleTo(form)  # a closed drop-down's list
            ):
                continue
            spoken = widget.accessibleName() or getattr(widget, "text", lambda: "")()
            assert spoken, f"{key}.{name}: {type(widget).__name__} has no accessible name"


def test_a_date_is_typed_into_a_table_cell_and_saved_with_enter(qtbot, demo_workspace):
    from lga_desktop.registers import store
    from lga_desktop.ui.context import AppContext
    from lga_desktop.ui.pages.experts import ExpertsPage

    page = ExpertsPage(AppContext(demo_workspace))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    eng = store.find_by_ref(demo_workspace, experts.ENGAGEMENTS, "EXP-003")
    model, view = page.main.model, page.main.view
    row = model.row_of(eng.id)
    index = page.main.proxy.mapFromSource(model.index(row, model.column_of("end_date")))
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)  # edit the cell
    line = QApplication.focusWidget()
    assert line.objectName() == "dateText"
    line.selectAll()
    qtbot.keyClicks(line, "31/3/13")
    qtbot.keyClick(line, Qt.Key.Key_Up)  # a day later
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            store.find_by_ref(demo_workspace, experts.ENGAGEMENTS, "EXP-003")["end_date"]
            == date(2013, 4, 1)
        )
    )
