"""Opening the consolidation window: from the command line, or from the council window's menu."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from lga_desktop.consolidation.demo import DemoProgramme, build_demo_programme
from lga_desktop.consolidation.store import PROGRAMME_SUFFIX
from lga_desktop.progress import Progress
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.programme.window import ProgrammeWindow, open_programme
from lga_desktop.ui.qt import QApplication, QSettings, Qt, QWidget
from lga_desktop.ui.tasks import run_task, show_error

__all__ = [
    "ask_programme_path",
    "fresh_demo_folder",
    "open_programme_window",
    "open_demo_programme_window",
]

DEMO_FOLDER = "lga-desktop-programme-demo"


def fresh_demo_folder() -> Path:
    """Where ``--programme-demo`` builds its councils and programme: made anew on every launch."""
    folder = Path(tempfile.gettempdir()) / DEMO_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ask_programme_path(parent: QWidget | None, start: Path) -> str:
    chosen, _ = file_dialogs.get_open_file_name(
        parent,
        "Open programme (LGA)",
        str(start),
        f"Programme files (*{PROGRAMME_SUFFIX});;All files (*)",
    )
    return chosen


def open_programme_window(
    path: Path | str, settings: QSettings, parent: QWidget | None = None
) -> ProgrammeWindow | None:
    """Show a consolidation window on a programme file; None (having said why) if it cannot open."""
    programme = open_programme(parent, path)
    if programme is None:
        return None
    window = ProgrammeWindow(programme, settings, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window


def open_demo_programme_window(
    settings: QSettings,
    on_window: Callable[[ProgrammeWindow], None],
    *,
    on_gave_up: Callable[[bool], None] | None = None,
    parent: QWidget | None = None,
) -> None:
    """Build the demo programme (real councils' signed returns, ~10 s) with a progress
    dialog, then show the consolidation window on it and hand it to ``on_window``.

    ``on_gave_up(failed)`` runs instead when there is no window: the user cancelled
    (``False``), or building or opening it failed, the reason shown (``True``).
    """
    app = QApplication.instance()
    # no window is open yet: closing the progress dialog must not end the program
    quit_on_close = app.quitOnLastWindowClosed() if app is not None else True
    if app is not None:
        app.setQuitOnLastWindowClosed(False)

    def gave_up(failed: bool) -> None:
        if app is not None:
            app.setQuitOnLastWindowClosed(quit_on_close)
        if on_gave_up:
            on_gave_up(failed)

    def work(progress: Progress) -> DemoProgramme:
        return build_demo_programme(fresh_demo_folder(), progress=progress)

    def done(demo: DemoProgramme) -> None:
        window = open_programme_window(demo.path, settings, parent)
        if window is None:
            gave_up(True)
            return
        if app is not None:
            app.setQuitOnLastWindowClosed(quit_on_close)
        on_window(window)

    def failed(exc: BaseException) -> None:
        show_error(parent, "Demo programme", exc)
        gave_up(True)

    run_task(
        parent,
        "Building the demo programme",
        work,
        done,
        on_error=failed,
        on_cancel=lambda: gave_up(False),
    )
