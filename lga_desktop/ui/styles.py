"""Colours of notes, captions and banners: one place, so every page and both windows say it alike.

Kept apart from the form widgets so the dashboard (built at start-up) needs
only these few lines.
"""

from __future__ import annotations

from lga_desktop.validation import Severity

__all__ = ["MUTED", "NOTE_STYLES"]

MUTED = "#5b6875"  # muted, yet readable: notes, captions, what a figure is against

NOTE_STYLES = {
    "problem": "color: #b00020;",
    Severity.ERROR: "color: #b00020;",
    Severity.WARNING: "color: #8a5300;",
    "help": f"color: {MUTED};",
}
