"""Rolling backups of a file of ours, in a folder beside it (SQLite's online backup API).

Each backup is made under a temporary name, synced, and renamed (owner-only),
so a kill or a full disk never leaves half a backup for a restore to pick;
lists show only backups whose header matches their size (:func:`looks_whole`).
A backup may be named for what it was taken before ("before import of
spend.csv"); named and routine ones are pruned apart, ten of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lga_desktop.atomic_write import replacing
from lga_desktop.db.connection import SQLITE_HEADER, copy_database
from lga_desktop.errors import os_failure

__all__ = [
    "Backup",
    "BACKUPS_KEPT",
    "backups_dir_of",
    "looks_whole",
    "list_backups_of",
    "take_backup",
]

BACKUPS_KEPT = 10


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int
    name: str = ""  # what it was taken for ("before import of spend.csv"), or ""

    @property
    def label(self) -> str:
        named = f"  {self.name}" if self.name else ""
        return f"{self.taken_at:%d %b %Y %H:%M:%S}  ({self.size // 1024:,} KB){named}"


def backups_dir_of(path: Path) -> Path:
    """The folder beside a workspace (or programme file) where its backups are kept."""
    return path.with_name(f"{path.stem} backups")


def _slug(reason: str) -> str:
    """A backup's name as it can stand in a file name on every system."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", reason).strip("-.")[:60]


def _backup_name(path: Path, stem: str) -> str:
    """What a backup was taken for, from its file name ('' for a routine one)."""
    rest = path.name[len(stem) + 1 : -len(path.suffix)]
    parts = rest.split("-", 3)  # date, time, microseconds, name
    return parts[3].replace("-", " ") if len(parts) == 4 else ""


def looks_whole(path: Path, application_id: int) -> bool:
    """A cheap check that a SQLite file of ours is complete: its header's page count fits its size.

    A backup cut short by a kill or a full disk (from before backups were
    written under a temporary name) fails it.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(head) < 100 or head[:16] != SQLITE_HEADER:
        return False
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    counter_ok = head[24:28] == head[92:96]
    return (
        int.from_bytes(head[68:72], "big") == application_id
        and counter_ok
        and pages > 0
        and pages * page_size == size
    )


def list_backups_of(path: Path, suffix: str, application_id: int) -> list[Backup]:
    """Whole backups of the file at ``path``, newest first (it need not open)."""
    folder = backups_dir_of(path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"{path.stem}-*{suffix}"):
        if not looks_whole(p, application_id):
            continue
        stat = p.stat()
        found.append(
            Backup(
                p,
                datetime.fromtimestamp(stat.st_mtime).astimezone(),
                stat.st_size,
                _backup_name(p, path.stem),
            )
        )
    found.sort(key=lambda b: b.path.name, reverse=True)
    return found


def take_backup(conn, path: Path, suffix: str, application_id: int, reason: str = "") -> Backup:
    """Copy the open database ``conn`` (the file at ``path``) into its backups folder."""
    folder = backups_dir_of(path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise os_failure(exc, folder.name) from None
    taken = datetime.now(UTC).astimezone()
    slug = _slug(reason)
    named = f"-{slug}" if slug else ""
    target = folder / f"{path.stem}-{taken:%Y%m%d-%H%M%S-%f}{named}{suffix}"
    with replacing(target, "The backup", private=True) as tmp:
        copy_database(conn, tmp)
    kept = list_backups_of(path, suffix, application_id)
    for is_named in (True, False):  # a day of named bulk work never pushes out the routine ones
        for old in [b for b in kept if bool(b.name) == is_named][BACKUPS_KEPT:]:
            old.path.unlink(missing_ok=True)
    return Backup(target, taken, target.stat().st_size, _backup_name(target, path.stem))
