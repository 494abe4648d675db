"""Reading a spend file row by row, whatever its format and encoding.

Files are streamed, never loaded whole: a county's year is 100,000+ lines and
memory stays flat whatever the size. CSV goes through the ``csv`` module,
XLSX through openpyxl's read-only mode.

Encoding, and why not a general detector: councils' finance systems write
UTF-8 (with or without a byte-order mark) or Windows-1252, and sometimes a
BOM followed by Windows-1252 bytes. Strict UTF-8 either decodes a whole file
or fails on its first non-UTF-8 byte, so checking it (in C, a few ms for a
county's year) is exact, where a statistical detector guesses and can pick a
cousin code page that turns ``£`` into something else. Only a file that is
neither goes to ``charset-normalizer``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lga_desktop.errors import UsageError
from lga_desktop.money import MoneyError, parse_money
from lga_desktop.periods import quarter_of

__all__ = [
    "SpendFileError",
    "SourceRows",
    "open_rows",
    "detect_encoding",
    "DateReader",
    "read_amount",
    "CellError",
]


class SpendFileError(UsageError):
    """A file that cannot be read as a spend file at all; the message says why."""


class CellError(ValueError):
    """One cell that cannot be read; the message is the reason shown beside its line."""


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHUNK = 1 << 20


def detect_encoding(path: Path) -> tuple[str, int]:
    """The file's encoding and how many BOM bytes to skip.

    UTF-16 has its BOM; a UTF-8 BOM is followed by UTF-8 or (some exports)
    Windows-1252; otherwise strict UTF-8, else Windows-1252, else whatever
    charset-normalizer finds.
    """
    with open(path, "rb") as f:
        head = f.read(4)
        skip = 0
        for bom, name in BOMS:
            if head.startswith(bom):
                if name == "utf-16":
                    return "utf-16", 0
                skip = len(bom)
                break
        f.seek(skip)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8", skip
        except UnicodeDecodeError:
            pass
        f.seek(skip)
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            return "cp1252", skip
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None:
        raise SpendFileError(
            f"{path.name} is not a text file lga-desktop can read; save it as CSV (UTF-8) or XLSX"
        )
    return best.encoding, 0


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Hashed(io.RawIOBase):
    """A file's bytes as they are read, hashed on the way (one pass, not two)."""

    def __init__(self, raw: io.BufferedReader, digest: Any) -> None:
        self.raw, self.digest = raw, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.digest.update(memoryview(buffer)[:n])
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass
class SourceRows:
    """A stream of a file's rows: ``(line_number, cells)``, with its size for progress."""

    rows: Iterator[tuple[int, list]]
    encoding: str  # "xlsx" for a workbook
    size: int  # bytes, for progress
    position: object  # callable -> bytes read so far
    sha256: Callable[[], str]  # the file's SHA-256 (a CSV's is taken as it is read)

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close:
            close()


def open_rows(path: Path) -> SourceRows:
    """Open a CSV or XLSX file for streaming. Raises :class:`SpendFileError`."""
    path = Path(path)
    if not path.is_file():
        raise SpendFileError(f"there is no file at {path}")
    size = path.stat().st_size
    if size == 0:
        raise SpendFileError(f"{path.name} is empty")
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path, size)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpendFileError(
            f"{path.name} is an old-style Excel (.xls) file; open it in Excel and save it "
            "as .xlsx or .csv, then import that"
        )
    return _csv_rows(path, size)


def _csv_rows(path: Path, size: int) -> SourceRows:
    encoding, skip = detect_encoding(path)
    with open(path, "rb") as f:
        f.seek(skip)
        first_line = f.read(64 * 1024).decode(encoding, errors="replace").split("\n", 1)[0]
    # the delimiter the header line uses most (Sniffer guesses badly on one line)
    delimiter = max(",;\t|", key=first_line.count)

    raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by the generator below
    digest = hashlib.sha256(raw.read(skip))
    hashed = _Hashed(raw, digest)
    text = io.TextIOWrapper(io.BufferedReader(hashed), encoding=encoding, newline="")

    def sha256() -> str:
        """The whole file's hash: what the rows read went through, and any rest."""
        if not raw.closed:
            while chunk := raw.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()

    def rows() -> Iterator[tuple[int, list]]:
        try:
            reader = csv.reader(text, delimiter=delimiter)
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as exc:
            raise SpendFileError(
                f"{path.name} is not a well-formed CSV file near line {reader.line_num} ({exc})"
            ) from None
        except UnicodeDecodeError as exc:
            raise SpendFileError(f"{path.name} has text lga-desktop cannot read ({exc})") from None
        finally:
            text.close()

    return SourceRows(rows(), encoding, size, raw.tell, sha256)


def _xlsx_rows(path: Path, size: int) -> SourceRows:
    import openpyxl

    from lga_desktop.workbook import check_workbook_size, sheet_rows

    check_workbook_size(path, SpendFileError)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpendFileError(
            f"{path.name} is not a workbook lga-desktop can read ({exc})"
        ) from None
    sheet = book.worksheets[0]
    total_rows = sheet.max_row or 0  # as the sheet declares it: for progress only
    done = [0]

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for number, cells in enumerate(sheet_rows(sheet, SpendFileError, path.name), 1):
                done[0] = number
                yield number, ["" if c is None else c for c in cells]
        finally:
            book.close()

    # progress in rows scaled to bytes, so the caller need not care
    def position() -> int:
        return size * min(done[0], total_rows) // total_rows if total_rows else 0

    return SourceRows(rows(), "xlsx", size, position, lambda: file_sha256(path))


# ---- cells ------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1 Jan 1900, counting Excel's 29 Feb 1900
FIRST_DATE = date(1995, 1, 1)
LAST_DATE = date(2099, 12, 31)


