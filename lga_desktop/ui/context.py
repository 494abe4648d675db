"""What every page of the main window shares: the open workspace and its changes.

Pages never talk to each other. A page that changes data calls
``context.notify("spend", ...)``; every page listens to :attr:`AppContext.changed`
and decides for itself whether to refresh (Anki's "changes" hook).
"""

from __future__ import annotations

from lga_desktop.returns.changes import SignedWatch
from lga_desktop.returns.history import ReturnRecord
from lga_desktop.ui.qt import QObject, QUndoStack, Signal
from lga_desktop.workspace import Workspace


class AppContext(QObject):
    changed = Signal(object)  # frozenset of feature keys (or "*" for everything)
    # signed returns that a change has just made differ from what was signed (list)
    correction_due = Signal(object)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        # the latest signed return of each quarter whose figures changed since it was signed
        self.signed_watch = SignedWatch(workspace)
        self.undo_stack = QUndoStack(self)
        # Inside the main window, Edit > Undo / Redo own Ctrl+Z and Ctrl+Shift+Z for
        # the whole window; a page's own undo buttons must then carry no shortcut,
        # or Qt finds two actions for one key and fires neither.
        self.window_owns_undo_keys = False

    @property
    def changed_since_signed(self) -> list[ReturnRecord]:
        return self.signed_watch.changed

    def notify(self, *what: str) -> None:
        keys = frozenset(what or ("*",))
        news = self.signed_watch.update(keys)
        self.changed.emit(keys)
        if news:
            self.correction_due.emit(news)
