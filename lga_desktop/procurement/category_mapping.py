"""From a council's own expenditure categories to the big-spend categories.

Every expenditure category and code seen in an import is kept as a *source
category*. Each maps to a big-spend category (the default list is ProClass
level 1 grouped the way councils report it, ``resources/categories.csv``) by,
in order:

1. a remembered rule on its code (codes are the more specific), then
2. a remembered rule on its name, then
3. ProClass itself: a ProClass code, or a name that is a ProClass heading,
   whose level-1 heading falls in exactly one big-spend category (ProClass
   grants and refunds are not procurement: ``NPR``), then
4. a name that says it is not procurement (grants, benefits, refunds,
   precepts and levies to other public bodies): ``NPR``.

Spend in a category that is not procurement (``spend_category.procurement``
= 0) is left out of the SME, VCSE and local shares; the officer sees the
mapping on the Categories tab and can change it, by a rule, like any other.

What none of these maps is *unmapped*, and is shown and reported as such.
Rules are remembered in the workspace, so the next import maps itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from lga_desktop.categories import (
    NOT_PROCUREMENT,
    NOT_PROCUREMENT_PROCLASS,
    category_for_proclass,
    is_not_procurement,
)
from lga_desktop.errors import UsageError
from lga_desktop.resources import resource
from lga_desktop.workspace import Workspace

__all__ = [
    "BigCategory",
    "SourceCategory",
    "big_categories",
    "source_categories",
    "map_sources",
    "set_rule",
    "rules",
    "refresh_mappings",
    "resolve",
    "add_category",
    "set_procurement",
]

UNMAPPED = "unmapped"


@dataclass(frozen=True, slots=True)
class BigCategory:
    code: str
    name: str
    procurement: bool = True  # False: left out of the SME, VCSE and local shares


@dataclass(frozen=True, slots=True)
class SourceCategory:
    id: int
    name: str
    code: str
    category_code: str | None
    mapped_by: str | None  # "code rule", "name rule", "ProClass" or None
    lines: int
    pence: int

    @property
    def label(self) -> str:
        if self.name and self.code:
            return f"{self.name} ({self.code})"
        return self.name or self.code or "(no category given)"


def fold(text: str) -> str:
    """What a rule matches on: case and spacing do not matter."""
    return " ".join(str(text).lower().split())


@cache
def _proclass_index() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """ProClass code -> big-spend code; folded heading -> big-spend codes it could mean."""
    import csv

    by_code: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    with resource("proclass_17.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            cat = category_for_proclass(r["level1"])
            if cat is None:
                continue
            if r["level2"] in NOT_PROCUREMENT_PROCLASS:  # grants and refunds buy nothing
                by_code[r["code"].strip()] = NOT_PROCUREMENT
                for heading in (r["level2"], r["level3"]):
                    if heading.strip():
                        by_name.setdefault(fold(heading), set()).add(NOT_PROCUREMENT)
                continue
            by_code[r["code"].strip()] = cat.code
            for heading in (r["level1"], r["level2"], r["level3"]):
                if heading.strip():
                    by_name.setdefault(fold(heading), set()).add(cat.code)
    return by_code, {k: frozenset(v) for k, v in by_name.items()}


def proclass_category(name: str, code: str) -> str | None:
    by_code, by_name = _proclass_index()
    if code.strip() in by_code:
        return by_code[code.strip()]
    candidates = by_name.get(fold(name))
    if candidates and len(candidates) == 1:
        return next(iter(candidates))
    return None


def rules(ws: Workspace) -> dict[tuple[str, str], str]:
    """(match_on, folded value) -> big-spend category code."""
    return {
        (r[0], r[1]): r[2]
        for r in ws.db.execute(
            "SELECT match_on, match_value, category_code FROM spend_category_rule"
        )
    }


def resolve(
    name: str, code: str, known_rules: dict[tuple[str, str], str]
) -> tuple[str | None, str | None]:
    """The big-spend category for a source category, and what decided it."""
    if code and ("code", fold(code)) in known_rules:
        return known_rules[("code", fold(code))], "code rule"
    if name and ("name", fold(name)) in known_rules:
        return known_rules[("name", fold(name))], "name rule"
    found = proclass_category(name, code)
    if found:
        return found, "ProClass"
    if name and is_not_procurement(name):
        return NOT_PROCUREMENT, "not procurement"
    return None, None


def refresh_mappings(ws: Workspace) -> int:
    """Re-apply the rules to every source category; returns how many changed."""
    known = rules(ws)
    changed = []
    for sid, name, code, current, by in ws.db.execute(
        "SELECT id, name, code, category_code, mapped_by FROM spend_source_category"
    ).fetchall():
        new = resolve(name, code, known)
        if new != (current, by):
            changed.append((*new, sid))
    if changed:
        ws.db.conn.executemany(
            "UPDATE spend_source_category SET category_code = ?, mapped_by = ? WHERE id = ?",
            changed,
        )
    return len(changed)


def big_categories(ws: Workspace) -> list[BigCategory]:
    return [
        BigCategory(r[0], r[1], bool(r[2]))
        for r in ws.db.execute(
            "SELECT code, name, procurement FROM spend_category ORDER BY position, name"
        )
    ]


def set_procurement(ws: Workspace, code: str, procurement: bool) -> None:
    """Say whether a big-spend category is procurement (counted in the SME share) or not."""
    with ws.atomic():
        found = ws.db.execute(
            "UPDATE spend_category SET procurement = ? WHERE code = ?", [int(procurement), code]
        )
        if not found.rowcount:
            raise UsageError(f"there is no category with the code {code}")


def add_category(ws: Workspace, code: str, name: str) -> BigCategory:
    """Add a big-spend category of the council's own (the list is editable)."""
    code, name = code.strip().upper(), name.strip()
    if not code or not name:
        raise UsageError("a category needs a short code and a name")
    with ws.atomic():
        if ws.db.execute("SELECT 1 FROM spend_category WHERE code = ?", [code]).fetchone():
            raise UsageError(f"there is already a category with the code {code}")
        position = ws.db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM spend_category")
        ws.db.execute(
            "INSERT INTO spend_category (code, name, position) VALUES (?, ?, ?)",
            [code, name, position.fetchone()[0]],
        )
    return BigCategory(code, name)


