"""A register family to and from XLSX or CSV, driven by the declarations.

The layout is the declaration: one sheet per register (the top register
first, then the ones under it), a header row of field labels after a "Ref"
column, one row per record. Money and quantities are numbers, dates are
dates; choices, quarters and years are written as people read them. A CSV
export writes the top register to the file named and each register under it
beside it (``savings.csv`` and ``savings - Realised by quarter.csv``).

An import reads the same layout back. A row whose Ref is in the workspace
updates that record, a row with a new or blank Ref adds one; with
``replace=True`` records missing from the file are deleted. It is all or
nothing: every row is tried inside one transaction, every refusal is reported
with its sheet, row and column and why, and if any row is refused nothing is
kept. A round trip loses nothing and changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from lga_desktop.atomic_write import replacing
from lga_desktop.errors import UsageError
from lga_desktop.progress import NO_PROGRESS, Progress
from lga_desktop.registers import audit, store
from lga_desktop.registers.catalog import family, register
from lga_desktop.registers.declaration import Record, Register
from lga_desktop.registers.fields import FieldError, norm_words
from lga_desktop.workbook import header_cells, number_cell, set_widths
from lga_desktop.workspace import Workspace

__all__ = [
    "RowProblem",
    "ImportReport",
    "export_family",
    "import_family",
    "csv_paths",
    "SUFFIXES",
    "REF_HEADING",
]

SUFFIXES = (".xlsx", ".csv")
REF_HEADING = "Ref"
ABOUT_SHEET = "About this file"


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or one column) of a file was refused."""

    sheet: str
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # heading of the column at fault, "" for the row as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass
class ImportReport:
    family: str
    file: str
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    refused: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        if not self.ok:
            rows = len({(p.sheet, p.row) for p in self.refused})
            return (
                f"Nothing was imported from {self.file}: "
                f"{f'{rows} rows were' if rows != 1 else '1 row was'} refused (see why below); "
                "correct the file and import it again."
            )
        parts = []
        for label, counts in (
            ("added", self.added),
            ("changed", self.changed),
            ("unchanged", self.unchanged),
            ("deleted", self.deleted),
        ):
            n = sum(counts.values())
            if n or label == "added":
                parts.append(f"{n:,} {label}")
        return f"Imported {self.file}: " + ", ".join(parts) + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "register": self.family,
            "file": self.file,
            "ok": self.ok,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "refused": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                for p in self.refused
            ],
            "notes": self.notes,
        }


# ---- layout --------------------------------------------------------------------------


def _headings(reg: Register) -> list[str]:
    return [REF_HEADING, *(f.label for f in reg.fields)]


def _sheet_title(reg: Register) -> str:
    return "".join(c for c in reg.title if c not in "[]:*?/\\")[:31]


def csv_paths(key: str, path: Path | str) -> dict[str, Path]:
    """Where each register of a family goes in a CSV export: register key -> file."""
    path = Path(path)
    regs = family(key)
    out = {regs[0].key: path}
    for reg in regs[1:]:
        out[reg.key] = path.with_name(f"{path.stem} - {reg.title}{path.suffix}")
    return out


def _check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"{path.name}: choose a file ending .xlsx or .csv")
    return suffix


def _family_rows(ws: Workspace, key: str) -> Iterator[tuple[Register, list[Record]]]:
    links = store.Links(ws)
    for reg in family(key):
        records = store.list_records(ws, reg, links=links)
        if reg.parent:  # keep each parent's rows together, in the parents' order
            parent_order = {
                r.id: i
                for i, r in enumerate(
                    store.list_records(ws, register(reg.parent_register), links=links)
                )
            }
            records.sort(key=lambda r: parent_order.get(r.parent_id, 0))
        yield reg, records


# ---- export --------------------------------------------------------------------------


def export_family(
    ws: Workspace, key: str, path: Path | str, progress: Progress = NO_PROGRESS
) -> list[Path]:
    """Write a register family to XLSX or CSV; return the files written."""
    path = Path(path)
    suffix = _check_suffix(path)
    data = list(_family_rows(ws, key))
    total = sum(len(records) for _reg, records in data)
    if suffix == ".csv":
        return _export_csv(key, path, data, total, progress)
    return [_export_xlsx(ws, key, path, data, total, progress)]


