"""Opening a SQLite file with the pragmas every connection needs.

:class:`Database` is the connection every file of ours uses. It behaves as a
sqlite-utils ``Database`` does for the calls we make (``execute`` commits a
write made outside a transaction; ``atomic`` nests as savepoints) without
importing sqlite-utils, which with click, pluggy and dateutil costs 50-80 ms:
a quarter of the window's start-up and of every CLI run. sqlite-utils comes in
only when a file needs a migration (:meth:`Database.utils`, see
:mod:`lga_desktop.db.migrations`).
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"

#: how long a connection waits for another program's lock before saying the file is busy
BUSY_TIMEOUT_SECONDS = 30.0

# statements that start, end or name a transaction: never committed behind the caller's back
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


def is_sqlite_file(path: Path) -> bool:
    """True when the file starts with the SQLite header (an empty file is not one)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _first_keyword(sql: str) -> str:
    """The statement's first word, upper-cased, after blanks, ``;`` and comments."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in ";\ufeff":
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            j = i
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            return sql[i:j].upper()
    return ""


class Database:
    """A SQLite connection with sqlite-utils' transaction rules, and no sqlite-utils import."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._savepoints = itertools.count(1)  # names unique on this connection
        self._utils: sqlite_utils.Database | None = None
        self.execute("PRAGMA recursive_triggers = on")

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None):
        """Run one statement. A write outside a transaction is committed at once, as
        sqlite-utils does (Python's sqlite3 would leave it in an open transaction)."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed statement's implicit transaction
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    def executescript(self, sql: str) -> sqlite3.Cursor:
        """Several statements; inside a transaction they join it (no implicit commit)."""
        if self.conn.in_transaction:
            cursor = self.conn.cursor()
            for statement in _statements(sql):
                cursor.execute(statement)
            return cursor
        return self.conn.executescript(sql)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction; nested inside another, a savepoint. Everything or nothing."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"lga_{next(self._savepoints)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # an error may already have ended the whole transaction
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def table_names(self) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]

    def has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
        return row is not None

    def execute_returning_dicts(self, sql: str, parameters: Sequence | None = None) -> list[dict]:
        cursor = self.execute(sql, parameters)
        keys = [d[0] for d in cursor.description]
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]

    def enable_wal(self) -> None:
        """Write-ahead logging (outside a transaction, as SQLite requires)."""
        (mode,) = self.conn.execute("PRAGMA journal_mode").fetchone()
        if mode != "wal":
            self._outside_transaction("PRAGMA journal_mode = wal")

    def _outside_transaction(self, sql: str) -> None:
        if self.conn.in_transaction:
            raise sqlite3.OperationalError(f"{sql} cannot run inside a transaction")
        level = self.conn.isolation_level
        self.conn.isolation_level = None
        try:
            self.conn.execute(sql)
        finally:
            self.conn.isolation_level = level

    def utils(self) -> sqlite_utils.Database:
        """The same connection as a sqlite-utils ``Database`` (imported on first use: migrations)."""
        if self._utils is None:
            import sqlite_utils

            # no plugins: a file must behave the same whatever else is installed
            self._utils = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._utils

    def close(self) -> None:
        self.conn.close()


def _statements(sql: str) -> Iterator[str]:
    """The complete statements of a script, in order."""
    current = ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            yield current
            current = ""
    if current.strip():
        yield current


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


def connect(path: Path | str, *, wal: bool = True, read_only: bool = False) -> Database:
    """A :class:`Database` with foreign keys on and WAL journaling.

    ``read_only`` opens the file so that nothing about it can change: no
    write, no checkpoint, and no deleting of a journal that another process
    is using when this connection closes (``mode=ro``).

    ``check_same_thread=False`` because a worker thread may use a connection it
    was handed; the UI never uses one connection from two threads at once
    (background work opens its own connection, see ``Workspace.reopen``).
    """
    if read_only:
        return Database(_read_only(Path(path)))
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    if wal:
        db.enable_wal()
    conn.execute("PRAGMA synchronous = NORMAL")
    return db


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy an open database, as one consistent snapshot, into a new file (no journal left)."""
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
