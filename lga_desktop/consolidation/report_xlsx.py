"""The Board report as a workbook (openpyxl, imported only when one is made).

A Summary sheet (the headline figures, then what each sheet holds), then one
sheet per table with its header row frozen and filters on. Money is a number
in pounds with a £ format, written as the exact decimal text of its integer
pence (``workbook.number_cell``); percentages are fractions with a % format;
days and CAP outputs are exact decimals; totals are values in bold, not
formulas, so they are the programme's own exact sums.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from lga_desktop.consolidation.report_tables import (
    CODE,
    COUNT,
    DAYS,
    MONEY,
    PERCENT,
    QUANTITY,
    WHEN,
    Cell,
    ReportContent,
    ReportTable,
    display,
)
from lga_desktop.money import pence_to_decimal
from lga_desktop.progress import Progress
from lga_desktop.workbook import MONEY_FORMAT, header_cells, number_cell, set_widths

__all__ = ["write_xlsx", "SUMMARY_SHEET"]

SUMMARY_SHEET = "Summary"
WIDEST = 70  # a return hash (64 characters) shows whole
FORMATS = {MONEY: MONEY_FORMAT, PERCENT: "0.0%", DAYS: "#,##0.0", COUNT: "#,##0"}


def _quantity_format(value: Decimal) -> str:
    places = max(0, -int(value.as_tuple().exponent))
    return "#,##0" + ("." + "0" * places if places else "")


def _cell(sheet, cell: Cell, bold: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    value = cell.value
    if value is None or value == "":
        return None
    if cell.kind == MONEY:
        return number_cell(sheet, pence_to_decimal(value), MONEY_FORMAT, bold=bold)
    if cell.kind == PERCENT:
        return number_cell(sheet, Decimal(value) / 100, FORMATS[PERCENT], bold=bold)
    if cell.kind == QUANTITY:
        return number_cell(sheet, value, _quantity_format(value), bold=bold)
    if cell.kind in FORMATS:
        return number_cell(sheet, value, FORMATS[cell.kind], bold=bold)
    out = WriteOnlyCell(sheet, value=display(cell) if cell.kind == WHEN else str(value))
    if bold:
        out.font = Font(bold=True)
    if cell.kind == CODE:
        out.font = Font(name="Consolas", bold=bold)
    return out


def _width(cell: Cell) -> int:
    return len(display(cell)) + 2


def _table_sheet(book, table: ReportTable) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(table.title)
    dims = ["Council code", "Council"] if table.council_heading else []
    dims += [table.item_heading] if table.item_heading else []
    headings = [*dims, *(c.heading for c in table.columns)]
    widths = [len(h) + 2 for h in headings]
    for row in table.rows:
        texts = [row.council_gss, row.council] if table.council_heading else []
        texts += [row.item] if table.item_heading else []
        for i, text in enumerate(texts):
            widths[i] = max(widths[i], len(text) + 2)
        for i, cell in enumerate(row.cells, start=len(dims)):
            widths[i] = max(widths[i], _width(cell))
    set_widths(sheet, [max(w, 10) for w in widths], limit=WIDEST)
    sheet.freeze_panes = f"{get_column_letter(len(dims) + 1)}2"
    sheet.append(header_cells(sheet, headings))
    if not table.rows:
        sheet.append([table.empty])
        return
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{len(table.rows) + 1}"
    for row in table.rows:
        values = [row.council_gss, row.council] if table.council_heading else []
        values += [row.item] if table.item_heading else []
        first = [_cell(sheet, Cell(v), bold=row.total) for v in values]
        sheet.append(first + [_cell(sheet, c, bold=row.total) for c in row.cells])


def _summary_sheet(sheet, content: ReportContent) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet.title = SUMMARY_SHEET
    set_widths(sheet, [34, max(24, *(_width(h.cell) for h in content.headlines)), 90], limit=90)
    sheet.freeze_panes = "A2"
    sheet.append(header_cells(sheet, ["Measure", "Value"]))
    for h in content.headlines:
        sheet.append([h.label, _cell(sheet, h.cell)])
    sheet.append([])
    title = WriteOnlyCell(sheet, value="The sheets of this report")
    title.font = Font(bold=True)
    sheet.append([title])
    for table in content.tables:
        sheet.append([table.title, None, table.about])
    sheet.append([])
    sheet.append(
        [
            f"Made on {content.generated_on:%d/%m/%Y} by lga-desktop from the signed returns "
            "listed on the sheet 'Returns counted'. Money is in pounds and pence, exact; "
            "totals are the sums of the returns counted, not formulas."
        ]
    )


def write_xlsx(content: ReportContent, path: Path, progress: Progress) -> None:
    from openpyxl import Workbook

    book = Workbook()  # a few hundred cells: in memory, so a stop leaves no temporary files
    steps = len(content.tables) + 1
    _summary_sheet(book.active, content)
    for i, table in enumerate(content.tables, start=1):
        progress.update(i, steps, f"Writing {table.title}…")
        _table_sheet(book, table)
    made = datetime.combine(content.generated_on, time())
    book.properties.created = made
    book.save(path)
    _same_bytes_every_time(path, made)


def _same_bytes_every_time(path: Path, made: datetime) -> None:
    """Rewrite the workbook with no clock in it, so one report's content is one file.

    openpyxl stamps the save time in docProps/core.xml and in every ZIP entry;
    both become the day the report was made (the returns' own fixed ZIP layout).
    """
    import re
    import zipfile

    from lga_desktop.returns.container import canonical_zip

    with zipfile.ZipFile(path) as z:
        entries = [(name, z.read(name)) for name in z.namelist()]
    stamp = f"{made:%Y-%m-%dT%H:%M:%SZ}".encode()
    entries = [
        (
            name,
            re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            if name == "docProps/core.xml"
            else data,
        )
        for name, data in entries
    ]
    path.write_bytes(canonical_zip(entries))
