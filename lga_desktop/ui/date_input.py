"""A date typed as officers write it, with a calendar beside it: every date field of the app.

``01/04/2012``, ``1/4/12`` and ``2012-04-01`` are all read (through
:func:`lga_desktop.periods.parse_date`, which never guesses an American order);
the text is tidied to ``01/04/2012`` when the field is left. An empty field
means "no date": there is no sentinel date. Up and Down step a day (Page Up and
Page Down a month), Alt+Down or F4 opens the calendar, which opens at the date
shown or, with none, at the ``hint`` (today, or a date inside the record's
period); the ✕ button or Ctrl+Backspace clears an optional date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from lga_desktop.periods import PeriodError, parse_date
from lga_desktop.ui.qt import (
    QCalendarWidget,
    QDate,
    QHBoxLayout,
    QKeyEvent,
    QLineEdit,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)

__all__ = ["DateInput", "read_typed_date"]

_SHORT_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")


def read_typed_date(text: str) -> date | None:
    """The date typed (``1/4/12`` is 1 April 2012), None for an empty field.

    Raises :class:`PeriodError` with the reason when the text is not a date.
    """
    s = text.strip()
    if not s:
        return None
    m = _SHORT_YEAR.match(s)
    if m:  # a two-figure year is this century's: officers write 1/4/12 for 2012
        s = f"{m[1]}/{m[2]}/20{m[3]}"
    return parse_date(s)


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class _Line(QLineEdit):
    """The text part: Up/Down step the date instead of moving the cursor."""

    def __init__(self, owner: DateInput) -> None:
        super().__init__(owner)
        self.owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if (key == Qt.Key.Key_Down and alt) or key == Qt.Key.Key_F4:
            self.owner.open_calendar()
            return
        steps = {
            Qt.Key.Key_Up: (1, 0),
            Qt.Key.Key_Down: (-1, 0),
            Qt.Key.Key_PageUp: (0, 1),
            Qt.Key.Key_PageDown: (0, -1),
        }
        if key in steps and not alt:
            self.owner.step(*steps[key])
            return
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Backspace and ctrl and self.owner.optional:
            self.owner.clear()
            return
        super().keyPressEvent(event)


class _CalendarPopup(QWidget):
    """The calendar shown under the field; Return or a click picks, Escape leaves it."""

    def __init__(self, owner: DateInput) -> None:
        super().__init__(owner, Qt.WindowType.Popup)
        self.owner = owner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("dateCalendar")
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.activated.connect(self._picked)
        self.calendar.clicked.connect(self._picked)
        layout.addWidget(self.calendar)

    def _picked(self, qd: QDate) -> None:
        self.hide()
        self.owner.set_date(date(qd.year(), qd.month(), qd.day()))
        self.owner.edited.emit()
        self.owner.line.setFocus()


class DateInput(QWidget):
    """A date field: ``date()`` is the date typed, None when empty; ``edited`` fires as typed."""

    edited = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        optional: bool = True,
        hint: Callable[[], date | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.hint = hint
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = _Line(self)
        self.line.setObjectName("dateText")
        self.line.setPlaceholderText("dd/mm/yyyy")
        self.line.setAccessibleName("Date, typed as dd/mm/yyyy")
        width = self.line.fontMetrics().horizontalAdvance("00/00/00000") + 24
        self.line.setMinimumWidth(width)
        self.line.setMaximumWidth(width + 60)
        self.line.textEdited.connect(lambda _t: self.edited.emit())
        self.line.editingFinished.connect(self._tidy)
        layout.addWidget(self.line, 1)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setObjectName("calendarButton")
        self.calendar_button.setText("▾")
        self.calendar_button.setToolTip("Pick from a calendar (Alt+Down)")
        self.calendar_button.setAccessibleName("Open the calendar")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.open_calendar)
        layout.addWidget(self.calendar_button)
        self.clear_button: QToolButton | None = None
        if optional:
            self.clear_button = QToolButton(self)
            self.clear_button.setObjectName("clearDateButton")
            self.clear_button.setText("✕")
            self.clear_button.setToolTip("No date (Ctrl+Backspace)")
            self.clear_button.setAccessibleName("Clear the date")
            self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.clear_button.clicked.connect(self.clear)
            layout.addWidget(self.clear_button)
        layout.addStretch(0)
        self.setFocusProxy(self.line)
        self.popup: _CalendarPopup | None = None

    # ---- the value -------------------------------------------------------------------
    def date(self) -> date | None:
        """The date typed, None for an empty field; raises PeriodError for other text."""
        return read_typed_date(self.line.text())

    def set_date(self, value: date | None) -> None:
        self.line.setText("" if value is None else f"{value:%d/%m/%Y}")

    def clear(self) -> None:
        if self.line.text():
            self.line.clear()
            self.edited.emit()

    def _tidy(self) -> None:
        try:
            value = self.date()
        except PeriodError:
            return
        if value is not None:
            self.set_date(value)

    def _start(self) -> date:
        """Where stepping and the calendar start: the date shown, else the hint, else today."""
        try:
            shown = self.date()
        except PeriodError:
            shown = None
        return shown or (self.hint() if self.hint else None) or date.today()

    # ---- keyboard ----------------------------------------------------------------------
    def step(self, days: int, months: int = 0) -> None:
        try:
            shown = self.date()
        except PeriodError:
            return  # leave text being typed alone
        if shown is None:
            self.set_date(self._start())
        else:
            self.set_date(_add_months(shown, months) + timedelta(days=days))
        self.edited.emit()

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = _CalendarPopup(self)
        start = self._start()
        qd = QDate(start.year, start.month, start.day)
        self.popup.calendar.setSelectedDate(qd)
        self.popup.calendar.setCurrentPage(start.year, start.month)
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        self.popup.calendar.setFocus()
