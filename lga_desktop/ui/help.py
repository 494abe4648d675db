"""Help: the user guide shipped in ``resources/guide`` (shown offline) and who to contact.

Both windows build their Help menu here: **User guide** (F1) opens the guide
in a window of its own (:mod:`.user_guide`, loaded on first use), at the part that fits the window (the LGA's window
opens it at "The LGA side"); **About** adds the support contact from
``resources/support.json``.
"""

from __future__ import annotations

import json
from functools import cache

from lga_desktop import APP_NAME
from lga_desktop.resources import resource
from lga_desktop.ui.qt import (
    QAction,
    QKeySequence,
    QMainWindow,
    Qt,
    QWidget,
)

__all__ = ["add_help_menu", "support_html", "support_contact"]


@cache
def support_contact() -> dict[str, str]:
    """The support team's name, e-mail and hours (``resources/support.json``)."""
    data = json.loads(resource("support.json").read_text(encoding="utf-8"))
    return {k: str(v) for k, v in data.items() if not k.startswith("_")}


def support_html() -> str:
    from html import escape

    c = support_contact()
    email = escape(c.get("email", ""))
    return (
        f"<p><b>Help and support</b>: {escape(c.get('team', ''))}, "
        f"<a href='mailto:{email}'>{email}</a>"
        + (f" ({escape(c['hours'])})" if c.get("hours") else "")
        + ". Please quote the version, and for a return its hash.</p>"
    )


def add_help_menu(window: QMainWindow, *, section: str = "") -> None:
    """Help > User guide (F1) and Help > About, for either window."""
    from lga_desktop.ui.about import show_about

    menu = window.menuBar().addMenu("&Help")

    def _about(window: QWidget) -> None:
        # a window that knows more (the council's: the LGA's contact from its pack) says it
        (getattr(window, "show_about", None) or (lambda: show_about(window)))()

    def guide() -> None:
        from lga_desktop.ui.user_guide import UserGuide

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
