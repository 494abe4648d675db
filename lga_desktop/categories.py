"""Big-spend procurement categories: the default list councils recognise.

Each default category names the ProClass level-1 headings that fall in it, so
spend already coded with ProClass maps without any rule being written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from lga_desktop.resources import resource

__all__ = [
    "Category",
    "default_categories",
    "procurement_categories",
    "proclass_level1",
    "category_for_proclass",
    "NOT_PROCUREMENT",
    "NOT_PROCUREMENT_PROCLASS",
    "is_not_procurement",
]

# Spend that is not procurement: the SME, VCSE and local shares leave it out
# (paper §7: the share is of third-party, addressable spend).
NOT_PROCUREMENT = "NPR"
# ProClass headings (level 2 under "Financial Services") that are not buying anything
NOT_PROCUREMENT_PROCLASS = ("Grants", "Refund")
# words in a council's own expenditure category that say it is not procurement:
# grants, payments to other public bodies (precepts, levies), benefits, refunds
_NOT_PROCUREMENT_WORDS = re.compile(
    r"\b(grants?|benefits?|refunds?|precepts?|levy|levies|subsidy|subsidies|"
    r"rebates?|housing benefit|council tax support|payments? to (other )?public bodies|"
    r"(nndr|business rates?) (payments?|pool|transfer)|pension (fund )?contributions?)\b",
    re.IGNORECASE,
)


def is_not_procurement(name: str) -> bool:
    """True when a council's own expenditure category names spend that is not procurement."""
    return bool(_NOT_PROCUREMENT_WORDS.search(name))


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    proclass_level1: tuple[str, ...]  # prefixes of ProClass level-1 headings

    @property
    def procurement(self) -> bool:
        return self.code != NOT_PROCUREMENT


@cache
def default_categories() -> tuple[Category, ...]:
    with resource("categories.csv").open(newline="", encoding="utf-8") as f:
        return tuple(
            Category(r["code"], r["name"], tuple(filter(None, r["proclass_level1"].split("|"))))
            for r in csv.DictReader(f)
        )


def procurement_categories() -> tuple[Category, ...]:
    """The default categories a procurement (a pipeline entry, a timeline) can be in."""
    return tuple(c for c in default_categories() if c.procurement)


@cache
def proclass_level1() -> tuple[str, ...]:
    """The ProClass v17 level-1 headings, in code order."""
    with resource("proclass_17.csv").open(newline="", encoding="utf-8") as f:
        seen: dict[str, None] = {}
        for r in csv.DictReader(f):
            seen.setdefault(r["level1"], None)
        return tuple(seen)


def category_for_proclass(level1: str) -> Category | None:
    """The default big-spend category a ProClass level-1 heading belongs to.

    The longest matching prefix wins, so "... Services - Children" is children's
    care even though "... Services" alone is listed under adult care.
    """
    matches = [
        (len(prefix), cat)
        for cat in default_categories()
        for prefix in cat.proclass_level1
        if level1.startswith(prefix)
    ]
    return max(matches, key=lambda m: m[0])[1] if matches else None
