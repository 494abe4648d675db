"""The council's workspace: one SQLite file holding its registers.

Create one with :meth:`Workspace.create`, open one with :meth:`Workspace.open`.
Opening refuses files that are not workspaces, that a newer lga-desktop wrote,
or that are damaged, each with a message that says what to do. Rolling backups
(SQLite's online backup API) are kept in a folder beside the file.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lga_desktop import __version__
from lga_desktop.councils import Council, council_by_gss
from lga_desktop.db import (
    WORKSPACE_APPLICATION_ID,
    connect,
    is_sqlite_file,
    known_migration_names,
    migrate,
    schema_version,
)
from lga_desktop.db.file import DatabaseFile
from lga_desktop.db.migrations import MIGRATIONS
from lga_desktop.db.programme_schema import PROGRAMME_APPLICATION_ID
from lga_desktop.errors import LgaError, UsageError

__all__ = [
    "Workspace",
    "WorkspaceError",
    "Officer",
    "Backup",
    "WORKSPACE_SUFFIX",
    "default_workspace_dir",
]

WORKSPACE_SUFFIX = ".lgaws"
BACKUPS_KEPT = 10


class WorkspaceError(LgaError):
    """A file that cannot be used as a workspace; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Officer:
    name: str
    role: str
    email: str


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int

    @property
    def label(self) -> str:
        return f"{self.taken_at:%d %b %Y %H:%M:%S}  ({self.size // 1024:,} KB)"


def default_workspace_dir() -> Path:
    """A sensible per-user folder for workspaces: Documents/LGA returns."""
    home = Path.home()
    docs = home / "Documents"
    return (docs if docs.is_dir() or sys.platform != "linux" else home) / "LGA returns"


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


