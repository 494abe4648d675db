"""The self-test's GUI steps: Qt starts, and each window and every page build.

Listed in :data:`lga_desktop.selftest.STEPS` as ``main-window`` and
``programme-window``. It proves the
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
    from lga_desktop.ui.main_window import MainWindow
    from lga_desktop.ui.pages import pages
    from lga_desktop.ui.qt import QSettings
    from lga_desktop.workspace import Workspace

    app = _application()
    # settings in the scratch folder: the self-test must not touch the officer's
    # recent-workspace list or window position
    settings = QSettings(str(ctx.folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Workspace.open(ctx.workspace_path), settings)
    try:
        keys = [key for key, _title, _factory in pages()]
        for key in keys:
            window.page(key)  # builds the page on the self-test workspace
        picture = window.grab()
        expect(not picture.isNull(), "the window could not be painted")
        title = window.windowTitle()
        expect("Oxford City Council" in title, f"the window is titled {title!r}")
    finally:
        window.close()  # closes the workspace too
        window.deleteLater()
        app.processEvents()
    return f"Qt {_qt_version()} on {app.platformName()}; {len(keys)} pages built"


def build_programme_window(ctx: SelfTestContext) -> str:
    """The consolidation window on the programme the ``consolidate`` step made."""
    from lga_desktop.consolidation.store import Programme
    from lga_desktop.ui.programme.window import PAGES, ProgrammeWindow
    from lga_desktop.ui.qt import QSettings

    path = ctx.folder / "self-test.lgaprog"
    expect(path.exists(), "no programme to open (the consolidate step failed)")
    app = _application()
    settings = QSettings(str(ctx.folder / "settings.ini"), QSettings.Format.IniFormat)
    window = ProgrammeWindow(Programme.open(path), settings)
    try:
        for row in range(len(PAGES)):
            window.show_page(row)  # builds each page on the programme
        expect(not window.grab().isNull(), "the consolidation window could not be painted")
        status = window.counts_label.text()
        expect("1 return counting" in status, f"the window says {status!r}")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return f"{len(PAGES)} pages built; {status}"


def view_signed_return(ctx: SelfTestContext) -> str:
    """The signed return's PDF drawn by PDFium in the viewer, as Open on the Returns page does."""
    import zipfile

    from lga_desktop.ui.pdf_viewer import PdfViewer
    from lga_desktop.ui.qt import QPrinter

    path = ctx.shared.get("signed_return")
    expect(path is not None, "no signed return to view (the signed-return step failed)")
    with zipfile.ZipFile(path) as z:
        pdf = z.read("return.pdf")
    _application()
    viewer = PdfViewer()
    try:
        viewer.resize(800, 600)
        viewer.set_pdf(pdf, "self-test")
        expect(viewer.page_count > 1, f"the viewer found {viewer.page_count} pages")
        picture = viewer.page.pixmap()
        expect(not picture.isNull() and picture.width() > 100, "page 1 was not drawn")
        printer = QPrinter()  # Qt's printing, to a PDF file: proves QtPrintSupport is there
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(ctx.folder / "printed.pdf"))
        printer.setFromTo(1, 1)
        viewer.ask_printer = lambda: printer
        expect(viewer.print_document() == 1, "page 1 did not print")
        pages = viewer.page_count
    finally:
        viewer.clear()
        viewer.deleteLater()
    return f"{pages} pages; page 1 drawn {picture.width()}x{picture.height()}"


def _qt_version() -> str:
    from lga_desktop.ui.qt import qVersion

    return qVersion()
