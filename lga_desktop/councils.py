"""English councils: the official list, shipped as data, and finding one by name or code."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from lga_desktop.errors import UsageError
from lga_desktop.resources import resource

__all__ = [
    "Council",
    "all_councils",
    "council_by_gss",
    "search_councils",
    "body_is_council",
]

# words that say what kind of council a name is, not which council
_KIND_WORDS = {
    "the",
    "council",
    "city",
    "borough",
    "district",
    "county",
    "metropolitan",
    "royal",
    "of",
    "mbc",
    "bc",
    "dc",
    "cc",
    "ltd",
}
_GSS = re.compile(r"^[EWSN]\d{8}$")


@dataclass(frozen=True, slots=True)
class Former:
    """A code and name a council had until a date (a boundary change, a renaming)."""

    gss: str
    name: str
    official_name: str
    until: str  # ISO date the council stopped using them


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
    former: tuple[Former, ...] = ()  # oldest first

    @property
    def current(self) -> bool:
        return not self.end

    @property
    def all_gss(self) -> tuple[str, ...]:
        return (self.gss, *(f.gss for f in self.former))

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [self.official_name, self.name]
        for f in self.former:
            names += [f.official_name, f.name]
        return tuple(dict.fromkeys(names))

    def identity_on(self, day: date) -> tuple[str, str]:
        """The (GSS code, official name) the council had on ``day``."""
        for f in self.former:
            if day.isoformat() < f.until:
                return f.gss, f.official_name
        return self.gss, self.official_name

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
                former=tuple(
                    Former(*entry.split("|")) for entry in filter(None, r["former"].split(";"))
                ),
            )
            for r in csv.DictReader(f)
        )


@cache
def _by_gss() -> dict[str, Council]:
    found = {f.gss: c for c in all_councils() for f in c.former}
    found.update({c.gss: c for c in all_councils()})  # a current code wins
    return found


def council_by_gss(gss: str) -> Council:
    """The council with that GSS code, current or former (E08000020 finds Gateshead).

    :class:`UsageError` naming the code if none.
    """
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
        hay = f"{' '.join(c.all_names)} {' '.join(c.all_gss)} {c.region}".lower()
        if all(w in hay for w in words):
            starts = c.name.lower().startswith(words[0]) if words else True
            found.append((not starts, not c.current, c.name, c))
    found.sort(key=lambda t: t[:3])
    result = [t[3] for t in found]
    return result[:limit] if limit else result


def _name_words(text: str) -> list[str]:
    text = text.lower().replace("&", " and ").replace("london borough of", " ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    kept = [w for w in words if w not in _KIND_WORDS]
    return kept or words


def _initials(name: str) -> str:
    words = re.sub(r"[^A-Za-z]+", " ", name).split()
    return "".join(w[0] for w in words if w.lower() not in {"of", "and", "the", "upon"}).upper()


def body_is_council(council: Council, body: str) -> bool:
    """Whether a spend file's body name (or code) names ``council``.

    "Oxford City Council", "OXFORD CITY COUNCIL - Housing" and "E07000178" name
    Oxford; "The Borough of Calderdale" and "Oxfordshire County Council" do not.
    """
    text = body.strip()
    if not text:
        return True
    if _GSS.match(text.upper()):
        return text.upper() in council.all_gss
    if re.fullmatch(r"[A-Za-z]{2,6}", text):  # initials: "OCC" for Oxford City Council
        return text.upper() in {_initials(n) for n in council.all_names}
    body_words = _name_words(text)
    for name in council.all_names:
        words = _name_words(name)
        n = len(words)
        if any(body_words[i : i + n] == words for i in range(len(body_words) - n + 1)):
            return True
    return False
