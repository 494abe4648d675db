"""The Returns page: every return merged into the programme, counting or superseded."""

from __future__ import annotations

from html import escape
from typing import Any

from lga_desktop.consolidation.figures import CouncilReturn, returns_on_record
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.list_model import Index, ListTableModel
from lga_desktop.ui.programme.context import ProgrammeContext
from lga_desktop.ui.programme.tables import (
    FILTER_ROLE,
    SORT_ROLE,
    SortFilterProxy,
    table_view,
)
from lga_desktop.ui.qt import QColor, QHBoxLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget
from lga_desktop.ui.styles import MUTED
from lga_desktop.words import format_when

__all__ = ["ReturnsModel", "ReturnsPage"]


def signed_text(iso: str) -> str:
    """``2012-10-15T10:30:00+00:00`` -> ``15/10/2012 10:30``, as every date on screen (sorting
    uses the ISO text itself)."""
    return format_when(iso)


class ReturnsModel(ListTableModel[CouncilReturn]):
    headings = (
        "Council",
        "Quarter",
        "Version",
        "Status",
        "Signed",
        "Signed by",
        "Key fingerprint",
        "Return hash",
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.item(index)
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.council_name,
                r.period,
                str(r.version),
                "Counts" if r.counts else "Superseded",
                signed_text(r.signed_at),
                f"{r.signer_name}, {r.signer_role}",
                r.key_fingerprint,
                r.return_hash[:16] + "…",
            )[col]
        if role == SORT_ROLE:
            return (
                r.council_name,
                r.period_key,
                r.version,
                int(r.counts),
                r.signed_at,
                r.signer_name,
                r.key_fingerprint,
                r.return_hash,
            )[col]
        if role == FILTER_ROLE:
            return f"{r.council_name} {r.council_gss}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 7:
                return r.return_hash
            if col == 3:
                return (
                    "The highest version of the council's return for the quarter: its figures count"
                    if r.counts
                    else "A later version of this return was merged; this one is kept, not counted"
                )
            if col == 0:
                return r.council_gss
        if role == Qt.ItemDataRole.ForegroundRole and not r.counts:
            return QColor(MUTED)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class ReturnsPage(QWidget):
    def __init__(self, context: ProgrammeContext) -> None:
        super().__init__()
        self.setObjectName("programmeReturnsPage")
        self.context = context
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Returns merged</h2>"))
        intro = QLabel(
            "Every return merged into the programme. For each council and quarter the highest "
            "version counts; earlier versions stay here, marked superseded."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("councilFilter")
        self.search.setPlaceholderText("Filter by council name or code…")
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.count_label = QLabel()
        top.addWidget(self.count_label)
        layout.addLayout(top)
        self.model = ReturnsModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self.table = table_view(self.proxy, name="returnsTable")
        layout.addWidget(self.table, 1)
        self.details = QLabel()
        self.details.setObjectName("returnDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.search.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._deferred.request)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(returns_on_record(self.context.programme))
        self._count()
        self._show_details()

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self._count()

    def _count(self) -> None:
        rows = self.model.rows
        counting = sum(r.counts for r in rows)
        shown = self.proxy.rowCount()
        text = f"{len(rows)} returns: {counting} counting, {len(rows) - counting} superseded"
        if shown != len(rows):
            text = f"{shown} shown of {text}"
        self.count_label.setText(text)

    def selected(self) -> CouncilReturn | None:
        return self.model.item(self.proxy.mapToSource(self.table.currentIndex()))

    def _show_details(self, *_: object) -> None:
        r = self.selected()
        if r is None:
            self.details.setText(
                "Choose a return to see its full return hash, as printed on its PDF."
                if self.model.rows
                else "No return has been merged yet: File > Add returns…, or drop the files "
                "councils sent on this window."
            )
            return
        self.details.setText(
            f"<b>{escape(r.council_name)}</b> ({r.council_gss}), {r.period}, version {r.version}: "
            f"signed {signed_text(r.signed_at)} by {escape(r.signer_name)}, "
            f"{escape(r.signer_role)}, with key "
            f"<tt>{r.key_fingerprint}</tt>; merged {signed_text(r.merged_at)}.<br>"
            f"Return hash <tt>{r.return_hash}</tt>"
        )
