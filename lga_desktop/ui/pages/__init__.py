"""The main window's pages, in navigation order.

Each entry is ``(key, title, factory)``; ``factory(context)`` builds the page
widget for an open workspace (see :class:`lga_desktop.ui.context.AppContext`).
Pages are built on first visit, so their imports stay out of start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lga_desktop.ui.context import AppContext
    from lga_desktop.ui.qt import QWidget


def _lazy(module: str, name: str) -> Callable[[AppContext], QWidget]:
    def make(context: AppContext) -> QWidget:
        import importlib

        return getattr(importlib.import_module(module), name)(context)

    return make


def pages() -> list[tuple[str, str, Callable[[AppContext], QWidget]]]:
    from lga_desktop.ui.pages.dashboard import DashboardPage

    return [
        ("dashboard", "Dashboard", DashboardPage),
        ("cap", "CAP plan", _lazy("lga_desktop.ui.pages.cap", "CapPage")),
        ("procurement", "Procurement", _lazy("lga_desktop.ui.procurement.page", "ProcurementPage")),
        ("experts", "Expert support", _lazy("lga_desktop.ui.pages.experts", "ExpertsPage")),
        ("savings", "Savings", _lazy("lga_desktop.ui.pages.savings", "SavingsPage")),
        ("returns", "Returns", _lazy("lga_desktop.ui.pages.returns", "ReturnsPage")),
    ]
