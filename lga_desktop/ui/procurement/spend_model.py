"""The spend table's model: a window of rows at a time, fetched from SQLite as the view scrolls.

Sorting and filtering are SQL (:class:`~lga_desktop.procurement.spend_query.SpendQuery`);
the model keeps a few windows of 200 rows in a small cache, so a million lines
cost what a thousand do.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from typing import Any

from lga_desktop.money import format_money
from lga_desktop.procurement.spend_query import COLUMNS, SpendFilter, SpendQuery
from lga_desktop.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

WINDOW = 200
CACHED_WINDOWS = 12
_AMOUNT = [key for key, _, _ in COLUMNS].index("amount")
_SORT_KEYS = [key if sql else None for key, _, sql in COLUMNS]
Index = QModelIndex | QPersistentModelIndex

# Worked out once: a paint asks data() for a dozen roles of every visible cell
# (a few thousand calls on a full window), most of them roles we leave to Qt.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ROLES = frozenset(int(r) for r in (_DISPLAY, _ALIGN, _FOREGROUND, _TOOLTIP))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_CREDIT = QColor("#b00020")
_UNMAPPED = QColor("#a15c00")


class SpendTableModel(QAbstractTableModel):
    def __init__(self, conn: sqlite3.Connection, parent: Any = None) -> None:
        super().__init__(parent)
        self.conn = conn
        self.query = SpendQuery(conn)
        self._cache: OrderedDict[int, list[tuple]] = OrderedDict()
        self._count = self.query.count()

    # ---- our own API ---------------------------------------------------------

    @property
    def spend_filter(self) -> SpendFilter:
        return self.query.filter

    def set_filter(self, spend_filter: SpendFilter) -> None:
        self._requery(SpendQuery(self.conn, spend_filter, self.query.sort, self.query.descending))

    def refresh(self) -> None:
        """Re-read after the data changed (an import, a flag, a mapping)."""
        self._requery(
            SpendQuery(self.conn, self.query.filter, self.query.sort, self.query.descending)
        )

    def total_pence(self) -> int:
        return self.query.count_and_total()[1]

    def line(self, row: int) -> tuple | None:
        return self._row(row)

    def _requery(self, query: SpendQuery) -> None:
        self.beginResetModel()
        self.query = query
        self._cache.clear()
        self._count = query.count()
        self.endResetModel()

    def _row(self, row: int) -> tuple | None:
        if not 0 <= row < self._count:
            return None
        number = row // WINDOW
        window = self._cache.get(number)
        if window is None:
            window = self.query.window(number * WINDOW, WINDOW)
            self._cache[number] = window
            if len(self._cache) > CACHED_WINDOWS:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(number)
        offset = row - number * WINDOW
        return window[offset] if offset < len(window) else None

    # ---- Qt's ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        r = self._row(index.row())
        if r is None:
            return None
        col = index.column()
        # r: id, date, supplier, category, source name, source code, area, ref, cap_rev,
        #    pence, sme, vcse, redacted, line_no, import_id
        if role == _DISPLAY:
            if col == 0:
                y, m, d = r[1].split("-")
                return f"{d}/{m}/{y}"
            if col == 1:
                return r[2] or "(no supplier named)"
            if col == 2:
                return r[3] or "Unmapped"
            if col == 3:
                return f"{r[4]} ({r[5]})" if r[4] and r[5] else (r[4] or r[5])
            if col == 4:
                return r[6] or ""
            if col == 5:
                return r[7] or ""
            if col == 6:
                return (r[8] or "").capitalize()
            if col == _AMOUNT:
                return format_money(r[9])
        elif role == _ALIGN:
            if col == _AMOUNT:
                return _RIGHT
        elif role == _FOREGROUND:
            if col == _AMOUNT and r[9] < 0:
                return QBrush(_CREDIT)
            if col == 2 and not r[3]:
                return QBrush(_UNMAPPED)
        elif role == _TOOLTIP:
            if col == 1:
                flags = [name for name, on in (("SME", r[10]), ("VCSE", r[11])) if on]
                note = "Name redacted by the council (personal data). " if r[12] else ""
                return note + (", ".join(flags) if flags else "Not flagged SME or VCSE")
            if col == 2 and not r[3]:
                return (
                    "No big-spend category yet: map this expenditure category on the Categories tab"
                )
            return f"Line {r[13]} of import {r[14]}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or _SORT_KEYS[column] is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (_SORT_KEYS[column], descending) == (self.query.sort, self.query.descending):
            return
        self.layoutAboutToBeChanged.emit()
        self.query = SpendQuery(self.conn, self.query.filter, _SORT_KEYS[column], descending)
        self._cache.clear()
        self.layoutChanged.emit()

    @staticmethod
    def sortable(column: int) -> bool:
        return 0 <= column < len(COLUMNS) and _SORT_KEYS[column] is not None
