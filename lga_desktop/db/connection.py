"""Opening a SQLite file with the pragmas every connection needs."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"

#: how long a connection waits for another program's lock before saying the file is busy
BUSY_TIMEOUT_SECONDS = 30.0


def is_sqlite_file(path: Path) -> bool:
    """True when the file starts with the SQLite header (an empty file is not one)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _read_only(path: Path) -> sqlite3.Connection:
    """``mode=ro``; on read-only media, where SQLite cannot make the WAL index, ``immutable``.

    Nothing can write a file on a read-only file system, so reading it as
    immutable is safe there; anywhere else ``mode=ro`` sees other writers.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(
        f"{uri}?mode=ro", uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc) or os.access(path.parent, os.W_OK):
            raise
        conn.close()
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    return conn


def connect(
    path: Path | str, *, wal: bool = True, read_only: bool = False
) -> sqlite_utils.Database:
    """A sqlite-utils ``Database`` with foreign keys on and WAL journaling.

    ``read_only`` opens the file so that nothing about it can change: no
    write, no checkpoint, and no deleting of a journal that another process
    is using when this connection closes (``mode=ro``).

    ``check_same_thread=False`` because a worker thread may use a connection it
    was handed; the UI never uses one connection from two threads at once
    (background work opens its own connection, see ``Workspace.reopen``).
    """
    if read_only:
        return sqlite_utils.Database(_read_only(Path(path)), execute_plugins=False)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS)
    conn.execute("PRAGMA foreign_keys = ON")
    # no plugins: a workspace must behave the same whatever else is installed
    db = sqlite_utils.Database(conn, execute_plugins=False)
    if wal:
        db.enable_wal()
    conn.execute("PRAGMA synchronous = NORMAL")
    return db
