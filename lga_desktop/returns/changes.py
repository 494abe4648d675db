"""Signed quarters whose registers have changed since: a correction is due.

A signed return is never edited (``history``), but the workspace behind it
can be: a day logged late, a supplier flag set, a spend file imported into a
quarter already signed. Because a return says only what was true at its
quarter's end (``Register.as_at``), building its sections again gives the
same bytes until something inside the quarter changes. So the test is
exact: :func:`changed_since_signed` rebuilds the sections of the latest
signed version of each quarter and compares them with what was signed.

The window and the command line take the list before and after a change and
warn about the quarters that :func:`newly_changed` finds, naming the return.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lga_desktop.periods import parse_quarter
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.history import ReturnRecord, history, record_document
from lga_desktop.workspace import Workspace

__all__ = [
    "changed_since_signed",
    "newly_changed",
    "watch_signed",
    "SignedWatch",
    "describe",
    "warning_text",
    "banner_text",
    "CORRECTION_DUE",
]

CORRECTION_DUE = "changed since signed: a correction is due"


def latest_signed(ws: Workspace) -> list[ReturnRecord]:
    """The latest signed version of each quarter, newest quarter first."""
    seen: set[str] = set()
    latest = []
    for record in history(ws):
        if record.period_key not in seen:
            seen.add(record.period_key)
            latest.append(record)
    return latest


def changed_since_signed(ws: Workspace) -> list[ReturnRecord]:
    """The latest signed return of every quarter whose figures now differ from what was signed."""
    return [r for r in latest_signed(ws) if differing_sections(ws, r)]


def differing_sections(
    ws: Workspace, record: ReturnRecord, only: frozenset[str] | None = None
) -> set[str]:
    """The keys of the sections (of ``only`` those, if given) that now differ from ``record``'s."""
    from lga_desktop.returns.build import snapshot_sections

    signed = {
        s["key"]: canonical_bytes(s)
        for s in record_document(ws, record).get("sections", [])
        if only is None or s["key"] in only
    }
    now = {
        s["key"]: canonical_bytes(s)
        for s in snapshot_sections(ws, parse_quarter(record.period_key), only=only)
    }
    return {k for k in signed.keys() | now.keys() if signed.get(k) != now.get(k)}


class SignedWatch:
    """What the window keeps: which signed returns differ, in which sections.

    :meth:`update` after a change rebuilds only the sections of the features
    the change names (a county's spend is not re-read for a day logged), and
    returns the signed returns that newly differ.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.differs: dict[str, set[str]] = {
            r.return_hash: differing_sections(ws, r) for r in latest_signed(ws)
        }
        self.records = {r.return_hash: r for r in latest_signed(ws)}

    @property
    def changed(self) -> list[ReturnRecord]:
        return [r for h, r in self.records.items() if self.differs.get(h)]

    def update(self, what: frozenset[str]) -> list[ReturnRecord]:
        before = {h for h, keys in self.differs.items() if keys}
        only = None if "*" in what else what
        latest = {r.return_hash: r for r in latest_signed(self.ws)}
        differs: dict[str, set[str]] = {}
        for h, record in latest.items():
            if h not in self.differs or only is None:
                differs[h] = differing_sections(self.ws, record)
            else:
                kept = self.differs[h] - set(only)
                differs[h] = kept | differing_sections(self.ws, record, frozenset(only))
        self.records, self.differs = latest, differs
        return [r for h, r in latest.items() if differs[h] and h not in before]


def newly_changed(before: list[ReturnRecord], after: list[ReturnRecord]) -> list[ReturnRecord]:
    """What a change made differ from its signed return (it did not differ before)."""
    known = {r.return_hash for r in before}
    return [r for r in after if r.return_hash not in known]


@contextmanager
def watch_signed(ws: Workspace) -> Iterator[list[ReturnRecord]]:
    """Around a change: the list fills with the signed returns the change made differ."""
    before = changed_since_signed(ws)
    affected: list[ReturnRecord] = []
    yield affected
    affected.extend(newly_changed(before, changed_since_signed(ws)))


def describe(record: ReturnRecord) -> str:
    """'the 2012/13 Q2 return (version 1, signed 15/10/2012)'."""
    signed = record.signed_at[:10]
    day = f"{signed[8:10]}/{signed[5:7]}/{signed[:4]}"
    return f"the {record.period} return (version {record.version}, signed {day})"


def banner_text(records: list[ReturnRecord]) -> str:
    """What the dashboard and the Returns page say while corrections are due ('' if none)."""
    if not records:
        return ""
    quarters = ", ".join(f"{r.period} (version {r.version})" for r in records)
    return f"{quarters}: {CORRECTION_DUE}."


def warning_text(records: list[ReturnRecord]) -> str:
    """One sentence naming the signed returns a change has affected."""
    names = "; ".join(describe(r) for r in records)
    return (
        f"This changes what was signed in {names}: the figures no longer match, so a "
        "correction is due (export the quarter's return again, saying what it corrects)."
    )
