"""Progress and cancelling for long work, without Qt.

Long core operations (imports, exports, consolidation, PDFs) take a
:class:`Progress` and call :meth:`Progress.update` now and then. The window
passes one whose ``cancel()`` is wired to the progress dialog's button; the next
``update`` raises :class:`Cancelled`, the operation's transaction rolls back,
and the workspace is exactly as it was. The CLI and tests pass nothing
(:data:`NO_PROGRESS`) or a callback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from lga_desktop.errors import LgaError

__all__ = ["Cancelled", "Progress", "NO_PROGRESS"]


class Cancelled(LgaError):
    """The user stopped the operation; nothing it would have changed was changed."""

    def __init__(self, message: str = "stopped; nothing was changed") -> None:
        super().__init__(message)


class Progress:
    """Reports ``(done, total, message)`` to a callback and carries a cancel flag.

    ``total`` may be 0 when unknown. Thread-safe: ``cancel()`` may be called
    from the UI thread while the work runs on another.
    """

    def __init__(self, callback: Callable[[int, int, str], None] | None = None) -> None:
        self._callback = callback
        self._cancelled = threading.Event()

    def update(self, done: int, total: int = 0, message: str = "") -> None:
        if self._cancelled.is_set():
            raise Cancelled()
        if self._callback is not None:
            self._callback(done, total, message)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


NO_PROGRESS = Progress()
