"""The self-test's GUI step: Qt starts, and the main window and every page build.

Listed in :data:`lga_desktop.selftest.STEPS` as ``main-window``. It proves the
bundle carries the Qt libraries and a platform plugin, and that each page can
be built on a real workspace. The window is built and painted into a pixmap,
never shown, so nothing flashes on an officer's screen; with no screen at all
(CI, a server) Qt runs offscreen.
"""

from __future__ import annotations

import os
import sys

from lga_desktop.selftest import SelfTestContext, expect

_APP = None  # the QApplication this step made, kept alive for the process


def _application():
    from lga_desktop.ui.qt import QApplication

    global _APP
    app = QApplication.instance()
    if app is None:
        no_screen = sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        )
        if no_screen:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = _APP = QApplication(["lga-desktop"])
    return app


def build_main_window(ctx: SelfTestContext) -> str:
    from lga_desktop.ui.context import AppContext
    from lga_desktop.ui.pages import pages
    from lga_desktop.ui.qt import QMainWindow, QStackedWidget
    from lga_desktop.workspace import Workspace

    app = _application()
    ws = Workspace.open(ctx.workspace_path)
    try:
        context = AppContext(ws)
        # TODO(lead): build lga_desktop.ui.main_window's window here once it lands
        window = QMainWindow()
        stack = QStackedWidget()
        built = []
        for key, _title, factory in pages():
            stack.addWidget(factory(context))
            built.append(key)
        window.setCentralWidget(stack)
        window.resize(1000, 700)
        picture = window.grab()
        expect(not picture.isNull(), "the window could not be painted")
        window.deleteLater()
        context.deleteLater()
        app.processEvents()
    finally:
        ws.close()
    return f"{app.platformName()}; {len(built)} pages built (a plain QMainWindow)"
