"""The spend import wizard: choose files, confirm their columns, import with a cancellable progress bar.

The columns step shows, for each file, which column lga-desktop reads for
each field (recognised, or remembered from an earlier file with the same
headers); the officer corrects or completes it, and the choice is remembered.
The import runs off the UI thread on its own connection; all the chosen files
go in one transaction, so Cancel leaves the workspace exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lga_desktop.errors import LgaError
from lga_desktop.procurement.headers import FIELD_LABELS, REQUIRED, ColumnMapping
from lga_desktop.procurement.spend_import import (
    ColumnMappingNeeded,
    ImportReport,
    NotThisCouncil,
    import_spend,
    read_header,
)
from lga_desktop.procurement.spend_lines import import_session
from lga_desktop.progress import Cancelled, Progress
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from lga_desktop.ui.tasks import run_task

NOT_IN_FILE = "(not in this file)"


@dataclass
class FileChoice:
    path: Path
    mapping: ColumnMapping | None = None
    error: str = ""
    changed: bool = False  # the officer changed the proposed mapping


def import_files(
    workspace: Any,
    choices: list[tuple[Path, dict[str, str] | None]],
    strict: bool,
    progress: Progress,
    other_body: bool = False,
) -> list[ImportReport | tuple[str, str] | NotThisCouncil]:
    """Import several files in one transaction (the wizard's background task).

    Opens its own connection. A file that cannot be imported is reported and
    the others still go in; a file that is not this council's comes back as
    :class:`NotThisCouncil` for the officer to confirm (``other_body``
    imports it anyway); cancelling rolls back every file.
    """
    ws = workspace.reopen()
    results: list[ImportReport | tuple[str, str]] = []
    try:
        progress.update(0, 1, "Backing up the workspace first…")
        ws.backup(reason=f"before import of {', '.join(p.name for p, _ in choices)}")
        with import_session(ws), ws.atomic():
            for n, (path, columns) in enumerate(choices, 1):
                label = f"File {n} of {len(choices)}: {path.name}"

                def update(done: int, total: int, message: str, label: str = label) -> None:
                    progress.update(done, total, f"{label}\n{message}")

                inner = Progress(update)
                try:
                    results.append(
                        import_spend(
                            ws,
                            path,
                            columns=columns,
                            strict=strict,
                            other_body=other_body,
                            progress=inner,
                        )
                    )
                except Cancelled:
                    raise  # every file rolls back
                except NotThisCouncil as exc:
                    results.append(exc)
                except LgaError as exc:
                    results.append((path.name, str(exc)))
    finally:
        ws.close()
    return results


class FilesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose spend files")
        self.setSubTitle(
            "The council's 'spend over £500' files, as CSV or Excel (.xlsx). Lines already in "
            "the workspace are skipped, so importing a file twice does no harm."
        )
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        layout.addWidget(self.list)
        row = QHBoxLayout()
        add = QPushButton("Add files…")
        add.clicked.connect(self.browse)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        self.strict = QCheckBox("Refuse a whole file if any of its rows cannot be read")
        layout.addWidget(self.strict)

    def browse(self) -> None:
        paths, _ = file_dialogs.get_open_file_names(
            self, "Spend files", "", "Spend files (*.csv *.xlsx *.txt);;All files (*)"
        )
        self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> None:
        known = {c.path for c in self.wiz.files}
        for p in paths:
            if p not in known:
                self.wiz.files.append(FileChoice(p))
                self.list.addItem(p.name)
        self.completeChanged.emit()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            row = self.list.row(item)
            self.list.takeItem(row)
            del self.wiz.files[row]
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.wiz.files)


class ColumnsPage(QWizardPage):
    """One file at a time: which column holds each field."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check the columns")
        self.setSubTitle(
            "Which column holds each field. Fields marked * are needed. Your choices are "
            "remembered for later files with the same headings."
        )
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("File:"))
        self.file_combo = QComboBox()
        self.file_combo.currentIndexChanged.connect(self.show_file)
        top.addWidget(self.file_combo, 1)
        layout.addLayout(top)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for field, label in FIELD_LABELS.items():
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.currentIndexChanged.connect(lambda _i, f=field: self.choose(f))
            self.combos[field] = combo
            form.addRow(f"{label}{' *' if field in REQUIRED else ''}:", combo)
        layout.addLayout(form)
        self._showing = -1

    def initializePage(self) -> None:
        ws = self.wiz.context.workspace
        self.file_combo.blockSignals(True)
        self.file_combo.clear()
        for choice in self.wiz.files:
            if choice.mapping is None and not choice.error:
                try:
                    choice.mapping = read_header(choice.path, ws)
                except LgaError as exc:
                    choice.error = str(exc)
            mark = " (needs columns)" if choice.mapping and choice.mapping.missing else ""
            self.file_combo.addItem(
                choice.path.name + (" (cannot be read)" if choice.error else mark)
            )
        self.file_combo.blockSignals(False)
        first = next(
            (i for i, c in enumerate(self.wiz.files) if c.mapping and c.mapping.missing), 0
        )
        self.file_combo.setCurrentIndex(first)
        self.show_file(first)

    def show_file(self, index: int) -> None:
        self._showing = -1
        if not 0 <= index < len(self.wiz.files):
            return
        choice = self.wiz.files[index]
        mapping = choice.mapping
        for field, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            if mapping:
                for col, header in enumerate(mapping.headers):
                    combo.addItem(header or f"(column {col + 1}, no heading)", col)
                col = mapping.columns.get(field)
                combo.setCurrentIndex(0 if col is None else combo.findData(col))
            combo.setEnabled(mapping is not None)
            combo.blockSignals(False)
        if choice.error:
            self.note.setText(f"This file will be skipped: {choice.error}")
        elif mapping and mapping.remembered:
            self.note.setText("Columns as you chose them for an earlier file with these headings.")
        elif mapping and mapping.missing:
            missing = ", ".join(FIELD_LABELS[f].lower() for f in mapping.missing)
            self.note.setText(f"lga-desktop could not find the {missing}: choose the columns.")
        else:
            self.note.setText("All the columns were recognised; check them if you like.")
        self._showing = index
        self.completeChanged.emit()

    def choose(self, field: str) -> None:
        if self._showing < 0:
            return
        choice = self.wiz.files[self._showing]
        if choice.mapping is None:
            return
        col = self.combos[field].currentData()
        if col is None:
            choice.mapping.columns.pop(field, None)
        else:
            choice.mapping.columns[field] = col
        choice.changed = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return all(
            c.error or (c.mapping and not c.mapping.missing) for c in self.wiz.files
        ) and any(not c.error for c in self.wiz.files)


