"""Help > User guide: the guide shipped in ``resources/guide``, read offline (see :mod:`.help`)."""

from __future__ import annotations

from lga_desktop import APP_NAME
from lga_desktop.resources import resource
from lga_desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QTextDocument,
    QVBoxLayout,
    QWidget,
)

__all__ = ["UserGuide"]

GUIDE = "guide/user-guide.md"


class UserGuide(QDialog):
    """The user guide, read from the program's own files: no network needed."""

    def __init__(self, parent: QWidget | None = None, *, section: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle(f"{APP_NAME} user guide")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guideText")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(resource(GUIDE).read_text(encoding="utf-8"))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(760, screen.width() - 40), min(820, screen.height() - 60))
        if section:
            self.show_section(section)

    def show_section(self, heading: str) -> bool:
        """Scroll to the heading with these words; False if the guide has none."""
        self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
        found = self.browser.find(heading, QTextDocument.FindFlag.FindCaseSensitively)
        if found:  # scrolled to the end first, the heading then comes in at the top
            bar = self.browser.verticalScrollBar()
            bar.setValue(bar.maximum())
            self.browser.ensureCursorVisible()
        return found
