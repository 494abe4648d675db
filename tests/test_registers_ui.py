"""The generic register UI and the three register pages, driven with pytest-qt."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers import audit, cap, experts, savings, store
from lga_desktop.registers.catalog import all_registers, register
from lga_desktop.registers.fields import FieldError
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.pages import pages
from lga_desktop.ui.pages.cap import CapPage
from lga_desktop.ui.pages.experts import ExpertsPage
from lga_desktop.ui.pages.savings import SavingsPage
from lga_desktop.ui.qt import QApplication, Qt
from lga_desktop.ui.registers import dialogs
from lga_desktop.ui.registers.editors import make_editor
from lga_desktop.ui.registers.form import RecordForm
from lga_desktop.ui.registers.model import RegisterModel, RegisterProxy, TotalsModel


@pytest.fixture
def demo_context(demo_workspace):
    return AppContext(demo_workspace)


@pytest.fixture
def context(workspace):
    return AppContext(workspace)


@pytest.fixture
def say_yes(monkeypatch):
    asked = []

    def yes(parent, title, text, yes="Delete"):
        asked.append(text)
        return True

    monkeypatch.setattr(dialogs, "confirm", yes)
    return asked


def _page(qtbot, cls, context):
    page = cls(context)
    qtbot.addWidget(page)
    page.resize(1300, 860)
    page.show()
    qtbot.waitExposed(page)
    page.windowHandle().requestActivate()  # shortcuts only reach an active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


# ---- models -------------------------------------------------------------------------


@pytest.mark.parametrize("reg", list(all_registers().values()), ids=lambda r: r.key)
def test_every_register_model_passes_the_model_tester(qtmodeltester, demo_workspace, reg):
    from lga_desktop.registers.family import family_findings

    model = RegisterModel(reg)
    top = reg
    while top.parent_register:
        top = register(top.parent_register)
    model.set_records(
        store.list_records(demo_workspace, reg), family_findings(demo_workspace, top.key)
    )
    qtmodeltester.check(model)
    proxy = RegisterProxy(model)
    proxy.sort(2)
    qtmodeltester.check(proxy)
    qtmodeltester.check(TotalsModel(proxy))


def test_sorting_filtering_and_totals_are_exact(qtbot, demo_workspace):
    model = RegisterModel(savings.LINES)
    model.set_records(store.list_records(demo_workspace, savings.LINES))
    proxy = RegisterProxy(model)
    totals = TotalsModel(proxy)
    target_col = model.column_of("target")
    proxy.sort(target_col, Qt.SortOrder.DescendingOrder)
    shown = [r["target"] for r in proxy.records()]
    assert shown == sorted(shown, reverse=True)
    assert totals.data(totals.index(0, target_col)) == "£2,665,000.00"
    proxy.set_choice("workstream", "expert")
    assert {r["workstream"] for r in proxy.records()} == {"expert"}
    assert totals.data(totals.index(0, 0)) == "Total (3)"
    assert totals.data(totals.index(0, target_col)) == "£1,150,000.00"  # 400k + 250k + 500k
    proxy.set_choice("workstream", None)
    proxy.set_text("contract renegotiated")
    assert [r.ref for r in proxy.records()] == ["SAV-001", "SAV-002"]  # £400k, then £250k
    start = model.column_of("start")
    proxy.set_text("")
    proxy.sort(start, Qt.SortOrder.AscendingOrder)
    quarters = [r["start"] for r in proxy.records()]
    assert quarters == sorted(quarters)


def test_cells_show_findings_as_tint_and_tooltip(demo_workspace):
    from lga_desktop.registers.family import family_findings

    model = RegisterModel(experts.ENGAGEMENTS)
    model.set_records(
        store.list_records(demo_workspace, experts.ENGAGEMENTS),
        family_findings(demo_workspace, "experts"),
    )
    row = model.row_of(store.find_by_ref(demo_workspace, experts.ENGAGEMENTS, "EXP-002").id)
    cell = model.index(row, model.column_of("days_agreed"))
    assert "Warning: EXP-002: 16.5 days are logged" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) is not None
    assert (
        model.data(model.index(0, model.column_of("expert")), Qt.ItemDataRole.BackgroundRole)
        is None
    )


# ---- editors and the form --------------------------------------------------------------


def test_each_field_type_gets_an_editor_that_round_trips(qtbot):
    cases = [
        (cap.PLAN.field("title"), "Estate plan"),
        (cap.PLAN.field("summary"), "Line one\nLine two"),
        (cap.PLAN.field("lga_investment"), 5_000_000),
        (cap.PLAN.field("start_date"), date(2012, 4, 1)),
        (cap.PLAN.field("status"), "approved"),
        (cap.PLAN.field("partners"), ("nhs", "jcp")),
        (cap.ASSETS.field("floor_area"), Decimal("1250")),
        (cap.PLANNED.field("year"), FinancialYear(2014)),
        (cap.REALISED.field("quarter"), Quarter(2013, 3)),
        (experts.ENGAGEMENTS.field("end_date"), None),
        (experts.DAYS.field("days"), Decimal("0.5")),
    ]
    for field, value in cases:
        editor = make_editor(field)
        qtbot.addWidget(editor)
        editor.set_value(value)
        assert editor.value() == value, field.name


def test_money_editor_reads_what_is_typed_and_tidies_it(qtbot):
    editor = make_editor(cap.PLAN.field("match_funding"))
    qtbot.addWidget(editor)
    editor.setText("1.2m")
    assert editor.value() == 120_000_000
    editor.editingFinished.emit()
    assert editor.text() == "£1,200,000.00"
    editor.setText("12,34")
    with pytest.raises(FieldError, match="decimal comma"):
        editor.value()


def test_the_form_shows_the_reason_beside_the_field_as_the_officer_types(qtbot):
    form = RecordForm(cap.PLAN)
    qtbot.addWidget(form)
    form.set_values({"title": "Estate", "wave": "2", "status": "draft"})
    form.editors["lga_investment"].setText("50,000")
    form.editors["match_funding"].setText("40k")
    form.editors["match_funding"].textEdited.emit("40k")
    qtbot.waitUntil(lambda: "below the LGA investment" in form.note_text("match_funding"))
    assert form.note_text("match_funding").startswith("Error: Match funding of £40,000.00")
    assert form.notes["match_funding"].property("kind") == "error"
    form.editors["match_funding"].setText("lots")
    problems = form.check(reveal=True)  # as Save does
    assert problems["match_funding"].startswith("'lots' is not an amount of money")
    assert form.note_text("start_date") == "Is needed."
    form.editors["match_funding"].setText("£50,000")
    form.editors["start_date"].set_value(date(2012, 4, 1))
    form.editors["end_date"].set_value(date(2022, 3, 31))
    assert form.check() == {}
    assert form.note_text("match_funding") == cap.PLAN.field("match_funding").help


# ---- the pages --------------------------------------------------------------------------


def test_the_page_list_shows_the_three_register_pages(qtbot, demo_context):
    entries = {key: factory for key, _title, factory in pages()}
    for key, cls in (("cap", CapPage), ("experts", ExpertsPage), ("savings", SavingsPage)):
        page = entries[key](demo_context)
        qtbot.addWidget(page)
        assert isinstance(page, cls)


@pytest.mark.parametrize("cls", [CapPage, ExpertsPage, SavingsPage])
def test_each_page_shows_its_register_and_details(qtbot, qtmodeltester, demo_context, cls):
    page = _page(qtbot, cls, demo_context)
    assert page.main.model.rowCount() > 0
    assert page.summary.text()
    page.main.select_id(page.main.model.records[0].id)
    first = page.main.current_record()
    for table in page.details.values():
        assert table.parent_record is first
        assert all(r.parent_id == first.id for r in table.model.records)
        qtmodeltester.check(table.model)
    assert first.ref in page.record_label.text()
    assert page.tabs.tabText(page.tabs.indexOf(page.checks)).startswith("Checks (1 warning)")


def test_add_through_the_dialog_then_undo_and_redo(qtbot, context):
    page = _page(qtbot, ExpertsPage, context)
    page.main.add()
    dialog = page.main.dialog
    form = dialog.form
    form.editors["expert"].setText("Helen Carter")
    form.editors["specialism"].set_value("renegotiation")
    form.editors["purpose"].setPlainText("Renegotiate the four largest contracts")
    form.editors["days_agreed"].setText("20")
    form.editors["start_date"].set_value(date(2012, 5, 1))
    form.editors["expected_saving"].setText("£1m")
    dialog.save()
    assert not dialog.isVisible()
    [eng] = store.list_records(context.workspace, experts.ENGAGEMENTS)
    assert (eng.ref, eng["expected_saving"], eng["days_agreed"]) == (
        "EXP-001",
        100_000_000,
        Decimal("20.0"),
    )
    assert page.main.current_record().id == eng.id
    assert context.undo_stack.undoText() == "Add EXP-001 Helen Carter"
    page.main.view.setFocus()
    qtbot.keyClick(page.main.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.count(context.workspace, experts.ENGAGEMENTS) == 0
    assert page.main.model.rowCount() == 0
    qtbot.keyClick(
        page.main.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert store.find_by_ref(context.workspace, experts.ENGAGEMENTS, "EXP-001").id == eng.id
    assert page.main.model.rowCount() == 1


def test_a_refused_save_stays_in_the_dialog_with_the_reason(qtbot, context):
    page = _page(qtbot, ExpertsPage, context)
    page.main.add()
    dialog = page.main.dialog
    dialog.form.editors["days_agreed"].setText("0.25")
    dialog.save()
    assert dialog.isVisible()
    assert "more detail than is kept" in dialog.form.note_text("days_agreed")
    assert dialog.form.note_text("expert") == "Is needed."
    assert store.count(context.workspace, experts.ENGAGEMENTS) == 0


def test_detail_rows_are_added_under_the_selected_parent_with_the_next_quarter(qtbot, demo_context):
    page = _page(qtbot, SavingsPage, demo_context)
    page.select_ref("SAV-001")
    table = page.details["savings.realised"]
    before = len(table.model.records)
    table.add()
    form = table.dialog.form
    assert "saving" not in form.editors  # the parent is fixed, not asked for
    assert form.editors["quarter"].value() == Quarter(2013, 1)  # after the last one recorded
    form.editors["amount"].setText("100,000")
    table.dialog.save()
    assert len(table.model.records) == before + 1
    added = table.current_record()
    assert (added["quarter"], added["amount"], added["saving"].ref) == (
        Quarter(2013, 1),
        10_000_000,
        "SAV-001",
    )
    # no evidence: the warning shows in the table and the checks tab at once
    assert added.ref in page.findings
    assert "(2 warnings)" in page.tabs.tabText(page.tabs.indexOf(page.checks))


def test_duplicate_moves_to_the_next_free_year(qtbot, demo_context):
    page = _page(qtbot, CapPage, demo_context)
    page.main.select_id(page.main.model.records[0].id)
    table = page.details["cap.planned"]
    table.select_id(table.model.records[-1].id)  # 2021/22
    table.duplicate()
    assert table.dialog.form.editors["year"].value() == FinancialYear(2022)
    table.dialog.save()
    assert table.current_record()["year"] == FinancialYear(2022)
    assert demo_context.undo_stack.undoText().startswith("Duplicate")


def test_editing_a_cell_in_place_writes_through_undo(qtbot, demo_context):
    page = _page(qtbot, ExpertsPage, demo_context)
    model = page.main.model
    row = model.row_of(store.find_by_ref(demo_context.workspace, experts.ENGAGEMENTS, "EXP-002").id)
    index = page.main.proxy.mapFromSource(model.index(row, model.column_of("days_agreed")))
    # the delegate's editor, as a keypress in the cell opens it
    delegate = page.main.delegate
    editor = delegate.createEditor(page.main.view.viewport(), None, index)
    delegate.setEditorData(editor, index)
    assert editor.text() == "15.0"
    editor.setText("17")
    delegate.setModelData(editor, page.main.proxy, index)
    qtbot.waitUntil(lambda: "EXP-002" not in page.findings)  # written once the edit has closed
    eng = store.find_by_ref(demo_context.workspace, experts.ENGAGEMENTS, "EXP-002")
    assert eng["days_agreed"] == Decimal("17.0")  # 16.5 days logged is now within those agreed
    demo_context.undo_stack.undo()
    assert store.find_by_ref(demo_context.workspace, experts.ENGAGEMENTS, "EXP-002")[
        "days_agreed"
    ] == Decimal("15.0")
    assert "EXP-002" in page.findings
    # a value that does not fit is refused under the table, and nothing is written
    index = page.main.proxy.mapFromSource(model.index(row, model.column_of("days_agreed")))
    editor.setText("0.3")
    delegate.setModelData(editor, page.main.proxy, index)
    assert "Days agreed:" in page.main.message.text()


def test_delete_asks_first_takes_the_day_log_and_undo_brings_it_back(
    qtbot, demo_context, say_yes, monkeypatch
):
    page = _page(qtbot, ExpertsPage, demo_context)
    ws = demo_context.workspace
    page.select_ref("EXP-001")
    days = store.count(ws, experts.DAYS, parent_id=page.main.current_record().id)
    page.main.view.setFocus()
    qtbot.keyClick(page.main.view, Qt.Key.Key_Delete)
    assert say_yes == [
        f"Delete EXP-001 Helen Carter and the {days} records under it?\n\nYou can undo this with Ctrl+Z."
    ]
    assert store.find_by_ref(ws, experts.ENGAGEMENTS, "EXP-001") is None
    line = store.find_by_ref(ws, savings.LINES, "SAV-001")
    assert line["engagement"] is None  # the savings line's link was cleared
    demo_context.undo_stack.undo()
    eng = store.find_by_ref(ws, experts.ENGAGEMENTS, "EXP-001")
    assert store.count(ws, experts.DAYS, parent_id=eng.id) == days
    assert store.find_by_ref(ws, savings.LINES, "SAV-001")["engagement"].ref == "EXP-001"
    # saying no deletes nothing
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: False)
    page.select_ref("EXP-001")
    page.main.delete()
    assert store.find_by_ref(ws, experts.ENGAGEMENTS, "EXP-001") is not None


def test_history_shows_every_change_with_old_and_new(qtbot, demo_context):
    page = _page(qtbot, ExpertsPage, demo_context)
    ws = demo_context.workspace
    eng = store.find_by_ref(ws, experts.ENGAGEMENTS, "EXP-003")
    store.update(ws, experts.ENGAGEMENTS, eng.id, {"days_agreed": "12"})
    demo_context.notify("experts")
    page.select_ref("EXP-003")
    page.main.history()
    tree = page.main.history_dialog.tree
    newest = tree.topLevelItem(0)
    assert newest.text(1) == "Sam Patel" and newest.text(2) == "Changed EXP-003"
    child = newest.child(0)
    assert [child.text(i) for i in range(3)] == ["  Days agreed", "10.0", "12.0"]
    sources = {tree.topLevelItem(i).text(3) for i in range(tree.topLevelItemCount())}
    assert "Demo data" in sources
    assert len(audit.history(ws, experts.ENGAGEMENTS, eng.id)) == tree.topLevelItemCount()


def test_checks_tab_takes_the_officer_to_the_record(qtbot, demo_context):
    page = _page(qtbot, SavingsPage, demo_context)
    item = page.checks.item(0)
    assert "no evidence" in item.text()
    page.checks.itemClicked.emit(item)
    table = page.details["savings.realised"]
    assert page.tabs.currentWidget() is table
    assert table.current_record().ref == item.data(Qt.ItemDataRole.UserRole)
    assert page.main.current_record().id == table.current_record().parent_id


def test_filter_box_and_choice_filter_narrow_the_table(qtbot, demo_context):
    page = _page(qtbot, SavingsPage, demo_context)
    qtbot.keyClicks(page.main.filter_box, "contract")
    assert {r.ref for r in page.main.proxy.records()} == {"SAV-001", "SAV-002"}
    page.main.filter_box.clear()
    page.main.choice_filter.setCurrentIndex(page.main.choice_filter.findData("category"))
    assert {r["workstream"] for r in page.main.proxy.records()} == {"category"}
    assert page.main.totals_bar.totals.data(page.main.totals_bar.totals.index(0, 0)) == "Total (3)"


def test_export_and_import_from_the_page(qtbot, demo_context, context, tmp_path, immediate_tasks):
    source = _page(qtbot, CapPage, demo_context)
    path = tmp_path / "cap.xlsx"
    source.export_to(path)
    assert "Exported to cap.xlsx" in source.summary.text()
    page = _page(qtbot, CapPage, context)
    page.import_from(path)
    assert page.last_report.ok and page.report_dialog.isVisible()
    assert page.main.model.rowCount() == 1
    assert store.count(context.workspace, cap.REALISED) == 4
    # a bad file: the report lists the rows and nothing changes
    book = load_workbook(path)
    book["Outputs realised"]["C2"] = "sometime"
    book.save(path)
    page.import_from(path)
    report = page.last_report
    assert not report.ok
    assert page.report_dialog.table.rowCount() == 1
    assert page.report_dialog.table.item(0, 2).text() == "Quarter"
    assert page.report_dialog.windowTitle() == "Nothing was imported"


def test_a_page_reacts_to_changes_made_elsewhere(qtbot, demo_context):
    page = _page(qtbot, SavingsPage, demo_context)
    ws = demo_context.workspace
    eng = store.find_by_ref(ws, experts.ENGAGEMENTS, "EXP-001")
    store.update(ws, experts.ENGAGEMENTS, eng.id, {"expert": "Helen Carter-Jones"})
    demo_context.notify("experts")  # the experts page said so
    page.select_ref("SAV-001")
    assert "Helen Carter-Jones" in page.record_label.text()


def test_date_editor_clears_an_optional_date(qtbot):
    editor = make_editor(experts.ENGAGEMENTS.field("end_date"))
    qtbot.addWidget(editor)
    editor.set_value(date(2013, 3, 31))
    assert editor.edit.date() == date(2013, 3, 31)
    editor.clear_button.click()
    assert editor.value() is None
    assert editor.edit.line.text() == ""
