"""Help > About, shared by the council window and the consolidation window."""

from __future__ import annotations

from lga_desktop import APP_NAME, __version__
from lga_desktop.ui.help import support_html
from lga_desktop.ui.qt import QMessageBox, QWidget

__all__ = ["ATTRIBUTIONS", "show_about"]

ATTRIBUTIONS = """
<p><b>Reference data</b></p>
<ul>
<li>English councils: mySociety, <i>UK Local Authorities (past and current)</i> v1.6.1,
CC BY 4.0.</li>
<li>ProClass v17.1 procurement classification, as republished by North West Open
Data, Open Government Licence v3.0.</li>
<li>England &amp; Wales bank holidays: the <i>holidays</i> package (MIT).</li>
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
