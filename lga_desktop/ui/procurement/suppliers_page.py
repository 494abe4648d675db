"""The Suppliers tab: one row per supplier, flagged SME, VCSE or local in bulk, with undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lga_desktop.money import format_money
from lga_desktop.procurement.derived import SME_DEFINITION
from lga_desktop.procurement.suppliers import (
    FLAG_LABELS,
    NO_SUPPLIER_ID,
    Supplier,
    export_suppliers,
    flags_of,
    import_suppliers,
    list_suppliers,
    restore_flags,
    set_flags,
)
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.list_model import Index, ListTableModel
from lga_desktop.ui.main_column import MainColumn, fit_headers
from lga_desktop.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QTableView,
    QUndoCommand,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.tasks import show_error

KEY = "procurement"
HEADINGS = ("Supplier", "Supplier ID", "SME", "VCSE", "Local", "Lines", "Spend")


class SupplierModel(ListTableModel[Supplier]):
    """Suppliers in memory: a county has thousands, not millions."""

    headings = HEADINGS

    @property
    def suppliers(self) -> list[Supplier]:
        return self.rows

    def set_suppliers(self, suppliers: list[Supplier]) -> None:
        self.set_rows(suppliers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        s = self.item(index)
        if s is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                s.name + (" (redacted)" if s.redacted and "redact" not in s.name.lower() else ""),
                s.supplier_ref or "",
                sme_words(s.sme),
                "Yes" if s.vcse else "",
                "Yes" if s.local else "",
                f"{s.lines:,}",
                format_money(s.pence),
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and s.redacted:
            return "The council published this name redacted (personal data)"
        return None


def sme_words(sme: bool | None) -> str:
    """The three states of the SME flag, as the table shows them."""
    return "Not yet classified" if sme is None else ("Yes" if sme else "No")


def _flag_words(flag: str, on: bool | None) -> str:
    if on is None:
        return f"not yet classified as {FLAG_LABELS[flag]} or not"
    return f"{'' if on else 'not '}{FLAG_LABELS[flag]}"


class SetFlagsCommand(QUndoCommand):
    def __init__(self, page: SuppliersTab, ids: list[int], flags: dict[str, bool | None]) -> None:
        what = ", ".join(_flag_words(f, on) for f, on in flags.items())
        super().__init__(f"Mark {len(ids):,} suppliers {what}")
        self.page, self.ids, self.flags = page, ids, flags
        self.before = flags_of(page.context.workspace, ids)

    def redo(self) -> None:
        set_flags(self.page.context.workspace, self.ids, **self.flags)
        self.page.context.notify(KEY)

    def undo(self) -> None:
        restore_flags(self.page.context.workspace, self.before)
        self.page.context.notify(KEY)


class SuppliersTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("suppliersTab")
        self.context = context
        self.undo_stack = context.undo_stack  # its page's
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search suppliers…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        top.addWidget(self.search, 1)
        self.export_button = QPushButton("Export list…")
        self.export_button.clicked.connect(self.export_list)
        self.import_button = QPushButton("Import list…")
        self.import_button.clicked.connect(self.import_list)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        self.model = SupplierModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        fit_headers(self.table, {6: "£10,000,000.00"})  # the name takes the room left
        self.main_column = MainColumn(self.table, 0)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        flags_row = QHBoxLayout()
        self.selected_label = QLabel("Select suppliers to flag them.")
        self.selected_label.setWordWrap(True)
        flags_row.addWidget(self.selected_label, 1)
        self.flag_buttons: dict[tuple[str, bool | None], QPushButton] = {}
        for flag, label in FLAG_LABELS.items():
            states: tuple[bool | None, ...] = (
                (True, False, None) if flag == "sme" else (True, False)
            )
            for on in states:
                button = QPushButton(
                    "SME not known" if on is None else (label if on else f"Not {label}")
                )
                button.setToolTip(f"Mark the selected suppliers {_flag_words(flag, on)}")
                button.clicked.connect(lambda _c=False, f=flag, v=on: self.flag_selected(f, v))
                button.setEnabled(False)
                self.flag_buttons[(flag, on)] = button
                flags_row.addWidget(button)
        layout.addLayout(flags_row)
        definition = QLabel(f"<small>{SME_DEFINITION}</small>")
        definition.setObjectName("smeDefinition")
        definition.setWordWrap(True)
        layout.addWidget(definition)
        # a hidden tab refreshes when it is shown (see ui/deferred_refresh.py)
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        keep = set(self.selected_ids())
        suppliers = [
            s
            for s in list_suppliers(self.context.workspace, search=self.search.text())
            if s.id != NO_SUPPLIER_ID
        ]
        self.model.set_suppliers(suppliers)
        if keep:
            from lga_desktop.ui.qt import QItemSelectionModel

            sel = self.table.selectionModel()
            for row, s in enumerate(suppliers):
                if s.id in keep:
                    sel.select(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
        self._selection_changed()

    def _changed(self, what: frozenset) -> None:
        if KEY in what or "*" in what:
            self._deferred.request()

    def selected_ids(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.suppliers[r].id for r in sorted(rows) if r < len(self.model.suppliers)]

    def _selection_changed(self, *_: object) -> None:
        n = len(self.selected_ids())
        self.selected_label.setText(
            f"{n:,} selected" if n else "Select suppliers (Shift or Ctrl for many) to flag them."
        )
        for button in self.flag_buttons.values():
            button.setEnabled(bool(n))

    def flag_selected(self, flag: str, on: bool | None) -> None:
        ids = self.selected_ids()
        if ids:
            self.undo_stack.push(SetFlagsCommand(self, ids, {flag: on}))

    def export_list(self) -> None:
        path, _ = file_dialogs.get_save_file_name(
            self, "Export supplier list", "suppliers.csv", "CSV (*.csv)"
        )
        if path:
            n = export_suppliers(self.context.workspace, Path(path))
            QMessageBox.information(
                self, "Supplier list", f"Wrote {n:,} suppliers to {Path(path).name}."
            )

    def import_list(self) -> None:
        path, _ = file_dialogs.get_open_file_name(
            self, "Import supplier list", "", "Supplier lists (*.csv *.xlsx)"
        )
        if path:
            self.apply_list(Path(path))

    def apply_list(self, path: Path) -> None:
        try:
            self.context.workspace.backup(reason=f"before supplier list {path.name}")
            report = import_suppliers(self.context.workspace, path)
        except Exception as exc:  # shown in words; nothing was changed
            show_error(self, "Supplier list", exc)
            return
        self.undo_stack.clear()  # flags changed outside the undo history
        self.context.notify(KEY)
        QMessageBox.information(
            self,
            "Supplier list",
            f"Applied {path.name}: {report.matched:,} suppliers updated, {report.created:,} added.",
        )
