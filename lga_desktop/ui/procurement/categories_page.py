"""The Categories tab: map each expenditure category the council uses to a big-spend category."""

from __future__ import annotations

from typing import Any

from lga_desktop.money import format_money
from lga_desktop.procurement.category_mapping import (
    SourceCategory,
    big_categories,
    map_sources,
    restore_rules,
    source_categories,
)
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.elided import compact_combo
from lga_desktop.ui.list_model import Index, ListTableModel
from lga_desktop.ui.main_column import MainColumn, fit_headers
from lga_desktop.ui.qt import (
    QAbstractItemView,
    QBrush,
    QCheckBox,
    QColor,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QTableView,
    QUndoCommand,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.tasks import show_error
from lga_desktop.words import count_noun, plural

KEY = "procurement"
HEADINGS = ("Expenditure category", "Code", "Lines", "Spend", "Big-spend category", "Mapped by")


class SourceCategoryModel(ListTableModel[SourceCategory]):
    headings = HEADINGS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[str, str] = {}

    def set_rows(self, rows: list[SourceCategory], names: dict[str, str]) -> None:  # type: ignore[override]
        self.names = names
        super().set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        s = self.item(index)
        if s is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                s.name or "(no category given)",
                s.code,
                f"{s.lines:,}",
                format_money(s.pence),
                self.names.get(s.category_code or "", "Unmapped"),
                s.mapped_by or "",
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == 4 and s.category_code is None:
            return QBrush(QColor("#a15c00"))
        return None


class MapCommand(QUndoCommand):
    def __init__(
        self, page: CategoriesTab, ids: list[int], code: str | None, match_on: str
    ) -> None:
        target = page.model.names.get(code or "", "unmapped")
        super().__init__(f"Map {plural(len(ids), 'expenditure category')} to {target}")
        self.page, self.ids, self.code, self.match_on = page, ids, code, match_on
        self.before: dict = {}

    def redo(self) -> None:
        self.before = map_sources(
            self.page.context.workspace, self.ids, self.code, match_on=self.match_on
        )
        self.page.context.notify(KEY)

    def undo(self) -> None:
        restore_rules(self.page.context.workspace, self.before)
        self.page.context.notify(KEY)


class CategoriesTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("categoriesTab")
        self.context = context
        self.undo_stack = context.undo_stack  # its page's
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = SourceCategoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        # the name takes the room the others leave
        fit_headers(self.table, {3: "£10,000,000.00", 4: "Professional services"})
        self.main_column = MainColumn(self.table, 0)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Map the selected to:"))
        self.target = compact_combo(QComboBox())
        self.target.setAccessibleName("Big-spend category")
        row.addWidget(self.target, 1)
        self.by_code = QCheckBox("Match on the code (not the name)")
        self.by_code.setToolTip(
            "A rule on the code maps every category with that code, whatever its name"
        )
        row.addWidget(self.by_code)
        self.apply_button = QPushButton("Map")
        self.apply_button.clicked.connect(self.map_selected)
        row.addWidget(self.apply_button)
        layout.addLayout(row)
        # a hidden tab refreshes when it is shown (see ui/deferred_refresh.py)
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        ws = self.context.workspace
        cats = big_categories(ws)
        names = {c.code: c.name for c in cats}
        current = self.target.currentData()
        self.target.clear()
        for c in cats:
            self.target.addItem(c.name, c.code)
        self.target.addItem("Unmapped (forget the rule)", None)
        if current is not None:
            self.target.setCurrentIndex(max(self.target.findData(current), 0))
        rows = source_categories(ws)
        self.model.set_rows(rows, names)
        unmapped = [r for r in rows if r.category_code is None and r.lines]
        pence = sum(r.pence for r in unmapped)
        self.summary.setText(
            f"{plural(len(unmapped), 'expenditure category')} ({format_money(pence)}) "
            f"{count_noun(len(unmapped), 'is')} unmapped."
            if unmapped
            else "Every expenditure category with spend is mapped to a big-spend category."
        )

    def _changed(self, what: frozenset) -> None:
        if KEY in what or "*" in what:
            self._deferred.request()

    def selected_ids(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.rows[r].id for r in sorted(rows)]

    def map_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            match_on = "code" if self.by_code.isChecked() else "name"
            try:
                self.context.workspace.backup(reason="before category mapping")
            except Exception as exc:
                show_error(self, "Map categories", exc)
                return
            self.undo_stack.push(MapCommand(self, ids, self.target.currentData(), match_on))
