"""The Councils page: the pilot councils, the keys trusted for each, and what each has sent.

A council becomes a pilot council of the programme when its key is trusted.
A council whose returns are waiting for its key is listed too, so nobody
forgets to ring it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lga_desktop.consolidation.figures import held_files, returns_on_record
from lga_desktop.consolidation.merge import WAITING
from lga_desktop.consolidation.store import Programme
from lga_desktop.periods import parse_quarter
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.list_model import Index, ListTableModel
from lga_desktop.ui.programme.context import ProgrammeContext
from lga_desktop.ui.programme.held import WAITING_COLOUR, council_name
from lga_desktop.ui.programme.tables import FILTER_ROLE, SORT_ROLE, SortFilterProxy, table_view
from lga_desktop.ui.qt import QFont, QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget
from lga_desktop.words import format_date, plural

__all__ = ["CouncilRow", "CouncilsModel", "CouncilsPage", "council_rows"]


@dataclass(frozen=True)
class CouncilRow:
    gss: str
    name: str
    member: bool
    fingerprints: tuple[str, ...]
    counted: int  # returns that count (one per quarter sent)
    superseded: int
    waiting: int  # files waiting for a key to be trusted
    latest_key: str  # the latest quarter with a return that counts
    since: str  # ISO date it became a pilot council

    @property
    def latest(self) -> str:
        return str(parse_quarter(self.latest_key)) if self.latest_key else ""


def council_rows(prog: Programme) -> list[CouncilRow]:
    """The pilot councils, then any council whose returns wait for its key, by name."""
    counted: dict[str, int] = {}
    superseded: dict[str, int] = {}
    latest: dict[str, str] = {}
    for r in returns_on_record(prog):
        if r.counts:
            counted[r.council_gss] = counted.get(r.council_gss, 0) + 1
            latest[r.council_gss] = max(latest.get(r.council_gss, ""), r.period_key)
        else:
            superseded[r.council_gss] = superseded.get(r.council_gss, 0) + 1
    waiting: dict[str, int] = {}
    for f in held_files(prog):
        if f["outcome"] == WAITING and f["council_gss"]:
            waiting[f["council_gss"]] = waiting.get(f["council_gss"], 0) + 1
    members = prog.members()
    known = {m.gss for m in members}
    rows = [
        CouncilRow(
            m.gss,
            m.name,
            True,
            m.fingerprints,
            counted.get(m.gss, 0),
            superseded.get(m.gss, 0),
            waiting.get(m.gss, 0),
            latest.get(m.gss, ""),
            m.added_at[:10],
        )
        for m in members
    ]
    rows += [
        CouncilRow(gss, council_name(gss), False, (), 0, 0, n, "", "")
        for gss, n in waiting.items()
        if gss not in known
    ]
    return sorted(rows, key=lambda r: (not r.member, r.name))


class CouncilsModel(ListTableModel[CouncilRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.mono = QFont("monospace")
        self.mono.setStyleHint(QFont.StyleHint.TypeWriter)

    headings = (
        "Council",  # and its GSS code beneath
        "Trusted key fingerprint",
        # two lines: the figures under them are short, and the table fits a laptop
        "Quarters\nsent",  # returns that count: one per council and quarter
        "Superseded\nversions",
        "Waiting for\nits key",
        "Latest\nquarter",
        "Member\nsince",
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.item(index)
        if c is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{c.name}\n{c.gss}",
                "\n".join(c.fingerprints) if c.fingerprints else "No key trusted yet",
                str(c.counted),
                str(c.superseded),
                str(c.waiting) if c.waiting else "",
                c.latest or "none yet",
                format_date(c.since) or "key not trusted",
            )[col]
        if role == SORT_ROLE:
            return (
                c.name,
                " ".join(c.fingerprints),
                c.counted,
                c.superseded,
                c.waiting,
                c.latest_key,
                c.since,
            )[col]
        if role == FILTER_ROLE:
            return f"{c.name} {c.gss}"
        if role == Qt.ItemDataRole.ForegroundRole and not c.member:
            return WAITING_COLOUR
        if role == Qt.ItemDataRole.FontRole and col == 1 and c.fingerprints:
            return self.mono
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3, 4):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class CouncilsPage(QWidget):
    def __init__(
        self,
        context: ProgrammeContext,
        *,
        trust_key: Callable[[], None] | None = None,
        trust_file: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("councilsPage")
        self.context = context
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Pilot councils</h2>"))
        intro = QLabel(
            "A council becomes a pilot council of the programme when its key is trusted. A "
            "council may have more than one trusted key: after it changes its key, returns "
            "signed with the old one still count."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QHBoxLayout()
        self.trust_button = QPushButton("Trust a council's key…")
        self.file_button = QPushButton("Add keys from a trusted-keys file…")
        self.file_button.setToolTip(
            "Trust every key in a trusted-keys file (what 'lga-desktop trust-key' writes)"
        )
        for button, slot in ((self.trust_button, trust_key), (self.file_button, trust_file)):
            if slot is not None:
                button.clicked.connect(lambda _=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.count_label = QLabel()
        buttons.addWidget(self.count_label)
        layout.addLayout(buttons)
        self.model = CouncilsModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self.table = table_view(self.proxy, name="councilsTable", wrap=True)
        layout.addWidget(self.table, 1)
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._deferred.request)
        self.refresh()

    def refresh(self) -> None:
        rows = council_rows(self.context.programme)
        self.model.set_rows(rows)
        members = sum(r.member for r in rows)
        pending = len(rows) - members
        self.count_label.setText(
            plural(members, "pilot council")
            + (f"; {pending} waiting for its key to be trusted" if pending else "")
        )
