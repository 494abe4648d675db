"""Pages built on their first visit: what the council window and the consolidation window share.

Each window keeps a placeholder widget per navigation row in a
``QStackedWidget``; :func:`show_lazily` swaps in the real page the first time
its row is shown, so a window opens without building pages nobody looks at.
"""

from __future__ import annotations

from collections.abc import Callable

from lga_desktop.ui.qt import QListWidget, QStackedWidget, QWidget

__all__ = ["show_lazily"]


def show_lazily(
    stack: QStackedWidget,
    nav: QListWidget,
    built: dict[int, QWidget],
    row: int,
    key: str,
    make: Callable[[], QWidget],
) -> None:
    """Show row ``row`` (page ``key``), building it with ``make`` on its first visit."""
    if row not in built:
        page = make()
        page.setProperty("pageKey", key)
        old = stack.widget(row)
        stack.removeWidget(old)
        old.deleteLater()
        stack.insertWidget(row, page)
        built[row] = page
    stack.setCurrentIndex(row)
    if nav.currentRow() != row:
        nav.setCurrentRow(row)
