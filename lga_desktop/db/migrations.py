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

:class:`MigrationSet` keeps the list and reads what a file has had straight
from sqlite-utils' ``_sqlite_migrations`` table; sqlite-utils itself is
imported only when a migration is pending (a new or older file), so opening
an up-to-date file does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lga_desktop.db.connection import Database

__all__ = [
    "MigrationSet",
    "MIGRATIONS",
    "WORKSPACE_APPLICATION_ID",
    "known_migration_names",
    "schema_version",
    "migrate",
]

# "LGAW" as a big-endian 32-bit integer: `PRAGMA application_id` of a workspace.
WORKSPACE_APPLICATION_ID = 0x4C474157

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of what ran


@dataclass(frozen=True)
class Migration:
    name: str
    fn: Callable[[Any], None]


class MigrationSet:
    """A named, ordered set of migrations, recorded the way sqlite-utils ``Migrations`` records them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.migrations: list[Migration] = []

    def __call__(self, *, name: str) -> Callable[[Callable], Callable]:
        """Register the decorated function (it gets the file's :class:`Database`) as ``name``."""

        def register(fn: Callable) -> Callable:
            if any(m.name == name for m in self.migrations):
                raise ValueError(f"migration {name!r} is already registered in {self.name}")
            self.migrations.append(Migration(name, fn))
            return fn

        return register

    def names(self) -> list[str]:
        return [m.name for m in self.migrations]

    def applied(self, db: Database) -> list[str]:
        """The names of the migrations the file has had, in the order they ran."""
        if not db.has_table(MIGRATIONS_TABLE):
            return []
        rows = db.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
            [self.name],
        )
        return [r[0] for r in rows]

    def pending(self, db: Database) -> list[str]:
        done = set(self.applied(db))
        return [name for name in self.names() if name not in done]

    def apply(self, db: Database, *, stop_before: str | None = None) -> None:
        """Apply the pending migrations (each in its own transaction) through sqlite-utils."""
        pending = self.pending(db)
        if not pending or pending[0] == stop_before:
            return
        from sqlite_utils import Migrations

        runner = Migrations(self.name)
        for m in self.migrations:
            # sqlite-utils runs each in its transaction and records it; the
            # migration itself gets our Database on the same connection
            runner(name=m.name)(lambda _utils, fn=m.fn: fn(db))
        runner.apply(db.utils(), stop_before=stop_before)


MIGRATIONS = MigrationSet("lga_desktop.workspace")


def known_migration_names() -> list[str]:
    return MIGRATIONS.names()


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
