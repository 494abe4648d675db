"""Opening a SQLite file with the pragmas every connection needs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    """True when the file starts with the SQLite header (an empty file is not one)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def connect(path: Path | str, *, wal: bool = True) -> sqlite_utils.Database:
    """A sqlite-utils ``Database`` with foreign keys on and WAL journaling.

    ``check_same_thread=False`` because a worker thread may use a connection it
    was handed; the UI never uses one connection from two threads at once
    (background work opens its own connection, see ``Workspace.reopen``).
    """
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    # no plugins: a workspace must behave the same whatever else is installed
    db = sqlite_utils.Database(conn, execute_plugins=False)
    if wal:
        db.enable_wal()
    conn.execute("PRAGMA synchronous = NORMAL")
    return db