def rename_category(ws: Workspace, code: str, name: str) -> None:
    if not name.strip():
        raise UsageError("a category needs a name")
    with ws.atomic():
        ws.db.execute("UPDATE spend_category SET name = ? WHERE code = ?", [name.strip(), code])


def source_categories(ws: Workspace) -> list[SourceCategory]:
    """Every source category with its spend, biggest first (the mapping page)."""
    sql = """
        SELECT c.id, c.name, c.code, c.category_code, c.mapped_by,
               COALESCE(t.lines, 0), COALESCE(t.pence, 0)
        FROM spend_source_category c
        LEFT JOIN (SELECT source_category_id, SUM(lines) AS lines, SUM(pence) AS pence
                   FROM spend_summary GROUP BY source_category_id) t
          ON t.source_category_id = c.id
        WHERE COALESCE(t.lines, 0) > 0 OR c.name <> '' OR c.code <> ''
        ORDER BY COALESCE(t.pence, 0) DESC, c.name, c.code
    """
    return [SourceCategory(*r) for r in ws.db.execute(sql).fetchall()]


def set_rule(ws: Workspace, match_on: str, value: str, category_code: str | None) -> None:
    """Remember (or, with ``None``, forget) that a name or code means a category."""
    if match_on not in ("name", "code"):
        raise UsageError("a rule matches on a category's name or its code")
    key = fold(value)
    if not key:
        raise UsageError(f"a rule on the {match_on} needs a {match_on} to match")
    with ws.atomic():
        _audit_rules(ws, {(match_on, key): category_code}, "category rule")
        ws.db.execute(
            "DELETE FROM spend_category_rule WHERE match_on = ? AND match_value = ?",
            [match_on, key],
        )
        if category_code is not None:
            _check_category(ws, category_code)
            ws.db.execute(
                "INSERT INTO spend_category_rule (match_on, match_value, category_code) "
                "VALUES (?, ?, ?)",
                [match_on, key, category_code],
            )
        refresh_mappings(ws)


def _check_category(ws: Workspace, code: str) -> None:
    if not ws.db.execute("SELECT 1 FROM spend_category WHERE code = ?", [code]).fetchone():
        raise UsageError(f"there is no big-spend category with the code {code}")


def map_sources(
    ws: Workspace, source_ids: Iterable[int], category_code: str | None, *, match_on: str = "name"
) -> dict[tuple[str, str], str | None]:
    """Map source categories by remembering a rule on each one's name (or code).

    A source category with no name is matched on its code and vice versa.
    Returns the rules as they were, for undo (:func:`restore_rules`).
    """
    ids = list(source_ids)
    before: dict[tuple[str, str], str | None] = {}
    after: dict[tuple[str, str], str | None] = {}
    with ws.atomic():
        if category_code is not None:
            _check_category(ws, category_code)
        known = rules(ws)
        for sid in ids:
            row = ws.db.execute(
                "SELECT name, code FROM spend_source_category WHERE id = ?", [sid]
            ).fetchone()
            if row is None:
                continue
            name, code = row
            on = (
                match_on
                if (name if match_on == "name" else code)
                else ("code" if name == "" else "name")
            )
            value = fold(name if on == "name" else code)
            if not value:
                continue
            before.setdefault((on, value), known.get((on, value)))
            after[(on, value)] = category_code
            ws.db.execute(
                "DELETE FROM spend_category_rule WHERE match_on = ? AND match_value = ?",
                [on, value],
            )
            if category_code is not None:
                ws.db.execute(
                    "INSERT INTO spend_category_rule (match_on, match_value, category_code) "
                    "VALUES (?, ?, ?)",
                    [on, value, category_code],
                )
        _audit_rules(ws, after, "category mapping", before)
        refresh_mappings(ws)
    return before


def _audit_rules(
    ws: Workspace,
    new: dict[tuple[str, str], str | None],
    source: str,
    old: dict[tuple[str, str], str | None] | None = None,
) -> None:
    """Audit category rules about to change (or changed: pass ``old``), in the caller's transaction."""
    from lga_desktop.registers import audit

    old = rules(ws) if old is None else old
    changed = [
        (0, f"{on}: {value}", None, [("category", old.get((on, value)) or "", code or "")])
        for (on, value), code in new.items()
        if old.get((on, value)) != code
    ]
    if changed:
        audit.record(ws, audit.next_change(ws), "category rule", changed, "changed", source)


def restore_rules(ws: Workspace, before: dict[tuple[str, str], str | None]) -> None:
    with ws.atomic():
        _audit_rules(ws, before, "undo")
        for (on, value), code in before.items():
            ws.db.execute(
                "DELETE FROM spend_category_rule WHERE match_on = ? AND match_value = ?",
                [on, value],
            )
            if code is not None:
                ws.db.execute(
                    "INSERT INTO spend_category_rule (match_on, match_value, category_code) "
                    "VALUES (?, ?, ?)",
                    [on, value, code],
                )
        refresh_mappings(ws)
