"""The Spend tab: every spend line, searchable by supplier, filtered by category and quarter."""

from __future__ import annotations

import time
from pathlib import Path

from lga_desktop.money import format_money
from lga_desktop.periods import parse_period
from lga_desktop.procurement.category_mapping import big_categories
from lga_desktop.procurement.spend_query import SpendFilter
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.elided import compact_combo
from lga_desktop.ui.main_column import MainColumn
from lga_desktop.ui.procurement.spend_model import SpendTableModel
from lga_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.tasks import show_error
from lga_desktop.words import plural

KEY = "procurement"


class SpendTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("spendTab")
        self.context = context
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.import_button = QPushButton("Import spend files…")
        self.import_button.setToolTip("Import 'spend over £500' files (CSV or Excel)")
        self.import_button.clicked.connect(self.open_import)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search suppliers…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search by supplier")
        self.category = QComboBox()
        self.category.setAccessibleName("Filter by category")
        compact_combo(self.category)
        self.quarter = QComboBox()
        self.quarter.setAccessibleName("Filter by quarter")
        self.remove_button = QPushButton("Remove import…")
        self.remove_button.setToolTip(
            "Take one imported file's lines back out (a backup is taken first)"
        )
        self.remove_button.clicked.connect(self.remove_import)
        bar.addWidget(self.import_button)
        bar.addWidget(self.remove_button)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.category, 1)
        bar.addWidget(self.quarter, 1)
        layout.addLayout(bar)

        self.model = SpendTableModel(context.workspace.db.conn, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        # fixed row heights: the view never asks every row for its size
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((80, 220, 100, 130, 100, 80, 45, 100)):
            self.table.setColumnWidth(col, width)
        # the supplier takes what room the others leave, never less than a name's width
        self.main_column = MainColumn(self.table, 1, minimum_chars=24)
        header.sectionClicked.connect(self._sort_hint)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("spendStatus")
        layout.addWidget(self.status)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.category.currentIndexChanged.connect(self.apply_filter)
        self.quarter.currentIndexChanged.connect(self.apply_filter)
        context.changed.connect(self._changed)
        self._fill_choices()
        self._update_status()

    def _fill_choices(self) -> None:
        ws = self.context.workspace
        for combo in (self.category, self.quarter):
            combo.blockSignals(True)
        current_cat, current_q = self.category.currentData(), self.quarter.currentData()
        self.category.clear()
        self.category.addItem("All categories", None)
        self.category.addItem("Unmapped", "")
        for c in big_categories(ws):
            self.category.addItem(c.name, c.code)
        self.quarter.clear()
        self.quarter.addItem("All quarters", None)
        for (key,) in ws.db.execute(
            "SELECT DISTINCT quarter FROM spend_summary ORDER BY quarter DESC"
        ).fetchall():
            self.quarter.addItem(str(parse_period(key)), key)
        for combo, value in ((self.category, current_cat), (self.quarter, current_q)):
            i = combo.findData(value)
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)

    def current_filter(self) -> SpendFilter:
        return SpendFilter(
            supplier=self.search.text(),
            category=self.category.currentData(),
            quarter=self.quarter.currentData(),
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        wanted = self.current_filter()
        if wanted != self.model.spend_filter:
            self.model.set_filter(wanted)
        self._update_status()

    def _sort_hint(self, column: int) -> None:
        if not self.model.sortable(column):
            self.status.setText(
                "That column does not sort; sort by date, supplier, reference or amount."
            )

    def _update_status(self) -> None:
        n = self.model.rowCount()
        what = plural(n, "line") if self.model.spend_filter.is_empty else plural(n, "matching line")
        self.status.setText(f"{what} · {format_money(self.model.total_pence())}")

    def _changed(self, what: frozenset) -> None:
        if KEY in what or "*" in what:
            self._fill_choices()
            self.model.refresh()
            self._update_status()

    def choose_import(self, imports: list[dict]) -> dict | None:
        """Which import to remove (a list to pick from); tests replace this."""
        labels = [
            f"{i['imported_at'][:16].replace('T', ' ')}  {i['file']}  "
            f"({i['imported']:,} lines, {format_money(i['total_pence'])})"
            for i in imports
        ]
        label, ok = QInputDialog.getItem(
            self, "Remove import", "Take back out the lines of:", labels, 0, False
        )
        return imports[labels.index(label)] if ok and label in labels else None

    def remove_import(self) -> None:
        from lga_desktop.procurement.spend_import import list_imports, remove_import_with_backup

        ws = self.context.workspace
        imports = list_imports(ws)
        if not imports:
            QMessageBox.information(self, "Remove import", "No spend file has been imported yet.")
            return
        chosen = self.choose_import(imports)
        if chosen is None:
            return
        try:
            removed, backup = remove_import_with_backup(ws, chosen["id"])
        except Exception as exc:
            show_error(self, "Remove import", exc)
            return
        self.context.notify(KEY)
        QMessageBox.information(
            self,
            "Remove import",
            f"Removed {chosen['file']}: {removed:,} lines. The workspace as it was is kept as "
            f"the backup '{backup.name}' (File > Restore from backup).",
        )

    def open_import(self) -> None:
        from lga_desktop.ui.procurement.import_wizard import ImportWizard

        wizard = ImportWizard(self.context, self)
        wizard.open()


def measure_open(path: Path, supplier: str) -> tuple[float, float]:
    """Seconds to build, show and paint the spend tab on a workspace, and to filter it.

    Each figure ends once the table's rows have been painted (once, as on a
    screen: the show's own paint, then the filter's repaint; a paint counter on
    the table checks that each happened). For ``benchmarks/large_table.py``;
    runs offscreen.
    """
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lga_desktop.ui.qt import QApplication, QEvent, QObject
    from lga_desktop.workspace import Workspace

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    def painted(since: int) -> None:
        app.processEvents()
        if paints.count <= since:
            raise RuntimeError("the spend table was not painted; the figure would mean nothing")

    app = QApplication.instance() or QApplication([])
    paints = Paints()
    with Workspace.open(path, check_integrity=False) as ws:
        t = time.perf_counter()
        context = AppContext(ws)
        tab = SpendTab(context)
        tab.table.viewport().installEventFilter(paints)
        tab.resize(1200, 800)
        tab.show()
        painted(0)
        opened = time.perf_counter() - t
        before = paints.count
        t = time.perf_counter()
        tab.search.setText(supplier)
        tab.apply_filter()
        painted(before)
        filtered = time.perf_counter() - t
        tab.close()
    return opened, filtered
