"""The features a workspace carries, declared in one place.

Each feature module (a register, procurement, ...) exposes ``FEATURE``, a
:class:`Feature` saying which tables `info` counts, how it fills the demo
workspace, and what it puts into a quarterly return and which validation rules
it runs. Nothing registers itself by side effect: this list is the whole truth.
The window's pages are listed separately in ``lga_desktop/ui/pages`` (the core
never imports Qt).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lga_desktop.periods import Quarter
    from lga_desktop.validation import Finding
    from lga_desktop.workspace import Workspace

__all__ = ["Feature", "features", "FEATURE_MODULES"]

FEATURE_MODULES: tuple[str, ...] = (
    "lga_desktop.registers.cap",
    "lga_desktop.procurement.feature",
    "lga_desktop.registers.pipeline",
    "lga_desktop.registers.experts",
    "lga_desktop.registers.savings",
)


@dataclass(frozen=True)
class Feature:
    key: str  # short and stable: "cap", "experts", "savings", "spend" ...
    title: str  # for people: "CAP business plan"
    # label -> table name, for `lga-desktop info` and the dashboard
    counted_tables: dict[str, str] = field(default_factory=dict)
    # "module:function" that fills the demo workspace (given the workspace and a
    # seeded random.Random; runs inside one transaction), imported only by demo.py
    demo: str | None = None
    # the feature's part of a quarterly return: JSON-ready data, money as int pence
    snapshot: Callable[[Workspace, Quarter], dict[str, Any]] | None = None
    # the feature's validation rules for a quarter
    validate: Callable[[Workspace, Quarter], list[Finding]] | None = None


@cache
def features() -> tuple[Feature, ...]:
    """Every feature, in the order they appear in menus, returns and reports."""
    return tuple(importlib.import_module(name).FEATURE for name in FEATURE_MODULES)


def counts(ws: Workspace) -> dict[str, int]:
    """Rows per register, for `info` and the dashboard."""
    existing = set(ws.db.table_names())
    return {
        label: ws.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
        for feature in features()
        for label, table in feature.counted_tables.items()
        if table in existing
    }


def describe(ws: Workspace) -> dict[str, Any]:
    """What `lga-desktop info` prints: council, schema version, counts per register."""
    council = ws.council
    officer = ws.officer
    return {
        "path": str(ws.path),
        "council": {"gss": council.gss, "name": council.official_name, "type": council.type_name},
        "officer": None
        if officer is None
        else {"name": officer.name, "role": officer.role, "email": officer.email},
        "schema_version": ws.schema_version,
        "created_at": ws.get_meta("created_at"),
        "counts": counts(ws),
        "size_bytes": os.path.getsize(ws.path),
    }
