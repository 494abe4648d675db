"""The ZIP container of a return: one exact layout, written and read with suspicion.

A return is a ZIP whose entries are all *stored* (not compressed) with fixed
header fields (``docs/return-format.md``, "The container"). That choice is
what lets a single signature protect every byte of the file: each byte is
either inside a part (covered by its SHA-256 in the signed manifest) or ZIP
bookkeeping that :func:`canonical_zip` re-creates exactly from the parts, so
the reader can insist the file is byte-for-byte the canonical ZIP of what it
holds. Compression would leave bytes (a deflate stream's padding bits) that
can change without changing a part. The PDF inside is already compressed and
the JSON is small, so little is lost.

Reading treats the file as hostile: sizes, entry counts and names are
checked before anything is read, nothing is ever extracted to disk, and every
failure is a :class:`ContainerError` with a reason in words.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable

from lga_desktop.errors import NotValidError

__all__ = [
    "ContainerError",
    "canonical_zip",
    "read_entries",
    "MAX_FILE_BYTES",
    "MAX_ENTRIES",
    "MAX_ENTRY_BYTES",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 48 * 1024 * 1024
MAX_ENTRIES = 64
MAX_NAME = 120

# 1980-01-01 00:00:00 in MS-DOS form: the ZIP epoch, the same for every return
DOS_TIME = 0
DOS_DATE = (0 << 9) | (1 << 5) | 1
ZIP_VERSION = 20  # 2.0

SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*")


class ContainerError(NotValidError):
    """The file is not a well-formed return container; ``code`` says what kind of problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_name(name: str) -> None:
    """Refuse any entry name a return never has, before anything else is looked at."""
    if len(name) > MAX_NAME:
        raise ContainerError("unsafe", f"the file holds an entry with a {len(name)}-character name")
    shown = name.encode("unicode_escape").decode("ascii")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise ContainerError(
            "unsafe",
            f"the file holds an entry with an absolute path ({shown!r}); "
            "a return never has one, so it was refused unread",
        )
    if ".." in name.replace("\\", "/").split("/") or "\\" in name:
        raise ContainerError(
            "unsafe",
            f"the file holds an entry whose name climbs out of its folder ({shown!r}); "
            "a return never has one, so it was refused unread",
        )
    if not SAFE_NAME.fullmatch(name):
        raise ContainerError(
            "unsafe", f"the file holds an entry with a name a return never uses ({shown!r})"
        )


def canonical_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """The one ZIP layout of a return: stored entries, fixed fields, no extras, no comments."""
    out = io.BytesIO()
    central = io.BytesIO()
    count = 0
    for name, data in entries:
        raw_name = name.encode("ascii")
        crc = zlib.crc32(data) & 0xFFFFFFFF
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                ZIP_VERSION,
                0,  # flags
                0,  # stored
                DOS_TIME,
                DOS_DATE,
                crc,
                len(data),
                len(data),
                len(raw_name),
                0,  # extra length
            )
        )
        out.write(raw_name)
        out.write(data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                ZIP_VERSION,  # made by (MS-DOS, 2.0)
                ZIP_VERSION,  # needed
                0,
                0,
                DOS_TIME,
                DOS_DATE,
                crc,
                len(data),
                len(data),
                len(raw_name),
                0,  # extra
                0,  # comment
                0,  # disk
                0,  # internal attributes
                0,  # external attributes
                offset,
            )
        )
        central.write(raw_name)
        count += 1
    cd = central.getvalue()
    cd_offset = out.tell()
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(cd), cd_offset, 0))
    return out.getvalue()


def _check_cap(name: str, size: int, caps: dict[str, int], looks_like_ours: bool) -> None:
    if name not in caps and not looks_like_ours:
        raise ContainerError(
            "not-a-return",
            f"the file is a ZIP but not an lga-desktop return (it holds {name!r}, which a "
            "return never has)",
        )
    if name not in caps:
        raise ContainerError(
            "tampered",
            f"the file holds a part that was not signed ({name}): something was added after "
            "signing",
        )
    if size > caps[name]:
        raise ContainerError(
            "too-large",
            f"the part {name} declares {size:,} bytes, more than it may hold ({caps[name]:,}); "
            "it was not read",
        )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def read_entries(data: bytes, caps: dict[str, int] | None = None) -> list[tuple[str, bytes]]:
    """The entries of a return container, in file order, read defensively.

    Raises :class:`ContainerError` for a file that is empty, too large, not a
    ZIP, cut short, holding too many entries, unsafe or duplicate names,
    compressed or encrypted entries, or entries that would unpack too large.
    With ``caps`` (entry name -> most bytes it may hold), an entry of another
    name, or larger than its cap, is refused before anything is read.
    """
    if not data:
        raise ContainerError("damaged", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ContainerError(
            "too-large",
            f"the file is {_mb(len(data))}, more than a return can be ({_mb(MAX_FILE_BYTES)})",
        )
    if not data.startswith(b"PK\x03\x04"):
        raise ContainerError("not-a-return", "the file is not an lga-desktop return (not a ZIP)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        ValueError,
        struct.error,
        NotImplementedError,
        RuntimeError,
        OSError,
        KeyError,
        IndexError,
    ) as exc:
        raise ContainerError(
            "damaged",
            f"the file is incomplete or damaged and cannot be opened ({exc}); "
            "it may have been cut short while being copied or e-mailed",
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ContainerError(
                "unsafe", f"the file holds {len(infos)} entries; a return has only a handful"
            )
        seen: set[str] = set()
        total = 0
        for info in infos:
            check_name(info.filename)
            if info.filename in seen:
                raise ContainerError(
                    "unsafe", f"the file holds two entries named {info.filename!r}"
                )
            seen.add(info.filename)
            if caps is not None:
                _check_cap(info.filename, info.file_size, caps, infos[0].filename in caps)
            if info.file_size > MAX_ENTRY_BYTES or total + info.file_size > MAX_FILE_BYTES:
                raise ContainerError(
                    "unsafe",
                    f"the entry {info.filename!r} would unpack to {_mb(info.file_size)}, far "
                    "more than a return holds (this looks like a ZIP bomb); nothing was unpacked",
                )
            total += info.file_size
            if info.flag_bits & 0x1:
                raise ContainerError(
                    "unsafe", f"the entry {info.filename!r} is encrypted; a return never is"
                )
            if info.flag_bits:
                raise ContainerError(
                    "not-a-return",
                    f"the entry {info.filename!r} uses ZIP features a return never uses",
                )
            if info.compress_type != zipfile.ZIP_STORED:
                raise ContainerError(
                    "not-a-return",
                    f"the entry {info.filename!r} is compressed; the entries of a return are "
                    "stored as they are",
                )
        entries = []
        for info in infos:
            try:
                with zf.open(info) as f:
                    content = f.read(info.file_size + 1)
            except (
                zipfile.BadZipFile,
                EOFError,
                ValueError,
                OSError,
                struct.error,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                raise ContainerError(
                    "damaged",
                    f"the entry {info.filename!r} is damaged: it was changed or corrupted on "
                    f"the way ({exc})",
                ) from None
            if len(content) != info.file_size:
                raise ContainerError(
                    "damaged", f"the entry {info.filename!r} is not the size its header says"
                )
            entries.append((info.filename, content))
    return entries
