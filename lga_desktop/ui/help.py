"""Help: the user guide shipped in ``resources/guide`` (shown offline) and who to contact.

Both windows build their Help menu here: **User guide** (F1) opens the guide
in a window of its own, at the part that fits the window (the LGA's window
opens it at "The LGA side"); **About** adds the support contact from
``resources/support.json``.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape

from lga_desktop import APP_NAME
from lga_desktop.resources import resource
from lga_desktop.ui.qt import (
    QAction,
    QDialog,
    QDialogButtonBox,
    QKeySequence,
    QMainWindow,
    Qt,
    QTextBrowser,
    QTextDocument,
    QVBoxLayout,
    QWidget,
)

__all__ = ["UserGuide", "add_help_menu", "support_html", "support_contact"]

GUIDE = "guide/user-guide.md"


@cache
def support_contact() -> dict[str, str]:
    """The support team's name, e-mail and hours (``resources/support.json``)."""
    data = json.loads(resource("support.json").read_text(encoding="utf-8"))
    return {k: str(v) for k, v in data.items() if not k.startswith("_")}


def support_html() -> str:
    c = support_contact()
    email = escape(c.get("email", ""))
    return (
        f"<p><b>Help and support</b>: {escape(c.get('team', ''))}, "
        f"<a href='mailto:{email}'>{email}</a>"
        + (f" ({escape(c['hours'])})" if c.get("hours") else "")
        + ". Please quote the version, and for a return its hash.</p>"
    )


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


def add_help_menu(window: QMainWindow, *, section: str = "") -> None:
    """Help > User guide (F1) and Help > About, for either window."""
    from lga_desktop.ui.about import show_about

    menu = window.menuBar().addMenu("&Help")

    def _about(window: QWidget) -> None:
        # a window that knows more (the council's: the LGA's contact from its pack) says it
        (getattr(window, "show_about", None) or (lambda: show_about(window)))()

    def guide() -> None:
        dialog = UserGuide(window, section=section)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.user_guide = dialog  # tests and a second F1 find it
        dialog.show()

    for text, slot, keys, name in (
        ("&User guide", guide, QKeySequence.StandardKey.HelpContents, "actionGuide"),
        (f"&About {APP_NAME}", lambda: _about(window), None, "actionAbout"),
    ):
        action = QAction(text, window)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False, slot=slot: slot())
        menu.addAction(action)
