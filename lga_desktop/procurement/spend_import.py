"""Importing a council's "spend over £500" file: streamed, exact, all or nothing.

:func:`import_spend` reads a CSV or XLSX file row by row, recognises its
columns (:mod:`.headers`), reads each date and amount exactly (:mod:`.reading`),
files each line under its supplier and source category, skips lines already in
the workspace (same transaction reference and amount) and writes everything in
one transaction (:mod:`.spend_lines` does the per-line work): cancelled or
failed, the workspace is as it was. The
:class:`ImportReport` says what happened to every row: read, imported,
duplicate, refused (with its line number and reason), and the total imported
to the penny.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from lga_desktop.councils import Council, body_is_council
from lga_desktop.errors import NotValidError, UsageError
from lga_desktop.money import format_money
from lga_desktop.procurement.headers import (
    FIELD_LABELS,
    ColumnMapping,
    header_signature,
    looks_like_header,
    recognise,
)
from lga_desktop.procurement.import_report import ImportReport
from lga_desktop.procurement.reading import open_rows
from lga_desktop.procurement.spend_lines import (
    add_to_summary,
    import_session,
    is_blank,
    write_lines,
)
from lga_desktop.progress import NO_PROGRESS, Progress
from lga_desktop.workspace import Workspace

__all__ = [
    "ImportReport",
    "ColumnMappingNeeded",
    "NotThisCouncil",
    "other_bodies",
    "import_spend",
    "read_header",
    "remove_import",
    "remove_import_with_backup",
    "remember_mapping",
]

HEADER_SEARCH_ROWS = 20


class ColumnMappingNeeded(UsageError):
    """The file's columns could not all be recognised; the officer must say which is which."""

    def __init__(self, file_name: str, proposal: ColumnMapping) -> None:
        self.file_name = file_name
        self.proposal = proposal
        missing = " and ".join(FIELD_LABELS[f].lower() for f in proposal.missing)
        columns = ", ".join(repr(h) for h in proposal.headers if str(h).strip())
        super().__init__(
            f"{file_name}: lga-desktop could not tell which column holds the {missing} "
            f"(its columns are {columns}); map them in the import window, or run again "
            f'with --map, e.g. --map date="When paid"'
        )


class NotThisCouncil(UsageError):
    """The file names another body, or dates no spend of this council can have."""

    def __init__(self, file_name: str, problems: list[str]) -> None:
        self.file_name = file_name
        self.problems = problems
        super().__init__(
            f"{file_name} was not imported: {'; '.join(problems)}. Check that it is this "
            "council's file; to import it anyway, confirm it in the import window or run "
            "again with --other-body."
        )


# the earliest a spend line can sensibly be dated: spend files began with the 2010 transparency code
EARLIEST_SPEND = date(2005, 4, 1)


def other_bodies(ws: Workspace, where: str, params: list[Any]) -> list[tuple[str, int, int]]:
    """(body name, lines, pence) of spend lines (``where`` on ``spend_line``) not this council's."""
    council = ws.council
    rows = ws.db.execute(
        "SELECT body_name, COUNT(*), SUM(amount_pence) FROM spend_line "
        f"WHERE body_name IS NOT NULL AND body_name != '' AND {where} GROUP BY body_name",
        params,
    ).fetchall()
    return [(b, n, p) for b, n, p in rows if not body_is_council(council, b)]


