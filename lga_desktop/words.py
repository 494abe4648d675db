"""How the app words counts, dates and sentences: one helper for each, used everywhere.

``plural(1, "asset")`` is "1 asset", ``plural(2, "asset")`` "2 assets";
``format_date`` writes a date the British way (``01/04/2012``) wherever a person
reads it (ISO stays for files and storage); ``sentence`` ends a message with one
full stop, never "point?."; ``lower_title`` lowercases a title for the middle of
a sentence without lowercasing an acronym ("Filter CAP business plans…").
Money has its own module: :func:`lga_desktop.money.format_money`.
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["plural", "count_noun", "format_date", "format_when", "sentence", "lower_title"]

_IRREGULAR = {
    "category": "categories",
    "supply": "supplies",
    "is": "are",
    "has": "have",
    "was": "were",
    "day log line": "day log lines",
}


def count_noun(n: int, one: str, many: str | None = None) -> str:
    """The noun for ``n`` of them: ``asset`` / ``assets``, ``category`` / ``categories``."""
    if n == 1:
        return one
    if many is not None:
        return many
    if one in _IRREGULAR:
        return _IRREGULAR[one]
    head, _, last = one.rpartition(" ")
    if last in _IRREGULAR:
        return f"{head} {_IRREGULAR[last]}".strip()
    if last.endswith("y") and last[-2:-1] not in set("aeiou"):
        return one[:-1] + "ies"
    if last.endswith(("s", "x", "ch", "sh")):
        return one + "es"
    return one + "s"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` and its noun, with thousands separated: "1 asset", "1,204 lines"."""
    return f"{n:,} {count_noun(n, one, many)}"


def format_date(value: date | datetime | str | None) -> str:
    """A date as people here read it: ``01/04/2012`` (ISO text is accepted and converted)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = (
            datetime.fromisoformat(value[:19]) if "T" in value else date.fromisoformat(value[:10])
        )
    return f"{value:%d/%m/%Y}"


def format_when(value: datetime | str) -> str:
    """A moment: ``01/04/2012 14:05``."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return f"{value:%d/%m/%Y %H:%M}"


def sentence(text: str) -> str:
    """Capitalised, with one closing mark: "Is needed.", "…written with a point?"."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!…" else text + "."


def lower_title(title: str) -> str:
    """A title inside a sentence: "Savings lines" → "savings lines", "CAP plan" stays."""
    first, _, rest = title.partition(" ")
    if first.isupper() and len(first) > 1:
        return title
    return (first.lower() + (" " + rest if rest else "")).strip()
