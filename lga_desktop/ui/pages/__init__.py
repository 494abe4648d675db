"""The main window's pages, in navigation order.

Each entry is ``(key, title, factory)``; ``factory(context)`` builds the page
widget for an open workspace (see :class:`lga_desktop.ui.context.AppContext`).
A page whose issue has not landed uses :func:`placeholder`, which says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lga_desktop.ui.qt import QLabel, Qt, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from lga_desktop.ui.context import AppContext


def placeholder(title: str, text: str) -> Callable[[AppContext], QWidget]:
    def make(context: AppContext) -> QWidget:
        page = QWidget()
        page.setObjectName("placeholderPage")
        layout = QVBoxLayout(page)
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        return page

    return make


def pages() -> list[tuple[str, str, Callable[[AppContext], QWidget]]]:
    from lga_desktop.ui.pages.cap import CapPage
    from lga_desktop.ui.pages.dashboard import DashboardPage
    from lga_desktop.ui.pages.experts import ExpertsPage
    from lga_desktop.ui.pages.savings import SavingsPage

    not_yet = (
        "This part of lga-desktop has not been built yet. It will arrive in a coming "
        "release; until then keep this register in your existing spreadsheet."
    )
    return [
        ("dashboard", "Dashboard", DashboardPage),
        ("cap", "CAP plan", CapPage),
        ("procurement", "Procurement", placeholder("Procurement", not_yet)),
        ("experts", "Expert support", ExpertsPage),
        ("savings", "Savings", SavingsPage),
        ("returns", "Returns", placeholder("Quarterly returns", not_yet)),
    ]