class Workspace(DatabaseFile):
    """An open workspace file. Use as a context manager or call :meth:`close`."""

    # ---- opening -----------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str,
        council_gss: str,
        officer: Officer | None = None,
    ) -> Workspace:
        """Create a new, empty workspace for a council. Refuses to overwrite a file."""
        path = Path(path)
        council = council_by_gss(council_gss)
        if path.exists():
            raise UsageError(f"{path} already exists; choose another name or open it instead")
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(path)
        try:
            db.execute(f"PRAGMA application_id = {WORKSPACE_APPLICATION_ID}")
            migrate(db)
            ws = cls(path, db)
            with db.atomic():
                ws.set_meta("council_gss", council.gss)
                ws.set_meta("created_at", _now().isoformat(timespec="seconds"))
                ws.set_meta("created_by_version", __version__)
                if officer:
                    ws.set_officer(officer)
        except BaseException:
            db.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        return ws

    @classmethod
    def open(
        cls, path: Path | str, *, check_integrity: bool = True, upgrade: bool = True
    ) -> Workspace:
        """Open a workspace, migrating it to this version's schema.

        ``upgrade=False`` only checks the file (a backup about to be restored
        is read, never changed). Raises :class:`WorkspaceError` when the file
        is not a workspace, was written by a newer lga-desktop, or is damaged.
        """
        path = Path(path)
        if not path.exists():
            raise UsageError(f"there is no workspace at {path}")
        if path.is_dir():
            raise UsageError(f"{path} is a folder; choose a workspace file ({WORKSPACE_SUFFIX})")
        if not is_sqlite_file(path):
            raise WorkspaceError(
                f"{path.name} is not an lga-desktop workspace (it is not a database file)"
            )
        try:
            db = connect(path, wal=False)
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(
                f"{path.name} could not be read as a workspace ({exc}); restore it from a backup"
            ) from exc
        try:
            ws = cls(path, db)
            ws._check_identity()
            if check_integrity:
                ws._check_integrity()
            if upgrade:
                if MIGRATIONS.pending(db):
                    if schema_version(db) > 0:
                        ws.backup(reason="before-upgrade")
                    migrate(db)
                db.enable_wal()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise WorkspaceError(
                f"{path.name} could not be read as a workspace ({exc}); restore it from a backup"
            ) from exc
        except BaseException:
            db.close()
            raise
        return ws

    def _check_identity(self) -> None:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        if app_id == PROGRAMME_APPLICATION_ID:
            raise WorkspaceError(
                f"{self.path.name} is the LGA's programme file, not a council's workspace; "
                "open it with File > Open programme (LGA)…, or 'lga-desktop --programme'"
            )
        if app_id != WORKSPACE_APPLICATION_ID:
            raise WorkspaceError(
                f"{self.path.name} is a database, but not an lga-desktop workspace; "
                "open a workspace file or create a new one"
            )
        unknown = [
            m.name for m in MIGRATIONS.applied(self.db) if m.name not in known_migration_names()
        ]
        if unknown:
            raise WorkspaceError(
                f"{self.path.name} was saved by a newer version of lga-desktop "
                f"(it has schema change {unknown[-1]}); install the newer version to open it"
            )

    def _check_integrity(self) -> None:
        problems = [r[0] for r in self.db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise WorkspaceError(
                f"{self.path.name} is damaged ({problems[0]}); use File > Restore from backup"
            )

    # ---- facts about the workspace ----------------------------------------

    @property
    def council(self) -> Council:
        return council_by_gss(self.get_meta("council_gss"))

    @property
    def officer(self) -> Officer | None:
        data = self.get_meta("officer")
        return Officer(**data) if data else None

    def set_officer(self, officer: Officer) -> None:
        self.set_meta(
            "officer", {"name": officer.name, "role": officer.role, "email": officer.email}
        )

    @property
    def schema_version(self) -> int:
        return schema_version(self.db)

    def counts(self) -> dict[str, int]:
        """Rows per register, for `info` and the dashboard."""
        from lga_desktop.features import features

        existing = set(self.db.table_names())
        return {
            label: self.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            for feature in features()
            for label, table in feature.counted_tables.items()
            if table in existing
        }

    # ---- backups -----------------------------------------------------------

    @property
    def backups_dir(self) -> Path:
        return backups_dir_of(self.path)

    def backup(self, *, reason: str = "") -> Backup:
        """Copy the workspace, consistently, into the backups folder; keep the newest ten."""
        self.backups_dir.mkdir(exist_ok=True)
        taken = _now()
        suffix = f"-{reason}" if reason else ""
        target = (
            self.backups_dir
            / f"{self.path.stem}-{taken:%Y%m%d-%H%M%S-%f}{suffix}{WORKSPACE_SUFFIX}"
        )
        dest = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        self._prune_backups()
        return Backup(target, taken, target.stat().st_size)

    def list_backups(self) -> list[Backup]:
        """Backups of this workspace, newest first."""
        return list_backups_of(self.path)

    def _prune_backups(self) -> None:
        for old in self.list_backups()[BACKUPS_KEPT:]:
            old.path.unlink(missing_ok=True)

    def restore(self, backup: Path | Backup) -> Backup:
        """Replace the workspace's contents with a backup's.

        The backup is checked first (a workspace, of the same council); the
        current state is itself backed up, so a restore can be undone.
        Returns that safety backup.
        """
        source = backup.path if isinstance(backup, Backup) else Path(backup)
        with Workspace.open(source, upgrade=False) as candidate:
            if candidate.get_meta("council_gss") != self.get_meta("council_gss"):
                raise WorkspaceError(
                    f"{source.name} is a backup of {candidate.council.official_name}, "
                    f"not of {self.council.official_name}"
                )
            safety = self.backup(reason="before-restore")
            keys_now = _signing_key_rows(self.db)
            candidate.db.conn.backup(self.db.conn)
        if MIGRATIONS.pending(self.db):  # a backup from before an upgrade
            migrate(self.db)
        _keep_signing_keys(self.db, keys_now)
        return safety

    def auto_backup(self, *, max_age_hours: int = 24) -> Backup | None:
        """Back up when the newest backup is older than ``max_age_hours`` (on open)."""
        newest = self.list_backups()[:1]
        if newest and (_now() - newest[0].taken_at).total_seconds() < max_age_hours * 3600:
            return None
        return self.backup()


def _signing_key_rows(db: Any) -> list[tuple]:
    if not db["signing_keys"].exists():
        return []
    return db.execute("SELECT * FROM signing_keys ORDER BY rowid").fetchall()


def _keep_signing_keys(db: Any, rows: list[tuple]) -> None:
    """After a restore, the signing keys are the ones the workspace had just before it.

    A backup from before a key rotation holds the old key, still active and
    with its (encrypted) private half; restoring the registers must not bring
    that key back to sign with. So the rows the workspace had replace the
    backup's, in their order (the newest active row is the current key).
    """
    if not rows:
        return
    columns = [c[1] for c in db.execute("PRAGMA table_info(signing_keys)").fetchall()]
    marks = ", ".join("?" * len(columns))
    with db.atomic():
        db.conn.executemany(
            "DELETE FROM signing_keys WHERE fingerprint = ?", [(r[0],) for r in rows]
        )
        db.conn.executemany(
            f"INSERT INTO signing_keys ({', '.join(columns)}) VALUES ({marks})", rows
        )


def backups_dir_of(path: Path) -> Path:
    """The folder beside a workspace where its backups are kept."""
    return path.with_name(f"{path.stem} backups")


def list_backups_of(path: Path | str) -> list[Backup]:
    """Backups of the workspace at ``path``, newest first (it need not open)."""
    path = Path(path)
    folder = backups_dir_of(path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"{path.stem}-*{WORKSPACE_SUFFIX}"):
        stat = p.stat()
        found.append(Backup(p, datetime.fromtimestamp(stat.st_mtime).astimezone(), stat.st_size))
    found.sort(key=lambda b: b.path.name, reverse=True)
    return found


def restore_damaged(path: Path | str, backup: Path | Backup) -> Path:
    """Put a backup in place of a workspace that will not open; return where the old file went.

    Nothing is deleted: the damaged file (and its -wal/-shm companions) is
    renamed beside the workspace with ``.damaged-<time>`` added, so it can be
    sent to support.
    """
    path = Path(path)
    source = backup.path if isinstance(backup, Backup) else Path(backup)
    with Workspace.open(source, upgrade=False):  # the backup must itself be sound
        pass
    stamp = f"{_now():%Y%m%d-%H%M%S}"
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    if path.exists():
        path.rename(moved)
    for companion in ("-wal", "-shm"):
        extra = Path(f"{path}{companion}")
        if extra.exists():
            extra.rename(Path(f"{moved}{companion}"))
    src = sqlite3.connect(str(source))
    dest = sqlite3.connect(str(path))
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
    return moved


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
        "counts": ws.counts(),
        "size_bytes": os.path.getsize(ws.path),
    }