def _belonging_problems(
    ws: Workspace, report: ImportReport, today: date, bodies: set[str]
) -> list[str]:
    """Why the lines just imported may not be this council's (empty: they are).

    ``bodies`` are the body names the file's lines gave and ``report``'s first
    and last dates those of every line read: the lines imported are among
    them, so when these are all this council's, no query need look.
    """
    row = ws.db.execute(
        "SELECT first_line_id, last_line_id FROM spend_import WHERE id = ?", [report.import_id]
    ).fetchone()
    if row is None or row[0] is None:
        return []
    where, params = "id BETWEEN ? AND ?", [row[0], row[1]]
    council = ws.council
    problems = []
    if not all(body_is_council(council, body) for body in bodies):
        problems = [
            f"its body column names {body!r} ({lines:,} lines, {format_money(pence)}), "
            f"not {council.official_name}"
            for body, lines, pence in other_bodies(ws, where, params)[:3]
        ]
    earliest = max(EARLIEST_SPEND.isoformat(), council.start or "")
    first, last = report.first_date, report.last_date
    if (first and first < earliest) or (
        last and (last > today.isoformat() or _ended(council, last))
    ):
        first, last = ws.db.execute(
            f"SELECT MIN(spend_date), MAX(spend_date) FROM spend_line WHERE {where}", params
        ).fetchone()
    if first and first < earliest:
        problems.append(f"it has spend dated {first}, before {earliest}")
    if last and last > today.isoformat():
        problems.append(f"it has spend dated {last}, after today")
    if last and _ended(council, last):
        problems.append(f"it has spend dated {last}, after the council ended on {council.end}")
    return problems


def _ended(council: Council, last: str) -> bool:
    """Whether spend dated ``last`` is on or after the day the council ended."""
    return bool(council.end and last >= council.end)


# ---- the header ----------------------------------------------------------------


def _find_header(rows: Iterator[tuple[int, list]]) -> tuple[int, list[str], Iterator]:
    """The header row (title rows above it are skipped) and the rows after it."""
    peeked: list[tuple[int, list]] = []
    for line, cells in rows:
        if is_blank(cells):
            continue
        peeked.append((line, cells))
        if looks_like_header(cells):
            return line, [str(c).strip() for c in cells], rows
        if len(peeked) >= HEADER_SEARCH_ROWS:
            break
    if not peeked:
        raise UsageError("the file has no rows")
    # nothing looks like a header: the first row is one the officer must map
    line, cells = peeked[0]
    return line, [str(c).strip() for c in cells], itertools.chain(peeked[1:], rows)


def read_header(path: Path | str, ws: Workspace | None = None) -> ColumnMapping:
    """The file's header row and the mapping lga-desktop would use (for the mapping step)."""
    path = Path(path)
    source = open_rows(path)
    try:
        _, headers, _ = _find_header(source.rows)
    finally:
        source.close()
    return _choose_mapping(ws, headers, None)


def _choose_mapping(
    ws: Workspace | None, headers: list[str], given: dict[str, str] | None
) -> ColumnMapping:
    mapping = None
    if ws is not None:
        row = ws.db.execute(
            "SELECT mapping FROM spend_column_mapping WHERE signature = ?",
            [header_signature(headers)],
        ).fetchone()
        if row:
            try:
                mapping = ColumnMapping.from_headers(headers, json.loads(row[0]))
                mapping.remembered = True
            except (KeyError, ValueError):
                mapping = None
    if mapping is None:
        mapping = recognise(headers)
    if given:
        for fld, header in given.items():
            if fld not in FIELD_LABELS:
                raise UsageError(
                    f"{fld!r} is not a spend-file field; use one of {', '.join(FIELD_LABELS)}"
                )
            if not header or header == "-":
                mapping.columns.pop(fld, None)
                continue
            try:
                mapping.columns[fld] = ColumnMapping.from_headers(headers, {fld: header}).columns[
                    fld
                ]
            except (KeyError, ValueError):
                raise UsageError(
                    f"the file has no column called {header!r} (for {FIELD_LABELS[fld].lower()})"
                ) from None
    return mapping


def remember_mapping(ws: Workspace, mapping: ColumnMapping) -> None:
    """Keep the officer's mapping for every later file with the same headers."""
    ws.db.execute(
        "INSERT INTO spend_column_mapping (signature, headers, mapping, saved_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (signature) DO UPDATE SET "
        "headers = excluded.headers, mapping = excluded.mapping, saved_at = excluded.saved_at",
        [
            mapping.signature,
            json.dumps(mapping.headers),
            json.dumps(mapping.by_header()),
            datetime.now(UTC).isoformat(timespec="seconds"),
        ],
    )


# ---- the import ------------------------------------------------------------------


