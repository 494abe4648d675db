"""What keeps the window responsive while work runs: deferred refreshes, the frozen start-up heap.

The figures are in ``benchmarks/ui_responsiveness.py``; these tests check behaviour.
"""

from __future__ import annotations

import gc

from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.qt import QTabWidget, QWidget


def test_a_hidden_tab_refreshes_when_shown_and_a_lone_widget_at_once(qtbot):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    front, back = QWidget(), QWidget()
    tabs.addTab(front, "Front")
    tabs.addTab(back, "Back")
    calls: list[str] = []
    front_refresh = DeferredRefresh(front, lambda: calls.append("front"))
    back_refresh = DeferredRefresh(back, lambda: calls.append("back"))
    # nothing on screen yet (a page built by a script or test): refresh at once
    back_refresh.request()
    assert calls == ["back"]
    tabs.show()
    calls.clear()
    front_refresh.request()
    back_refresh.request()
    back_refresh.request()  # twice while hidden: one refresh when shown
    assert calls == ["front"]
    tabs.setCurrentWidget(back)
    assert calls == ["front", "back"]
    tabs.setCurrentWidget(front)
    tabs.setCurrentWidget(back)  # up to date: showing it again does not refresh
    assert calls == ["front", "back"]


def test_start_up_objects_are_kept_out_of_the_collectors_full_passes():
    from lga_desktop.ui.app import freeze_startup_objects

    try:
        before = gc.get_freeze_count()
        freeze_startup_objects()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
