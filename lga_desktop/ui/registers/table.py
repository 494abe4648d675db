"""One register as a table: filter, sort, add, duplicate, edit, delete, history, totals.

Used for a page's main register and for each detail register under the
selected parent. Every write goes through the store and onto the undo stack;
the table then reloads from the workspace when the page is told of the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lga_desktop.errors import LgaError
from lga_desktop.exchange.council import pack_options
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers import audit, store
from lga_desktop.registers.catalog import children
from lga_desktop.registers.declaration import Field, Record, Register
from lga_desktop.registers.family import draft_rule_findings
from lga_desktop.registers.fields import Choice, FieldError, Reference, Text
from lga_desktop.ui.main_column import MainColumn
from lga_desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QStyledItemDelegate,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from lga_desktop.ui.registers import dialogs
from lga_desktop.ui.registers.commands import CreateCommand, DeleteCommand, UpdateCommand
from lga_desktop.ui.registers.editors import make_editor
from lga_desktop.ui.registers.form import RecordDialog
from lga_desktop.ui.registers.model import RegisterModel, RegisterProxy, TotalsModel
from lga_desktop.validation import Finding
from lga_desktop.words import count_noun, lower_title, plural

if TYPE_CHECKING:
    from lga_desktop.ui.context import AppContext

__all__ = ["RegisterTable"]


class FieldDelegate(QStyledItemDelegate):
    """Edits a cell in place with the editor that fits its field."""

    refused = Signal(str)

    def __init__(self, table: RegisterTable) -> None:
        super().__init__(table)
        self.table = table

    def _field(self, index: Any) -> Field | None:
        source = self.table.proxy.mapToSource(index)
        return self.table.model.field_at(source.column())

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget | None:
        f = self._field(index)
        if f is None:
            return None
        editor = make_editor(
            f, compact=True, link_choices=self.table.link_choices(f), parent=parent
        )
        editor.setAutoFillBackground(True)
        return editor

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        editor.set_value(index.data(Qt.ItemDataRole.EditRole))  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        f = self._field(index)
        try:
            value = editor.value()  # type: ignore[attr-defined]
        except FieldError as exc:
            self.refused.emit(f"{f.label if f else ''}: {exc}")
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: Any, index: Any) -> None:
        rect = option.rect
        editor.setGeometry(
            rect.x(), rect.y(), max(rect.width(), editor.sizeHint().width()), rect.height()
        )


class TotalsBar(QTableView):
    """The totals row under a table: same columns and widths, scrolled along with it."""

    def __init__(
        self, view: QTableView, proxy: RegisterProxy, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("totalsBar")
        self.totals = TotalsModel(proxy, self)
        self.setModel(self.totals)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setStyleSheet(
            "QTableView { background: palette(window); border-top: 1px solid palette(mid); }"
        )
        self.setFixedHeight(self.verticalHeader().defaultSectionSize() + 4)
        self.view = view
        view.horizontalHeader().sectionResized.connect(self._resize)
        view.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)
        self.totals.modelReset.connect(self.sync)

    def _resize(self, column: int, _old: int, new: int) -> None:
        self.setColumnWidth(column, new)

    def sync(self) -> None:
        for column in range(self.totals.columnCount()):
            self.setColumnWidth(column, self.view.columnWidth(column))


class RegisterTable(QWidget):
    """A register's records (all, or those under one parent) with everything to work them."""

    selection_changed = Signal(object)  # the current Record, or None

    def __init__(
        self,
        context: AppContext,
        reg: Register,
        *,
        detail: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"table_{reg.key}")
        self.context = context
        self.reg = reg
        self.undo_stack = context.undo_stack  # its page's
        self.detail = detail
        self.parent_record: Record | None = None
        self.dialog: RecordDialog | None = None
        self.history_dialog: dialogs.HistoryDialog | None = None
        self.model = RegisterModel(reg, self)
        self.proxy = RegisterProxy(self.model, self)
        self.model.edit_requested.connect(self._inline_edit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("filterBox")
        self.filter_box.setPlaceholderText(f"Filter {lower_title(reg.title)}…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.set_text)
        bar.addWidget(self.filter_box, 2)
        self.choice_filter: QComboBox | None = None
        if reg.filter_field:
            f = reg.field(reg.filter_field)
            assert isinstance(f.type, Choice)
            self.choice_filter = QComboBox(self)
            self.choice_filter.setObjectName("choiceFilter")
            self.choice_filter.addItem(f"Every {f.label.lower()}", None)
            for key, label in f.type.options:
                self.choice_filter.addItem(label, key)
            self.choice_filter.currentIndexChanged.connect(
                lambda _i: self.proxy.set_choice(reg.filter_field, self.choice_filter.currentData())  # type: ignore[union-attr]
            )
            bar.addWidget(self.choice_filter, 1)
        bar.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, tip, slot in (
            ("add", "Add…", f"Add a {reg.item} (Insert)", self.add),
            (
                "duplicate",
                "Duplicate",
                f"Add a copy of the selected {reg.item} (Ctrl+D)",
                self.duplicate,
            ),
            ("edit", "Edit…", f"Edit the selected {reg.item} (Enter)", self.edit),
            (
                "delete",
                "Delete",
                f"Delete the selected {count_noun(2, reg.item)} (Delete)",
                self.delete,
            ),
            ("history", "History", f"Every change to the selected {reg.item}", self.history),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"{name}Button")
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        layout.addLayout(bar)

        self.view = QTableView(self)
        self.view.setObjectName("registerView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        # the register's own order until a header is clicked
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        # the record's name (Title, Expert) takes the spare width; money stays beside it
        named = [
            col
            for col, f in enumerate(reg.table_fields, start=1)
            if f.name in reg.label_fields and isinstance(f.type, Text) and not f.type.numeric
        ]
        self.main_column = MainColumn(self.view, named[0]) if named else None
        if self.main_column is None:  # else a last column of text takes it
            last = reg.table_fields[-1] if reg.table_fields else None
            self.view.horizontalHeader().setStretchLastSection(bool(last and not last.type.numeric))
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.delegate = FieldDelegate(self)
        self.delegate.refused.connect(self.say)
        self.view.setItemDelegate(self.delegate)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.view, 1)
        self.totals_bar = TotalsBar(self.view, self.proxy, self)
        layout.addWidget(self.totals_bar)
        self.message = QLabel(self)
        self.message.setObjectName("tableMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        layout.addWidget(self.message)

        for keys, slot in (
            ("Ins", self.add),
            ("Ctrl+D", self.duplicate),
            ("Del", self.delete),
            ("Return", self.edit),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self._sized = False
        self._update_buttons()

    # ---- loading -------------------------------------------------------------------------
    def set_parent_record(self, record: Record | None, findings: dict[str, list[Finding]]) -> None:
        """For a detail table: show the records under this parent (none when None)."""
        changed = (record.id if record else None) != (
            self.parent_record.id if self.parent_record else None
        )
        self.parent_record = record
        self.reload(findings, keep_selection=not changed)

    def reload(
        self, findings: dict[str, list[Finding]] | None = None, *, keep_selection: bool = True
    ) -> None:
        keep = [r.id for r in self.selected_records()] if keep_selection else []
        current = self.current_record()
        if self.detail and self.parent_record is None:
            records: list[Record] = []
        else:
            records = store.list_records(
                self.context.workspace,
                self.reg,
                parent_id=self.parent_record.id if self.detail and self.parent_record else None,
            )
        self.model.set_records(records, findings or {})
        if not self._sized and records:
            self._size_columns()
        self.totals_bar.sync()
        for record_id in keep:
            self.select_id(record_id, add=True)
        if current is not None and current.id in keep:
            self.select_id(current.id, add=True)
        self._update_buttons()
        self.selection_changed.emit(self.current_record())

    def _size_columns(self) -> None:
        """Fit columns to what they hold, within a width that suits each field."""
        self._sized = True
        self.view.resizeColumnsToContents()
        metrics = self.fontMetrics()
        char = metrics.horizontalAdvance("x")
        total_width = metrics.horizontalAdvance(f"Total ({len(self.model.records) * 10:,})") + 16
        self.view.setColumnWidth(0, max(self.view.columnWidth(0), total_width))
        for col, f in enumerate(self.model.fields, start=1):
            chars = max(f.width or 16, len(f.column_label) + 3)
            if isinstance(f.type, Choice):
                chars = max(chars, max(len(label) for _k, label in f.type.options) + 3)
            cap = char * min(chars, 60)
            self.view.setColumnWidth(col, min(max(self.view.columnWidth(col), 60), cap))
        if self.main_column is not None:
            self.main_column.fit()
        self.totals_bar.sync()

    # ---- selection --------------------------------------------------------------------
    def selected_records(self) -> list[Record]:
        rows = sorted(
            {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        )
        return [self.model.record(r) for r in rows]

    def current_record(self) -> Record | None:
        chosen = self.selected_records()
        return chosen[0] if chosen else None

    def select_id(self, record_id: int | None, *, add: bool = False) -> bool:
        row = self.model.row_of(record_id) if record_id is not None else None
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        flags = self.view.selectionModel().SelectionFlag
        mode = (flags.Select if add else flags.ClearAndSelect) | flags.Rows
        self.view.selectionModel().select(index, mode)
        self.view.setCurrentIndex(index) if not add else None
        self.view.scrollTo(index)
        return True

    def _selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        self.selection_changed.emit(self.current_record())

    def _update_buttons(self) -> None:
        chosen = self.selected_records()
        can_add = not self.detail or self.parent_record is not None
        self.buttons["add"].setEnabled(can_add)
        self.buttons["duplicate"].setEnabled(len(chosen) == 1)
        self.buttons["edit"].setEnabled(len(chosen) == 1)
        self.buttons["delete"].setEnabled(bool(chosen))
        self.buttons["history"].setEnabled(len(chosen) == 1)

    def say(self, text: str) -> None:
        """A one-line message under the table (a refused edit); cleared by the next reload."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---- links -----------------------------------------------------------------------
    def link_choices(self, f: Field) -> Any:
        if not isinstance(f.type, Reference):
            return None
        key = f.type.register
        return lambda: store.Links(self.context.workspace).all(key)

    def _fixed(self) -> dict[str, Any]:
        if self.detail and self.parent_record is not None and self.reg.parent:
            return {self.reg.parent: self.parent_record.link()}
        return {}

    def _notify(self) -> None:
        self.say("")
        self.context.notify(self.reg.feature)

    # ---- actions ----------------------------------------------------------------------
    def suggested_values(self) -> dict[str, Any]:
        """A new record's starting values: the declared defaults, and the next free
        quarter or year where one record per period is allowed."""
        values = {f.name: f.default for f in self.reg.fields if f.default is not None}
        values.update(self._fixed())
        for names, _message in self.reg.unique:
            for name in names:
                taken = [
                    r.values.get(name) for r in self.model.records if r.values.get(name) is not None
                ]
                if taken and isinstance(taken[0], Quarter | FinancialYear):
                    values[name] = max(taken).next()
        return values

    def add(self) -> None:
        if not self.buttons["add"].isEnabled():
            return
        self._open_dialog(f"Add {self.reg.item}", self.suggested_values(), None, "Add")

    def duplicate(self) -> None:
        rec = self.current_record()
        if rec is None:
            return
        values = store.duplicate_values(self.context.workspace, self.reg, rec)
        self._open_dialog(f"Duplicate {rec.label}", values, None, "Duplicate")

    def edit(self) -> None:
        rec = self.current_record()
        if rec is None:
            return
        self._open_dialog(f"Edit {rec.label}", dict(rec.values), rec, "Edit")

    def _open_dialog(
        self, title: str, values: dict[str, Any], rec: Record | None, verb: str
    ) -> None:
        def submit(new_values: dict[str, Any]) -> None:
            ws = self.context.workspace
            if rec is None:
                created = store.create(ws, self.reg, new_values)
                self.undo_stack.push(CreateCommand(self.context, self.reg, created, verb))
                self._after_write(created.id)
            else:
                changed = {
                    k: v for k, v in new_values.items() if store.differs(v, rec.values.get(k))
                }
                if not changed:
                    return
                store.update(ws, self.reg, rec.id, changed)  # type: ignore[arg-type]
                old = {k: rec.values.get(k) for k in changed}
                self.undo_stack.push(
                    UpdateCommand(self.context, self.reg, rec.id, old, changed, rec.label)  # type: ignore[arg-type]
                )
                self._after_write(rec.id)

        self.dialog = RecordDialog(
            self.reg,
            title,
            submit,
            link_choices=self.link_choices,
            fixed=self._fixed(),
            parent=self,
        )
        found = self.model.findings.get(rec.ref, []) if rec else []
        self.dialog.form.extra_findings = found
        ws, record_id = self.context.workspace, rec.id if rec else None
        self.dialog.form.rule_findings = lambda values: draft_rule_findings(
            ws, self.reg, values, record_id=record_id
        )
        self.dialog.form.set_values(
            values, ref=rec.ref if rec else "", record_id=rec.id if rec else None
        )
        # the LGA's codes when its programme pack is in force (after the values: a choice not
        # among them stays shown, with the checks' warning)
        for name, options in pack_options(ws, self.reg).items():
            editor = self.dialog.form.editors.get(name)
            if editor is not None and hasattr(editor, "set_options"):
                editor.set_options(options)
        self.dialog.open()

    def _after_write(self, record_id: int | None) -> None:
        self._notify()
        if record_id is not None:
            self.select_id(record_id)

    def _inline_edit(self, rec: Record, name: str, value: Any) -> None:
        # written once the cell editor has closed: the write reloads the model, which
        # must not happen while the view is still committing the editor's data
        QTimer.singleShot(0, lambda: self._write_cell(rec, name, value))

    def _write_cell(self, rec: Record, name: str, value: Any) -> None:
        try:
            store.update(self.context.workspace, self.reg, rec.id, {name: value})  # type: ignore[arg-type]
        except LgaError as exc:
            self.say(str(exc))
            return
        self.undo_stack.push(
            UpdateCommand(
                self.context,
                self.reg,
                rec.id,
                {name: rec.values.get(name)},
                {name: value},
                rec.label,
            )  # type: ignore[arg-type]
        )
        self._after_write(rec.id)

    def delete(self) -> None:
        chosen = self.selected_records()
        if not chosen:
            return
        ws = self.context.workspace
        below = sum(
            store.count(ws, child, parent_id=r.id) for r in chosen for child in children(self.reg)
        )
        what = (
            chosen[0].label if len(chosen) == 1 else f"these {plural(len(chosen), self.reg.item)}"
        )
        extra = (
            f" and the {plural(below, 'record')} under {'it' if len(chosen) == 1 else 'them'}"
            if below
            else ""
        )
        if not dialogs.confirm(
            self,
            f"Delete {self.reg.item}",
            f"Delete {what}{extra}?\n\nYou can undo this with Ctrl+Z.",
        ):
            return
        with ws.atomic():
            change = audit.next_change(ws)
            gone = [store.delete(ws, self.reg, r.id, change=change) for r in chosen]  # type: ignore[arg-type]
        self.undo_stack.push(DeleteCommand(self.context, self.reg, gone))
        self._notify()

    def history(self) -> None:
        rec = self.current_record()
        if rec is None:
            return
        changes = audit.history(self.context.workspace, self.reg, rec.id)  # type: ignore[arg-type]
        self.history_dialog = dialogs.HistoryDialog(rec.label, changes, self)
        self.history_dialog.open()
