"""The Procurement page, offscreen: spend table model, import wizard, suppliers, categories, chart."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lga_desktop.procurement.spend_import import import_spend
from lga_desktop.procurement.spend_query import SpendFilter
from lga_desktop.progress import Cancelled, Progress
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.qt import QItemSelectionModel, QLabel, Qt

OXFORD = Path(__file__).parent / "data" / "spend" / "oxford"
F2016 = OXFORD / "expenditure-over-500-jul-sep-2016.csv"
F2017 = OXFORD / "expenditure-over-500-apr-jun-2017.csv"


@pytest.fixture
def context(qtbot, workspace):
    ctx = AppContext(workspace)
    yield ctx


def snapshot_tables(ws) -> list:
    return [
        ws.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in (
            "spend_line",
            "supplier",
            "spend_source_category",
            "spend_import",
            "spend_summary",
            "spend_column_mapping",
        )
    ]


# ---- the spend table model ---------------------------------------------------------


def test_spend_model_passes_qt_model_tester(qtmodeltester, context):
    from lga_desktop.ui.procurement.spend_model import SpendTableModel

    import_spend(context.workspace, F2016)
    model = SpendTableModel(context.workspace.db.conn)
    qtmodeltester.check(model, force_py=True)
    model.set_filter(SpendFilter(supplier="hanson"))
    qtmodeltester.check(model, force_py=True)


def test_spend_model_windows_sorting_and_filtering(context):
    from lga_desktop.ui.procurement.spend_model import WINDOW, SpendTableModel

    import_spend(context.workspace, F2016)
    model = SpendTableModel(context.workspace.db.conn)
    assert model.rowCount() == 3581
    # newest first by default; the last row is the oldest
    newest = context.workspace.db.execute("SELECT MAX(spend_date) FROM spend_line").fetchone()[0]
    oldest = context.workspace.db.execute("SELECT MIN(spend_date) FROM spend_line").fetchone()[0]
    assert model.line(0)[1] == newest
    assert model.line(3580)[1] == oldest
    y, m, d = newest.split("-")
    assert model.data(model.index(0, 0)) == f"{d}/{m}/{y}"
    assert len(model._cache) <= 12
    # sort by amount, ascending: the first row is the smallest amount in the file
    model.sort(7, Qt.SortOrder.AscendingOrder)
    smallest = context.workspace.db.execute("SELECT MIN(amount_pence) FROM spend_line").fetchone()[
        0
    ]
    assert model.line(0)[9] == smallest
    amounts = [model.line(r)[9] for r in range(0, 3581, 97)]
    assert amounts == sorted(amounts)
    # rows far apart come from different windows, fetched on demand
    model.data(model.index(WINDOW * 10 + 3, 1))
    assert 10 in model._cache
    # a column that does not sort leaves the order alone
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == "amount"
    model.set_filter(SpendFilter(supplier="instarmac"))
    n = context.workspace.db.execute(
        "SELECT COUNT(*) FROM spend_line WHERE supplier_name LIKE '%INSTARMAC%'"
    ).fetchone()[0]
    assert model.rowCount() == n > 0
    assert all("INSTARMAC" in model.data(model.index(r, 1)) for r in range(n))
    model.set_filter(SpendFilter(category=""))
    unmapped = context.workspace.db.execute(
        "SELECT COUNT(*) FROM spend_line l JOIN spend_source_category c "
        "ON c.id = l.source_category_id WHERE c.category_code IS NULL"
    ).fetchone()[0]
    assert model.rowCount() == unmapped
    assert model.data(model.index(0, 2)) == "Unmapped"


def test_spend_model_reads_nothing_for_the_roles_it_leaves_to_qt(context):
    """A paint asks data() for a dozen roles a cell; only four need the line."""
    from lga_desktop.ui.procurement.spend_model import SpendTableModel

    import_spend(context.workspace, F2016)
    model = SpendTableModel(context.workspace.db.conn)
    statements: list[str] = []
    context.workspace.db.conn.set_trace_callback(statements.append)
    try:
        far = model.index(3000, 1)
        for role in (
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.CheckStateRole,
            Qt.ItemDataRole.SizeHintRole,
        ):
            assert model.data(far, role) is None
        assert statements == []
        # the roles it answers still fetch the line's window
        assert model.data(far, Qt.ItemDataRole.DisplayRole) == model.line(3000)[2]
        assert len(statements) == 1
        assert model.data(model.index(3000, 7), Qt.ItemDataRole.TextAlignmentRole) == int(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
    finally:
        context.workspace.db.conn.set_trace_callback(None)


def test_the_benchmarks_spend_page_figures_end_on_a_real_paint(qapp, tmp_path):
    """benchmarks/large_table.py's guards: measure_open refuses a figure with no paint."""
    from lga_desktop.ui.procurement.spend_page import measure_open
    from lga_desktop.workspace import Workspace

    path = tmp_path / "w.lgaws"
    with Workspace.create(path, "E07000178") as ws:
        import_spend(ws, F2016)
    opened, filtered = measure_open(path, "hanson")
    assert opened > 0 and filtered > 0


