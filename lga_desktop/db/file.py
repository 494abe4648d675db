"""What every file of ours has in common: a path, a connection, transactions, facts in ``meta``.

:class:`~lga_desktop.workspace.Workspace` (a council's registers) and
:class:`~lga_desktop.consolidation.store.Programme` (the LGA's consolidation)
both build on it; each adds its own identity checks and migrations.

Opening tells *damaged* from *busy*: a file is damaged only when SQLite says
it is corrupt or not a database, or our own checks fail (empty, our id but
no tables); a file another program has locked, a read-only file or folder, a
drive out of reach or a full disk each get their own sentence and never lead
to a file being moved aside (:func:`sqlite_failure`). Opening for writing
takes the file's owner lock (:mod:`lga_desktop.db.owner`); opening read-only
takes none and never changes the file or its journal.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Self

from lga_desktop.atomic_write import owner_only, publish_new, replacing, temp_name_for
from lga_desktop.db.connection import SQLITE_HEADER, Database, connect, copy_database
from lga_desktop.db.owner import OwnerLock, take_ownership
from lga_desktop.errors import (
    DamagedFileError,
    FileAccessError,
    FileBusyError,
    LgaError,
    UsageError,
    os_failure,
)

__all__ = ["DatabaseFile", "sqlite_failure"]


def sqlite_failure(
    exc: BaseException,
    name: str = "the file",
    damaged: type[LgaError] = DamagedFileError,
    advice: str = "restore it from a backup",
) -> LgaError:
    """What a SQLite error means for a person; only corruption is called damage."""
    code = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "is locked" in text:
        return FileBusyError(
            f"{name} is busy: another program is writing to it; try again in a moment, or "
            "close the other program"
        )
    if code.startswith("SQLITE_READONLY") or "readonly database" in text:
        return FileAccessError(
            f"{name} is read-only here (the file or its folder cannot be written); copy it to "
            "a folder you can write to and open the copy"
        )
    if code == "SQLITE_FULL" or "disk is full" in text:
        return FileAccessError(
            f"the disk holding {name} is full, so nothing was changed; free some space and "
            "try again"
        )
    if code.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) or (
        "unable to open" in text
    ):
        return FileAccessError(
            f"{name} cannot be opened (no permission, or its drive is not connected); check "
            "the file and try again"
        )
    if code.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return FileAccessError(
            f"{name} could not be read or written (a disk error: is the drive full or "
            "disconnected?); check the drive and try again"
        )
    return damaged(f"{name} is damaged ({text}); {advice}")


class DatabaseFile:
    """An open file. Use as a context manager or call :meth:`close`."""

    #: how a person calls it ("workspace", "programme file")
    KIND = "file"
    #: what to do when it is damaged
    DAMAGED_ADVICE = "restore it from a backup"
    #: the error raised for a damaged file (a subclass of :class:`DamagedFileError`)
    Damaged: type[LgaError] = DamagedFileError

    def __init__(self, path: Path, db: Database, owner: OwnerLock | None = None) -> None:
        self.path = path
        self.db = db
        self._owner = owner
        self.read_only = False

    @property
    def owned(self) -> bool:
        """True when this object holds the file's owner lock (it may write)."""
        return self._owner is not None

    def reopen(self) -> Self:
        """A second connection to the same file, for work on another thread (same owner)."""
        return type(self)(self.path, connect(self.path))

    def close(self) -> None:
        if not self.read_only:
            # what was written goes into the file itself, so a copy of the file
            # taken with the window still open is whole and up to date
            with suppress(sqlite3.Error):
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        with suppress(sqlite3.ProgrammingError):
            self.db.close()
        if self._owner is not None:
            self._owner.release()
            self._owner = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- opening -------------------------------------------------------------

    @classmethod
    def damaged(cls, path: Path, why: str) -> LgaError:
        return cls.Damaged(f"{path.name} is damaged ({why}); {cls.DAMAGED_ADVICE}")

    @classmethod
    def failure(cls, exc: BaseException, path: Path) -> LgaError:
        """A SQLite error met while opening or checking ``path``, in words."""
        if isinstance(exc, UnicodeDecodeError):  # damaged schema or meta text
            return cls.damaged(path, "its text is unreadable")
        return sqlite_failure(exc, path.name, cls.Damaged, cls.DAMAGED_ADVICE)

    @classmethod
    def _open_db(cls, path: Path, *, read_only: bool) -> tuple[Database, OwnerLock | None]:
        """Checks before SQLite, the owner lock (unless read-only), then the connection."""
        if not path.exists():
            raise UsageError(f"there is no {cls.KIND} at {path}")
        if path.is_dir():
            raise UsageError(f"{path} is a folder; choose a {cls.KIND}")
        try:
            with open(path, "rb") as f:
                header = f.read(100)
                head = header[: len(SQLITE_HEADER)]
        except OSError as exc:
            raise FileAccessError(
                f"{path.name} cannot be read ({exc.strerror or exc}); check that you may open "
                "it and that its drive is connected"
            ) from None
        if not head:
            raise cls.damaged(path, "it is empty, 0 bytes")
        if head != SQLITE_HEADER:
            raise cls.Damaged(
                f"{path.name} is not an lga-desktop {cls.KIND} (it is not a database file); "
                f"if it was one, it is damaged: {cls.DAMAGED_ADVICE}"
            )
        if len(header) == 100:  # the other kind of file says so before any lock is asked for
            cls._check_header_id(path, int.from_bytes(header[68:72], "big"))
        owner = cls._owner_for(path, read_only)
        try:
            # a reader that could take the lock (nobody is writing) reads through an
            # ordinary connection, so closing it tidies the journal away; otherwise
            # mode=ro, which never touches the writer's journal
            db = connect(path, wal=False, read_only=read_only and owner is None)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            if owner is not None:
                owner.release()
            raise cls.failure(exc, path) from exc
        return db, owner

    @classmethod
    def _owner_for(cls, path: Path, read_only: bool) -> OwnerLock | None:
        """The owner lock: required to write; taken by a reader only when free."""
        if not read_only:
            return take_ownership(path, cls.KIND)
        try:
            return take_ownership(path, cls.KIND, wait=0, note=False)
        except (FileBusyError, FileAccessError):
            return None

    @classmethod
    def _check_header_id(cls, path: Path, application_id: int) -> None:
        """Refuse the other kind of file of ours by the id in its header (subclasses)."""

    @classmethod
    def _open_checked(cls, path: Path, *, read_only: bool, prepare: Callable[[Any], None]) -> Self:
        """Open ``path`` and run ``prepare`` (identity, checks, migrations) on it.

        Whatever ``prepare`` raises closes the file and releases its lock; a
        SQLite error becomes a sentence (:meth:`failure`).
        """
        db, owner = cls._open_db(path, read_only=read_only)
        opened = cls(path, db, owner)
        opened.read_only = read_only
        try:
            prepare(opened)
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            opened.close()
            raise cls.failure(exc, path) from exc
        except BaseException:
            opened.close()
            raise
        return opened

    @classmethod
    def _build_new(cls, path: Path, fill: Callable[[Any], None]) -> None:
        """Make a new file at ``path`` whole or not at all; never overwrites one.

        ``fill`` gets the new file (journal in DELETE mode, so everything is in
        the one file) under a temporary name; once it is complete and on disk
        it takes the name. A kill, a full disk or an error leaves no file at
        ``path`` (a hidden ``.partial`` at worst), so a re-run simply starts again.
        """
        if path.exists():
            raise UsageError(f"{path} already exists; open it instead, or choose another name")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_failure(exc, path.name) from None
        tmp = temp_name_for(path)
        try:
            db = connect(tmp, wal=False)
            try:
                fill(cls(tmp, db))
            finally:
                db.close()
            owner_only(tmp)
            publish_new(tmp, path)
        except FileExistsError:
            raise UsageError(
                f"{path} already exists; open it instead, or choose another name"
            ) from None
        except OSError as exc:
            raise os_failure(exc, path.name) from None
        except sqlite3.Error as exc:
            raise sqlite_failure(exc, path.name) from exc
        finally:
            for leftover in (tmp, Path(f"{tmp}-journal")):
                with suppress(OSError):
                    leftover.unlink(missing_ok=True)

    # ---- backups ---------------------------------------------------------------

    #: the file's suffix and application id, for its backups
    SUFFIX = ""
    APPLICATION_ID = 0

    @property
    def backups_dir(self) -> Path:
        from lga_desktop.db.backups import backups_dir_of

        return backups_dir_of(self.path)

    def backup(self, *, reason: str = ""):
        """Copy the file, consistently, into the backups folder beside it (see ``db.backups``).

        ``reason`` names it ("before import of spend.csv").
        """
        from lga_desktop.db.backups import take_backup

        return take_backup(self.db.conn, self.path, self.SUFFIX, self.APPLICATION_ID, reason)

    def list_backups(self) -> list:
        """This file's whole backups, newest first."""
        from lga_desktop.db.backups import list_backups_of

        return list_backups_of(self.path, self.SUFFIX, self.APPLICATION_ID)

    def save_copy(self, out: Path | str) -> Path:
        """A consistent copy of the open file at ``out`` (for sending), whole or not at all.

        SQLite's backup API reads the file as one snapshot, so the copy is
        sound even while this or another window is writing; the copy is
        owner-only and a file of its own (its own lock, no journal).
        """
        out = Path(out)
        if out.resolve() == self.path.resolve():
            raise UsageError(f"choose another name: {out.name} is the file being copied")
        with replacing(out, "The copy", private=True) as tmp:
            copy_database(self.db.conn, tmp)
        return out

    def _check_tables(self, *tables: str) -> None:
        """Our id but missing tables: a file cut short or scribbled over."""
        missing = [t for t in tables if not self.db.has_table(t)]
        if missing:
            raise self.damaged(self.path, f"its {missing[0]} table is missing")

    def _quick_check(self) -> None:
        problems = [r[0] for r in self.db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise self.damaged(self.path, problems[0])

    # ---- facts and transactions ----------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[Database]:
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
