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
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

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
    # an entry no return has: a part added after signing, or some other ZIP altogether
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
    """The entries of a return container, in directory order, read defensively by hand.

    Not :mod:`zipfile`: which bytes make a file "damaged" rather than
    "tampered" must not depend on one library's tolerance (trailing bytes, a
    comment, a local header that disagrees), so the steps are the ones
    ``docs/return-format.md`` section 2.3 gives, and any verifier can follow
    them. The end record must be the file's last 22 bytes and the directory
    must be whole (else ``damaged``); each entry is checked from the
    directory before anything is read (``unsafe``, ``not-a-return``,
    ``too-large``, ``tampered``); its bytes are taken at the offset the
    directory gives and must match its CRC-32 (``damaged``). Everything else
    about the layout is the canonical-ZIP comparison's job.

    With ``caps`` (entry name -> most bytes it may hold, ``mimetype`` first),
    an entry of another name, or larger than its cap, is refused unread.
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
    directory = _read_directory(data)
    if len(directory) > MAX_ENTRIES:
        raise ContainerError(
            "unsafe", f"the file holds {len(directory)} entries; a return has only a handful"
        )
    seen: set[str] = set()
    total = 0
    ours = bool(directory) and directory[0].name == "mimetype"
    for entry in directory:
        check_name(entry.name)
        if entry.name in seen:
            raise ContainerError("unsafe", f"the file holds two entries named {entry.name!r}")
        seen.add(entry.name)
        if caps is not None:
            _check_cap(entry.name, entry.size, caps, ours)
        if entry.size > MAX_ENTRY_BYTES or total + entry.size > MAX_FILE_BYTES:
            raise ContainerError(
                "unsafe",
                f"the entry {entry.name!r} would unpack to {_mb(entry.size)}, far "
                "more than a return holds (this looks like a ZIP bomb); nothing was unpacked",
            )
        total += entry.size
        if entry.flags & 0x1:
            raise ContainerError(
                "unsafe", f"the entry {entry.name!r} is encrypted; a return never is"
            )
        if entry.flags:
            raise ContainerError(
                "not-a-return", f"the entry {entry.name!r} uses ZIP features a return never uses"
            )
        if entry.method != 0:
            raise ContainerError(
                "not-a-return",
                f"the entry {entry.name!r} is compressed; the entries of a return are "
                "stored as they are",
            )
    return [(entry.name, _read_content(data, entry)) for entry in directory]


@dataclass(frozen=True)
class _Entry:
    name: str
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int


def _damaged(why: str) -> ContainerError:
    return ContainerError(
        "damaged",
        f"the file is incomplete or damaged and cannot be opened ({why}); "
        "it may have been cut short while being copied or e-mailed",
    )


def _read_directory(data: bytes) -> list[_Entry]:
    """The central directory, from the end record that must close the file."""
    if len(data) < 22 or data[-22:-18] != b"PK\x05\x06":
        raise _damaged("it does not end with a ZIP end record")
    _sig, disk, cd_disk, here, count, cd_size, cd_offset, comment = struct.unpack(
        "<IHHHHIIH", data[-22:]
    )
    if disk or cd_disk or here != count or comment:
        raise _damaged("its end record is not that of a one-part ZIP without a comment")
    if cd_offset + cd_size != len(data) - 22:
        raise _damaged("its directory is not where its end record says")
    entries = []
    at = cd_offset
    for _ in range(count):
        if at + 46 > len(data) - 22 or data[at : at + 4] != b"PK\x01\x02":
            raise _damaged("its directory is cut short")
        (flags, method, crc, compressed, size, name_len, extra_len, comment_len) = struct.unpack(
            "<HH4xIIIHHH", data[at + 8 : at + 34]
        )
        offset = struct.unpack("<I", data[at + 42 : at + 46])[0]
        raw_name = data[at + 46 : at + 46 + name_len]
        at += 46 + name_len + extra_len + comment_len
        if at > len(data) - 22:
            raise _damaged("its directory is cut short")
        try:
            name = raw_name.decode("ascii")
        except UnicodeDecodeError:
            name = raw_name.decode("latin-1")  # refused by check_name, shown escaped
        entries.append(_Entry(name, flags, method, crc, compressed, size, offset))
    if at != len(data) - 22:
        raise _damaged("its directory holds more than its end record counts")
    return entries


def _read_content(data: bytes, entry: _Entry) -> bytes:
    """The entry's bytes at the offset the directory gives, checked against its CRC-32."""
    head = entry.offset
    if head + 30 > len(data) or data[head : head + 4] != b"PK\x03\x04":
        raise ContainerError(
            "damaged", f"the entry {entry.name!r} is damaged: its header is not where it should be"
        )
    name_len, extra_len = struct.unpack("<HH", data[head + 26 : head + 30])
    start = head + 30 + name_len + extra_len
    content = data[start : start + entry.size]
    if entry.compressed != entry.size or len(content) != entry.size:
        raise ContainerError("damaged", f"the entry {entry.name!r} is not the size its header says")
    if zlib.crc32(content) & 0xFFFFFFFF != entry.crc:
        raise ContainerError(
            "damaged",
            f"the entry {entry.name!r} is damaged: it was changed or corrupted on the way "
            "(its CRC-32 does not match)",
        )
    return content
