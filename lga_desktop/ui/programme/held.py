"""The Held aside page: files that were not merged, each with the reason in full.

Two kinds: held aside (damaged, tampered, conflicting, figures not in the
format: nothing of them counts, the council must send the return again) and
waiting for their key (intact, signed with a key the programme does not trust
yet: merged as soon as the council's key card is trusted, from here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lga_desktop.consolidation.figures import held_files
from lga_desktop.consolidation.merge import WAITING
from lga_desktop.councils import council_by_gss
from lga_desktop.errors import LgaError
from lga_desktop.periods import parse_quarter
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.list_model import Index, ListTableModel
from lga_desktop.ui.main_column import MainColumn
from lga_desktop.ui.programme.context import ProgrammeContext
from lga_desktop.ui.programme.tables import FILTER_ROLE, SORT_ROLE, SortFilterProxy, table_view
from lga_desktop.ui.qt import (
    QColor,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.words import format_date

__all__ = ["HeldFile", "HeldModel", "HeldPage", "council_name"]

WAITING_COLOUR = QColor("#8a5a00")
HELD_COLOUR = QColor("#b00020")


def council_name(gss: str | None) -> str:
    if not gss:
        return ""
    try:
        return council_by_gss(gss).official_name
    except LgaError:
        return gss


@dataclass(frozen=True)
class HeldFile:
    file_name: str
    received_at: str
    waiting: bool  # waiting for its key (else held aside)
    council_gss: str
    council: str
    period: str
    period_key: str
    version: int | None
    key_fingerprint: str
    reason: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> HeldFile:
        key = row["period_key"] or ""
        return cls(
            file_name=row["file_name"],
            received_at=row["received_at"] or "",
            waiting=row["outcome"] == WAITING,
            council_gss=row["council_gss"] or "",
            council=council_name(row["council_gss"]),
            period=str(parse_quarter(key)) if key else "",
            period_key=key,
            version=row["version"],
            key_fingerprint=row["key_fingerprint"] or "",
            reason=row["reason"] or "",
        )


class HeldModel(ListTableModel[HeldFile]):
    headings = ("File", "Received", "Status", "Council", "Quarter", "Reason")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        f = self.item(index)
        if f is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            quarter = f.period + (f", version {f.version}" if f.version is not None else "")
            return (
                f.file_name,
                format_date(f.received_at),
                "Waiting for its key" if f.waiting else "Held aside",
                f.council or "not known",
                quarter or "not known",
                f.reason,
            )[col]
        if role == SORT_ROLE:
            return (
                f.file_name,
                f.received_at,
                int(f.waiting),
                f.council,
                f"{f.period_key} {f.version or 0:04d}",
                f.reason,
            )[col]
        if role == FILTER_ROLE:
            return f"{f.council} {f.council_gss} {f.file_name}"
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return WAITING_COLOUR if f.waiting else HELD_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return (
                "Intact, but signed with a key not trusted for the council yet: trust its key "
                "card (after checking the fingerprint with the council) and it is merged"
                if f.waiting
                else "Not merged: nothing in it counts. Ask the council to send the return again"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col != 5:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None


class HeldPage(QWidget):
    def __init__(
        self, context: ProgrammeContext, *, trust_key: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("heldPage")
        self.context = context
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Held aside</h2>"))
        intro = QLabel(
            "Files that were not merged, with the reason. <b>Waiting for its key</b>: the "
            "return is intact, but the programme does not trust the key it was signed with "
            "yet; trust the council's key card, after checking its fingerprint with the "
            "council, and it is merged. <b>Held aside</b>: nothing in the file counts; ask the "
            "council to send the return again."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QHBoxLayout()
        self.trust_button = QPushButton("Trust a council's key…")
        self.trust_button.setObjectName("trustKeyButton")
        self.trust_button.setToolTip(
            "Open the key card (.lgakey) a council sent, check its fingerprint with them, "
            "and merge the returns waiting for it"
        )
        if trust_key is not None:
            self.trust_button.clicked.connect(lambda _=False: trust_key())
        buttons.addWidget(self.trust_button)
        buttons.addStretch(1)
        self.count_label = QLabel()
        buttons.addWidget(self.count_label)
        layout.addLayout(buttons)
        self.model = HeldModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self.table = table_view(self.proxy, name="heldTable", wrap=True, stretch=5)
        # file names are long: wrap them in a narrower column, so the reason gets the room
        header = self.table.horizontalHeader()
        # the others wrap in narrow columns; the reason takes the room they leave
        for col, chars in ((0, 26), (2, 14), (3, 18), (4, 14), (5, 36)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, self.table.fontMetrics().averageCharWidth() * chars)
        self.reason_column = MainColumn(self.table, 5, minimum_chars=36)
        layout.addWidget(self.table, 1)
        self.empty = QLabel("Nothing is held aside: every file received so far was merged.")
        self.empty.setObjectName("heldEmpty")
        layout.addWidget(self.empty)
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._deferred.request)
        self.refresh()

    def refresh(self) -> None:
        rows = [HeldFile.from_row(r) for r in held_files(self.context.programme)]
        self.model.set_rows(rows)
        waiting = sum(f.waiting for f in rows)
        self.count_label.setText(
            f"{len(rows) - waiting} held aside, {waiting} waiting for a key" if rows else ""
        )
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
