"""The Returns page: the signing key, the history of signed returns, new and opened returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lga_desktop.consolidation.drill import figures_with_comments
from lga_desktop.exchange.council import LgaStatus, lga_statuses, return_figures
from lga_desktop.returns.changes import CORRECTION_DUE, banner_text
from lga_desktop.returns.history import ReturnRecord, file_bytes, history, superseded_hashes
from lga_desktop.returns.keys import (
    SigningKey,
    all_keys,
    change_passphrase,
    create_key,
    current_key,
    rotate_key,
)
from lga_desktop.returns.trust import KEY_CARD_SUFFIX, TrustedKeys, key_card_for, write_key_card
from lga_desktop.returns.verify import Verification, verify_file
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.pages.returns_dialogs import (
    NewReturnWizard,
    PassphraseDialog,
    VerificationDialog,
)
from lga_desktop.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.styles import NOTE_STYLES
from lga_desktop.ui.tasks import run_task
from lga_desktop.validation import Severity
from lga_desktop.words import format_date, format_when, plural

__all__ = ["ReturnsPage", "ReturnsHistoryModel"]

_ROOT = QModelIndex()


class ReturnsHistoryModel(QAbstractTableModel):
    COLUMNS = ("Quarter", "Version", "Signed", "Signed by", "Return hash", "Status", "LGA")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.records: list[ReturnRecord] = []
        self.superseded: set[str] = set()
        self.changed: set[str] = set()
        self.lga: dict[str, LgaStatus] = {}

    def load(
        self,
        records: list[ReturnRecord],
        superseded: set[str],
        changed: set[str] = frozenset(),
        lga: dict[str, LgaStatus] | None = None,
    ) -> None:
        self.beginResetModel()
        self.records, self.superseded, self.changed = records, superseded, changed
        self.lga = lga or {}
        self.endResetModel()

    def lga_status(self, r: ReturnRecord) -> str:
        """What the LGA's newest receipt says: Received, Queried, Accepted (or nothing yet)."""
        found = self.lga.get(r.return_hash)
        return found.status.capitalize() if found else ""

    def lga_comments(self, r: ReturnRecord) -> list[str]:
        found = self.lga.get(r.return_hash)
        return [
            f"{c['action'].capitalize()}{' (on ' + c['figure'] + ')' if c['figure'] else ''}: "
            f"{c['comment']}"
            for c in (found.comments if found else [])
            if c["comment"]
        ]

    def status(self, r: ReturnRecord) -> str:
        if r.return_hash in self.superseded:
            return "Superseded"
        if r.return_hash in self.changed:
            return f"Current, {CORRECTION_DUE}"
        return "Current"

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        r = self.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.period,
                str(r.version),
                format_when(r.signed_at),
                f"{r.signer_name}, {r.signer_role}",
                r.short_hash + "…",
                self.status(r),
                self.lga_status(r),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return r.return_hash
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6:
            return "\n".join(self.lga_comments(r)) or None
        return None

    def record(self, row: int) -> ReturnRecord:
        return self.records[row]


