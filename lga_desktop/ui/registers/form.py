"""The editor form of any register, and the dialog that adds or edits a record.

Each field gets the editor that fits its type and, under it, one line that
says what is wrong with it (a value that cannot be read, a missing required
value, a check or rule finding), or else the field's help. The form checks as
the officer types, so "match funding is below the LGA investment" appears
beside the match funding before anything is saved. Values that cannot be
read block saving; findings never do (errors block a return, warnings need a
note).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers.declaration import Field, Register
from lga_desktop.registers.fields import FieldError, Link, LongText, Reference
from lga_desktop.registers.store import RecordError, draft
from lga_desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from lga_desktop.ui.registers.editors import DateEditor, LinkChoices, make_editor
from lga_desktop.ui.styles import NOTE_STYLES
from lga_desktop.validation import Finding, Severity
from lga_desktop.words import sentence

__all__ = ["RecordForm", "RecordDialog", "NOTE_STYLES"]


class RecordForm(QWidget):
    """Editors for a register's fields, each with its note line."""

    changed = Signal()

    def __init__(
        self,
        reg: Register,
        *,
        link_choices: Callable[[Field], LinkChoices] | None = None,
        fixed: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.reg = reg
        self.fixed = dict(fixed or {})  # values not shown (the parent of a detail record)
        self.ref = ""
        self.record_id: int | None = None
        self.extra_findings: list[Finding] = []
        self.editors: dict[str, QWidget] = {}
        self.notes: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for f in reg.fields:
            if f.name in self.fixed:
                continue
            choices = link_choices(f) if (link_choices and isinstance(f.type, Reference)) else None
            editor = make_editor(f, link_choices=choices, parent=self)
            editor.setObjectName(f"editor_{f.name}")
            editor.setToolTip(f.help)
            editor.setAccessibleName(f.label)
            editor.edited.connect(lambda name=f.name: self._edited(name))
            note = QLabel(self)
            note.setObjectName(f"note_{f.name}")
            note.setWordWrap(True)
            # the note's line is kept even when empty, so a message never moves the fields
            note.setMinimumHeight(note.fontMetrics().lineSpacing())
            note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box = QWidget(self)
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 2)
            box_layout.setSpacing(1)
            box_layout.addWidget(editor)
            box_layout.addWidget(note)
            label = QLabel(f.label + (" *" if f.required else ""), self)
            label.setBuddy(editor)
            if isinstance(f.type, LongText):
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            layout.addRow(label, box)
            self.editors[f.name] = editor
            self.notes[f.name] = note
        # what rules across records say about this one (set by the table: it knows the workspace)
        self.rule_findings: Callable[[dict[str, Any]], list[Finding]] | None = None
        self.rules_note = QLabel(self)
        self.rules_note.setObjectName("rulesNote")
        self.rules_note.setWordWrap(True)
        self.rules_note.setStyleSheet(NOTE_STYLES[Severity.ERROR])
        self.rules_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addRow(self.rules_note)  # under the fields: a message here moves none of them
        for name, editor in self.editors.items():
            if isinstance(editor, DateEditor):
                editor.set_hint(lambda name=name: self._date_hint(name))
        # a field's message shows once it was touched, or for all of them once Save is pressed
        self.touched: set[str] = set()
        self.reveal_all = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.check)

    # ---- values -------------------------------------------------------------------
    def set_values(
        self, values: Mapping[str, Any], *, ref: str = "", record_id: int | None = None
    ) -> None:
        self.ref = ref
        self.record_id = record_id
        self.touched.clear()
        self.reveal_all = False
        for name, editor in self.editors.items():
            editor.set_value(values.get(name))  # type: ignore[attr-defined]
        self.check()

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Typed values of every field, and why any could not be read."""
        values: dict[str, Any] = dict(self.fixed)
        problems: dict[str, str] = {}
        for name, editor in self.editors.items():
            f = self.reg.field(name)
            try:
                value = editor.value()  # type: ignore[attr-defined]
            except FieldError as exc:
                problems[name] = str(exc)
                continue
            if value is None and f.required:
                problems[name] = "is needed"
            values[name] = value
        return values, problems

    # ---- showing what is wrong ---------------------------------------------------------
    def _edited(self, name: str) -> None:
        self.touched.add(name)
        self._timer.start()
        self.changed.emit()

    def _date_hint(self, name: str) -> date | None:
        """Where an empty date's calendar opens: another date of the record, or its period."""
        for other, editor in self.editors.items():
            if other == name:
                continue
            try:
                value = editor.value()  # type: ignore[attr-defined]
            except FieldError:
                continue
            if isinstance(value, date):
                return value
            if isinstance(value, Quarter | FinancialYear):
                return value.start
        return None

    def check(self, *, reveal: bool = False) -> dict[str, str]:
        """Read, run the register's checks on what was read, and show the results.

        Messages show for the fields touched (all of them with ``reveal``, as on Save);
        the findings of a saved record show from the start.
        """
        self.reveal_all = self.reveal_all or reveal
        values, problems = self.read()
        for name, options in self.reg.options_from.items():
            editor = self.editors.get(name)
            if editor is not None and hasattr(editor, "set_options"):
                editor.set_options(options(values))
        findings = self.reg.findings(
            draft(self.reg, values, ref=self.ref, record_id=self.record_id)
        )
        if self.rule_findings is not None and not problems:
            findings += self.rule_findings(values)  # as if saved now, live
        else:
            findings += [f for f in self.extra_findings if f.code not in {x.code for x in findings}]
        own = [f for f in findings if f.field in self.editors and f.record in (None, "", self.ref)]
        self.show_notes(problems, own)
        self._show_rules([f for f in findings if f not in own])
        return problems

    def _show_rules(self, others: list[Finding]) -> None:
        """Findings about other records that name this one (a realised saving before it starts)."""
        shown = self.reveal_all or bool(self.touched) or self.record_id is not None
        self.rules_note.setText(
            "\n".join(
                f"{'Error' if f.severity is Severity.ERROR else 'Warning'}: {sentence(f.message)}"
                for f in others
            )
            if shown
            else ""
        )

    def show_notes(self, problems: Mapping[str, str], findings: list[Finding] = ()) -> None:  # type: ignore[assignment]
        by_field: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.field:
                by_field.setdefault(finding.field, []).append(finding)
        for name, note in self.notes.items():
            f = self.reg.field(name)
            shown = self.reveal_all or name in self.touched
            if name in problems and shown:
                self._note(note, sentence(problems[name]), "problem")
            elif name in by_field and (shown or self.record_id is not None):
                worst = min(by_field[name], key=lambda x: x.severity is not Severity.ERROR)
                text = "; ".join(_strip_ref(x.message, self.ref) for x in by_field[name])
                prefix = "Error" if worst.severity is Severity.ERROR else "Warning"
                self._note(note, f"{prefix}: {sentence(text)}", worst.severity)
            elif f.help:
                self._note(note, f.help, "help")
            else:
                self._note(note, "", "help")

    @staticmethod
    def _note(label: QLabel, text: str, kind: Any) -> None:
        label.setText(text)
        label.setStyleSheet(NOTE_STYLES[kind])
        label.setProperty("kind", str(kind))
        label.show()

    def note_text(self, name: str) -> str:
        return self.notes[name].text()