def import_spend(
    ws: Workspace,
    path: Path | str,
    *,
    columns: dict[str, str] | None = None,
    remember: bool = True,
    strict: bool = False,
    other_body: bool = False,
    progress: Progress = NO_PROGRESS,
    today: date | None = None,
) -> ImportReport:
    """Import one spend file into the workspace, all or nothing.

    ``columns`` maps fields to header names where the officer chose them (the
    rest are recognised); with ``remember`` the choice is kept for later files
    with the same headers. Rows that cannot be read are refused and reported;
    with ``strict`` any refused row refuses the whole file
    (:class:`NotValidError`). Raises :class:`ColumnMappingNeeded` when the
    date, amount or supplier column cannot be found, and
    :class:`~lga_desktop.progress.Cancelled` when cancelled; either way
    nothing is written. The file must be this council's: a body column naming
    another body, or dates no spend of the council can have (before 2005 or
    the council began, after today or after it ended), refuse it
    (:class:`NotThisCouncil`) unless ``other_body`` says to import it anyway.
    """
    path = Path(path)
    report = ImportReport(file=path.name)
    source = open_rows(path)
    try:
        report.encoding = source.encoding
        try:
            report.header_line, headers, rows = _find_header(source.rows)
        except UsageError as exc:
            raise UsageError(f"{path.name}: {exc}") from None
        mapping = _choose_mapping(ws, headers, columns)
        if mapping.missing:
            raise ColumnMappingNeeded(path.name, mapping)
        report.columns = mapping.by_header()
        report.unread_columns = mapping.unread
        if "reference" not in mapping.columns:
            report.warnings.append(
                "The file has no transaction reference column, so a line imported twice "
                "cannot be recognised as a duplicate."
            )
        if "category" not in mapping.columns and "code" not in mapping.columns:
            report.warnings.append(
                "The file has no expenditure category column; its spend is unmapped until "
                "you map it on the Categories page."
            )
        with import_session(ws), ws.atomic():
            bodies = write_lines(ws, report, mapping, rows, source, progress)
            problems = _belonging_problems(ws, report, today or date.today(), bodies)
            if problems and not other_body:
                raise NotThisCouncil(path.name, problems)
            report.warnings += [f"Imported although {p}." for p in problems]
            if strict and report.refused:
                line, reason = report.refused[0]
                raise NotValidError(
                    f"{path.name} was not imported: {len(report.refused):,} rows were refused "
                    f"(first: line {line}, {reason})"
                )
            if remember and columns:
                remember_mapping(ws, mapping)
    finally:
        source.close()
    return report


def remove_import(ws: Workspace, import_id: int) -> int:
    """Take an import's lines out of the workspace; returns how many lines went."""
    with ws.atomic():
        row = ws.db.execute(
            "SELECT first_line_id, last_line_id FROM spend_import WHERE id = ?", [import_id]
        ).fetchone()
        if row is None:
            raise UsageError(f"there is no import number {import_id}")
        first, last = row
        removed = 0
        if first is not None:
            add_to_summary(ws.db.conn, first, last, sign=-1)
            removed = ws.db.execute(
                "DELETE FROM spend_line WHERE id BETWEEN ? AND ? AND import_id = ?",
                [first, last, import_id],
            ).rowcount
        ws.db.execute("DELETE FROM spend_import WHERE id = ?", [import_id])
    return removed


def remove_import_with_backup(ws: Workspace, import_id: int):
    """Undo an import (the CLI's ``remove-import``, the window's Remove import): backup, then remove."""
    row = ws.db.execute("SELECT file_name FROM spend_import WHERE id = ?", [import_id]).fetchone()
    if row is None:
        raise UsageError(f"there is no import number {import_id}; see the list of imports")
    backup = ws.backup(reason=f"before removing import {import_id} of {row[0]}")
    return remove_import(ws, import_id), backup


def list_imports(ws: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "id": r[0],
            "file": r[1],
            "imported_at": r[2],
            "rows_read": r[3],
            "imported": r[4],
            "duplicates": r[5],
            "refused": r[6],
            "total_pence": r[7],
        }
        for r in ws.db.execute(
            "SELECT id, file_name, imported_at, rows_read, imported, duplicates, refused, "
            "total_pence FROM spend_import ORDER BY id DESC"
        )
    ]
