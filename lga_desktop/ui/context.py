"""What every page of the main window shares: the open workspace and its changes.

Pages never talk to each other. A page that changes data calls
``context.notify("spend", ...)``; every page listens to :attr:`AppContext.changed`
and decides for itself whether to refresh (Anki's "changes" hook).
"""

from __future__ import annotations

from lga_desktop.returns.changes import SignedWatch
from lga_desktop.returns.history import ReturnRecord
from lga_desktop.ui.qt import QObject, QUndoGroup, QUndoStack, Signal
from lga_desktop.workspace import Workspace


class AppContext(QObject):
    changed = Signal(object)  # frozenset of feature keys (or "*" for everything)
    # signed returns that a change has just made differ from what was signed (list)
    correction_due = Signal(object)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        # One undo stack per page of the window, so that Undo on the Savings page never
        # undoes a change made on Expert support; the group follows the page shown.
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[str, QUndoStack] = {}
        self.page_key = ""  # the page being built or shown (set by the window)
        # the latest signed return of each quarter whose figures changed since it was signed
        self.signed_watch = SignedWatch(workspace)
        # Inside the main window, Edit > Undo / Redo own Ctrl+Z and Ctrl+Shift+Z for
        # the whole window; a page's own undo buttons must then carry no shortcut,
        # or Qt finds two actions for one key and fires neither.
        self.window_owns_undo_keys = False

    def stack(self, page_key: str) -> QUndoStack:
        """The undo stack of one page (made on first use)."""
        if page_key not in self._stacks:
            stack = QUndoStack(self)
            self._stacks[page_key] = stack
            self.undo_group.addStack(stack)
            if self.undo_group.activeStack() is None:
                self.undo_group.setActiveStack(stack)
        return self._stacks[page_key]

    @property
    def undo_stack(self) -> QUndoStack:
        """The undo stack of the page being built or shown: a page keeps the one it was built with."""
        return self.stack(self.page_key)

    def show_page(self, page_key: str) -> None:
        """The window shows this page: Edit > Undo now undoes what was done on it."""
        self.page_key = page_key
        self.undo_group.setActiveStack(self.stack(page_key))

    def clear_undo(self) -> None:
        """Forget every page's undo history (the workspace changed under it: a restore)."""
        for stack in self._stacks.values():
            stack.clear()
    @property
    def changed_since_signed(self) -> list[ReturnRecord]:
        return self.signed_watch.changed

    def notify(self, *what: str) -> None:
        keys = frozenset(what or ("*",))
        news = self.signed_watch.update(keys)
        self.changed.emit(keys)
        if news:
            self.correction_due.emit(news)
