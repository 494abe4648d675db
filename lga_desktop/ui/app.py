"""Starting the window: which workspace to open, and the first-run wizard."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lga_desktop import APP_NAME, ORGANISATION
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.qt import QApplication, QDialog, QSettings, QTimer, QWidget
from lga_desktop.ui.tasks import show_error
from lga_desktop.workspace import WORKSPACE_SUFFIX, Workspace, default_workspace_dir

if TYPE_CHECKING:
    from lga_desktop.ui.wizard import SetupAnswer

EXIT_GAVE_UP = 2  # no programme could be opened (the reason was shown): as a usage error


ICON_SIZES = (16, 32, 48, 64, 128, 256)


def app_icon():
    """The program's icon (resources/icons), for every window and the task bar."""
    from lga_desktop.resources import resource
    from lga_desktop.ui.qt import QIcon

    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource(f"icons/lga-desktop-{size}.png")))
    return icon


def _open_demo() -> Workspace:
    from lga_desktop.demo import create_demo_workspace, fresh_demo_path

    return create_demo_workspace(fresh_demo_path())


def workspace_from_answer(answer: SetupAnswer, parent=None) -> Workspace | None:
    """Carry out the wizard's answer; None when the user backed out of a file dialog."""
    from lga_desktop.ui.wizard import START_DEMO, START_OPEN

    if answer.choice == START_DEMO:
        return _open_demo()
    if answer.choice == START_OPEN:
        chosen, _ = file_dialogs.get_open_file_name(
            parent,
            "Open workspace",
            str(default_workspace_dir()),
            f"Workspaces (*{WORKSPACE_SUFFIX});;All files (*)",
        )
        return Workspace.open(chosen) if chosen else None
    assert answer.council is not None and answer.path is not None
    return Workspace.create(answer.path, answer.council.gss, answer.officer)


def choose_workspace(settings: QSettings, parent=None) -> Workspace | None:
    """Run the first-run wizard until the user has a workspace or gives up."""
    from lga_desktop.ui.wizard import SetupWizard  # only the first run needs it

    wizard = SetupWizard(parent, default_dir=default_workspace_dir())
    while wizard.exec() == QDialog.DialogCode.Accepted:
        try:
            workspace = workspace_from_answer(wizard.answer(), parent)
        except Exception as exc:
            show_error(parent, "Set up lga-desktop", exc)
            workspace = None
        if workspace is not None:
            return workspace
        wizard.restart()
    return None


def freeze_startup_objects() -> None:
    """Keep the garbage collector's full passes off what lives as long as the window.

    A full pass walks every tracked object while holding the GIL; on the worker
    thread mid-import each one held up the window for 50-65 ms, enough with the
    window's own work to pass 100 ms on a 450,000-line file
    (``benchmarks/ui_responsiveness.py``). Modules, Qt wrappers and the first
    page, alive from start-up to exit, are moved out of the collector's sight
    (``gc.freeze``); the passes then take 15-35 ms.

    The collector is off until then: everything start-up builds lives until exit.
    """
    gc.collect()
    gc.freeze()
    gc.enable()  # off during start-up (lga_desktop.cli._run_gui)


def _shown(window: QWidget, quit_after_show: bool) -> None:
    """Once the first window is up: the benchmarks' signal, then the collector's freeze."""
    if quit_after_show:
        # benchmarks time the process from its start to this line, once the loop has painted
        def report() -> None:
            print("window shown", flush=True)
            window.close()

        QTimer.singleShot(0, report)
    QTimer.singleShot(0, freeze_startup_objects)  # once the window is up, not before


def run_programme(
    app: QApplication, settings: QSettings, path: str | None, *, demo: bool, quit_after_show: bool
) -> int:
    """The consolidation window (LGA staff) on a programme file, or on the demo programme."""
    from lga_desktop.ui.programme.start import open_demo_programme_window, open_programme_window

    if demo:
        open_demo_programme_window(
            settings,
            lambda window: _shown(window, quit_after_show),
            on_gave_up=lambda failed: app.exit(EXIT_GAVE_UP if failed else 0),
        )
        return app.exec()
    assert path is not None
    window = open_programme_window(path, settings)
    if window is None:
        return EXIT_GAVE_UP
    _shown(window, quit_after_show)
    return app.exec()


def run(
    *,
    demo: bool = False,
    workspace: str | None = None,
    programme: str | None = None,
    programme_demo: bool = False,
    quit_after_show: bool = False,
    check_return: str | None = None,
) -> int:
    """Open the main window (or, for LGA staff, the consolidation window); the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(APP_NAME)  # Wayland matches the window to lga-desktop.desktop
    settings = QSettings()
    if programme is not None or programme_demo:
        return run_programme(
            app, settings, programme, demo=programme_demo, quit_after_show=quit_after_show
        )

    from lga_desktop.ui.main_window import MainWindow, open_or_offer_restore, recent_workspaces

    ws: Workspace | None = None
    if demo:
        try:
            ws = _open_demo()
        except Exception as exc:
            show_error(None, APP_NAME, exc)
    elif workspace or recent_workspaces(settings):
        ws = open_or_offer_restore(None, Path(workspace or recent_workspaces(settings)[0]))
    if ws is None:
        ws = choose_workspace(settings)
        if ws is None:
            return 0
    if not ws.get_meta("demo"):
        ws.auto_backup()

    window: MainWindow

    def new_workspace() -> None:
        chosen = choose_workspace(settings, window)
        if chosen is not None:
            window.set_workspace(chosen)

    window = MainWindow(ws, settings, on_new_workspace=new_workspace)
    window.show()
    if check_return:  # a .lgareturn double-clicked: checked on the Returns page
        QTimer.singleShot(0, lambda: window.page("returns").check_file(Path(check_return)))
    _shown(window, quit_after_show)
    return app.exec()
