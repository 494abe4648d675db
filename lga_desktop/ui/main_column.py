"""The main column of a table (Supplier, Title) takes the width the others leave.

``QHeaderView``'s stretch mode shrinks a stretched column to nothing when the
other columns are wide ("S…" for the supplier); this keeps the main column at
least ``minimum_chars`` wide and gives it whatever room is left, as the window
or another column is resized. The table scrolls sideways only when even that
minimum does not fit.
"""

from __future__ import annotations

from lga_desktop.ui.qt import QEvent, QObject, Qt, QTableView

__all__ = ["MainColumn", "fit_headers"]


def fit_headers(view: QTableView, samples: dict[int, str] | None = None) -> None:
    """Every column as wide as its heading (no "g-spend catego"), or as ``samples[col]``'s text."""
    model, header = view.model(), view.horizontalHeader()
    metrics = header.fontMetrics()
    pad = 2 * metrics.averageCharWidth() + 12
    for col in range(model.columnCount()):
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        sample = (samples or {}).get(col, "")
        view.setColumnWidth(
            col, max(metrics.horizontalAdvance(title), metrics.horizontalAdvance(sample)) + pad
        )


class MainColumn(QObject):
    def __init__(self, view: QTableView, column: int, *, minimum_chars: int = 26) -> None:
        super().__init__(view)
        self.view = view
        self.column = column
        self.minimum = view.fontMetrics().averageCharWidth() * minimum_chars
        self._fitting = False
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._other_resized)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _other_resized(self, column: int, _old: int, _new: int) -> None:
        if column != self.column:
            self.fit()

    def fit(self) -> None:
        if self._fitting or self.view.isColumnHidden(self.column):
            return
        model = self.view.model()
        columns = model.columnCount() if model is not None else 0
        others = sum(
            self.view.columnWidth(c)
            for c in range(columns)
            if c != self.column and not self.view.isColumnHidden(c)
        )
        width = max(self.minimum, self.view.viewport().width() - others)
        if width != self.view.columnWidth(self.column):
            self._fitting = True
            try:
                self.view.setColumnWidth(self.column, width)
            finally:
                self._fitting = False
