"""What the consolidation window's tables share: sorting on exact values, filtering, the view.

A model (a :class:`~lga_desktop.ui.list_model.ListTableModel`) answers
:data:`SORT_ROLE` with the value to sort by (a quarter's key, a version number,
an ISO date), so columns sort by what they mean rather than by their text, and
:data:`FILTER_ROLE` with the text a filter matches (the council's name and code).
"""

from __future__ import annotations

from typing import Any

from lga_desktop.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHeaderView,
    QSortFilterProxyModel,
    Qt,
    QTableView,
)

__all__ = ["SORT_ROLE", "FILTER_ROLE", "SortFilterProxy", "table_view"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2


class SortFilterProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`; ``set_text`` keeps rows whose :data:`FILTER_ROLE` has the words."""

    def __init__(self, source: QAbstractTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Any) -> bool:
        if not self._words:
            return True
        source = self.sourceModel()
        hay = str(source.data(source.index(row, 0, parent), FILTER_ROLE) or "").casefold()
        return all(w in hay for w in self._words)


def table_view(model: Any, *, name: str, wrap: bool = False, stretch: int = -1) -> QTableView:
    """A read-only, sortable table of whole rows; ``wrap`` fits each row to its wrapped text."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    # rows start in the order the core gives them (Qt would sort by the first column,
    # descending); a click on a heading sorts by it
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    view.setWordWrap(wrap)
    if wrap:
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view