def test_spend_tab_search_and_status(qtbot, context):
    from lga_desktop.ui.procurement.spend_page import SpendTab

    import_spend(context.workspace, F2017)
    tab = SpendTab(context)
    qtbot.addWidget(tab)
    assert tab.status.text().startswith("4,052 lines · £16,264,882.46")
    qtbot.keyClicks(tab.search, "hanson")
    qtbot.waitUntil(lambda: tab.model.rowCount() < 4052, timeout=2000)
    assert "matching" in tab.status.text()
    assert tab.quarter.findData("2017Q1") > 0


# ---- import wizard ----------------------------------------------------------------------


def test_wizard_imports_and_reports(qtbot, context, immediate_tasks):
    from lga_desktop.ui.procurement.import_wizard import ImportWizard

    seen = []
    context.changed.connect(seen.append)
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.files_page.add_paths([F2016, OXFORD / "expenditure-over-500-jan-mar-2014.csv"])
    wizard.show()
    wizard.next()
    assert wizard.columns_page.isComplete()
    wizard.accept()
    assert [r.imported for r in wizard.results] == [3581, 3859]
    assert seen and "procurement" in seen[-1]
    # written with foreign-key checks off (import_session): they must still hold
    assert context.workspace.db.execute("PRAGMA foreign_key_check").fetchall() == []
    from lga_desktop.ui.procurement.import_wizard import report_html

    assert wizard.report_dialog is not None
    wizard.report_dialog.close()
    html = report_html(wizard.results)
    assert "Line 3861: not a spend line" in html
    assert "£12,937,883.62" in html


def test_wizard_column_mapping_step_is_remembered(qtbot, context, immediate_tasks, tmp_path):
    from lga_desktop.ui.procurement.import_wizard import ImportWizard

    path = tmp_path / "odd.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["When", "Who", "How much", "Doc"])
        w.writerow(["01/04/2015", "Acme Ltd", "£1,200.00", "A1"])
        w.writerow(["02/04/2015", "Acme Ltd", "99.50", "A2"])
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.files_page.add_paths([path])
    wizard.show()
    wizard.next()
    page = wizard.columns_page
    assert not page.isComplete()
    for field, header in (("date", "When"), ("supplier_name", "Who"), ("amount", "How much")):
        combo = page.combos[field]
        combo.setCurrentIndex(combo.findText(header))
    assert page.isComplete()
    wizard.accept()
    assert wizard.results[0].total_pence == 129950
    wizard.report_dialog.close()
    # the next file with those headings needs no mapping
    from lga_desktop.procurement.spend_import import read_header

    assert read_header(path, context.workspace).remembered


def test_cancelling_an_import_leaves_the_workspace_unchanged(qtbot, context, immediate_tasks):
    from lga_desktop.ui.procurement.import_wizard import import_files

    import_spend(context.workspace, F2016)
    before = snapshot_tables(context.workspace)
    progress = Progress()
    calls = []

    def cancel_midway(done, total, message):
        calls.append(done)
        if len(calls) == 3:
            progress.cancel()

    progress._callback = cancel_midway
    with pytest.raises(Cancelled):
        import_files(
            context.workspace,
            [(F2017, None), (OXFORD / "expenditure-over-500-apr-jun-2015.csv", None)],
            False,
            progress,
        )
    assert snapshot_tables(context.workspace) == before


def test_wizard_cancel_through_run_task(qtbot, context, immediate_tasks, monkeypatch):
    """The wizard's task, cancelled from its progress dialog, changes nothing."""
    from lga_desktop.ui import tasks
    from lga_desktop.ui.procurement.import_wizard import ImportWizard

    before = snapshot_tables(context.workspace)
    started = []

    class CancellingRunner:
        def start(self, task):
            started.append(task)
            task.progress.cancel()  # the officer pressed Cancel at once
            task.run()

    monkeypatch.setattr(tasks, "RUNNER", CancellingRunner())
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.files_page.add_paths([F2017])
    wizard.show()
    wizard.next()
    wizard.accept()
    assert started and wizard.results == []
    assert snapshot_tables(context.workspace) == before


# ---- suppliers, categories, chart ------------------------------------------------------


