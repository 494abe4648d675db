"""Reading a PDF in the window: the printed return, page by page, with zoom and Print.

Pages are drawn by PDFium through pypdfium2 (about 8 MB), imported the first
time a PDF is shown, never at start-up. Qt's own viewer (``QPdfView``) was
the other candidate; the PySide6 6.12 wheels do not carry QtPdf at all
(neither Essentials, nor Addons, nor WebEngine), and older Addons wheels
brought it only with the whole 160 MB of Addons (see docs/architecture.md).

Print goes through Qt's print dialog (QtPrintSupport, also loaded on first
use): each page is drawn at the printer's resolution, so the paper copy is as
sharp as the PDF. "Open in PDF reader" hands the file to the system's reader
instead (on Linux the bundle carries no CUPS, so that is how it prints there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lga_desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QImage,
    QKeySequence,
    QLabel,
    QPixmap,
    QPushButton,
    QScrollArea,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "PdfViewer",
    "PdfViewerDialog",
    "choose_printer",
    "open_in_reader",
    "page_image",
    "print_pdf",
]

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
FIT_WIDTH = "Fit width"


def _document(data: bytes) -> Any:
    import pypdfium2

    return pypdfium2.PdfDocument(data)


def page_image(document: Any, index: int, scale: float) -> QImage:
    """Page ``index`` drawn at ``scale`` pixels per point, as a QImage that owns its pixels."""
    import pypdfium2.raw as pdfium_c

    bitmap = document[index].render(
        scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_BGRA, may_draw_forms=True
    )
    # BGRA in memory is Qt's ARGB32 on little-endian machines (x86, ARM: Windows, macOS, Linux)
    image = QImage(
        bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_ARGB32
    )
    return image.copy()  # the bitmap's memory goes with it


def choose_printer(parent: QWidget | None, title: str) -> Any:
    """The printer the officer picks in Qt's print dialog, or None if they cancel.

    Where Qt sees no printer at all (the Linux bundle leaves CUPS out), it
    says so and offers the system's PDF reader instead, which prints.
    """
    from lga_desktop.ui.qt import QMessageBox, QPrintDialog, QPrinter, QPrinterInfo

    if not QPrinterInfo.availablePrinterNames():
        QMessageBox.information(
            parent,
            "Print",
            "lga-desktop sees no printer on this computer. Use Open in PDF reader, and "
            "print from there; or print to a PDF file in the next window.",
        )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def print_pdf(data: bytes, printer: Any) -> int:
    """Print the pages of ``data`` (all, or the range chosen) on ``printer``; how many printed."""
    from lga_desktop.ui.qt import QPainter

    document = _document(data)
    first, last = printer.fromPage(), printer.toPage()
    pages = range(first - 1, min(last, len(document))) if first and last else range(len(document))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = min(printer.resolution(), 300)
        for n, index in enumerate(pages):
            if n:
                printer.newPage()
            image = page_image(document, index, dpi / 72)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(area.x(), area.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
    finally:
        painter.end()
        document.close()
    return len(pages)


def open_in_reader(data: bytes, name: str) -> Path:
    """Hand the PDF to the system's PDF reader (a copy in the temporary folder); its path."""
    import tempfile

    from lga_desktop.atomic_write import write_bytes
    from lga_desktop.ui.qt import QDesktopServices, QUrl

    folder = Path(tempfile.gettempdir()) / "lga-desktop"
    folder.mkdir(exist_ok=True)
    safe = "".join(c for c in name if c.isalnum() or c in " -_().") or "return"
    path = folder / f"{safe}.pdf"
    write_bytes(path, data, what="The PDF")
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


