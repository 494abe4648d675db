"""Saving a file whole or not at all.

Everything the program saves for people to keep (returns, exports, reports,
the trusted-keys list, backups, new workspaces and programme files) is
written to a temporary file beside the target and moved over it only when it
is complete and on disk (``fsync``), and then the folder itself is synced, so
a crash, a power cut, a full disk or a cancel never leaves half a file, and an
older file of that name stays as it was. The temporary file is in the same
folder, so the move is one rename on the same file system; its name starts
with a dot and ends ``.partial``, so nothing looking for the real file (a
backup list, a file dialog's filter) ever takes it for one.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from lga_desktop.errors import UsageError

__all__ = [
    "replacing",
    "write_bytes",
    "temp_name_for",
    "fsync_file",
    "fsync_folder",
    "publish_new",
    "owner_only",
    "PARTIAL_SUFFIX",
]

PARTIAL_SUFFIX = ".partial"


def temp_name_for(path: Path) -> Path:
    """A name of its own beside ``path`` (two saves of one file at once do not meet)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{PARTIAL_SUFFIX}")


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows makes renames durable itself)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        with suppress(OSError):  # some file systems cannot sync a folder; the rename stands
            os.fsync(fd)
    finally:
        os.close(fd)


def owner_only(path: Path) -> None:
    """Readable and writable by its owner alone (0600) on POSIX; Windows keeps the folder's ACL."""
    if sys.platform != "win32":
        with suppress(OSError):
            os.chmod(path, 0o600)


def publish_new(tmp: Path, path: Path) -> None:
    """Give a finished ``tmp`` the name ``path``, never overwriting a file already there.

    ``FileExistsError`` when ``path`` appeared meanwhile (``tmp`` is left for the
    caller to remove). On POSIX a hard link then an unlink (``rename`` would
    overwrite); on Windows ``os.rename`` refuses to overwrite by itself.
    """
    fsync_file(tmp)
    if sys.platform == "win32":
        os.rename(tmp, path)
    else:
        try:
            os.link(tmp, path)
        except OSError as exc:
            if isinstance(exc, FileExistsError):
                raise
            if path.exists():
                raise FileExistsError(str(path)) from exc
            os.rename(tmp, path)  # a file system without hard links (FAT, some shares)
        else:
            os.unlink(tmp)
    fsync_folder(path.parent)


@contextmanager
def replacing(path: Path | str, what: str = "The file", *, private: bool = False) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; it becomes ``path`` if the block ends well.

    If the block raises, the temporary file is removed, ``path`` is untouched
    and the exception goes on. A file-system failure (no such folder, no
    permission, disk full) is raised as :class:`UsageError`:
    ``"{what} could not be saved to {path} ({reason})"``. ``private`` makes
    the file owner-only (keys, backups).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise UsageError(f"{what} could not be saved: the folder {path.parent} does not exist")
    tmp = temp_name_for(path)
    try:
        open(tmp, "xb").close()
        if private:
            owner_only(tmp)
    except OSError as exc:
        raise UsageError(_why(what, path, exc)) from None
    try:
        yield tmp
        fsync_file(tmp)  # on disk before it takes the name
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(_why(what, path, exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(
    path: Path | str, data: bytes, what: str = "The file", *, private: bool = False
) -> None:
    """Save ``data`` as ``path`` whole or not at all (see :func:`replacing`)."""
    with replacing(path, what, private=private) as tmp:
        tmp.write_bytes(data)


def _why(what: str, path: Path, exc: OSError) -> str:
    return f"{what} could not be saved to {path} ({exc.strerror or exc})"