class DateReader:
    """Reads a date cell to ``(iso, quarter_key)``, remembering what it has read.

    A year of spend has a few hundred distinct dates, so the cache makes the
    common case one dictionary look-up. Accepts dd/mm/yyyy (or with ``-`` or
    ``.``, or a two-digit year, read as 20yy), ISO, ``7 Apr 2015`` and
    ``07-Apr-15``, Excel serial numbers and Excel date cells; a trailing time
    is ignored. Anything else raises :class:`CellError`: a date is never
    guessed.
    """

    def __init__(self) -> None:
        self.cache: dict[object, tuple[str, str]] = {}

    def __call__(self, value: object) -> tuple[str, str]:
        found = self.cache.get(value)
        if found is not None:
            return found
        day = self._read(value)
        if not FIRST_DATE <= day <= LAST_DATE:
            raise CellError(f"date {day:%d/%m/%Y} is not a plausible payment date")
        result = (day.isoformat(), quarter_of(day).key)
        self.cache[value] = result  # every cell type a reader yields is hashable
        return result

    def _read(self, value: object) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, bool):
            raise CellError("the date is a yes/no value")
        if isinstance(value, int | float | Decimal):
            return _serial(value)
        text = str(value).strip()
        if not text:
            raise CellError("no date")
        parts = text.split()
        first = parts[0]
        # a time after the date (``07/04/2015 00:00:00``) says nothing about the day
        if len(parts) == 2 and ":" in parts[1]:
            text = first
        head = text.replace(".", "/").replace("-", "/")
        bits = head.split("/")
        try:
            if len(bits) == 3 and all(b.isdigit() for b in bits):
                a, b, c = bits
                if len(a) == 4:  # ISO
                    return date(int(a), int(b), int(c))
                if len(c) == 4:
                    return date(int(c), int(b), int(a))
                if len(c) == 2:
                    return date(2000 + int(c), int(b), int(a))
            if "T" in text and text[:4].isdigit():  # ISO with a time
                return datetime.fromisoformat(text).date()
            words = text.replace("-", " ").replace("/", " ").replace(",", " ").split()
            if len(words) == 3 and words[0].isdigit() and words[2].isdigit():
                month = _MONTHS.get(words[1].lower())
                if month:
                    year = int(words[2])
                    year += 2000 if year < 100 else 0
                    return date(year, month, int(words[0]))
            number = text.replace(",", "")
            if number.replace(".", "", 1).isdigit():
                return _serial(Decimal(number))
        except ValueError as exc:
            raise CellError(f"{text!r} is not a real date ({exc})") from None
        raise CellError(f"{text!r} is not a date (expected dd/mm/yyyy)")


def _serial(value: int | float | Decimal) -> date:
    """An Excel serial day number (the fraction is the time of day)."""
    days = int(value)
    if not 1 <= days <= 2_958_465:
        raise CellError(f"{value} is not a date")
    return _EXCEL_EPOCH + timedelta(days=days)


# "£1,234.50", "(1,234.50)", "£1234.5": pounds with a pound sign, thousands
# commas or accounting brackets, as finance systems export them
_GROUPED = re.compile(r"£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d\d?))?", re.ASCII)


def _grouped_pence(s: str) -> int | None:
    """Pence for the common decorated forms, or None for anything else.

    It reads exactly what :func:`money.parse_money` reads for these forms (a
    test checks), a dozen times faster, which matters when a file writes every
    amount this way.
    """
    if s[:1] == "(" and s[-1:] == ")":
        match = _GROUPED.fullmatch(s, 1, len(s) - 1)
        sign = -1
    else:
        match = _GROUPED.fullmatch(s)
        sign = 1
    if match is None:
        return None
    pounds, pennies = match.groups()
    return sign * (int(pounds.replace(",", "")) * 100 + int((pennies or "0").ljust(2, "0")))


def read_amount(value: object) -> int:
    """An amount cell to pence. Plain ``1234.5`` and ``-12``, and ``£1,234.50``
    and ``(500)``, take fast paths; the rest go through :func:`money.parse_money`.

    Raises :class:`CellError` with the reason.
    """
    if isinstance(value, str):
        s = value.strip()
        body = s[1:] if s[:1] == "-" else s
        whole, dot, frac = body.partition(".")
        if whole.isdigit() and whole.isascii():
            if not dot:
                pence = int(whole) * 100
                return -pence if body is not s else pence
            if frac.isdigit() and frac.isascii():
                if len(frac) > 2:
                    if frac[2:].strip("0"):
                        raise CellError(f"{value!r} includes a fraction of a penny")
                    frac = frac[:2]
                pence = int(whole) * 100 + int(frac.ljust(2, "0"))
                return -pence if body is not s else pence
        pence = _grouped_pence(s)
        if pence is not None:
            return pence
        if not s:
            raise CellError("no amount")
        try:
            return parse_money(s)
        except MoneyError as exc:
            raise CellError(str(exc)) from None
    if isinstance(value, bool):
        raise CellError("the amount is a yes/no value")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        # a workbook's number: Excel keeps 15 significant digits, so 1054.11
        # may arrive as 1054.1100000000001; anything further from a whole
        # penny than that is a real fraction of a penny
        exact = Decimal(repr(value))
        pence = exact.quantize(Decimal("0.01"))
        if abs(exact - pence) > Decimal("0.000001"):
            raise CellError(f"{value} includes a fraction of a penny")
        return int(pence * 100)
    if isinstance(value, Decimal):
        try:
            return parse_money(value)
        except MoneyError as exc:
            raise CellError(str(exc)) from None
    if value is None:
        raise CellError("no amount")
    raise CellError(f"{value!r} is not an amount")