class PdfViewer(QWidget):
    """One page at a time: Previous / Next (Page Up / Page Down), zoom, Print."""

    def __init__(self, parent: QWidget | None = None, *, print_text: str = "Print…") -> None:
        super().__init__(parent)
        self.setObjectName("pdfViewer")
        self.data = b""
        self.title = ""
        self.document: Any = None
        # the open document also sits here, so that when Qt deletes the widget the
        # document is closed by a slot that does not keep the widget alive
        opened: list = []
        self._opened = opened
        self.destroyed.connect(lambda *_: [d.close() for d in opened])
        self.index = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.previous_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.page_label = QLabel()
        self.zoom = QComboBox()
        self.zoom.addItem(FIT_WIDTH, 0.0)
        for z in ZOOMS:
            self.zoom.addItem(f"{z:.0%}", z)
        self.zoom.setToolTip("Zoom (Ctrl++ and Ctrl+-)")
        self.zoom_out_button = QPushButton("−")
        self.zoom_in_button = QPushButton("+")
        for b, tip in ((self.zoom_out_button, "Zoom out"), (self.zoom_in_button, "Zoom in")):
            b.setToolTip(tip)
            b.setFixedWidth(32)
        self.print_button = QPushButton(print_text)
        self.reader_button = QPushButton("Open in PDF reader")
        self.reader_button.setToolTip("Open the PDF in the computer's own PDF reader")
        self.reader_button.clicked.connect(lambda: open_in_reader(self.data, self.title))
        self.previous_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        self.zoom.currentIndexChanged.connect(lambda *_: self._draw())
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(1))
        self.print_button.clicked.connect(self.print_document)
        for w in (self.previous_button, self.next_button, self.page_label):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (
            self.zoom_out_button,
            self.zoom,
            self.zoom_in_button,
            self.print_button,
            self.reader_button,
        ):
            bar.addWidget(w)
        layout.addLayout(bar)
        self.page = QLabel("Loading…")
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setStyleSheet("QScrollArea { background: #8a939c; }")
        layout.addWidget(self.scroll, 1)
        for keys, slot in (
            (QKeySequence.StandardKey.MoveToNextPage, lambda: self.show_page(self.index + 1)),
            (QKeySequence.StandardKey.MoveToPreviousPage, lambda: self.show_page(self.index - 1)),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    # ---- the document ------------------------------------------------------------

    def set_pdf(self, data: bytes, title: str = "") -> None:
        self._close()
        self.data, self.title = data, title
        self.document = _document(data)
        self._opened.append(self.document)
        self.index = 0
        self.show_page(0)

    def _close(self) -> None:
        if self.document is not None:
            self.document.close()  # PDFium's memory, now rather than at exit
            self._opened.remove(self.document)
            self.document = None

    def clear(self, message: str = "") -> None:
        self._close()
        self.data, self.index = b"", 0
        self.page.setPixmap(QPixmap())
        self.page.setText(message)
        self._update_buttons()

    @property
    def page_count(self) -> int:
        return len(self.document) if self.document is not None else 0

    def show_page(self, index: int) -> None:
        if not self.page_count:
            return
        self.index = max(0, min(index, self.page_count - 1))
        self._draw()
        self.scroll.verticalScrollBar().setValue(0)

    def scale(self) -> float:
        """Pixels per point: the chosen zoom, or what fits the page to the view's width."""
        chosen = self.zoom.currentData() or 0.0
        screen = self.logicalDpiX() / 72
        if chosen:
            return chosen * screen
        width_pt = self.document[self.index].get_width() if self.document is not None else 595
        room = self.scroll.width() - self.scroll.verticalScrollBar().sizeHint().width() - 28
        return max(0.25, room / width_pt)

    def step_zoom(self, step: int) -> None:
        current = self.zoom.currentIndex()
        if current == 0:  # from "fit width", step from the nearest fixed zoom
            fit = self.scale() / (self.logicalDpiX() / 72)
            current = 1 + min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - fit))
        self.zoom.setCurrentIndex(max(1, min(len(ZOOMS), current + step)))

    def _draw(self) -> None:
        if self.document is None:
            return
        ratio = self.devicePixelRatioF() or 1.0
        image = page_image(self.document, self.index, self.scale() * ratio)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page.setPixmap(pixmap)
        self._update_buttons()

    def _update_buttons(self) -> None:
        n = self.page_count
        self.page_label.setText(f"Page {self.index + 1} of {n}" if n else "")
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < n - 1)
        for w in (
            self.zoom,
            self.zoom_in_button,
            self.zoom_out_button,
            self.print_button,
            self.reader_button,
        ):
            w.setEnabled(bool(n))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._close()
        super().closeEvent(event)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.document is not None and self.zoom.currentIndex() == 0:
            self._draw()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.document is not None:
            self._draw()

    # ---- printing ------------------------------------------------------------------

    def ask_printer(self) -> Any:
        """The printer chosen in Qt's print dialog, or None (tests replace this)."""
        return choose_printer(self, self.title)

    def print_document(self) -> int:
        if not self.data:
            return 0
        printer = self.ask_printer()
        return print_pdf(self.data, printer) if printer is not None else 0


class PdfViewerDialog(QDialog):
    """A signed return's PDF in a window of its own, with Print and Save PDF as…."""

    def __init__(self, parent: QWidget | None, data: bytes, title: str, save=None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfViewerDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.viewer = PdfViewer(self)
        layout.addWidget(self.viewer, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        if save is not None:
            self.save_button = buttons.addButton(
                "Save PDF as…", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.save_button.clicked.connect(save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 760)
        self.viewer.set_pdf(data, title)

    def done(self, result: int) -> None:
        self.viewer.clear()
        super().done(result)
