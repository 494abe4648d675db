"""Saving a file whole or not at all.

Everything the program saves for people to keep (returns, exports, reports,
the trusted-keys list) is written to a temporary file beside the target and
moved over it with ``os.replace`` only when it is complete, so a crash, a full
disk or a cancel never leaves half a file, and an older file of that name
stays as it was. The temporary file is in the same folder, so the move is one
rename on the same file system.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lga_desktop.errors import UsageError

__all__ = ["replacing", "write_bytes"]


@contextmanager
def replacing(path: Path | str, what: str = "The file") -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; it becomes ``path`` if the block ends well.

    If the block raises, the temporary file is removed, ``path`` is untouched
    and the exception goes on. A file-system failure (no such folder, no
    permission, disk full) is raised as :class:`UsageError`:
    ``"{what} could not be saved to {path} ({reason})"``.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise UsageError(f"{what} could not be saved: the folder {path.parent} does not exist")
    # a name of its own (two saves of one file at once do not meet), created with the
    # usual permissions, unlike tempfile's private 0600 files
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        open(tmp, "xb").close()
    except OSError as exc:
        raise UsageError(_why(what, path, exc)) from None
    try:
        yield tmp
        with open(tmp, "rb+") as f:  # on disk before it takes the name
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(_why(what, path, exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: Path | str, data: bytes, what: str = "The file") -> None:
    """Save ``data`` as ``path`` whole or not at all (see :func:`replacing`)."""
    with replacing(path, what) as tmp:
        tmp.write_bytes(data)


def _why(what: str, path: Path, exc: OSError) -> str:
    return f"{what} could not be saved to {path} ({exc.strerror or exc})"
