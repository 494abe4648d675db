"""What the consolidation window's pages share: the open programme and its changes."""

from __future__ import annotations

from lga_desktop.consolidation.store import Programme
from lga_desktop.ui.qt import QObject, Signal

__all__ = ["ProgrammeContext"]


class ProgrammeContext(QObject):
    """The open programme (read on the UI thread) and a signal for every change to it.

    Work that writes opens its own connection (``programme.reopen()``) on the
    worker thread; once it has committed, ``notify()`` tells every page, and
    each refreshes from this connection (WAL: it sees the commit at once).
    """

    changed = Signal()

    def __init__(self, programme: Programme, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.programme = programme

    def notify(self) -> None:
        self.changed.emit()
