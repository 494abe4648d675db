"""One owner per file: the lock a window or a command holds while it writes a file of ours.

SQLite's own locks are POSIX advisory locks on the database file, and closing
*any* descriptor of that file in the process drops them all (a file dialog
that peeks at the file is enough). So the owner's lock is not on the database
but on a sidecar beside it (``.NAME.lock``), taken with the ``filelock``
package: ``flock`` on Linux and macOS, ``LockFileEx`` on Windows. Neither is
dropped by closing another descriptor, and the system releases both when the
owner dies, so a crashed owner never leaves the file stuck.

Who holds it is written to ``.NAME.owner`` (user, machine, since, process),
so anyone refused is told in one sentence who has the file and what to do.
Read-only work (``info``, ``programme``, ``verify``, backups) takes no lock:
it opens the database read-only, which never checkpoints or deletes another
process's journal.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import filelock

from lga_desktop.errors import FileAccessError, FileBusyError

__all__ = ["OwnerLock", "take_ownership", "holder_of", "lock_path_of", "owner_path_of"]


def lock_path_of(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def owner_path_of(path: Path) -> Path:
    return path.with_name(f".{path.name}.owner")


def _me() -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment (a service account)
        user = "another user"
    return {
        "user": user,
        "machine": socket.gethostname() or "this computer",
        "since": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "pid": os.getpid(),
    }


def holder_of(path: Path) -> dict | None:
    """What the owner wrote about itself, or None (not written yet, or unreadable)."""
    try:
        data = json.loads(owner_path_of(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def busy_message(path: Path, what: str) -> str:
    """One sentence: who has the file, since when, and what to do."""
    holder = holder_of(path)
    if holder is None:
        return (
            f"{path.name} is open for writing in another lga-desktop window or command; "
            f"close it there and try again, or work on a copy"
        )
    try:
        since = datetime.fromisoformat(holder["since"]).strftime("%d %b %Y %H:%M")
    except (KeyError, TypeError, ValueError):
        since = "earlier"
    if holder.get("pid") == os.getpid() and holder.get("machine") == socket.gethostname():
        return (
            f"{path.name} is already open in another window of this program; switch to that window"
        )
    return (
        f"{path.name} is open for writing by {holder.get('user', 'another user')} on "
        f"{holder.get('machine', 'another computer')} since {since}; close the {what} "
        f"there and try again, or open a copy of it"
    )


class OwnerLock:
    """The held lock; :meth:`release` when the file is closed."""

    def __init__(self, path: Path, lock: filelock.BaseFileLock, noted: bool = True) -> None:
        self.path = path
        self._lock = lock
        self._noted = noted

    def release(self) -> None:
        if self._lock.is_locked:
            if self._noted:
                owner_path_of(self.path).unlink(missing_ok=True)
            self._lock.release()


#: how long opening waits for another owner to finish (a command that is about to end)
OWNER_WAIT_SECONDS = 1.0


def take_ownership(
    path: Path, what: str = "file", *, wait: float | None = None, note: bool = True
) -> OwnerLock:
    """Lock ``path`` for this process's writing, or raise saying who has it.

    :class:`FileBusyError` when another window or process owns it;
    :class:`FileAccessError` when the folder cannot be written (a read-only
    place: the file can only be read there).
    """
    path = Path(path)
    timeout = OWNER_WAIT_SECONDS if wait is None else wait
    lock = filelock.FileLock(
        str(lock_path_of(path)), timeout=timeout, mode=0o600, thread_local=False
    )
    try:
        lock.acquire()
    except filelock.Timeout:
        raise FileBusyError(busy_message(path, what)) from None
    except OSError as exc:
        raise FileAccessError(
            f"{path.name} cannot be changed where it is ({exc.strerror or exc}); copy it to "
            f"a folder you can write to and open the copy"
        ) from None
    owner = OwnerLock(path, lock, note)
    if not note:  # a reader holding it for a moment: the owner note would mislead
        return owner
    with suppress(Exception):  # the note is a courtesy: the lock is what protects the file
        _write_note(owner_path_of(path), json.dumps(_me()).encode())
    return owner


def _write_note(path: Path, data: bytes) -> None:
    """The owner note, owner-only, written in place without syncing it to disk.

    It is a courtesy read only while its writer holds the lock: a note cut short
    by a crash reads as unreadable (:func:`holder_of` gives None, and the busy
    message says so in general terms), so it is not worth two fsyncs on every
    open (tens of milliseconds on some laptops' disks).
    """
    # never through a link someone left in its place (O_NOFOLLOW: POSIX; Windows has none)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