def _export_csv(key: str, path: Path, data: list, total: int, progress: Progress) -> list[Path]:
    targets = csv_paths(key, path)
    done = 0
    written = []
    for reg, records in data:
        target = targets[reg.key]
        with (
            replacing(target, what=reg.title) as tmp,
            tmp.open("w", newline="", encoding="utf-8-sig") as f,  # the BOM tells Excel it is UTF-8
        ):
            writer = csv.writer(f)
            writer.writerow(_headings(reg))
            for rec in records:
                writer.writerow(
                    [rec.ref, *(f_.type.to_text(rec.values.get(f_.name)) for f_ in reg.fields)]
                )
                done += 1
                if done % 500 == 0:
                    progress.update(done, total, f"Writing {reg.title}")
        written.append(target)
    progress.update(total, total, "Done")
    return written


def _export_xlsx(
    ws: Workspace, key: str, path: Path, data: list, total: int, progress: Progress
) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    done = 0
    for reg, records in data:
        sheet = book.create_sheet(_sheet_title(reg))
        headings = _headings(reg)
        set_widths(sheet, [10] + [max(len(f.label) + 2, f.width or 12, 12) for f in reg.fields])
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{len(records) + 1}"
        sheet.append(header_cells(sheet, headings))
        formats = [f.type.cell_format for f in reg.fields]
        for rec in records:
            row: list[Any] = [rec.ref]
            for f, fmt in zip(reg.fields, formats, strict=True):
                value = f.type.to_cell(rec.values.get(f.name))
                if isinstance(value, Decimal):
                    row.append(number_cell(sheet, value, fmt))
                elif fmt and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = fmt
                    row.append(cell)
                else:
                    row.append(value)
            sheet.append(row)
            done += 1
            if done % 500 == 0:
                progress.update(done, total, f"Writing {reg.title}")
    about = book.create_sheet(ABOUT_SHEET)
    council = ws.council
    for line in (
        [f"{family(key)[0].title}: {council.official_name} ({council.gss})"],
        [f"Exported {datetime.now():%d/%m/%Y %H:%M} from {ws.path.name} by lga-desktop."],
        [],
        ["To import changes: keep the sheet names and the header row."],
        ["A row whose Ref is already in the workspace updates that record;"],
        ["a row with a blank Ref adds a new one. Rows under a parent name it by its Ref."],
        ["If any row cannot be read, nothing is imported and every problem is listed."],
    ):
        about.append(line)
    about.column_dimensions["A"].width = 90
    with replacing(path, what=family(key)[0].title) as tmp:
        book.save(tmp)
    progress.update(total, total, "Done")
    return path


# ---- import --------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]  # heading -> raw value


@dataclass
class _Sheet:
    reg: Register
    title: str
    headings: list[str]
    rows: list[_Row]
    is_csv: bool = False


class _Refused(Exception):
    """Raised inside the import's transaction to undo it when any row was refused."""


def _read_xlsx(path: Path, regs: tuple[Register, ...], report: ImportReport) -> list[_Sheet]:
    from openpyxl import load_workbook

    from lga_desktop.workbook import check_workbook_size, sheet_rows

    check_workbook_size(path, UsageError)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise UsageError(f"{path.name} could not be read as an Excel workbook ({exc})") from None
    try:
        by_title = {norm_words(name): name for name in book.sheetnames}
        sheets = []
        for reg in regs:
            name = by_title.get(norm_words(_sheet_title(reg))) or by_title.get(norm_words(reg.key))
            if name is None:
                continue  # a register below may be left out: its records stay as they are
            rows = sheet_rows(book[name], UsageError, f"{path.name} ({name})")
            header = next(rows, None) or ()
            headings = ["" if h is None else str(h).strip() for h in header]
            body = [
                _Row(i, dict(zip(headings, values, strict=False)))
                for i, values in enumerate(rows, start=2)
                if any(v is not None and str(v).strip() for v in values)
            ]
            sheets.append(_Sheet(reg, name, headings, body))
        known = {norm_words(_sheet_title(r)) for r in regs} | {norm_words(r.key) for r in regs}
        for name in book.sheetnames:
            if norm_words(name) not in known and name != ABOUT_SHEET:
                report.notes.append(
                    f"The sheet '{name}' is not part of this register; it was ignored."
                )
        return sheets
    finally:
        book.close()


