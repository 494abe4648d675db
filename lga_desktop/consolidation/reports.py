"""The programme report for the LGA Board: a period's figures as XLSX, CSV or PDF.

``write_report(figures, path)`` chooses the format by the file's suffix. All
three carry the same content (``report_tables.report_content``) for a
quarter, a financial year or the programme to date: headline figures, savings
by workstream, quarter, council and kind, SME share by council, spend by
category, the pipeline, 120-day compliance, CAP funding, plans and outputs,
experts by council and specialism, councils per workstream, breakdowns by
council type and region, the returns counted (council, version, signed at,
signer, key fingerprint, return hash), the missing returns and the annexes.
Every total is the figures module's exact sum of the returns counted.

- **.xlsx** (``report_xlsx``): a Summary sheet, then one sheet per table.
  Money is a number in pounds with a £ format, written as the exact decimal
  text of the integer pence (``1234.50``), never through a binary float;
  percentages are numbers with a % format (0.182 shows as 18.2%).
- **.csv**: one tidy "long" file, UTF-8 with a BOM so that Excel reads it
  right, that pivots well. Columns ``table, council_gss, council, item,
  quarter, measure, value, unit``: ``quarter`` is the report's period (a
  quarter, a year such as ``2012/13``, or ``Programme to date``); ``item`` is the workstream, spend category
  or CAP output the row is about (empty in the council tables); money is
  pounds as exact decimal text (``1234.50``, unit ``GBP``); percentages are
  ``18.2`` (unit ``percent``); days are ``12.5`` (unit ``days``); a CAP
  output's unit is its own (``FTE``, ``m²``...); moments are ISO 8601. Rows
  with an empty ``council_gss`` are programme-wide (a total or a programme
  figure): leave them out before summing councils in a pivot.
- **.pdf** (``report_pdf``): an A4 report for the Board, "Page x of y" and
  the date it was made on every page, ending with the returns counted and
  their return hashes, so each figure can be traced to signed files.

The file is written to a temporary name beside ``path`` and takes its name
only when complete (``atomic_write``): a failure or a cancel leaves no half
file, and an earlier report of that name as it was.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from lga_desktop.atomic_write import replacing
from lga_desktop.consolidation.figures import ProgrammeFigures
from lga_desktop.consolidation.report_tables import (
    ALL_COUNCILS,
    ReportContent,
    exact_text,
    report_content,
)
from lga_desktop.errors import UsageError
from lga_desktop.progress import NO_PROGRESS, Progress

__all__ = ["SUFFIXES", "CSV_COLUMNS", "write_report"]

SUFFIXES = (".xlsx", ".csv", ".pdf")
CSV_COLUMNS = ("table", "council_gss", "council", "item", "quarter", "measure", "value", "unit")


def write_report(
    figures: ProgrammeFigures,
    path: Path | str,
    *,
    progress: Progress = NO_PROGRESS,
    generated_on: date | None = None,
) -> Path:
    """Write the Board report for ``figures`` to ``path`` (.xlsx, .csv or .pdf); return the path.

    Raises :class:`UsageError` for another suffix, a missing folder or a file
    that cannot be saved, and :class:`~lga_desktop.progress.Cancelled` when
    ``progress`` is cancelled; in every case nothing is left at ``path``
    (or what was there is unchanged).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        choices = " or ".join(filter(None, (", ".join(SUFFIXES[:-1]), SUFFIXES[-1])))
        raise UsageError(
            f"{path.name}: a programme report is written as {choices}; "
            "choose a file name ending in one of them"
        )
    content = report_content(figures, generated_on)
    steps = len(content.tables) + 1
    progress.update(0, steps, f"Writing the {suffix[1:].upper()} report…")
    with replacing(path, what="The report") as tmp:
        if suffix == ".csv":
            _write_csv(content, tmp, progress)
        elif suffix == ".xlsx":
            from lga_desktop.consolidation.report_xlsx import write_xlsx

            write_xlsx(content, tmp, progress)
        else:
            from lga_desktop.consolidation.report_pdf import write_pdf

            write_pdf(content, tmp, progress)
    progress.update(steps, steps, "")
    return path


def _write_csv(content: ReportContent, path: Path, progress: Progress) -> None:
    steps = len(content.tables) + 1
    with path.open("w", newline="", encoding="utf-8-sig") as f:  # the BOM tells Excel it is UTF-8
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for h in content.headlines:
            writer.writerow(
                ["summary", "", ALL_COUNCILS, "", content.quarter, h.key]
                + [exact_text(h.cell), h.cell.csv_unit]
            )
        for i, table in enumerate(content.tables, start=1):
            progress.update(i, steps, f"Writing {table.title}…")
            for row in table.rows:
                for column, cell in zip(table.columns, row.cells, strict=True):
                    if not column.in_csv:
                        continue
                    writer.writerow(
                        [table.key, row.council_gss, row.council, row.item, content.quarter]
                        + [column.key, exact_text(cell), cell.csv_unit]
                    )