def test_bulk_flagging_with_undo(qtbot, context):
    from lga_desktop.ui.procurement.suppliers_page import SuppliersTab

    import_spend(context.workspace, F2017)
    tab = SuppliersTab(context)
    qtbot.addWidget(tab)
    sel = tab.table.selectionModel()
    for row in range(3):
        sel.select(
            tab.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    ids = tab.selected_ids()
    assert len(ids) == 3 and tab.flag_buttons[("sme", True)].isEnabled()
    tab.flag_buttons[("sme", True)].click()
    flagged = {r[0] for r in context.workspace.db.execute("SELECT id FROM supplier WHERE sme = 1")}
    assert flagged == set(ids)
    assert {s.id for s in tab.model.suppliers if s.sme} == set(ids)
    assert tab.selected_ids() == ids  # the selection survives the refresh
    context.undo_stack.undo()
    assert context.workspace.db.execute(
        "SELECT COUNT(*) FROM supplier WHERE sme = 1"
    ).fetchone() == (0,)
    context.undo_stack.redo()
    assert context.workspace.db.execute(
        "SELECT COUNT(*) FROM supplier WHERE sme = 1"
    ).fetchone() == (3,)
    # back to "not yet classified": a third state, not "not an SME"
    assert tab.model.data(tab.model.index(5, 2)) == "Not yet classified"
    tab.flag_buttons[("sme", None)].click()
    assert {s.sme for s in tab.model.suppliers if s.id in ids} == {None}
    tab.flag_buttons[("sme", False)].click()
    row = next(i for i, s in enumerate(tab.model.suppliers) if s.id == ids[0])
    assert tab.model.data(tab.model.index(row, 2)) == "No"
    context.undo_stack.undo()
    assert {s.sme for s in tab.model.suppliers if s.id in ids} == {None}
    definition = tab.findChild(QLabel, "smeDefinition").text()
    assert "fewer than 250 staff" in definition and "€50m" in definition


def test_supplier_model_passes_qt_model_tester(qtbot, qtmodeltester, context):
    from lga_desktop.ui.procurement.suppliers_page import SuppliersTab

    import_spend(context.workspace, F2016)
    tab = SuppliersTab(context)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model, force_py=True)


def test_category_mapping_page_with_undo(qtbot, qtmodeltester, context):
    from lga_desktop.ui.procurement.categories_page import CategoriesTab

    import_spend(context.workspace, F2016)
    tab = CategoriesTab(context)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model, force_py=True)
    assert "unmapped" in tab.summary.text()
    row = next(i for i, r in enumerate(tab.model.rows) if r.name == "Materials")
    tab.table.selectionModel().select(
        tab.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    tab.target.setCurrentIndex(tab.target.findData("CON"))
    tab.apply_button.click()
    assert {r.category_code for r in tab.model.rows if r.name == "Materials"} == {"CON"}
    context.undo_stack.undo()
    assert {r.category_code for r in tab.model.rows if r.name == "Materials"} == {None}


def test_sme_chart_draws_shares_and_aspiration(qtbot, demo_workspace):
    from lga_desktop.ui.procurement.page import ProcurementPage

    context = AppContext(demo_workspace)
    page = ProcurementPage(context)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.tabs.setCurrentWidget(page.sme_share)
    page.show()
    chart = page.sme_share.chart
    assert len(chart.shares) == 8
    image = chart.grab().toImage()
    assert not image.isNull()
    # the chart painted the SME blue somewhere
    from lga_desktop.ui.procurement.sme_chart import SME_COLOUR

    found = any(
        image.pixelColor(x, y) == SME_COLOUR
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    )
    assert found
    assert page.sme_share.figures.topLevelItemCount() == 2
    headers = [
        page.sme_share.figures.headerItem().text(i)
        for i in range(page.sme_share.figures.columnCount())
    ]
    assert "Not yet classified" in headers and "Classified" in headers
    basis = page.sme_share.findChild(QLabel, "smeBasis").text()
    assert "procurement spend" in basis and "not a target for each council" in basis


def test_procurement_page_is_listed(qtbot, context):
    from lga_desktop.ui.pages import pages
    from lga_desktop.ui.procurement.page import ProcurementPage

    entry = next(p for p in pages() if p[0] == "procurement")
    page = entry[2](context)
    qtbot.addWidget(page)
    assert isinstance(page, ProcurementPage)


def test_hidden_tabs_refresh_when_shown_not_when_the_data_changes(qtbot, context):
    """After an import only the tab on screen refreshes at once; the others when opened."""
    from lga_desktop.ui.procurement.page import ProcurementPage

    page = ProcurementPage(context)
    qtbot.addWidget(page)
    page.show()  # on the Spend tab
    assert page.suppliers.model.rowCount() == 0
    import_spend(context.workspace, F2017)
    context.notify("procurement")
    assert page.spend.model.rowCount() == 4052
    assert page.suppliers.model.rowCount() == 0  # hidden: not yet
    assert page.sme_share.chart.shares == []
    assert not any(r.lines for r in page.categories.model.rows)
    page.tabs.setCurrentWidget(page.suppliers)
    assert page.suppliers.model.rowCount() > 100
    page.tabs.setCurrentWidget(page.sme_share)
    assert [s.key for s in page.sme_share.chart.shares] == ["2017Q1"]
    page.tabs.setCurrentWidget(page.categories)
    assert any(r.lines for r in page.categories.model.rows)
    # once shown and up to date, switching back does not refresh again
    calls = []
    page.suppliers._deferred.refresh = lambda: calls.append(1)
    page.tabs.setCurrentWidget(page.suppliers)
    assert calls == []
