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

__all__ = ["MONEY_FORMAT", "header_cells", "number_cell", "set_widths"]

MONEY_FORMAT = '"£"#,##0.00'
HEADER_FILL = "DDE6F0"
MAX_WIDTH = 60


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