class ReturnsPage(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("returnsPage")
        self.context = context
        self.last_result: Verification | None = None
        self.last_wizard: NewReturnWizard | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Quarterly returns</h2>"))

        key_box = QGroupBox("Signing key")
        key_layout = QVBoxLayout(key_box)
        self.key_label = QLabel()
        self.key_label.setWordWrap(True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        key_layout.addWidget(self.key_label)
        buttons = QHBoxLayout()
        self.create_key_button = QPushButton("Create signing key…")
        self.export_key_button = QPushButton("Export key card…")
        self.change_button = QPushButton("Change passphrase…")
        self.rotate_button = QPushButton("Rotate key…")
        for button, slot in (
            (self.create_key_button, self.create_key),
            (self.export_key_button, self.export_key_card),
            (self.change_button, self.change_passphrase),
            (self.rotate_button, self.rotate_key),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        key_layout.addLayout(buttons)
        layout.addWidget(key_box)

        actions = QHBoxLayout()
        self.new_button = QPushButton("New return…")
        self.new_button.clicked.connect(self.new_return)
        self.open_button = QPushButton("Check a return…")
        self.open_button.setToolTip(
            "Check a return file: intact, who signed it, with which key; its figures and PDF"
        )
        self.open_button.clicked.connect(self.open_return)
        self.copy_button = QPushButton("Save a copy…")
        self.copy_button.setToolTip("Save the selected return's file again, exactly as signed")
        self.copy_button.clicked.connect(self.save_copy)
        self.view_button = QPushButton("Open")
        self.view_button.setToolTip("Read the selected return's printed PDF (or double-click it)")
        self.view_button.clicked.connect(self.view_selected)
        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("Print the selected return, as signed")
        self.print_button.clicked.connect(self.print_selected)
        self.save_pdf_button = QPushButton("Save PDF as…")
        self.save_pdf_button.setToolTip("Save the selected return's printed PDF")
        self.save_pdf_button.clicked.connect(self.save_selected_pdf)
        for b in (
            self.new_button,
            self.open_button,
            self.view_button,
            self.print_button,
            self.save_pdf_button,
            self.copy_button,
        ):
            actions.addWidget(b)
        actions.addStretch(1)
        layout.addLayout(actions)

        self.signed_banner = QLabel()
        self.signed_banner.setObjectName("changedSinceSigned")
        self.signed_banner.setWordWrap(True)
        self.signed_banner.setStyleSheet(NOTE_STYLES[Severity.WARNING] + " font-weight: bold;")
        layout.addWidget(self.signed_banner)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        self.model = ReturnsHistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda *_: self.view_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        layout.addWidget(self.table, 1)
        # the LGA's comments on the chosen return, each beside the figure it is about
        self.lga_comments = QLabel()
        self.lga_comments.setObjectName("lgaComments")
        self.lga_comments.setWordWrap(True)
        self.lga_comments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.lga_comments)
        self.table.selectionModel().selectionChanged.connect(self._show_lga_comments)
        self.empty = QLabel("No return has been signed in this workspace yet.")
        layout.addWidget(self.empty)

        context.changed.connect(self._changed)
        self.refresh()

    # ---- state ---------------------------------------------------------------

    @property
    def ws(self):
        return self.context.workspace

    def _changed(self, what: frozenset) -> None:
        self.refresh()  # any change can make a signed quarter differ from its return

    def refresh(self) -> None:
        key = current_key(self.ws)
        if key is None:
            self.key_label.setText(
                "This workspace has no signing key yet. Create one before signing the first "
                "return; you will choose a passphrase that only the signing officers know."
            )
        else:
            older = len(all_keys(self.ws)) - 1
            extra = f" It replaced {plural(older, 'earlier key')}." if older else ""
            self.key_label.setText(
                f"Fingerprint: <b><tt style='font-size:14pt'>{key.fingerprint}</tt></b><br>"
                f"Created {format_date(key.created_at)}{' by ' + key.created_by if key.created_by else ''}."
                f"{extra} Read the fingerprint to the LGA when they ring to confirm your key."
            )
        has_key = key is not None
        self.create_key_button.setVisible(not has_key)
        for b in (self.export_key_button, self.change_button, self.rotate_button):
            b.setVisible(has_key)
        # a preparer runs the checks and writes the notes without the key; signing needs it
        self.new_button.setToolTip(
            "Check a quarter and sign its return"
            if has_key
            else "Check a quarter and write its notes; signing needs the key (Create signing key…)"
        )
        records = history(self.ws)
        changed = self.context.changed_since_signed
        self.model.load(
            records,
            superseded_hashes(self.ws),
            {r.return_hash for r in changed},
            lga_statuses(self.ws),
        )
        self._show_lga_comments()
        banner = banner_text(changed)
        self.signed_banner.setText(banner)
        self.signed_banner.setVisible(bool(banner))
        self.empty.setVisible(not records)
        self._enable()

    def _enable(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        for b in (self.copy_button, self.view_button, self.print_button, self.save_pdf_button):
            b.setEnabled(chosen)

    def _show_lga_comments(self, *_: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        record = self.model.record(rows[0].row()) if rows else None
        lines = self.model.lga_comments(record) if record else []
        if record and lines:
            head = f"The LGA on the {record.period} return, version {record.version}:"
            said = [c for c in self.model.lga[record.return_hash].comments if c["comment"]]
            rows, elsewhere = figures_with_comments(
                return_figures(self.ws, record.return_hash), said
            )
            beside = [  # a comment on a figure beside the figure, as the return states it
                f"  • {label} {value} — {c['action'].capitalize()}: {c['comment']}"
                for label, value, on_it in rows
                for c in on_it
            ]
            rest = [line for line, c in zip(lines, said, strict=True) if c in elsewhere]
            self.lga_comments.setText("\n".join([head, *beside, *(f"  • {line}" for line in rest)]))
        else:
            self.lga_comments.setText("")
        self.lga_comments.setVisible(bool(lines))

    def say(self, text: str) -> None:
        self.status.setText(text)

    # ---- file choosers (tests replace these) ----------------------------------

    def ask_open_path(self) -> str:
        chosen, _ = file_dialogs.get_open_file_name(
            self, "Open a return", str(Path.home()), "Returns (*.lgareturn);;All files (*)"
        )
        return chosen

    def ask_save_path(self, title: str, suggested: str, filter_: str) -> str:
        chosen, _ = file_dialogs.get_save_file_name(
            self, title, str(Path.home() / suggested), filter_
        )
        return chosen

    def ask_printer(self, title: str) -> Any:
        from lga_desktop.ui.pdf_viewer import choose_printer

        return choose_printer(self, title)

    def ask_passphrases(
        self, title: str, *, current: bool, new: bool, intro: str = ""
    ) -> PassphraseDialog | None:
        dialog = PassphraseDialog(self, title, current=current, new=new, intro=intro)
        return dialog if dialog.exec() == QDialog.DialogCode.Accepted else None

    # ---- keys -------------------------------------------------------------------

    def _key_task(self, title: str, fn, done_text) -> None:
        ws = self.ws

        def work(progress) -> SigningKey:
            own = ws.reopen()
            try:
                return fn(own)
            finally:
                own.close()

        def done(key: SigningKey) -> None:
            self.context.notify("returns")
            self.say(done_text(key))

        run_task(self, title, work, done, cancellable=False)

    def create_key(self) -> None:
        answer = self.ask_passphrases(
            "Create signing key",
            current=False,
            new=True,
            intro="Choose a passphrase for the council's signing key: at least 10 characters, "
            "known only to the officers who sign returns. It cannot be recovered if forgotten.",
        )
        if answer is None:
            return
        passphrase = answer.new
        self._key_task(
            "Creating the signing key",
            lambda ws: create_key(ws, passphrase),
            lambda key: (
                f"Signing key created. Fingerprint {key.fingerprint}. Export the key "
                "card and send it to the LGA."
            ),
        )

    def change_passphrase(self) -> None:
        answer = self.ask_passphrases("Change passphrase", current=True, new=True)
        if answer is None:
            return
        old, new = answer.current, answer.new
        self._key_task(
            "Changing the passphrase",
            lambda ws: change_passphrase(ws, old, new),
            lambda key: "Passphrase changed. The key and its fingerprint are the same.",
        )

    def rotate_key(self) -> None:
        answer = self.ask_passphrases(
            "Rotate signing key",
            current=True,
            new=True,
            intro="A new key replaces the current one, which vouches for it and is then "
            "retired. Returns already signed stay valid. Send the new key card to the LGA.",
        )
        if answer is None:
            return
        old, new = answer.current, answer.new
        self._key_task(
            "Rotating the signing key",
            lambda ws: rotate_key(ws, old, new),
            lambda key: f"New signing key {key.fingerprint}. Export its key card for the LGA.",
        )

    def export_key_card(self) -> None:
        key = current_key(self.ws)
        if key is None:
            return
        council = self.ws.council
        chosen = self.ask_save_path(
            "Export key card",
            f"{council.name} signing key{KEY_CARD_SUFFIX}",
            f"Key cards (*{KEY_CARD_SUFFIX})",
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix != KEY_CARD_SUFFIX:
            path = path.with_name(path.name + KEY_CARD_SUFFIX)
        card = key_card_for(council.gss, key)
        pdf_path = path.with_name(f"{path.stem} (printable).pdf")

        def work(progress) -> None:
            from lga_desktop.returns.pdf import key_card_pdf

            write_key_card(card, path)
            pdf_path.write_bytes(key_card_pdf(card.to_json()))

        run_task(
            self,
            "Exporting the key card",
            work,
            lambda _: self.say(
                f"Key card saved: {path.name} and {pdf_path.name}. Send both to the LGA."
            ),
        )

    # ---- returns ----------------------------------------------------------------

    def new_return(self) -> None:
        wizard = NewReturnWizard(self.context, self)
        self.last_wizard = wizard
        if wizard.exec() == QDialog.DialogCode.Accepted and wizard.signed:
            self.report_signed(wizard)

    def report_signed(self, wizard: NewReturnWizard) -> None:
        s = wizard.signed
        self.say(
            f"Signed version {s.record.version} of the {s.record.period} return and saved it "
            f"as {s.path}. Return hash {s.return_hash}."
        )

    def open_return(self) -> None:
        path = self.ask_open_path()
        if path:
            self.check_file(Path(path))

    def check_file(self, path: Path) -> None:
        """Check a return file and show the verdict, its headline figures and its PDF."""
        from lga_desktop.returns.pdf import signed_pdf

        trusted = TrustedKeys.from_keys(self.ws.council.gss, all_keys(self.ws))

        def work(progress) -> tuple[Verification, bytes | None]:
            result = verify_file(path, trusted=trusted)
            if not result.intact:
                return result, None
            return signed_pdf(path.read_bytes(), path=str(path), trusted=trusted)

        def done(found: tuple[Verification, bytes | None]) -> None:
            result, pdf = found
            self.last_result = result
            dialog = VerificationDialog(self, result, pdf, save_pdf=self._save_checked_pdf)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()
            self.last_dialog = dialog

        run_task(self, "Checking the return", work, done)

    def _save_checked_pdf(self, result: Verification, pdf: bytes) -> None:
        self.save_pdf(pdf, f"{Path(result.path or 'return').stem}.pdf")

    # ---- the printed return of a signed return --------------------------------

    def selected(self) -> ReturnRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.say("Choose a return in the list first.")
            return None
        return self.model.record(rows[0].row())

    def selected_pdf(self) -> tuple[ReturnRecord, bytes] | None:
        """The selected return and the PDF inside its file, checked as the LGA would."""
        from lga_desktop.returns.pdf import signed_pdf

        record = self.selected()
        if record is None:
            return None
        check, pdf = signed_pdf(file_bytes(self.ws, record))
        if pdf is None:
            self.say(f"The {record.period} return's file cannot be read: {check.reason}")
            return None
        return record, pdf

    @staticmethod
    def pdf_title(record: ReturnRecord) -> str:
        return f"{Path(record.file_name).stem} ({record.period}, version {record.version})"

    def view_selected(self) -> None:
        from lga_desktop.ui.pdf_viewer import PdfViewerDialog

        found = self.selected_pdf()
        if found is None:
            return
        record, pdf = found
        name = f"{Path(record.file_name).stem}.pdf"
        dialog = PdfViewerDialog(
            self, pdf, self.pdf_title(record), save=lambda: self.save_pdf(pdf, name)
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.last_viewer = dialog

    def print_selected(self) -> int:
        from lga_desktop.ui.pdf_viewer import print_pdf

        found = self.selected_pdf()
        if found is None:
            return 0
        record, pdf = found
        printer = self.ask_printer(self.pdf_title(record))
        if printer is None:
            return 0
        pages = print_pdf(pdf, printer)
        self.say(f"Printed the {record.period} return, version {record.version} ({pages} pages).")
        return pages

    def save_selected_pdf(self) -> None:
        found = self.selected_pdf()
        if found is not None:
            record, pdf = found
            self.save_pdf(pdf, f"{Path(record.file_name).stem}.pdf")

    def save_pdf(self, pdf: bytes, suggested: str) -> None:
        from lga_desktop.atomic_write import write_bytes
        from lga_desktop.errors import LgaError

        chosen = self.ask_save_path("Save PDF as", suggested, "PDF (*.pdf)")
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_bytes(path, pdf, what="The PDF")
        except LgaError as exc:
            self.say(str(exc))
            return
        self.say(f"Saved the printed return as {path}.")

    def save_copy(self) -> None:
        record = self.selected()
        if record is None:
            return
        chosen = self.ask_save_path("Save a copy", record.file_name, "Returns (*.lgareturn)")
        if chosen:
            Path(chosen).write_bytes(file_bytes(self.ws, record))
            self.say(
                f"Saved a copy of the {record.period} return, version {record.version}, as {chosen}."
            )
