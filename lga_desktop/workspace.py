"""The council's workspace: one SQLite file holding its registers.

Create one with :meth:`Workspace.create`, open one with :meth:`Workspace.open`.
Opening refuses files that are not workspaces, that a newer lga-desktop wrote,
or that are damaged, each with a message that says what to do. Rolling backups
(SQLite's online backup API) are kept in a folder beside the file.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lga_desktop import __version__
from lga_desktop.atomic_write import (
    fsync_file,
    fsync_folder,
    owner_only,
    temp_name_for,
)
from lga_desktop.councils import Council, council_by_gss
from lga_desktop.db import (
    WORKSPACE_APPLICATION_ID,
    backups,
    connect,
    known_migration_names,
    migrate,
    schema_version,
)
from lga_desktop.db.backups import Backup
from lga_desktop.db.connection import copy_database
from lga_desktop.db.file import DatabaseFile
from lga_desktop.db.migrations import MIGRATIONS
from lga_desktop.db.owner import take_ownership
from lga_desktop.db.programme_schema import PROGRAMME_APPLICATION_ID
from lga_desktop.errors import DamagedFileError, LgaError, os_failure
from lga_desktop.words import plural

__all__ = [
    "Workspace",
    "WorkspaceError",
    "WorkspaceDamagedError",
    "Officer",
    "Backup",
    "WORKSPACE_SUFFIX",
    "default_workspace_dir",
    "what_restoring_drops",
]

WORKSPACE_SUFFIX = ".lgaws"


class WorkspaceError(LgaError):
    """A file that cannot be used as a workspace; the message says why and what to do."""


class WorkspaceDamagedError(WorkspaceError, DamagedFileError):
    """The workspace is damaged: SQLite says so, or it has our id but not our tables."""


@dataclass(frozen=True, slots=True)
class Officer:
    name: str
    role: str
    email: str


def default_workspace_dir() -> Path:
    """A sensible per-user folder for workspaces: Documents/LGA returns."""
    home = Path.home()
    docs = home / "Documents"
    return (docs if docs.is_dir() or sys.platform != "linux" else home) / "LGA returns"


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


class Workspace(DatabaseFile):
    """An open workspace file. Use as a context manager or call :meth:`close`."""

    KIND = "workspace"
    SUFFIX = WORKSPACE_SUFFIX
    APPLICATION_ID = WORKSPACE_APPLICATION_ID
    DAMAGED_ADVICE = (
        "put back its newest backup with File > Restore from backup, or "
        "'lga-desktop restore WORKSPACE --newest'"
    )
    Damaged = WorkspaceDamagedError

    # ---- opening -----------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str,
        council_gss: str,
        officer: Officer | None = None,
    ) -> Workspace:
        """Create a new, empty workspace for a council and open it. Refuses to overwrite a file.

        The file is built under a temporary name and takes its own only when
        complete, so a killed or disk-full ``init`` leaves nothing in the way
        of a re-run.
        """
        path = Path(path)
        council = council_by_gss(council_gss)

        def fill(ws: Workspace) -> None:
            ws.db.execute(f"PRAGMA application_id = {WORKSPACE_APPLICATION_ID}")
            migrate(ws.db)
            with ws.db.atomic():
                ws.set_meta("council_gss", council.gss)
                ws.set_meta("created_at", _now().isoformat(timespec="seconds"))
                ws.set_meta("created_by_version", __version__)
                if officer:
                    ws.set_officer(officer)

        cls._build_new(path, fill)
        return cls.open(path, check_integrity=False)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        check_integrity: bool = True,
        upgrade: bool = True,
        read_only: bool = False,
    ) -> Workspace:
        """Open a workspace for writing (taking its owner lock), migrating it to this version's schema.

        ``read_only=True`` (or ``upgrade=False``: a backup about to be
        restored) only reads: no lock, no migration, nothing about the file
        or its journal changes. Raises :class:`WorkspaceError` when the file
        is not a workspace or was written by a newer lga-desktop,
        :class:`WorkspaceDamagedError` when it is damaged, and
        ``FileBusyError`` / ``FileAccessError`` when another program has it
        or it cannot be read or written here.
        """
        read_only = read_only or not upgrade

        def prepare(ws: Workspace) -> None:
            ws._check_identity()
            if check_integrity:
                ws._quick_check()
            if not read_only:
                if MIGRATIONS.pending(ws.db):
                    if schema_version(ws.db) > 0:
                        ws.backup(reason="before-upgrade")
                    migrate(ws.db)
                ws.db.enable_wal()

        return cls._open_checked(Path(path), read_only=read_only, prepare=prepare)

    @classmethod
    def _check_header_id(cls, path: Path, application_id: int) -> None:
        if application_id == PROGRAMME_APPLICATION_ID:
            raise WorkspaceError(
                f"{path.name} is the LGA's programme file, not a council's workspace; "
                "open it with File > Open programme (LGA)…, or 'lga-desktop --programme'"
            )

    def _check_identity(self) -> None:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        self._check_header_id(self.path, app_id)
        if app_id != WORKSPACE_APPLICATION_ID:
            raise WorkspaceDamagedError(
                f"{self.path.name} is a database, but not an lga-desktop workspace; "
                "open a workspace file or create a new one"
            )
        self._check_tables("meta", "_sqlite_migrations")
        unknown = [
            name for name in MIGRATIONS.applied(self.db) if name not in known_migration_names()
        ]
        if unknown:
            raise WorkspaceError(
                f"{self.path.name} was saved by a newer version of lga-desktop "
                f"(it has schema change {unknown[-1]}); install the newer version to open it"
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

    # ---- backups (DatabaseFile.backup, list_backups) --------------------------

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
    if not db.has_table("signing_keys"):
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


def list_backups_of(path: Path | str) -> list[Backup]:
    """Whole backups of the workspace at ``path``, newest first (it need not open)."""
    return backups.list_backups_of(Path(path), WORKSPACE_SUFFIX, WORKSPACE_APPLICATION_ID)


def newest_sound_backup(path: Path | str) -> Backup | None:
    """The newest backup that opens and passes its checks (``restore --newest``)."""
    for backup in list_backups_of(path):
        try:
            with Workspace.open(backup.path, read_only=True):
                return backup
        except LgaError:
            continue
    return None


def what_restoring_drops(current: Workspace, backup: Path) -> list[str]:
    """What putting ``backup`` back would lose that cannot be made again: signed returns.

    (The signing keys are kept by a restore itself.) What is lost stays in
    the safety backup a restore takes first; the sentence says so.
    """

    def signed(ws: Workspace) -> set[str]:
        if "signed_returns" not in set(ws.db.table_names()):
            return set()
        return {r[0] for r in ws.db.execute("SELECT return_hash FROM signed_returns")}

    with Workspace.open(backup, read_only=True) as old:
        dropped = signed(current) - signed(old)
    if not dropped:
        return []
    return [
        f"{plural(len(dropped), 'signed return')} recorded since would be dropped from the workspace "
        "(their files and the safety backup keep them)"
    ]


def _aside_name(path: Path) -> Path:
    stamp = f"{_now():%Y%m%d-%H%M%S}"
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 2
    while moved.exists() or Path(f"{moved}-wal").exists():
        moved = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    return moved


def restore_damaged(path: Path | str, backup: Path | Backup) -> Path:
    """Put a backup in place of a damaged workspace; return where the damaged file was kept.

    Nothing is deleted, and at no moment is there no workspace: the backup is
    first copied whole beside the workspace under a temporary name (synced to
    disk); the damaged file gets a second name, ``.damaged-<time>``, never one
    already used; its -wal/-shm companions move to that name too (so they
    cannot be applied to the restored file); and only then does the copy take
    the workspace's name, in one rename. The workspace's owner lock is held
    throughout: a workspace another window or program has open is never
    replaced.
    """
    path = Path(path)
    source = backup.path if isinstance(backup, Backup) else Path(backup)
    with Workspace.open(source, read_only=True):  # the backup must itself be sound
        pass
    owner = take_ownership(path, Workspace.KIND)
    tmp = temp_name_for(path)
    try:
        src = connect(source, wal=False, read_only=True)
        try:
            copy_database(src.conn, tmp)
        finally:
            src.close()
        owner_only(tmp)
        fsync_file(tmp)
        moved = _aside_name(path)
        if path.exists():
            _keep_as(path, moved)
        for companion in ("-wal", "-shm", "-journal"):
            extra = Path(f"{path}{companion}")
            if extra.exists():
                os.replace(extra, Path(f"{moved}{companion}"))
        fsync_folder(path.parent)
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except OSError as exc:
        raise os_failure(exc, path.name) from None
    finally:
        tmp.unlink(missing_ok=True)
        owner.release()
    return moved


def _keep_as(path: Path, moved: Path) -> None:
    """A second name for ``path`` that never overwrites anything (a hard link, else a copy)."""
    try:
        os.link(path, moved)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares): a copy
        with open(path, "rb") as src, open(moved, "xb") as dst:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
