"""Help: the user guide shipped in ``resources/guide`` (shown offline) and who to contact.

Both windows build their Help menu here: **User guide** (F1) opens the guide
in a window of its own (:mod:`.user_guide`, loaded on first use), at the part
that fits the window (the LGA's window opens it at "The LGA side"); **About** adds the support contact from
``resources/support.json`` (or the LGA's, from the programme pack) and the
reference data's licences.
"""

from __future__ import annotations

import json
from functools import cache

from lga_desktop import APP_NAME, __version__
from lga_desktop.resources import resource
from lga_desktop.ui.qt import (
    QAction,
    QKeySequence,
    QMainWindow,
    QMessageBox,
    Qt,
    QWidget,
)

__all__ = ["ATTRIBUTIONS", "add_help_menu", "show_about", "support_html", "support_contact"]


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


ATTRIBUTIONS = """
<p><b>Reference data</b></p>
<ul>
<li>English councils: mySociety, <i>UK Local Authorities (past and current)</i> v1.6.1,
CC BY 4.0.</li>
<li>ProClass v17.1 procurement classification, as republished by North West Open
Data, Open Government Licence v3.0.</li>
<li>England &amp; Wales bank holidays: from the <i>holidays</i> package (MIT).</li>
<li>Printed pages use the DejaVu fonts (Bitstream Vera licence; DejaVu changes in the
public domain).</li>
</ul>
<p>Built with Qt for Python (PySide6, LGPL), sqlite-utils, ReportLab, cryptography
and openpyxl.</p>
"""


def show_about(parent: QWidget | None, support: str = "") -> None:
    """``support``: the LGA's support contact from the programme pack, as HTML; without one,
    the contact shipped with the program."""
    QMessageBox.about(
        parent,
        f"About {APP_NAME}",
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Registers, signed quarterly returns and their consolidation for the Local "
        "Government Association's productivity programme.</p>"
        + (support or support_html())
        + ATTRIBUTIONS,
    )
