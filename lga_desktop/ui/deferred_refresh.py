"""Refreshing a page when someone can see it, not while it sits behind another tab.

After a spend import every page listening to ``context.changed`` refreshes on
the UI thread. At county scale (150,000 lines) the hidden Procurement tabs'
refreshes (supplier list, SME chart, category mapping) were most of a
~150-200 ms pause right after the import (``benchmarks/ui_responsiveness.py``),
all of it spent on tabs nobody was looking at.

A :class:`DeferredRefresh` runs the refresh at once when its widget is on
screen, or when the widget's window is not shown at all (a widget built on its
own by a test or script keeps refreshing eagerly, as before); otherwise it
marks the widget stale and refreshes it when it is next shown, before it paints.
"""

from __future__ import annotations

from collections.abc import Callable

from lga_desktop.ui.qt import QEvent, QObject, QWidget

__all__ = ["DeferredRefresh"]


class DeferredRefresh(QObject):
    def __init__(self, widget: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.refresh = refresh
        self.stale = False
        widget.installEventFilter(self)

    def request(self) -> None:
        """Refresh now if it can be seen (or nothing is shown); else on the next show."""
        widget = self.widget
        if widget.isVisible() or not widget.window().isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.stale and watched is self.widget and event.type() == QEvent.Type.Show:
            self.stale = False
            self.refresh()
        return False
