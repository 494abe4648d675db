"""The errors the core raises for a person to read.

Every message is one sentence an officer can act on. The CLI prints it as one
line on stderr and the window shows it in a message box; neither shows a
traceback.
"""


class LgaError(Exception):
    """Base of every error whose message is meant for the user."""


class UsageError(LgaError):
    """The request itself is wrong (a missing file, an unknown council code)."""


class NotValidError(LgaError):
    """The thing checked is not valid (validation failed, signature bad): CLI exit 1."""


class DamagedFileError(LgaError):
    """The file is damaged (SQLite says corrupt or not a database, or it fails our checks).

    Only this error leads to a file being moved aside and a backup put back; a
    file that is busy, read-only or out of reach is never called damaged.
    """


class FileBusyError(LgaError):
    """Another window or program has the file open for writing (or holds a lock on it)."""


class FileAccessError(LgaError):
    """The file or its folder cannot be read or written (read-only, no permission, disk full)."""


def os_failure(exc: OSError, name: str) -> LgaError:
    """A file-system error in words: disk full, read-only, no permission, out of reach."""
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return FileAccessError(
            f"the disk is full while writing {name}; free some space and try again"
        )
    if exc.errno == errno.EROFS:
        return FileAccessError(
            f"{name} is on a read-only disk; copy it to a folder you can write to and try again"
        )
    if isinstance(exc, PermissionError):
        return FileAccessError(
            f"you do not have permission to change {name}; choose a folder of your own"
        )
    return FileAccessError(
        f"{name} could not be read or written ({exc.strerror or exc}); check the drive and "
        "try again"
    )
