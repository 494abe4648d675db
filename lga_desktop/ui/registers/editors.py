"""An editor widget for each field type, chosen by :func:`make_editor`.

Every editor has the same small surface: ``value()`` returns the typed value
or raises :class:`~lga_desktop.registers.fields.FieldError` with the reason,
``set_value(v)`` shows one, and the ``edited`` signal fires as the officer
types, so the form can check as they go. Money and quantities are typed as
text (``1.2m``, ``£1,200``) and tidied when the field is left; nothing passes
through a ``float``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from lga_desktop.periods import FinancialYear, PeriodError, Quarter
from lga_desktop.registers.declaration import Field
from lga_desktop.registers.fields import (
    Choice,
    Date,
    FieldError,
    Link,
    LongText,
    Money,
    MultiChoice,
    Quantity,
    QuarterType,
    Reference,
    YearType,
    YesNo,
)
from lga_desktop.ui.date_input import DateInput
from lga_desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QWidget,
    Signal,
)

__all__ = ["make_editor", "inline_editable", "FieldEditor", "YEARS"]

# financial years offered by pickers: the programme's span, with room either side
YEARS = tuple(FinancialYear(y) for y in range(2008, 2036))
NONE_TEXT = "—"

LinkChoices = Callable[[], list[Link]]


def inline_editable(field: Field) -> bool:
    """Whether a table cell can be edited in place (long text and lists need the form)."""
    return not isinstance(field.type, LongText | MultiChoice | Reference)


class FieldEditor(QWidget):
    """Base of the editors that wrap more than one widget."""

    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def value(self) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def set_value(self, value: Any) -> None:  # pragma: no cover
        raise NotImplementedError


def _checked(field: Field, value: Any) -> Any:
    if value is not None:
        field.type.check(value)
    return value


class TextEditor(QLineEdit):
    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.textEdited.connect(lambda _t: self.edited.emit())
        if field.type.numeric:
            self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.editingFinished.connect(self._tidy)
        if isinstance(field.type, Money):
            self.setPlaceholderText("£0.00")
        elif isinstance(field.type, Quantity) and field.type.unit:
            self.setPlaceholderText(field.type.unit)

    def value(self) -> Any:
        return _checked(self.field, self.field.type.coerce(self.text()))

    def set_value(self, value: Any) -> None:
        self.setText(self.field.type.display(value) if self.field.type.numeric else (value or ""))

    def _tidy(self) -> None:
        """Show what was understood: ``1.2m`` becomes ``£1,200,000.00`` when the field is left."""
        try:
            value = self.field.type.coerce(self.text())
        except FieldError:
            return
        tidy = self.field.type.display(value)
        if tidy != self.text():
            self.setText(tidy)


class LongTextEditor(QPlainTextEdit):
    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.textChanged.connect(self.edited.emit)

    def value(self) -> Any:
        return _checked(self.field, self.field.type.coerce(self.toPlainText()))

    def set_value(self, value: Any) -> None:
        self.setPlainText(value or "")


class DateEditor(FieldEditor):
    """A date typed as officers write it (see :class:`DateInput`); empty is "no date"."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = DateInput(self, optional=not field.required)
        self.edit.line.setAccessibleName(field.label)
        self.edit.edited.connect(self.edited.emit)
        self.layout().addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)
        self.clear_button = self.edit.clear_button

    def set_hint(self, hint: Callable[[], date | None]) -> None:
        """Where the calendar opens when the field is empty (a date inside the record's period)."""
        self.edit.hint = hint

    def value(self) -> date | None:
        try:
            typed = self.edit.date()
        except PeriodError as exc:
            raise FieldError(str(exc)) from None
        return None if typed is None else _checked(self.field, self.field.type.coerce(typed))

    def set_value(self, value: date | None) -> None:
        self.edit.set_date(value)


class ChoiceEditor(QComboBox):
    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        assert isinstance(field.type, Choice)
        if not field.required:
            self.addItem(NONE_TEXT, None)
        for key, label in field.type.options:
            self.addItem(label, key)
        self.activated.connect(lambda _i: self.edited.emit())

    def value(self) -> str | None:
        return self.currentData() if self.currentIndex() >= 0 else None

    def set_value(self, value: str | None) -> None:
        self.setCurrentIndex(
            self.findData(value) if value is not None or not self.field.required else -1
        )

    def set_options(self, options: tuple[tuple[str, str], ...]) -> None:
        """Offer only ``options`` (plus the current choice, so a wrong one stays visible)."""
        current = self.value()
        keys = [k for k, _ in options]
        if current is not None and current not in keys:
            options = (*options, (current, dict(self.field.type.options).get(current, current)))
        if [self.itemData(i) for i in range(self.count()) if self.itemData(i) is not None] == [
            k for k, _ in options
        ]:
            return
        self.blockSignals(True)
        self.clear()
        if not self.field.required:
            self.addItem(NONE_TEXT, None)
        for key, label in options:
            self.addItem(label, key)
        self.set_value(current)
        self.blockSignals(False)


