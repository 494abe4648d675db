"""What every file of ours has in common: a path, a connection, transactions, facts in ``meta``.

:class:`~lga_desktop.workspace.Workspace` (a council's registers) and
:class:`~lga_desktop.consolidation.store.Programme` (the LGA's consolidation)
both build on it; each adds its own identity checks and migrations.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Self

import sqlite_utils

from lga_desktop.db.connection import connect

__all__ = ["DatabaseFile"]


class DatabaseFile:
    """An open file. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, db: sqlite_utils.Database) -> None:
        self.path = path
        self.db = db

    def reopen(self) -> Self:
        """A second connection to the same file, for work on another thread."""
        return type(self)(self.path, connect(self.path))

    def close(self) -> None:
        with suppress(sqlite3.ProgrammingError):
            self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """One transaction: everything inside is written, or nothing is."""
        with self.db.atomic() as db:
            yield db

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value: Any) -> None:
        # ON CONFLICT ... DO UPDATE is standard in SQLite and PostgreSQL alike
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value)],
            )
