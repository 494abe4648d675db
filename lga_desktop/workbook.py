"""What every workbook the program writes shares (openpyxl, imported only when one is made).

Register exports (``registers.excel``) and the programme report
(``consolidation.report_xlsx``) use one look for header rows, one money format
and one way of writing numbers. openpyxl writes a number with 16 significant
digits of its binary float (``97726971.15`` becomes ``97726971.15000001``);
:func:`number_cell` writes a ``Decimal`` as its own exact text instead, so the
file holds exactly the amount in pounds and pence that the program computed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = [
    "MONEY_FORMAT",
    "header_cells",
    "number_cell",
    "set_widths",
    "check_workbook_size",
    "sheet_rows",
    "short_text",
]

MONEY_FORMAT = '"£"#,##0.00'
HEADER_FILL = "DDE6F0"
MAX_WIDTH = 60

# ---- reading a workbook someone sent: limits checked before and while parsing ----

#: the most a workbook may unpack to, in all (a county's year of spend is ~150 MB)
MAX_UNPACKED_BYTES = 1_000_000_000
#: a part that unpacks to more than this many times its packed size is a zip bomb
MAX_RATIO = 200
#: ...unless it is small anyway
RATIO_CHECKED_FROM = 20_000_000
#: rows read from one sheet, and cells read from one row
MAX_ROWS = 3_000_000
MAX_COLUMNS = 256
#: a run of this many blank rows ends the sheet (files padded with empty rows)
BLANK_RUN_ENDS_SHEET = 1_000
#: Excel's own limit on a cell's text: anything longer did not come from Excel
MAX_CELL_CHARS = 32_767


def check_workbook_size(path, error: type[Exception]) -> None:
    """Refuse, before parsing, a workbook that would unpack to too much (a zip bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the reader says so in its own words
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED_BYTES:
        raise error(
            f"{path.name} unpacks to {total // 1_000_000:,} MB, more than lga-desktop reads "
            f"({MAX_UNPACKED_BYTES // 1_000_000:,} MB); split it, or save it as CSV"
        )
    for part in parts:
        if part.file_size > RATIO_CHECKED_FROM and part.file_size > MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise error(
                f"{path.name} is not an ordinary workbook (its part {part.filename} unpacks "
                f"to {part.file_size // max(part.compress_size, 1):,} times its size); open it "
                "in Excel and save it again, or save it as CSV"
            )


def sheet_rows(sheet, error: type[Exception], name: str):
    """A read-only sheet's rows (tuples of values), within the limits above.

    The sheet's declared size is ignored (openpyxl would pad every row out to
    it: a small file declaring a million rows by 16,384 columns took 4.5 GB);
    rows stop after a long run of blank ones; cells past ``MAX_COLUMNS`` and
    text past ``MAX_CELL_CHARS`` are left out.
    """
    sheet.reset_dimensions()
    blank_run = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
        if number > MAX_ROWS:
            raise error(
                f"{name} has more than {MAX_ROWS:,} rows, more than lga-desktop reads from one "
                "sheet; split it"
            )
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            blank_run += 1
            if blank_run >= BLANK_RUN_ENDS_SHEET:
                return
        else:
            blank_run = 0
        yield tuple(
            v[:MAX_CELL_CHARS] if isinstance(v, str) and len(v) > MAX_CELL_CHARS else v for v in row
        )


def short_text(text: str, limit: int = 200) -> str:
    """Text kept in a report (a refused cell's reason), cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header_cells(sheet, headings: list[str]) -> list[Any]:
    """A header row to append to a sheet: bold, shaded, wrapped."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    cells = []
    for text in headings:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def number_cell(sheet, value: int | Decimal, number_format: str | None = None, *, bold=False):
    """A number cell to append to a sheet; a ``Decimal`` is written as its exact text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, Decimal) and value.is_finite():
        cell = WriteOnlyCell(sheet, value=f"{value:f}")
        cell.data_type = "n"  # the text goes into the file as the number's value
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def set_widths(sheet, widths: list[float], limit: float = MAX_WIDTH) -> None:
    """Column widths in characters, the first column first; none wider than ``limit``."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width, limit)
