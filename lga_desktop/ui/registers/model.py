"""The table model of any register, its sort-and-filter proxy, and its totals row.

:class:`RegisterModel` shows a register's records (a column for the ref and
one per table field) with each cell's validation finding as a tint and a
tooltip. It never writes: an in-place edit is handed to the page as
``edit_requested``, which writes it through the undo stack. Sorting uses each
field type's own sort key, so money sorts as money and quarters in order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lga_desktop.registers.declaration import Field, Record, Register
from lga_desktop.registers.fields import LongText, Money, Quantity
from lga_desktop.ui.qt import (
    QAbstractTableModel,
    QApplication,
    QBrush,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QStyle,
    Qt,
    Signal,
)
from lga_desktop.ui.registers.editors import inline_editable
from lga_desktop.validation import Finding, Severity

__all__ = ["RegisterModel", "RegisterProxy", "TotalsModel", "ERROR_TINT", "WARNING_TINT"]

ERROR_TINT = QColor(250, 215, 215)
WARNING_TINT = QColor(253, 236, 200)
AnyIndex = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


def _worst(findings: list[Finding]) -> Severity | None:
    if not findings:
        return None
    return (
        Severity.ERROR if any(f.severity is Severity.ERROR for f in findings) else Severity.WARNING
    )


class RegisterModel(QAbstractTableModel):
    """Rows are :class:`Record` values; column 0 is the ref, then the table fields."""

    edit_requested = Signal(object, str, object)  # record, field name, typed value

    def __init__(self, reg: Register, parent: Any = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.fields: list[Field] = list(reg.table_fields)
        self.records: list[Record] = []
        self.findings: dict[str, list[Finding]] = {}

    # ---- loading ----------------------------------------------------------------
    def set_records(
        self, records: list[Record], findings: dict[str, list[Finding]] | None = None
    ) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.findings = findings or {}
        self.endResetModel()

    def record(self, row: int) -> Record:
        return self.records[row]

    def row_of(self, record_id: int) -> int | None:
        for i, rec in enumerate(self.records):
            if rec.id == record_id:
                return i
        return None

    def field_at(self, column: int) -> Field | None:
        return None if column == 0 else self.fields[column - 1]

    def column_of(self, name: str) -> int | None:
        for i, f in enumerate(self.fields, start=1):
            if f.name == name:
                return i
        return None

    def sort_key(self, row: int, column: int) -> Any:
        rec = self.records[row]
        f = self.field_at(column)
        if f is None:
            return (0, rec.ref)
        value = rec.values.get(f.name)
        return (value is None, f.type.sort_key(value) if value is not None else 0)

    def cell_findings(self, row: int, column: int) -> list[Finding]:
        rec = self.records[row]
        found = self.findings.get(rec.ref, [])
        f = self.field_at(column)
        if f is None:
            return found  # the ref column speaks for the whole record
        return [x for x in found if x.field == f.name]

    # ---- Qt ---------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.fields) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        f = self.field_at(section) if 0 <= section <= len(self.fields) else None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Ref" if section == 0 else (f.column_label if f else None)
        if role == Qt.ItemDataRole.ToolTipRole and f is not None:
            return f"{f.label}: {f.help}" if f.help else f.label
        if role == Qt.ItemDataRole.TextAlignmentRole and f is not None and f.type.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.records):
            return None
        rec = self.records[index.row()]
        f = self.field_at(index.column())
        value = rec.ref if f is None else rec.values.get(f.name)
        if role == Qt.ItemDataRole.DisplayRole:
            if f is None:
                return rec.ref
            text = f.type.display(value)
            if isinstance(f.type, LongText) and text:
                first = text.split("\n", 1)[0]
                return first if len(first) <= 80 and "\n" not in text else first[:77] + "…"
            return text
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            found = self.cell_findings(index.row(), index.column())
            if found:
                return "\n".join(
                    ("Error: " if x.severity is Severity.ERROR else "Warning: ") + x.message
                    for x in found
                )
            if f is not None and value is not None and not f.type.numeric:
                return value if isinstance(f.type, LongText) else f.type.display(value)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if f is not None and f.type.numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            worst = (
                _worst(self.cell_findings(index.row(), index.column())) if f is not None else None
            )
            if worst is Severity.ERROR:
                return QBrush(ERROR_TINT)
            if worst is Severity.WARNING:
                return QBrush(WARNING_TINT)
            return None
        if role == Qt.ItemDataRole.DecorationRole and f is None:
            worst = _worst(self.cell_findings(index.row(), 0))
            if worst is None:
                return None
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if worst is Severity.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            return QApplication.style().standardIcon(icon)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        f = self.field_at(index.column())
        if f is not None and inline_editable(f):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        f = self.field_at(index.column()) if index.isValid() else None
        if f is None or role != Qt.ItemDataRole.EditRole:
            return False
        rec = self.records[index.row()]
        if value == rec.values.get(f.name):
            return False
        self.edit_requested.emit(rec, f.name, value)
        return True


class RegisterProxy(QSortFilterProxyModel):
    """Sorts by each field's own order; filters by words typed and a chosen value."""

    def __init__(self, source: RegisterModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._words: list[str] = []
        self._choice: tuple[str, Any] | None = None

    @property
    def register_model(self) -> RegisterModel:
        model = self.sourceModel()
        assert isinstance(model, RegisterModel)
        return model

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_choice(self, field: str | None, value: Any = None) -> None:
        self.beginFilterChange()
        self._choice = None if field is None or value is None else (field, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        model = self.register_model
        rec = model.records[row]
        if self._choice is not None and rec.values.get(self._choice[0]) != self._choice[1]:
            return False
        if not self._words:
            return True
        hay = " ".join(
            [rec.ref, *(f.type.display(rec.values.get(f.name)) for f in model.reg.fields)]
        ).casefold()
        return all(w in hay for w in self._words)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        model = self.register_model
        a = model.sort_key(left.row(), left.column())
        b = model.sort_key(right.row(), right.column())
        try:
            return a < b
        except TypeError:  # mixed kinds never happen within a column, but never crash a sort
            return str(a) < str(b)

    def records(self) -> list[Record]:
        """The records shown, in the order shown."""
        model = self.register_model
        return [
            model.records[self.mapToSource(self.index(r, 0)).row()] for r in range(self.rowCount())
        ]


class TotalsModel(QAbstractTableModel):
    """One row: the count of records shown and the total of each summable column."""

    def __init__(self, proxy: RegisterProxy, parent: Any = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.totals: dict[int, Any] = {}
        self.count = 0
        for signal in (
            proxy.modelReset,
            proxy.layoutChanged,
            proxy.rowsInserted,
            proxy.rowsRemoved,
        ):
            signal.connect(self.recompute)
        self.recompute()

    def recompute(self, *_args: Any) -> None:
        model = self.proxy.register_model
        shown = self.proxy.records()
        self.count = len(shown)
        totals: dict[int, Any] = {}
        for col, f in enumerate(model.fields, start=1):
            if f.total and isinstance(f.type, Money | Quantity):
                zero: Any = 0 if isinstance(f.type, Money) else Decimal(0)
                totals[col] = sum((r.values.get(f.name) or zero for r in shown), zero)
        self.totals = totals
        if self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(0, self.columnCount() - 1))

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else 1

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else self.proxy.register_model.columnCount()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"Total ({self.count:,})"
            if col in self.totals:
                f = self.proxy.register_model.fields[col - 1]
                return f.type.display(self.totals[col])
            return ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in self.totals:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            font = QApplication.font()
            font.setBold(True)
            return font
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled if index.isValid() else Qt.ItemFlag.NoItemFlags
