"""English councils: the official list, shipped as data, and finding one by name or code."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from lga_desktop.errors import UsageError
from lga_desktop.resources import resource

__all__ = ["Council", "all_councils", "council_by_gss", "search_councils"]


@dataclass(frozen=True, slots=True)
class Council:
    gss: str  # ONS/GSS code, e.g. E07000178
    name: str  # e.g. Oxford
    official_name: str  # e.g. Oxford City Council
    type: str  # NMD, UA, MD, LBO, CTY, CC
    type_name: str
    region: str
    start: str  # ISO date, may be empty
    end: str  # ISO date when abolished, else empty
    population: int | None

    @property
    def current(self) -> bool:
        return not self.end

    @property
    def label(self) -> str:
        """What a picker shows: ``Oxford City Council (E07000178)``."""
        ended = f", abolished {self.end[:4]}" if self.end else ""
        return f"{self.official_name} ({self.gss}{ended})"


@cache
def all_councils() -> tuple[Council, ...]:
    """Every English council current now or existing on 1 April 2012, by name."""
    with resource("councils.csv").open(newline="", encoding="utf-8") as f:
        return tuple(
            Council(
                gss=r["gss"],
                name=r["name"],
                official_name=r["official_name"],
                type=r["type"],
                type_name=r["type_name"],
                region=r["region"],
                start=r["start"],
                end=r["end"],
                population=int(r["population"]) if r["population"] else None,
            )
            for r in csv.DictReader(f)
        )


@cache
def _by_gss() -> dict[str, Council]:
    return {c.gss: c for c in all_councils()}


def council_by_gss(gss: str) -> Council:
    """The council with that GSS code; :class:`UsageError` naming the code if none."""
    code = gss.strip().upper()
    try:
        return _by_gss()[code]
    except KeyError:
        raise UsageError(
            f"{gss!r} is not the GSS code of an English council (codes look like E07000178)"
        ) from None


def search_councils(text: str, *, limit: int | None = None) -> list[Council]:
    """Councils whose name or code contains every word of ``text``; best first."""
    words = text.lower().split()
    found = []
    for c in all_councils():
        hay = f"{c.official_name} {c.name} {c.gss} {c.region}".lower()
        if all(w in hay for w in words):
            starts = c.name.lower().startswith(words[0]) if words else True
            found.append((not starts, not c.current, c.name, c))
    found.sort(key=lambda t: t[:3])
    result = [t[3] for t in found]
    return result[:limit] if limit else result