class MultiChoiceEditor(QWidget):
    """Tick any number of a list (partners), laid out in two columns."""

    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        assert isinstance(field.type, MultiChoice)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        options = field.type.options
        half = (len(options) + 1) // 2
        for i, (key, label) in enumerate(options):
            box = QCheckBox(label, self)
            box.toggled.connect(lambda _b: self.edited.emit())
            grid.addWidget(box, i % half, i // half)
            self.boxes[key] = box
        self.setFocusProxy(next(iter(self.boxes.values())))

    def value(self) -> tuple[str, ...] | None:
        keys = tuple(k for k, box in self.boxes.items() if box.isChecked())
        return self.field.type.coerce(keys) if keys else None

    def set_value(self, value: tuple[str, ...] | None) -> None:
        chosen = set(value or ())
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(key in chosen)
            box.blockSignals(False)


class YearEditor(QComboBox):
    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.addItem(NONE_TEXT, None)
        for y in YEARS:
            self.addItem(str(y), y.start_year)
        self.activated.connect(lambda _i: self.edited.emit())

    def value(self) -> FinancialYear | None:
        start = self.currentData()
        return None if start is None else FinancialYear(start)

    def set_value(self, value: FinancialYear | None) -> None:
        self.setCurrentIndex(max(0, self.findData(None if value is None else value.start_year)))


class QuarterEditor(FieldEditor):
    """A year and a quarter picked side by side: ``2012/13`` ``Q2 Jul–Sep``."""

    QUARTER_NAMES = ("Q1 Apr–Jun", "Q2 Jul–Sep", "Q3 Oct–Dec", "Q4 Jan–Mar")

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.year = QComboBox(self)
        self.year.addItem(NONE_TEXT, None)
        for y in YEARS:
            self.year.addItem(str(y), y.start_year)
        self.quarter = QComboBox(self)
        for i, name in enumerate(self.QUARTER_NAMES, start=1):
            self.quarter.addItem(name, i)
        self.year.setAccessibleName(f"{field.label}: financial year")
        self.quarter.setAccessibleName(f"{field.label}: quarter")
        for combo in (self.year, self.quarter):
            combo.activated.connect(lambda _i: self.edited.emit())
            self.layout().addWidget(combo)
        self.setFocusProxy(self.year)

    def value(self) -> Quarter | None:
        start = self.year.currentData()
        return None if start is None else Quarter(start, self.quarter.currentData())

    def set_value(self, value: Quarter | None) -> None:
        if value is None:
            self.year.setCurrentIndex(0)
            self.quarter.setCurrentIndex(0)
            return
        self.year.setCurrentIndex(max(0, self.year.findData(value.start_year)))
        self.quarter.setCurrentIndex(value.q - 1)


class YesNoEditor(QCheckBox):
    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.toggled.connect(lambda _b: self.edited.emit())

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: bool | None) -> None:
        self.setChecked(bool(value))


class ReferenceEditor(QComboBox):
    """A record of another register, picked by its ref and name."""

    edited = Signal()

    def __init__(self, field: Field, choices: LinkChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        if not field.required:
            self.addItem(NONE_TEXT, None)
        self._links: dict[int, Link] = {}
        for link in choices():
            self._links[link.id] = link  # type: ignore[index]
            self.addItem(str(link), link.id)
        self.activated.connect(lambda _i: self.edited.emit())

    def value(self) -> Link | None:
        record_id = self.currentData() if self.currentIndex() >= 0 else None
        return None if record_id is None else self._links[record_id]

    def set_value(self, value: Link | None) -> None:
        self.setCurrentIndex(self.findData(None if value is None else value.id))


def make_editor(
    field: Field,
    *,
    link_choices: LinkChoices | None = None,
    compact: bool = False,
    parent: QWidget | None = None,
) -> QWidget:
    """The editor that fits the field's type; ``compact`` for a table cell."""
    t = field.type
    if isinstance(t, LongText):
        return TextEditor(field, parent) if compact else LongTextEditor(field, parent)
    if isinstance(t, Date):
        return DateEditor(field, parent)
    if isinstance(t, MultiChoice):
        return MultiChoiceEditor(field, parent)
    if isinstance(t, Choice):
        return ChoiceEditor(field, parent)
    if isinstance(t, QuarterType):
        return QuarterEditor(field, parent)
    if isinstance(t, YearType):
        return YearEditor(field, parent)
    if isinstance(t, YesNo):
        return YesNoEditor(field, parent)
    if isinstance(t, Reference):
        return ReferenceEditor(field, link_choices or list, parent)
    return TextEditor(field, parent)  # text, money, quantities
