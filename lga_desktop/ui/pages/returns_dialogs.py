"""The dialogs of the Returns page: the new-return wizard, key passphrases, a check's result.

Each dialog takes plain data or the :class:`AppContext`; slow work (assembling,
signing, stretching a passphrase) goes through :func:`run_task` with its own
workspace connection, and its result comes back to the dialog.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from lga_desktop.errors import LgaError
from lga_desktop.periods import PeriodError, Quarter, quarter_of
from lga_desktop.printing import when
from lga_desktop.returns.build import Declaration, Draft, Person, assemble, save_note
from lga_desktop.returns.keys import WrongPassphrase, current_key
from lga_desktop.returns.sign import Signed, default_file_name, sign_return
from lga_desktop.returns.verify import Verification
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.date_input import DateInput
from lga_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from lga_desktop.ui.tasks import run_task
from lga_desktop.words import plural

__all__ = ["NewReturnWizard", "PassphraseDialog", "VerificationDialog", "quarter_choices"]

ERROR_STYLE = "color: #b00020;"
WARN_STYLE = "color: #8a5a00;"


FIRST_QUARTER = Quarter(2010, 1)


def quarter_choices(today: date, first: Quarter = FIRST_QUARTER) -> list[Quarter]:
    """Every quarter from the programme's first years to today's, newest first."""
    found, q = [], quarter_of(today)
    while q >= first:
        found.append(q)
        q = q.previous()
    return found


def _label(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


# ---- passphrases -------------------------------------------------------------


class PassphraseDialog(QDialog):
    """Asks for the current passphrase, a new one (typed twice), or both."""

    def __init__(
        self, parent: QWidget | None, title: str, *, current: bool, new: bool, intro: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("passphraseDialog")
        layout = QVBoxLayout(self)
        if intro:
            layout.addWidget(_label(intro))
        form = QFormLayout()
        layout.addLayout(form)
        self.current_edit = self.new_edit = self.again_edit = None
        if current:
            self.current_edit = self._field(form, "Current passphrase:")
        if new:
            self.new_edit = self._field(form, "New passphrase:")
            self.again_edit = self._field(form, "Type it again:")
        self.error = _label(style=ERROR_STYLE)
        self.error.setObjectName("passphraseError")
        # two lines kept for the reason, so it never sits over the fields or the buttons
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing() * 2 + 4)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _field(self, form: QFormLayout, label: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(label.rstrip(":"))
        edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * 36)  # a passphrase is long
        form.addRow(label, edit)
        return edit

    def _accept(self) -> None:
        if self.current_edit is not None and not self.current_edit.text():
            self.error.setText("Type the current passphrase.")
            return
        if self.new_edit is not None:
            from lga_desktop.returns.keys import check_passphrase_strength

            if self.new_edit.text() != self.again_edit.text():
                self.error.setText("The two new passphrases differ; type them again.")
                return
            try:
                check_passphrase_strength(self.new_edit.text())
            except LgaError as exc:
                self.error.setText(str(exc))
                return
        self.accept()

    @property
    def current(self) -> str:
        return self.current_edit.text() if self.current_edit else ""

    @property
    def new(self) -> str:
        return self.new_edit.text() if self.new_edit else ""


def _halves(text: str) -> list[str]:
    return [text[:32], text[32:]] if len(text) > 32 else [text]


# ---- the result of checking a file ----------------------------------------------


class VerificationDialog(QDialog):
    """A return file's check, in words: valid or not, why, what it is, its figures and its PDF."""

    def __init__(
        self,
        parent: QWidget | None,
        result: Verification,
        pdf: bytes | None = None,
        save_pdf=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("verificationDialog")
        self.setWindowTitle("Check a return")
        self.setMinimumWidth(560)
        self.result = result
        self.viewer = None
        outer = QHBoxLayout(self)
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        name = Path(result.path).name if result.path else "The file"
        verdict = (
            "Valid"
            if result.valid
            else ("Intact, but not accepted" if result.intact else "Not valid")
        )
        colour = "#1b6e20" if result.valid else ("#8a5a00" if result.intact else "#b00020")
        self.heading = _label(f"<h2 style='color:{colour}'>{verdict}</h2><p>{name}</p>")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.heading)
        self.reason = _label(result.reason)
        layout.addWidget(self.reason)
        if result.intact:
            box = QGroupBox("What the file says")
            form = QFormLayout(box)
            rows = [
                ("Council", f"{result.council_name} ({result.council_gss})"),
                ("Quarter", f"{result.period}, version {result.version}"),
                ("Signed by", f"{result.signer_name}, {result.signer_role}"),
                ("Signed on", when(result.signed_at or "")),
                ("Key fingerprint", result.key_fingerprint or ""),
                ("Return hash", "\n".join(_halves(result.return_hash or ""))),
            ]
            if result.supersedes_hash:
                rows.insert(2, ("Supersedes", f"the return with hash {result.supersedes_hash}"))
            for label, value in rows:
                field = _label(value)
                if label in ("Key fingerprint", "Return hash"):
                    field.setStyleSheet("font-family: monospace;")
                form.addRow(f"{label}:", field)
            layout.addWidget(box)
        self.figures = _label()
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        if result.document:
            self.figures.setText(figures_html(result.document))
            box = QGroupBox("Headline figures")
            QVBoxLayout(box).addWidget(self.figures)
            layout.addWidget(box)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        if pdf is not None and save_pdf is not None:
            self.save_button = buttons.addButton(
                "Save PDF as…", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.save_button.clicked.connect(lambda: save_pdf(result, pdf))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        outer.addWidget(side, 2 if pdf is not None else 1)
        if pdf is not None:
            from lga_desktop.ui.pdf_viewer import PdfViewer

            self.viewer = PdfViewer(self)
            outer.addWidget(self.viewer, 3)
            self.viewer.set_pdf(pdf, f"{result.council_name} {result.period} v{result.version}")
            self.resize(1180, 780)

    def done(self, result: int) -> None:
        if self.viewer is not None:
            self.viewer.clear()
        super().done(result)


def figures_html(doc: dict[str, Any]) -> str:
    """Page 1's headline figures of a return, as a small table for a label."""
    from html import escape

    from lga_desktop.returns.presentation import headlines

    rows = "".join(
        f"<tr><td><b>{escape(h.strand)}</b></td><td>{escape(h.figure)}"
        f"<br><span style='color:#4a5560'>{escape(h.detail)}</span></td></tr>"
        for h in headlines(doc)
    )
    return f"<table cellspacing='4'>{rows}</table>" if rows else "None recorded."


# ---- the new-return wizard ------------------------------------------------------


class QuarterPage(QWizardPage):
    def __init__(self, wizard: NewReturnWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Which quarter?")
        self.setSubTitle(
            "lga-desktop gathers what every register says for the quarter and checks it."
        )
        layout = QFormLayout(self)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Quarter")
        for q in quarter_choices(wizard.today):
            self.combo.addItem(str(q), q)
        last_over = quarter_of(wizard.today).previous()
        self.combo.setCurrentIndex(max(0, self.combo.findText(str(last_over))))
        layout.addRow("Quarter:", self.combo)
        self.status = _label()
        layout.addRow(self.status)

    @property
    def quarter(self) -> Quarter:
        return self.combo.currentData()

    def validatePage(self) -> bool:
        draft = self.wiz.draft
        if draft is not None and draft.quarter == self.quarter:
            return True
        self.wiz.draft = None
        self.status.setText(f"Gathering {self.quarter}…")
        self.wiz.assemble(self.quarter)
        return False


class FindingsPage(QWizardPage):
    def __init__(self, wizard: NewReturnWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Checks")
        layout = QVBoxLayout(self)
        self.summary = _label()
        layout.addWidget(self.summary)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll.setWidget(self.body)
        layout.addWidget(scroll, 1)
        self.note_edits: dict[str, QPlainTextEdit] = {}

    def initializePage(self) -> None:
        draft = self.wiz.draft
        assert draft is not None
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.note_edits = {}
        n_err, n_warn = len(draft.errors), len(draft.warnings)
        what = f"Version {draft.version} of the {draft.quarter} return"
        if draft.supersedes:
            what += f" (a correction of version {draft.supersedes.version})"
        if n_err:
            self.summary.setText(
                f"{what}. {plural(n_err, 'error')} must be put right in the registers before the "
                "return can be signed; then start the return again."
            )
            self.summary.setStyleSheet(ERROR_STYLE)
        elif n_warn:
            self.summary.setText(
                f"{what}. No errors. Each warning needs a short note explaining it; the note "
                "goes into the return."
            )
            self.summary.setStyleSheet("")
        else:
            self.summary.setText(f"{what}. Every check passed.")
            self.summary.setStyleSheet("")
        for finding in draft.errors:
            where = self.wiz.register_title(finding.register)
            label = _label(f"<b>Error</b> · {where} · {finding.message}", ERROR_STYLE)
            label.setObjectName("errorFinding")
            self.body_layout.addWidget(label)
        for finding in draft.warnings:
            box = QGroupBox(f"Warning · {self.wiz.register_title(finding.register)}")
            box.setObjectName("warningFinding")
            inner = QVBoxLayout(box)
            inner.addWidget(_label(finding.message, WARN_STYLE))
            edit = QPlainTextEdit(draft.notes.get(finding.key, ""))
            edit.setPlaceholderText("Explain this warning (required)")
            edit.setAccessibleName(f"Note explaining: {finding.message}")
            edit.setTabChangesFocus(True)  # Tab goes on to the next note, as in a form
            edit.setFixedHeight(60)
            edit.textChanged.connect(lambda *_: self.completeChanged.emit())
            inner.addWidget(edit)
            self.note_edits[finding.key] = edit
            self.body_layout.addWidget(box)
        self.body_layout.addStretch(1)
        if self.note_edits:
            QTimer.singleShot(0, next(iter(self.note_edits.values())).setFocus)

    def notes(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self.note_edits.items()}

    def isComplete(self) -> bool:
        draft = self.wiz.draft
        if draft is None or draft.errors:
            return False
        return not draft.missing_notes(self.notes())

    def validatePage(self) -> bool:
        # keep the notes in the workspace, so closing the window loses nothing
        ws = self.wiz.context.workspace
        for key, note in self.notes().items():
            save_note(ws, self.wiz.draft.quarter, key, note)
        return True


class PersonBox(QGroupBox):
    def __init__(self, title: str, changed) -> None:
        super().__init__(title)
        form = QFormLayout(self)
        self.name, self.role, self.email = QLineEdit(), QLineEdit(), QLineEdit()
        self.date = DateInput(self, optional=False)
        for label, widget in (("Name:", self.name), ("Role:", self.role), ("E-mail:", self.email)):
            form.addRow(label, widget)
            widget.setAccessibleName(f"{title}: {label.rstrip(':').lower()}")
            widget.textChanged.connect(changed)
        form.addRow("Date:", self.date)
        self.date.line.setAccessibleName(f"{title}: date")
        self.date.line.textChanged.connect(changed)

    def set(self, person: Person | None, today: date) -> None:
        self.name.setText(person.name if person else "")
        self.role.setText(person.role if person else "")
        self.email.setText(person.email if person else "")
        self.date.set_date(today)

    def person(self) -> Person:
        try:
            day = self.date.date()
        except PeriodError:
            day = None
        return Person(
            self.name.text().strip(),
            self.role.text().strip(),
            self.email.text().strip(),
            day.isoformat() if day else self.date.line.text(),  # the problem names bad text
        )


class DeclarationPage(QWizardPage):
    def __init__(self, wizard: NewReturnWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Declaration")
        self.setSubTitle("Who prepared the return, and who signs it for the council.")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.preparer = PersonBox("Prepared by", self._changed)
        self.signer = PersonBox("Signed by", self._changed)
        row.addWidget(self.preparer)
        row.addWidget(self.signer)
        layout.addLayout(row)
        self.reason_box = QGroupBox("What does this correction correct?")
        reason_layout = QVBoxLayout(self.reason_box)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("What this correction corrects")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(60)
        self.reason.textChanged.connect(self._changed)
        reason_layout.addWidget(self.reason)
        layout.addWidget(self.reason_box)
        self.warning = _label(style=WARN_STYLE)
        self.problems = _label(style=ERROR_STYLE)
        layout.addWidget(self.warning)
        layout.addWidget(self.problems)
        layout.addStretch(1)

    def initializePage(self) -> None:
        draft = self.wiz.draft
        pre = draft.declaration
        self.preparer.set(pre.preparer if pre else None, self.wiz.today)
        self.signer.set(pre.signer if pre else None, self.wiz.today)
        self.reason_box.setVisible(draft.supersedes is not None)
        if draft.supersedes is not None and not self.reason.toPlainText().strip():
            from lga_desktop.exchange.council import query_answer

            # a correction the LGA asked for says so: the query links to its answer
            self.reason.setPlainText(
                query_answer(self.wiz.context.workspace, draft.supersedes.return_hash)
            )
        self._changed()

    def declaration(self) -> Declaration:
        return Declaration(self.preparer.person(), self.signer.person())

    def _problems(self) -> list[str]:
        draft = self.wiz.draft
        found = self.declaration().problems()
        if (
            draft is not None
            and draft.supersedes is not None
            and not self.reason.toPlainText().strip()
        ):
            found.append("Say what this correction corrects.")
        return found

    def _changed(self) -> None:
        self.warning.setText(" ".join(self.declaration().warnings()))
        self.problems.setText(" ".join(self._problems()))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._problems()


class PreviewPage(QWizardPage):
    """The whole return as it will print, DRAFT – NOT SIGNED, read before the passphrase."""

    def __init__(self, wizard: NewReturnWizard) -> None:
        from lga_desktop.ui.pdf_viewer import PdfViewer

        super().__init__()
        self.wiz = wizard
        self.setTitle("Read the return")
        self.setSubTitle(
            "This is the whole return exactly as it will print, marked DRAFT – NOT SIGNED. "
            "Read every page: once signed, a return cannot be changed."
        )
        layout = QVBoxLayout(self)
        self.viewer = PdfViewer(self, print_text="Print draft…")
        layout.addWidget(self.viewer, 1)
        self.read = QCheckBox("I have read the whole return, and it is right")
        self.read.toggled.connect(lambda *_: self.completeChanged.emit())
        layout.addWidget(self.read)

    def initializePage(self) -> None:
        self.read.setChecked(False)
        self.read.setEnabled(False)
        self.viewer.clear("Printing the draft…")
        self.wiz.preview()

    def show_pdf(self, data: bytes) -> None:
        draft = self.wiz.draft
        self.viewer.set_pdf(data, f"{draft.council.name} {draft.quarter} return (draft)")
        self.read.setEnabled(True)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.read.isChecked() and self.viewer.page_count > 0


class SignPage(QWizardPage):
    def __init__(self, wizard: NewReturnWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Sign and save")
        layout = QVBoxLayout(self)
        self.summary = _label()
        layout.addWidget(self.summary)
        form = QFormLayout()
        # the passphrase comes first and has the cursor: typing never lands in the file name
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("signPassphrase")
        self.passphrase.setAccessibleName("Key passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.textChanged.connect(lambda *_: self.completeChanged.emit())
        form.addRow("Key passphrase:", self.passphrase)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("Save the signed return as")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose)
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        form.addRow("Save as:", row)
        self.path.textChanged.connect(lambda *_: self.completeChanged.emit())
        layout.addLayout(form)
        self.error = _label(style=ERROR_STYLE)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        draft = self.wiz.draft
        key = current_key(self.wiz.context.workspace)
        self.summary.setText(
            f"{draft.council.official_name}, {draft.quarter}, version {draft.version}.<br>"
            f"It will be signed with the council's key <tt>{key.fingerprint if key else '—'}</tt>."
            "<br>Once signed, a return cannot be changed: a mistake is put right by a correction."
        )
        if not self.path.text():
            folder = self.wiz.save_folder or Path.home()
            self.path.setText(
                str(folder / default_file_name(draft.council, draft.quarter, draft.version))
            )
        self.error.setText("")
        if key is None:
            self.error.setText(
                "This workspace has no signing key yet. Cancel, press Create signing key… on "
                "the Returns page, then sign: the checks and notes you wrote are kept."
            )
        QTimer.singleShot(0, self.passphrase.setFocus)

    def _choose(self) -> None:
        chosen, _ = file_dialogs.get_save_file_name(
            self, "Save the signed return", self.path.text(), "Returns (*.lgareturn)"
        )
        if chosen:
            self.path.setText(chosen)

    def isComplete(self) -> bool:
        return bool(self.passphrase.text() and self.path.text().strip())

    def validatePage(self) -> bool:
        if self.wiz.signed is not None:
            return True
        self.error.setText("")
        self.wiz.sign(self.passphrase.text(), Path(self.path.text().strip()))
        return False

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        if isinstance(message, str) and "passphrase" in message:
            self.passphrase.selectAll()
            self.passphrase.setFocus()


class NewReturnWizard(QWizard):
    """Quarter -> checks and notes -> declaration -> the draft, read -> passphrase -> signed."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        save_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newReturnWizard")
        self.setWindowTitle("New quarterly return")
        self.context = context
        self.today = today or date.today()
        self.save_folder = save_folder
        self.draft: Draft | None = None
        self.signed: Signed | None = None
        self.quarter_page = QuarterPage(self)
        self.findings_page = FindingsPage(self)
        self.declaration_page = DeclarationPage(self)
        self.preview_page = PreviewPage(self)
        self.sign_page = SignPage(self)
        for page in (
            self.quarter_page,
            self.findings_page,
            self.declaration_page,
            self.preview_page,
            self.sign_page,
        ):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Sign and save")
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(900, screen.width() - 40), min(700, screen.height() - 40))

    def register_title(self, key: str) -> str:
        import lga_desktop.features as feature_registry

        titles = {f.key: f.title for f in feature_registry.features()}
        return titles.get(key, "The return" if key == "return" else key)

    def assemble(self, quarter: Quarter) -> None:
        ws, today = self.context.workspace, self.today

        def work(progress) -> Draft:
            own = ws.reopen()  # background work reads through its own connection
            try:
                return assemble(own, quarter, progress, today=today)
            finally:
                own.close()

        def done(draft: Draft) -> None:
            self.draft = draft
            self.quarter_page.status.setText("")
            QTimer.singleShot(0, self.next)

        run_task(self, f"Gathering {quarter}", work, done)

    def preview(self) -> None:
        """Print the draft as it stands (in the background), for the preview page."""
        from lga_desktop.returns.pdf import draft_pdf

        draft, ws = self.draft, self.context.workspace
        notes = self.findings_page.notes()
        declaration = self.declaration_page.declaration()
        reason = self.declaration_page.reason.toPlainText()

        def work(progress) -> bytes:
            own = ws.reopen()
            try:
                return draft_pdf(
                    own, draft, notes=notes, declaration=declaration, correction_reason=reason
                )
            finally:
                own.close()

        run_task(self, "Printing the draft", work, self.preview_page.show_pdf)

    def sign(self, passphrase: str, out_path: Path) -> None:
        draft = self.draft
        notes = self.findings_page.notes()
        declaration = self.declaration_page.declaration()
        reason = self.declaration_page.reason.toPlainText()
        ws = self.context.workspace

        def work(progress) -> Signed:
            own = ws.reopen()
            try:
                return sign_return(
                    own,
                    draft,
                    notes=notes,
                    declaration=declaration,
                    passphrase=passphrase,
                    out_path=out_path,
                    correction_reason=reason,
                    progress=progress,
                )
            finally:
                own.close()

        def done(signed: Signed) -> None:
            self.signed = signed
            self.context.notify("returns")
            QTimer.singleShot(0, self.accept)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, LgaError):
                self.sign_page.show_error(str(exc))
            else:
                self.sign_page.show_error(
                    f"Something went wrong that lga-desktop did not expect: {exc}"
                )
            if isinstance(exc, WrongPassphrase):
                self.sign_page.passphrase.clear()

        run_task(self, "Signing the return", work, done, on_error=failed, cancellable=False)

    def done(self, result: int) -> None:
        self.preview_page.viewer.clear()
        super().done(result)

    def result_summary(self) -> dict[str, Any] | None:
        if self.signed is None:
            return None
        return {"path": str(self.signed.path), "return_hash": self.signed.return_hash}
