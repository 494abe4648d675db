"""Background work with a cancellable progress dialog (house rule 4).

``run_task(parent, title, fn, on_success)`` runs ``fn(progress)`` on a worker
thread and shows a progress dialog after a short delay; ``fn`` is a core
function that calls ``progress.update(done, total, message)``. Cancel sets the
flag, the core raises :class:`~lga_desktop.progress.Cancelled` at its next
update, its transaction rolls back, and ``on_cancel`` (if given) runs. Results
and errors come back to the UI thread through signals; an
:class:`~lga_desktop.errors.LgaError` is shown in words, anything else as a
short message with the details folded away. Never a bare traceback.

Read every widget *before* calling ``run_task`` and hand plain data to ``fn``:
``fn`` must not touch Qt. A background write opens its own connection
(``workspace.reopen()``), so the window's connection keeps reading.

Tests swap :data:`RUNNER` for :class:`ImmediateRunner` to run tasks inline.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from lga_desktop.errors import LgaError
from lga_desktop.progress import Cancelled, Progress
from lga_desktop.ui.qt import (
    QMessageBox,
    QObject,
    QProgressDialog,
    QRunnable,
    Qt,
    QThreadPool,
    QWidget,
    Signal,
)

__all__ = ["run_task", "Task", "ImmediateRunner", "show_error"]


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    cancelled = Signal()


class Task(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.progress = Progress(self.signals.progressed.emit)
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as exc:  # reported on the UI thread, never swallowed
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.succeeded.emit(result)


class _ThreadPoolRunner:
    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)  # one writer at a time, like Anki's taskman

    def start(self, task: Task) -> None:
        self.pool.start(task)


class ImmediateRunner:
    """Runs each task on the calling thread (tests)."""

    def start(self, task: Task) -> None:
        task.run()


RUNNER: _ThreadPoolRunner | ImmediateRunner | None = None
_RUNNING: set[Task] = set()


def _runner() -> _ThreadPoolRunner | ImmediateRunner:
    global RUNNER
    if RUNNER is None:
        RUNNER = _ThreadPoolRunner()
    return RUNNER


def show_error(parent: QWidget | None, title: str, exc: BaseException, details: str = "") -> None:
    """An error in words: the message for an LgaError, a short note otherwise."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    if isinstance(exc, LgaError):
        box.setText(str(exc))
    else:
        box.setText(
            f"Something went wrong that lga-desktop did not expect: {exc}.\n"
            "Nothing was changed. Please send the details below to the LGA support team."
        )
        if details:
            box.setDetailedText(details)
    box.exec()


def run_task(
    parent: QWidget | None,
    title: str,
    fn: Callable[[Progress], Any],
    on_success: Callable[[Any], None] | None = None,
    *,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    cancellable: bool = True,
) -> Task:
    """Run ``fn(progress)`` off the UI thread with a progress dialog."""
    task = Task(fn)
    dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(200)  # quick work never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(task.progress.cancel)

    def progressed(done: int, total: int, message: str) -> None:
        if total:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        if message:
            dialog.setLabelText(message)

    def finish() -> None:
        dialog.canceled.disconnect(task.progress.cancel)
        dialog.close()
        dialog.deleteLater()
        _RUNNING.discard(task)

    def succeeded(result: Any) -> None:
        finish()
        if on_success:
            on_success(result)

    def failed(exc: BaseException, details: str) -> None:
        finish()
        if on_error:
            on_error(exc)
        else:
            show_error(parent, title, exc, details)

    def cancelled() -> None:
        finish()
        if on_cancel:
            on_cancel()

    task.signals.progressed.connect(progressed)
    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(cancelled)
    _RUNNING.add(task)
    _runner().start(task)
    return task