class ImportWizard(QWizard):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spendImportWizard")
        self.setWindowTitle("Import spend")
        self.context = context
        self.files: list[FileChoice] = []
        self.results: list[ImportReport | tuple[str, str]] | None = None
        self._earlier: list[ImportReport | tuple[str, str]] = []  # before asking about a body
        self.strict = False
        self.report_dialog: ImportReportDialog | None = None
        self.files_page = FilesPage(self)
        self.columns_page = ColumnsPage(self)
        self.addPage(self.files_page)
        self.addPage(self.columns_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Import")
        self.resize(720, 560)

    def choices(self) -> list[tuple[Path, dict[str, str] | None]]:
        out = []
        for c in self.files:
            if c.error or c.mapping is None:
                continue
            # a mapping the officer made or changed is passed on, and so remembered
            columns = c.mapping.by_header() if (c.changed or c.mapping.remembered) else None
            out.append((c.path, columns))
        return out

    def accept(self) -> None:
        self.strict = self.files_page.strict.isChecked()
        super().accept()
        self._run(self.choices(), other_body=False)

    def _run(self, choices: list[tuple[Path, dict[str, str] | None]], *, other_body: bool) -> None:
        workspace, strict = self.context.workspace, self.strict
        run_task(
            self.parentWidget(),
            "Importing spend",
            lambda progress: import_files(workspace, choices, strict, progress, other_body),
            self.finished_import,
            on_cancel=self.cancelled,
        )

    def confirm_other_body(self, refused: list[NotThisCouncil]) -> bool:
        """Ask whether files that name another body are this council's after all."""
        council = self.context.workspace.council.official_name
        text = "\n\n".join(f"{e.file_name}: {'; '.join(e.problems)}." for e in refused)
        answer = QMessageBox.question(
            self.parentWidget(),
            "Not this council's spend?",
            f"{text}\n\nThe workspace is {council}'s. Import anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def finished_import(
        self, results: list[ImportReport | tuple[str, str] | NotThisCouncil]
    ) -> None:
        refused = [r for r in results if isinstance(r, NotThisCouncil)]
        done = self._earlier + [r for r in results if not isinstance(r, NotThisCouncil)]
        if refused and self.confirm_other_body(refused):
            names = {e.file_name for e in refused}
            self._earlier = done
            self.context.notify("procurement")
            self._run([(p, c) for p, c in self.choices() if p.name in names], other_body=True)
            return
        results = done + [(e.file_name, str(e)) for e in refused]
        self.results = results
        self.context.notify("procurement")
        self.report_dialog = ImportReportDialog(results, self.parentWidget())
        self.report_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog.open()

    def cancelled(self) -> None:
        self.results = []


class ImportReportDialog(QDialog):
    """What happened to each file: counts, total, and every refused row with its reason."""

    def __init__(
        self, results: list[ImportReport | tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("spendImportReport")
        self.setWindowTitle("Spend import report")
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.text.setHtml(report_html(results))
        self.resize(720, 480)


def report_html(results: list[ImportReport | tuple[str, str]]) -> str:
    from html import escape

    from lga_desktop.money import format_money

    parts = []
    for r in results:
        if isinstance(r, tuple):
            parts.append(f"<h3>{escape(r[0])}</h3><p><b>Not imported:</b> {escape(r[1])}</p>")
            continue
        parts.append(f"<h3>{escape(r.file)}</h3><table cellpadding=2>")
        for label, value in (
            ("Rows read", f"{r.rows_read:,}"),
            ("Imported", f"{r.imported:,}"),
            ("Total imported", format_money(r.total_pence)),
            ("Already in the workspace (skipped)", f"{r.duplicates:,}"),
            ("Refused", f"{len(r.refused):,}"),
            ("Supplier's name redacted", f"{r.redacted_lines:,}"),
            ("Dates", f"{r.first_date or '-'} to {r.last_date or '-'}"),
        ):
            parts.append(f"<tr><td>{label}</td><td align=right><b>{value}</b></td></tr>")
        parts.append("</table>")
        for w in r.warnings:
            parts.append(f"<p>Note: {escape(w)}</p>")
        if r.unread_columns:
            parts.append(f"<p>Columns not read: {escape(', '.join(r.unread_columns))}</p>")
        if r.refused:
            parts.append(
                "<p><b>Refused rows</b> (fix them in the file and import it again):</p><ul>"
            )
            for line, reason in r.refused[:200]:
                parts.append(f"<li>Line {line}: {escape(reason)}</li>")
            if len(r.refused) > 200:
                parts.append(f"<li>… and {len(r.refused) - 200:,} more</li>")
            parts.append("</ul>")
    return "".join(parts)


__all__ = ["ImportWizard", "ImportReportDialog", "import_files", "ColumnMappingNeeded"]
