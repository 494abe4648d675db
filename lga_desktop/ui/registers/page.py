"""A register family's page: the main table, the selected record's detail tables, its checks.

A page subclass names its family and adds what is particular to it: a line
of headline figures (``summary_html``) and, for the selected record, a
sentence and some bars (``describe_record``, ``record_bars``). Everything else
(tables, filters, editing, undo, import and export, history, checks) comes
from the declarations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lga_desktop.registers.catalog import family, register
from lga_desktop.registers.declaration import Record
from lga_desktop.registers.excel import ImportReport, export_family, import_family
from lga_desktop.registers.family import family_findings
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.charts import Bar, ProgressBars
from lga_desktop.ui.elided import ElidedLabel
from lga_desktop.ui.qt import (
    QAction,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    Qt,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.registers.dialogs import ImportReportDialog
from lga_desktop.ui.registers.table import RegisterTable
from lga_desktop.ui.styles import MUTED
from lga_desktop.ui.tasks import run_task, show_error
from lga_desktop.validation import Finding, Severity
from lga_desktop.words import count_noun, plural

if TYPE_CHECKING:
    from lga_desktop.ui.context import AppContext

__all__ = ["RegisterPage"]

FILE_FILTER = "Excel workbook (*.xlsx);;CSV files (*.csv)"


def undo_buttons(page: QWidget, row: QHBoxLayout, stack: Any) -> tuple[QAction, QAction]:
    """Undo and Redo buttons for a page's stack: short fixed words, the change in the tooltip.

    The words never carry the record's name, so the buttons keep their width and
    the window never has to grow to fit "Undo Change date, days of DAY-0002".
    """
    made = []
    for word, do, can, said, changed in (
        ("Undo", stack.undo, stack.canUndo, stack.undoText, stack.undoTextChanged),
        ("Redo", stack.redo, stack.canRedo, stack.redoText, stack.redoTextChanged),
    ):
        action = QAction(word, page)
        action.setObjectName(f"page{word}")
        action.triggered.connect(do)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        def update(_text: str = "", action=action, word=word, can=can, said=said) -> None:
            try:
                able, what = can(), said()
                action.setEnabled(able)
                action.setToolTip(f"{word} {what}" if able else f"Nothing to {word.lower()}")
            except RuntimeError:  # the stack went with its workspace; the page goes next
                return

        changed.connect(update)
        (stack.canUndoChanged if word == "Undo" else stack.canRedoChanged).connect(update)
        update()
        page.addAction(action)
        button = QToolButton(page)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        row.addWidget(button)
        made.append(action)
    return made[0], made[1]


class RegisterPage(QWidget):
    """The page of one register family. Subclasses set ``key`` and may add figures."""

    key = ""
    also_listens: tuple[str, ...] = ()  # other features whose changes show here (links)
    split = (3, 4)  # the main table's share of the height against the details'
    over_is_warning = False  # whether the record's bars going past target is bad news

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName(f"{self.key}Page")
        self.context = context
        self.registers = family(self.key)
        self.top = self.registers[0]
        self.findings: dict[str, list[Finding]] = {}
        self.last_report: ImportReport | None = None
        self.report_dialog: ImportReportDialog | None = None

        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        title = QLabel(f"<h2 style='margin:0'>{self.title()}</h2>")
        titles.addWidget(title)
        about = ElidedLabel(self.top.description, self)
        about.setStyleSheet(f"color: {MUTED};")
        titles.addWidget(about)
        head.addLayout(titles, 1)
        self.undo_stack = context.undo_stack  # this page's own
        self.undo_action, self.redo_action = undo_buttons(self, head, self.undo_stack)
        if not context.window_owns_undo_keys:  # a page on its own (tests, dialogs)
            self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
            self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.import_button = QPushButton("Import…", self)
        self.import_button.setToolTip("Read this register from an Excel workbook or CSV files")
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton("Export…", self)
        self.export_button.setToolTip("Write this register to an Excel workbook or CSV files")
        self.export_button.clicked.connect(self.choose_export)
        head.addSpacing(12)
        head.addWidget(self.import_button)
        head.addWidget(self.export_button)
        layout.addLayout(head)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.main = RegisterTable(context, self.top, parent=splitter)
        self.main.selection_changed.connect(self._selected)
        splitter.addWidget(self.main)
        lower = QWidget(splitter)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 6, 0, 0)
        strip = QHBoxLayout()
        self.record_label = QLabel(lower)
        self.record_label.setObjectName("recordSummary")
        self.record_label.setWordWrap(True)
        self.record_label.setTextFormat(Qt.TextFormat.RichText)
        self.record_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        strip.addWidget(self.record_label, 2)
        self.record_chart = ProgressBars(lower, over_is_warning=self.over_is_warning)
        self.record_chart.setObjectName("recordChart")
        strip.addWidget(self.record_chart, 3)
        lower_layout.addLayout(strip)
        self.tabs = QTabWidget(lower)
        self.details: dict[str, RegisterTable] = {}
        for reg in self.registers[1:]:
            table = RegisterTable(context, reg, detail=True, parent=self.tabs)
            self.details[reg.key] = table
            self.tabs.addTab(table, reg.title)
        self.checks = QListWidget(self.tabs)
        self.checks.setObjectName("checksList")
        self.checks.setWordWrap(True)
        self.checks.itemActivated.connect(self._show_finding)
        self.checks.itemClicked.connect(self._show_finding)
        self.tabs.addTab(self.checks, "Checks")
        lower_layout.addWidget(self.tabs, 1)
        splitter.addWidget(lower)
        splitter.setSizes([self.split[0] * 1000, self.split[1] * 1000])
        layout.addWidget(splitter, 1)

        context.changed.connect(self._changed)
        self.refresh()
        if self.main.view.model().rowCount():  # open on the first record, not an empty detail pane
            self.main.view.selectRow(0)

    # ---- what subclasses say ------------------------------------------------------------
    def title(self) -> str:
        return self.top.title

    def summary_html(self) -> str:
        return ""

    def describe_record(self, record: Record) -> str:
        return f"<b>{record.label}</b>"

    def record_bars(self, record: Record) -> list[Bar]:
        return []

    # ---- refreshing ---------------------------------------------------------------------
    def _changed(self, what: frozenset[str]) -> None:
        if "*" in what or self.top.feature in what or set(self.also_listens) & what:
            self.refresh()

    def refresh(self) -> None:
        self.findings = family_findings(self.context.workspace, self.key)
        self.main.reload(self.findings)
        self._selected(self.main.current_record())
        self.summary.setText(self.summary_html())
        self.summary.setVisible(bool(self.summary.text()))
        self._fill_checks()

    def _selected(self, record: Record | None) -> None:
        for table in self.details.values():
            table.set_parent_record(record, self.findings)
        if record is None:
            n = len(self.main.model.records)
            self.record_label.setText(
                f"Select a {self.top.item} to see what is recorded under it."
                if n
                else f"No {count_noun(0, self.top.item)} yet: press <b>Add…</b> or import a file."
            )
            self.record_chart.set_bars([])
            self.record_chart.hide()
            return
        self.record_label.setText(self.describe_record(record))
        bars = self.record_bars(record)
        self.record_chart.set_bars(bars)
        self.record_chart.setVisible(bool(bars))

    def _fill_checks(self) -> None:
        self.checks.clear()
        every = sorted(
            (f for found in self.findings.values() for f in found),
            key=lambda f: (f.severity is not Severity.ERROR, f.record or ""),
        )
        style = self.style()
        for f in every:
            icon = style.standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if f.severity is Severity.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item = QListWidgetItem(icon, f.message)
            item.setData(Qt.ItemDataRole.UserRole, f.record)
            self.checks.addItem(item)
        errors = sum(f.severity is Severity.ERROR for f in every)
        warnings = len(every) - errors
        parts = [plural(errors, "error")] if errors else []
        parts += [plural(warnings, "warning")] if warnings else []
        index = self.tabs.indexOf(self.checks)
        self.tabs.setTabText(
            index, f"Checks ({', '.join(parts)})" if parts else "Checks (all clear)"
        )
        if not every:
            self.checks.addItem("Nothing to explain: no errors or warnings in this register.")

    def _show_finding(self, item: QListWidgetItem) -> None:
        ref = item.data(Qt.ItemDataRole.UserRole)
        if ref:
            self.select_ref(ref)

    def select_ref(self, ref: str) -> bool:
        """Select the record with this ref, in whichever table of the page holds it."""
        ws = self.context.workspace
        for reg in self.registers:
            row = ws.db.execute(f"SELECT id FROM {reg.table} WHERE ref = ?", [ref]).fetchone()
            if row is None:
                continue
            if reg is self.top:
                self.main.filter_box.clear()
                return self.main.select_id(row[0])
            parent_id = ws.db.execute(
                f"SELECT {reg.parent} FROM {reg.table} WHERE id = ?", [row[0]]
            ).fetchone()[0]
            if register(reg.parent_register or "") is self.top:
                self.main.filter_box.clear()
                self.main.select_id(parent_id)
            table = self.details[reg.key]
            self.tabs.setCurrentWidget(table)
            table.filter_box.clear()
            return table.select_id(row[0])
        return False

    # ---- files ------------------------------------------------------------------------
    def choose_export(self) -> None:
        path, _ = file_dialogs.get_save_file_name(
            self, f"Export {self.top.title}", f"{self.key}.xlsx", FILE_FILTER
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
        ws, key = self.context.workspace, self.key

        def work(progress: Any) -> list[Path]:
            other = ws.reopen()
            try:
                return export_family(other, key, path, progress)
            finally:
                other.close()

        def done(written: list[Path]) -> None:
            names = ", ".join(p.name for p in written)
            self.main.say("")
            self.summary.setText(self.summary_html() + f"<p>Exported to {names}.</p>")
            self.summary.show()

        run_task(self, f"Exporting {self.top.title}", work, done)

    def choose_import(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, f"Import {self.top.title}", "", FILE_FILTER)
        if not path:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            f"Import {self.top.title}",
            f"How should {Path(path).name} be imported?",
            parent=self,
        )
        box.setInformativeText(
            "Add and update keeps records the file leaves out. Replace deletes them, so the "
            "register becomes what the file says. Either way nothing changes if any row is "
            "refused, and a backup is taken first."
        )
        merge = box.addButton("Add and update", QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() in (merge, replace):
            self.import_from(Path(path), replace=box.clickedButton() is replace)

    def import_from(self, path: Path, *, replace: bool = False) -> None:
        ws, key = self.context.workspace, self.key

        def work(progress: Any) -> ImportReport:
            other = ws.reopen()
            try:
                other.backup(reason="before-import")
                return import_family(other, key, path, progress, replace=replace)
            finally:
                other.close()

        def done(report: ImportReport) -> None:
            self.last_report = report
            if report.ok:
                self.context.notify(*{r.feature for r in self.registers})
            self.report_dialog = ImportReportDialog(report, self)
            self.report_dialog.open()

        def failed(exc: BaseException) -> None:
            show_error(self, f"Import {self.top.title}", exc)

        run_task(self, f"Importing {path.name}", work, done, on_error=failed)
