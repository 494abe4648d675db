"""The Status page: every pilot council × quarter, on time, late, missing, corrected, queried.

Rows are the pilot councils (the roster's, else those whose key is trusted),
columns the quarters with returns; each cell is
:func:`lga_desktop.consolidation.roster.status_for`'s word, coloured. Import
roster… reads the LGA's roster (CSV or XLSX), Write chase list… saves the
councils to chase for the chosen quarter with the contacts from their latest
returns, and double-clicking a cell with a return opens it for review. Below
the grid, the roster itself: add a council to a strand, or remove it.
"""

from __future__ import annotations

from pathlib import Path

from lga_desktop.consolidation.figures import quarters_with_returns
from lga_desktop.consolidation.roster import (
    CORRECTED,
    LATE,
    MISSING,
    ON_TIME,
    QUERIED,
    add_to_roster,
    import_roster,
    remove_from_roster,
    roster,
    set_due_date,
    status_for,
    write_chase_list,
)
from lga_desktop.periods import Quarter, parse_quarter
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.file_dialogs import get_open_file_name, get_save_file_name
from lga_desktop.ui.programme.context import ProgrammeContext
from lga_desktop.ui.qt import (
    QAbstractItemView,
    QColor,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.styles import MUTED
from lga_desktop.ui.tasks import show_error

__all__ = ["StatusPage", "STATUS_COLOURS"]

STATUS_COLOURS = {
    ON_TIME: "#dff0e0",
    CORRECTED: "#e3ecf7",
    LATE: "#fff1cc",
    QUERIED: "#fde2c8",
    MISSING: "#f8d7da",
}


def _button(row: QHBoxLayout, text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(lambda _=False: slot())
    row.addWidget(button)
    return button


class StatusPage(QWidget):
    def __init__(self, context: ProgrammeContext) -> None:
        super().__init__()
        self.setObjectName("statusPage")
        self.context = context
        self.quarters: list[Quarter] = []
        self.councils: list[tuple[str, str]] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("statusHeading")
        self.heading.setWordWrap(True)
        top.addWidget(self.heading, 1)
        self.roster_button = _button(
            top, "Import roster…", "importRosterButton", self.choose_roster
        )
        self.due_button = _button(top, "Set due date…", "dueButton", self.ask_due_date)
        self.chase_button = _button(top, "Write chase list…", "chaseButton", self.choose_chase_path)
        layout.addLayout(top)
        self.grid = QTableWidget()
        self.grid.setObjectName("statusGrid")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.cellDoubleClicked.connect(self.open_cell)
        layout.addWidget(self.grid, 1)
        roster_row = QHBoxLayout()
        roster_row.addWidget(
            QLabel("<b>Roster</b> (council, strand, pilot, due days after a quarter)"), 1
        )
        self.add_button = _button(
            roster_row, "Add to roster…", "addRosterButton", self.ask_roster_row
        )
        self.remove_button = _button(
            roster_row, "Remove from roster", "removeRosterButton", self.remove_selected
        )
        layout.addLayout(roster_row)
        self.roster_table = QTableWidget()
        self.roster_table.setObjectName("rosterTable")
        self.roster_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.roster_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.roster_table.setMaximumHeight(180)
        layout.addWidget(self.roster_table)
        note = QLabel(
            "On time: signed by the due date (30 days after the quarter unless the roster or "
            "the quarter says otherwise). Corrected: a later version counts. Queried: the LGA "
            "queried it and has not accepted it since. Missing: nothing counted (late once "
            "due). Double-click a return to open it."
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {MUTED}")
        layout.addWidget(note)
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._deferred.request)
        self.refresh()

    def refresh(self) -> None:
        prog = self.context.programme
        self.quarters = quarters_with_returns(prog)
        self.councils = prog.pilot_councils()
        self.grid.clear()
        self.grid.setRowCount(len(self.councils))
        self.grid.setColumnCount(len(self.quarters))
        self.grid.setHorizontalHeaderLabels([str(q) for q in self.quarters])
        self.grid.setVerticalHeaderLabels([name for _g, name in self.councils])
        row_of = {g: i for i, (g, _n) in enumerate(self.councils)}
        for col, q in enumerate(self.quarters):
            for s in status_for(prog, q):
                text = s.status + (" (late)" if s.late and s.status not in (LATE,) else "")
                item = QTableWidgetItem(text)
                item.setBackground(QColor(STATUS_COLOURS.get(s.status, "#ffffff")))
                item.setToolTip(f"{s.name}, {q}: {text}; due {s.due}; review: {s.review}")
                item.setData(Qt.ItemDataRole.UserRole, s.gss)
                self.grid.setItem(row_of[s.gss], col, item)
        self.grid.resizeColumnsToContents()
        rostered = prog.db.execute("SELECT COUNT(DISTINCT gss) FROM roster").fetchone()[0]
        who = (
            f"{rostered} councils on the roster"
            if rostered
            else f"{len(self.councils)} councils whose key is trusted (no roster imported)"
        )
        self.heading.setText(f"<h3>Returns by council and quarter</h3>{who}.")
        self.roster_rows = roster(prog)
        self.roster_table.clear()
        self.roster_table.setColumnCount(4)
        self.roster_table.setHorizontalHeaderLabels(["Council", "Strand", "Pilot", "Due days"])
        self.roster_table.setRowCount(len(self.roster_rows))
        for i, r in enumerate(self.roster_rows):
            cells = (r.name, r.strand, r.pilot, "" if r.due_days is None else str(r.due_days))
            for j, text in enumerate(cells):
                self.roster_table.setItem(i, j, QTableWidgetItem(text))
        self.roster_table.resizeColumnsToContents()

    def cell_text(self, gss: str, quarter: str) -> str:
        row = [g for g, _n in self.councils].index(gss)
        col = [q.key for q in self.quarters].index(parse_quarter(quarter).key)
        item = self.grid.item(row, col)
        return item.text() if item else ""

    def open_cell(self, row: int, col: int):
        from lga_desktop.ui.programme.board_tables import ReturnDialog

        gss = self.councils[row][0]
        quarter = self.quarters[col]
        if self.grid.item(row, col) is None or self.grid.item(row, col).text().startswith(MISSING):
            return None
        dialog = ReturnDialog(self.context, gss, quarter, self)
        dialog.show()
        return dialog

    # ---- files (tests call the functions the dialogs lead to) ----------------------------

    def choose_roster(self) -> None:
        path, _ = get_open_file_name(self, "Import the roster", "", "Roster (*.csv *.xlsx)")
        if path:
            self.import_roster(Path(path))

    def import_roster(self, path: Path) -> bool:
        try:
            import_roster(self.context.programme, path)
        except Exception as exc:
            show_error(self, "Import roster", exc)
            return False
        self.context.notify()
        return True

    def ask_roster_row(self) -> None:
        gss, ok = QInputDialog.getText(
            self, "Add to roster", "Council's GSS code (e.g. E07000178):"
        )
        if not ok or not gss.strip():
            return
        strand, ok = QInputDialog.getText(self, "Add to roster", "Strand (e.g. CAP wave 2):")
        if not ok:
            return
        pilot, ok = QInputDialog.getText(self, "Add to roster", "Pilot (may be empty):")
        if ok:
            self.add_roster_row(gss, strand, pilot)

    def add_roster_row(self, gss: str, strand: str, pilot: str = "") -> bool:
        try:
            add_to_roster(self.context.programme, gss, strand, pilot)
        except Exception as exc:
            show_error(self, "Add to roster", exc)
            return False
        self.context.notify()
        return True

    def remove_selected(self) -> bool:
        row = self.roster_table.currentRow()
        if not 0 <= row < len(self.roster_rows):
            return False
        r = self.roster_rows[row]
        remove_from_roster(self.context.programme, r.gss, r.strand)
        self.context.notify()
        return True

    def ask_due_date(self) -> None:
        if not self.quarters:
            return
        names = [str(q) for q in reversed(self.quarters)]
        name, ok = QInputDialog.getItem(self, "Set due date", "Quarter:", names, 0, False)
        if not ok:
            return
        quarter = parse_quarter(name)
        text, ok = QInputDialog.getText(
            self, "Set due date", f"Returns for {quarter} are due on (e.g. 31/10/2012):"
        )
        if ok and text.strip():
            self.set_due_date(quarter, text)

    def set_due_date(self, quarter: Quarter, text: str) -> bool:
        try:
            set_due_date(self.context.programme, quarter, text)
        except Exception as exc:
            show_error(self, "Set due date", exc)
            return False
        self.context.notify()
        return True

    def choose_chase_path(self) -> None:
        if not self.quarters:
            return
        quarter = self.quarters[-1]
        path, _ = get_save_file_name(self, "Write the chase list", "chase.csv", "CSV (*.csv)")
        if path:
            write_chase_list(self.context.programme, quarter, path)