def _strip_ref(message: str, ref: str) -> str:
    return message[len(ref) + 2 :] if ref and message.startswith(f"{ref}: ") else message


class RecordDialog(QDialog):
    """Add or edit one record. ``submit(values)`` writes it; a refusal stays in the dialog."""

    def __init__(
        self,
        reg: Register,
        title: str,
        submit: Callable[[dict[str, Any]], None],
        *,
        link_choices: Callable[[Field], LinkChoices] | None = None,
        fixed: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordDialog")
        self.setWindowTitle(title)
        self.submit = submit
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        layout.addWidget(heading)
        parent_link = next((v for v in (fixed or {}).values() if isinstance(v, Link)), None)
        if parent_link is not None:
            layout.addWidget(QLabel(f"Under {parent_link}"))
        self.form = RecordForm(reg, link_choices=link_choices, fixed=fixed, parent=self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if self.form.editors:  # the cursor starts in the first field, ready to type
            next(iter(self.form.editors.values())).setFocus()
        width = max(600, self.form.minimumSizeHint().width() + 40)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(
            min(width, screen.width() - 40),
            min(140 + self.form.sizeHint().height(), 780, screen.height() - 60),
        )

    def save(self) -> None:
        problems = self.form.check(reveal=True)
        if problems:
            first = next(iter(problems))
            self.form.editors[first].setFocus()
            return
        values, _ = self.form.read()
        try:
            self.submit(values)
        except RecordError as exc:
            self.form.show_notes({k: v for k, v in exc.problems.items() if k in self.form.editors})
            if "" in exc.problems or not set(exc.problems) & set(self.form.editors):
                from lga_desktop.ui.tasks import show_error

                show_error(self, self.windowTitle(), exc)
            return
        self.accept()