def _decode(path: Path) -> str:
    """UTF-8 (with or without Excel's BOM), else Windows-1252, which is what Excel on a
    British council's PC writes; only then a guess, which is unreliable on short files."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise UsageError(f"{path.name} is not a text file")
    return str(best)


def _read_csv(path: Path, key: str, report: ImportReport) -> list[_Sheet]:
    sheets = []
    for reg_key, target in csv_paths(key, path).items():
        if not target.exists():
            if target == path:
                raise UsageError(f"there is no file at {path}")
            continue
        text = _decode(target)
        reader = csv.reader(text.splitlines())
        header = next(reader, [])
        headings = [h.strip() for h in header]
        body = [
            _Row(i, dict(zip(headings, values, strict=False)))
            for i, values in enumerate(reader, start=2)
            if any(v.strip() for v in values)
        ]
        sheets.append(_Sheet(register(reg_key), target.name, headings, body, is_csv=True))
    return sheets


def _columns(sheet: _Sheet, report: ImportReport) -> dict[str, str] | None:
    """Field name -> heading in the file; None when the sheet cannot be read at all."""
    by_heading: dict[str, str] = {}
    for f in sheet.reg.fields:
        for heading in (f.label, f.name, f.column_label):
            by_heading[norm_words(heading)] = f.name
    mapping: dict[str, str] = {}
    for heading in sheet.headings:
        if not heading or norm_words(heading) == norm_words(REF_HEADING):
            continue
        name = by_heading.get(norm_words(heading))
        if name is None:
            report.notes.append(
                f"{sheet.title}: the column '{heading}' is not part of the register; ignored."
            )
        elif name in mapping:
            report.refused.append(RowProblem(sheet.title, 1, heading, "this column appears twice"))
            return None
        else:
            mapping[name] = heading
    missing = [
        f.label
        for f in sheet.reg.fields
        if f.required and f.default is None and f.name not in mapping
    ]
    if missing and sheet.rows:
        report.refused.append(
            RowProblem(
                sheet.title,
                1,
                "",
                f"the column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)} "
                f"{'are' if len(missing) > 1 else 'is'} missing",
            )
        )
        return None
    return mapping


def import_family(
    ws: Workspace,
    key: str,
    path: Path | str,
    progress: Progress = NO_PROGRESS,
    *,
    replace: bool = False,
) -> ImportReport:
    """Read a family from XLSX or CSV into the workspace, all or nothing.

    Returns the report; when ``report.ok`` is false nothing was changed.
    Raises :class:`UsageError` for a file that cannot be read at all, and
    :class:`~lga_desktop.progress.Cancelled` when the user stops it (nothing
    is changed then either).
    """
    path = Path(path)
    suffix = _check_suffix(path)
    if not path.exists():
        raise UsageError(f"there is no file at {path}")
    regs = family(key)
    report = ImportReport(key, path.name)
    sheets = _read_xlsx(path, regs, report) if suffix == ".xlsx" else _read_csv(path, key, report)
    if not any(s.reg.key == key for s in sheets):
        raise UsageError(
            f"{path.name} has no sheet for {regs[0].title}; export the register first to see the layout"
        )
    total = sum(len(s.rows) for s in sheets)
    try:
        with ws.atomic():
            _apply(
                ws, sheets, report, progress, total, replace, source=f"Imported from {path.name}"
            )
            if report.refused:
                raise _Refused()
    except _Refused:
        for counts in (report.added, report.changed, report.unchanged, report.deleted):
            counts.clear()
    return report


def _apply(
    ws: Workspace,
    sheets: list[_Sheet],
    report: ImportReport,
    progress: Progress,
    total: int,
    replace: bool,
    source: str,
) -> None:
    change = audit.next_change(ws)
    links = store.Links(ws)
    kept: dict[str, dict[int, int]] = {}
    done = 0
    for sheet in sheets:
        reg = sheet.reg
        mapping = _columns(sheet, report)
        kept[reg.key] = {}
        if mapping is None:
            continue
        seen_refs: dict[str, int] = {}
        progress.update(done, total, f"Reading {sheet.title}")
        for row in sheet.rows:
            done += 1
            if done % 50 == 0:
                progress.update(done, total, f"Reading {sheet.title}")
            _apply_row(
                ws, sheet, row, mapping, report, links, change, source, seen_refs, kept[reg.key]
            )
    if replace and not report.refused:
        _delete_missing(ws, sheets, kept, report, change, source)
    progress.update(total, total, "Checking")


def _apply_row(
    ws: Workspace,
    sheet: _Sheet,
    row: _Row,
    mapping: dict[str, str],
    report: ImportReport,
    links: store.Links,
    change: int,
    source: str,
    seen_refs: dict[str, int],
    kept: dict[int, int],
) -> None:
    reg = sheet.reg
    problems: list[RowProblem] = []
    values: dict[str, Any] = {}
    xlsx = not sheet.is_csv
    for name, heading in mapping.items():
        raw = row.cells.get(heading)
        ftype = reg.field(name).type
        try:
            values[name] = ftype.from_cell(raw) if xlsx else ftype.coerce(raw)
        except FieldError as exc:
            problems.append(RowProblem(sheet.title, row.number, heading, str(exc)))
    ref = None
    raw_ref = row.cells.get(REF_HEADING) or next(
        (v for h, v in row.cells.items() if norm_words(h) == norm_words(REF_HEADING)), None
    )
    if raw_ref is not None and str(raw_ref).strip():
        try:
            ref = store.normalise_ref(str(raw_ref))
        except FieldError as exc:
            problems.append(RowProblem(sheet.title, row.number, REF_HEADING, str(exc)))
        else:
            if ref in seen_refs:
                problems.append(
                    RowProblem(
                        sheet.title,
                        row.number,
                        REF_HEADING,
                        f"{ref} is also on row {seen_refs[ref]}",
                    )
                )
            seen_refs[ref] = row.number
    if problems:
        report.refused.extend(problems)
        return
    existing = store.find_by_ref(ws, reg, ref) if ref else None
    try:
        if existing is None:
            rec = store.create(ws, reg, values, ref=ref, source=source, change=change, links=links)
            report.added[reg.key] = report.added.get(reg.key, 0) + 1
        else:
            before = ws.db.conn.total_changes
            rec = store.update(
                ws, reg, existing.id, values, source=source, change=change, links=links
            )
            counts = report.changed if ws.db.conn.total_changes != before else report.unchanged
            counts[reg.key] = counts.get(reg.key, 0) + 1
        kept[rec.id] = row.number  # type: ignore[index]
    except store.RecordError as exc:
        for name, why in exc.problems.items():
            heading = mapping.get(name, REF_HEADING if name == "" else reg.field(name).label)
            report.refused.append(RowProblem(sheet.title, row.number, heading, why))


def _delete_missing(
    ws: Workspace,
    sheets: list[_Sheet],
    kept: dict[str, dict[int, int]],
    report: ImportReport,
    change: int,
    source: str,
) -> None:
    """Replace: delete what the file left out, unless the file keeps something under it."""
    for sheet in sheets:
        reg = sheet.reg
        parent_kept = kept.get(reg.parent_register or "")
        if parent_kept is None:
            continue
        for rec in store.list_records(ws, reg):
            if rec.id in kept[reg.key] and rec.parent_id not in parent_kept:
                report.refused.append(
                    RowProblem(
                        sheet.title,
                        kept[reg.key][rec.id],
                        reg.field(reg.parent).label,
                        f"{rec[reg.parent].ref} is not in the file, so replacing would delete "
                        f"it and this {reg.item} with it",
                    )
                )
    if report.refused:
        return
    for sheet in reversed(sheets):  # the registers below first
        reg = sheet.reg
        ids = [row[0] for row in ws.db.execute(f"SELECT id FROM {reg.table}").fetchall()]
        for record_id in ids:
            if record_id in kept[reg.key]:
                continue
            gone = store.delete(ws, reg, record_id, source=source, change=change)
            report.deleted[reg.key] = report.deleted.get(reg.key, 0) + gone.count
