"""Numbered, append-only schema migrations of the workspace.

Never edit or reorder a migration that has shipped: add the next number.
Each runs in one transaction together with the record that it ran
(sqlite-utils ``Migrations``), so a killed process leaves the file at the
previous version. ``tests/test_workspace.py`` migrates from an empty file and
from every earlier version.

Each migration lives in its own module ``lga_desktop/db/m<NNNN>_<what>.py``
and registers itself on :data:`MIGRATIONS`; ``lga_desktop/db/__init__.py``
imports them in number order, which is the order they apply in. Numbers are
reserved per feature so parallel work does not collide: 0001 foundation,
0002 registers (CAP, experts, savings, audit), 0003 procurement (spend,
suppliers, categories, pipeline, timelines), 0004 returns and keys.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

# "LGAW" as a big-endian 32-bit integer: `PRAGMA application_id` of a workspace.
WORKSPACE_APPLICATION_ID = 0x4C474157

MIGRATIONS = Migrations("lga_desktop.workspace")


def known_migration_names() -> list[str]:
    return [m.name for m in MIGRATIONS._migrations]


def schema_version(db: Database) -> int:
    """How many of our migrations the file has had (0 for a new file)."""
    return len(MIGRATIONS.applied(db))


def migrate(db: Database, *, stop_before: str | None = None) -> int:
    """Apply pending migrations; return the resulting schema version.

    ``stop_before`` is for tests that build a file at an earlier version.
    """
    MIGRATIONS.apply(db, stop_before=stop_before)
    version = schema_version(db)
    db.execute(f"PRAGMA user_version = {version}")
    return version
