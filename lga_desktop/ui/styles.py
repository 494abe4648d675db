"""Colours of the notes under forms and banners: one place, so every page says it alike.

Kept apart from the form widgets so the dashboard (built at start-up) needs
only these few lines.
"""

from __future__ import annotations

from lga_desktop.validation import Severity

__all__ = ["NOTE_STYLES"]

NOTE_STYLES = {
    "problem": "color: #b00020;",
    Severity.ERROR: "color: #b00020;",
    Severity.WARNING: "color: #8a5300;",
    "help": "color: #5b6875;",  # muted, yet readable
}
