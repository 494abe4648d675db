"""Writing a spend file's lines into the workspace, fast.

:func:`write_lines` is the loop every line of an import goes through: it
reads the line's date and amount, files it under its supplier and source
category (adding new ones), skips it if the workspace already holds it
(same transaction reference and amount: a unique index and ``ON CONFLICT DO
NOTHING``), hands lines to SQLite in batches, keeps the per-quarter sums in
``spend_summary`` in step, and looks after the indexes (rebuilt once for a
big file, kept up line by line otherwise). :func:`import_spend
<lga_desktop.procurement.spend_import.import_spend>` opens the file,
recognises its columns and holds the transaction around it.

Speed matters here (a county's year is 100,000+ lines); where the time goes
is measured by ``benchmarks/import_spend.py`` and described in
``docs/architecture.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from lga_desktop.db.m0003_procurement import SECONDARY_INDEXES
from lga_desktop.procurement.category_mapping import resolve, rules
from lga_desktop.procurement.headers import ColumnMapping
from lga_desktop.procurement.import_report import ImportReport
from lga_desktop.procurement.reading import CellError, DateReader, read_amount
from lga_desktop.procurement.suppliers import is_redacted, supplier_key
from lga_desktop.progress import Progress
from lga_desktop.workbook import short_text
from lga_desktop.workspace import Workspace

__all__ = ["import_session", "write_lines", "add_to_summary", "is_blank"]

BATCH = 5000
MAX_GROUPS = 100_000  # (quarter, category, supplier) sums kept while reading
_SECONDARY_NAMES = [s.split()[2] for s in SECONDARY_INDEXES]

_COLUMNS = 13  # values per spend line, in _insert's order
ROWS_PER_INSERT = 50  # lines per INSERT statement: fewer statements to step (6-7% faster)


def _insert(rows: int) -> str:
    """INSERT of ``rows`` spend lines; one already in the workspace is skipped."""
    line = "(" + ", ".join("?" * _COLUMNS) + ")"
    return (
        "INSERT INTO spend_line (import_id, line_no, spend_date, quarter, amount_pence, "
        "reference, supplier_id, supplier_name, supplier_ref, source_category_id, service_area, "
        f"body_name, cap_rev) VALUES {', '.join([line] * rows)} ON CONFLICT DO NOTHING"
    )


_INSERT_ONE, _INSERT_MANY = _insert(1), _insert(ROWS_PER_INSERT)
_CAP_REV = {
    "revenue": "revenue",
    "rev": "revenue",
    "r": "revenue",
    "capital": "capital",
    "cap": "capital",
    "c": "capital",
}

# the fields the loop reads from each row, in the order it unpacks them
_FIELDS = (
    "date",
    "amount",
    "supplier_name",
    "reference",
    "supplier_ref",
    "category",
    "code",
    "service_area",
    "body",
    "cap_rev",
)
_UNSEEN = object()  # a cache miss, where None is a real answer


def is_blank(cells: list) -> bool:
    """True for a row with nothing in it (files often end with some)."""
    return not any(str(c).strip() for c in cells)


def _text(value: object) -> str:
    """A workbook cell as text: 46285340.0 is the reference 46285340."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Filing:
    """Which supplier and source category a line belongs to, adding new ones.

    A county's year names a few thousand suppliers and a few hundred
    categories over 100,000+ lines, so the importer asks here once per
    distinct text and remembers the answer. New suppliers and categories
    are queued and written (:meth:`write_new`) before the lines that refer
    to them.
    """

    def __init__(self, ws: Workspace) -> None:
        conn = ws.db.conn
        self.supplier_ids = dict(conn.execute("SELECT name_key, id FROM supplier").fetchall())
        self.redacted_ids = {
            r[0] for r in conn.execute("SELECT id FROM supplier WHERE redacted = 1").fetchall()
        }
        self.next_supplier = conn.execute("SELECT MAX(id) FROM supplier").fetchone()[0] + 1
        self.source_ids = {
            (r[1], r[2]): r[0]
            for r in conn.execute("SELECT id, name, code FROM spend_source_category").fetchall()
        }
        self.next_source = conn.execute("SELECT MAX(id) FROM spend_source_category").fetchone()[0]
        self.next_source += 1
        self.rules = rules(ws)
        self.new_suppliers: list[tuple] = []
        self.new_sources: list[tuple] = []

    def supplier(self, name: str, supplier_ref: str) -> tuple[int, str, int]:
        """(supplier id, the name as the line keeps it, 1 if redacted else 0)."""
        clean = name.strip()
        key = supplier_key(clean) if clean else ""
        sid = self.supplier_ids.get(key)
        if sid is None:
            sid = self.supplier_ids[key] = self.next_supplier
            self.next_supplier += 1
            flagged = is_redacted(clean)
            self.new_suppliers.append((sid, key, clean, supplier_ref.strip() or None, int(flagged)))
            if flagged:
                self.redacted_ids.add(sid)
        return sid, clean, int(sid in self.redacted_ids)

    def source(self, name: str, code: str) -> int:
        """The id of a source category (expenditure category and code as written)."""
        name, code = name.strip(), code.strip()
        scid = self.source_ids.get((name, code))
        if scid is None:
            scid = self.source_ids[(name, code)] = self.next_source
            self.next_source += 1
            self.new_sources.append((scid, name, code, *resolve(name, code, self.rules)))
        return scid

    def write_new(self, conn: Any) -> None:
        """Write the suppliers and categories added since the last call."""
        if self.new_suppliers:
            conn.executemany(
                "INSERT INTO supplier (id, name_key, name, supplier_ref, redacted) "
                "VALUES (?, ?, ?, ?, ?)",
                self.new_suppliers,
            )
            self.new_suppliers.clear()
        if self.new_sources:
            conn.executemany(
                "INSERT INTO spend_source_category (id, name, code, category_code, mapped_by) "
                "VALUES (?, ?, ?, ?, ?)",
                self.new_sources,
            )
            self.new_sources.clear()


def _cap_rev(text: str) -> str | None:
    clean = text.strip()
    return _CAP_REV.get(clean.lower(), clean or None)


def _new_date(read_date: DateReader, date_cell: object, amount_cell: object, name: object):
    """A date cell not seen before in this file; raises :class:`CellError`."""
    if date_cell == "" or date_cell is None:
        if amount_cell in ("", None) and not str(name).strip():
            raise CellError("not a spend line: it has no date, amount or supplier")
        raise CellError("no date")
    return read_date(date_cell)


@contextmanager
def import_session(ws: Workspace) -> Iterator[None]:
    """Connection settings for importing; put it around the import's transaction.

    Foreign-key checks are off while the importer writes: it files each line
    under a supplier and category it has just read from the workspace or
    added itself, so SQLite's three look-ups per line (about a fifth of the
    time spent inserting) could never fail. The importer also sizes SQLite's
    page cache for its work (see :func:`write_lines`). Both are put back
    afterwards. SQLite ignores ``foreign_keys`` inside a transaction, so a
    caller importing several files in one transaction (the import window)
    opens the session around it.
    """
    conn = ws.db.conn
    (foreign_keys,) = conn.execute("PRAGMA foreign_keys").fetchone()
    (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _write_batch(conn: Any, batch: list, filing: _Filing) -> int:
    """Write a batch of lines (after the suppliers and categories they name); how many went in.

    ``batch`` holds the lines' values one after another. A line already in
    the workspace is skipped (``ON CONFLICT DO NOTHING``) and not counted.
    """
    filing.write_new(conn)
    step = ROWS_PER_INSERT * _COLUMNS
    whole = len(batch) - len(batch) % step
    written = 0
    if whole:
        many = (batch[i : i + step] for i in range(0, whole, step))
        written += conn.executemany(_INSERT_MANY, many).rowcount
    rest = (batch[i : i + _COLUMNS] for i in range(whole, len(batch), _COLUMNS))
    return written + conn.executemany(_INSERT_ONE, rest).rowcount


def _begin(conn: Any, report: ImportReport, size: int) -> tuple[int, int, bool]:
    """Record the import; (its id, the last line id before it, whether it is a bulk import)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    import_id = conn.execute(
        "INSERT INTO spend_import (file_name, file_sha256, imported_at, rows_read, imported, "
        "duplicates, refused, total_pence, report) VALUES (?, '', ?, 0, 0, 0, 0, 0, '{}')",
        [report.file, now],
    ).lastrowid
    report.import_id = import_id
    last_id, existing = conn.execute(
        "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM spend_line"
    ).fetchone()
    # A file bigger than what the workspace holds rebuilds the secondary
    # indexes once at the end (several times faster than row-by-row upkeep).
    # SQLite sorts them in memory as large as its page cache, so the cache
    # stays at 32 MB and memory stays flat with the file's size. Otherwise
    # the lines go into the indexes one by one, which is faster the more of
    # them stays in memory: with 64 MB, a 143,000-line file goes into a
    # workspace of 860,000 lines a fifth faster than with 32 MB (and twice
    # the size gains nothing more there).
    bulk = size // 110 > existing
    if bulk:
        conn.execute("PRAGMA cache_size = -32768")
        for name in _SECONDARY_NAMES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    else:
        conn.execute("PRAGMA cache_size = -65536")
    return import_id, last_id, bulk


def _add_sums(conn: Any, sums: dict[tuple[str, int, int], list[int]]) -> None:
    """Add the (quarter, category, supplier) sums gathered while reading to ``spend_summary``."""
    conn.executemany(
        "INSERT INTO spend_summary (quarter, source_category_id, supplier_id, pence, lines) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (quarter, source_category_id, supplier_id) "
        "DO UPDATE SET pence = spend_summary.pence + excluded.pence, "
        "lines = spend_summary.lines + excluded.lines",
        ((*k, v[0], v[1]) for k, v in sums.items()),
    )


@dataclass
class _Read:
    """What the loop learnt of a file's lines besides the lines themselves."""

    rows: int = 0  # lines read (blank rows are not lines)
    blank: int = 0
    redacted: int = 0
    pence: int = 0  # the lines accepted, duplicates or not
    imported: int = 0  # the lines written (duplicates are not)
    # (quarter, category, supplier) -> [pence, lines]; exact when no line was a
    # duplicate; None past MAX_GROUPS (memory stays flat: SQL adds them up instead)
    sums: dict[tuple[str, int, int], list[int]] | None = field(default_factory=dict)
    dates: dict[object, tuple[str, str]] = field(default_factory=dict)  # cell -> (iso, quarter)
    bodies: dict[str, str | None] = field(default_factory=dict)  # body as written -> as kept


def write_lines(
    ws: Workspace,
    report: ImportReport,
    mapping: ColumnMapping,
    rows: Iterator[tuple[int, list]],
    source: Any,
    progress: Progress,
) -> set[str]:
    """Write a file's rows as spend lines and fill in ``report``; returns the bodies they name.

    Runs inside the caller's transaction and :func:`import_session`; raises
    :class:`~lga_desktop.progress.Cancelled` through ``progress``.
    """
    conn = ws.db.conn
    import_id, last_id, bulk = _begin(conn, report, source.size)
    read = _read_lines(ws, import_id, mapping, rows, source, progress, report.refused)
    progress.update(source.size, source.size, f"Read {read.rows:,} rows; finishing")
    if bulk:
        for statement in SECONDARY_INDEXES:
            progress.update(source.size, source.size, "Indexing the spend lines")
            conn.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
    _finish(conn, report, read, last_id, source)
    return {body for body in read.bodies.values() if body}


def _read_lines(
    ws: Workspace,
    import_id: int,
    mapping: ColumnMapping,
    rows: Iterator[tuple[int, list]],
    source: Any,
    progress: Progress,
    refused: list[tuple[int, str]],
) -> _Read:
    """The per-line loop: read each row, refuse it or file it, write the lines in batches."""
    conn = ws.db.conn
    width = len(mapping.headers)
    absent = width  # a padded empty cell stands in for a column the file lacks
    pick = itemgetter(*(mapping.columns.get(f, absent) for f in _FIELDS))
    text_cells = source.encoding != "xlsx"
    filing = _Filing(ws)
    read_date = DateReader()
    result = _Read(dates=read_date.cache)
    # Every line goes through this loop, so it is written for speed: each
    # cell's meaning is looked up by its text where a file repeats it (a
    # year has a few hundred dates, a few thousand suppliers) and worked
    # out only the first time; methods are bound to locals.
    suppliers: dict[str, tuple[int, str, int]] = {}  # name as written -> filing.supplier()
    sources: dict[tuple[str, str], int] = {}  # (category, code) as written -> id
    caps: dict[str, str | None] = {}  # capital/revenue as written -> as kept
    bodies = result.bodies
    known_date, known_supplier, known_source, known_cap, known_body = (
        read_date.cache.get,
        suppliers.get,
        sources.get,
        caps.get,
        bodies.get,
    )
    sums = result.sums
    batch: list = []  # the values of the lines to write, one after another
    add_line = batch.extend
    full_batch = BATCH * _COLUMNS
    read = blank = redacted = total_read = imported = 0
    for line, cells in rows:
        if len(cells) != width:
            cells = [*cells[:width], *[""] * (width - len(cells))]
        cells.append("")
        date_cell, amount_cell, name, ref, sref, cat, code, area, body, cap = pick(cells)
        if not text_cells:
            name, ref, sref, cat, code, area, body, cap = map(
                _text, (name, ref, sref, cat, code, area, body, cap)
            )
            if isinstance(date_cell, str):
                date_cell = date_cell.strip()
        read += 1
        if read % 2000 == 0:
            progress.update(source.position(), source.size, f"Read {read:,} rows")
        when = known_date(date_cell)
        if when is None:
            if (date_cell == "" or date_cell is None) and is_blank(cells):
                read -= 1  # an empty row (files often end with some) is not a line
                blank += 1
                continue
            try:
                when = _new_date(read_date, date_cell, amount_cell, name)
            except CellError as exc:
                refused.append((line, short_text(str(exc))))
                continue
        iso, quarter = when
        # the usual amount, plain pounds and pence ("1054.11"), is read here;
        # read_amount takes the rest
        whole, _, pennies = amount_cell.partition(".") if text_cells else ("", "", "")
        if len(pennies) == 2 and whole.isdigit() and pennies.isdigit() and amount_cell.isascii():
            pence = int(whole + pennies)
        else:
            try:
                pence = read_amount(amount_cell)
            except CellError as exc:
                refused.append((line, short_text(str(exc))))
                continue
        supplier = known_supplier(name)
        if supplier is None:
            supplier = suppliers[name] = filing.supplier(name, sref)
        sid, supplier_name, is_redacted_name = supplier
        redacted += is_redacted_name
        scid = known_source((cat, code))
        if scid is None:
            scid = sources[(cat, code)] = filing.source(cat, code)
        cap_rev = known_cap(cap, _UNSEEN)
        if cap_rev is _UNSEEN:
            cap_rev = caps[cap] = _cap_rev(cap)
        body_name = known_body(body, _UNSEEN)
        if body_name is _UNSEEN:
            body_name = bodies[body] = body.strip() or None
        total_read += pence
        if sums is not None:
            group = (quarter, scid, sid)
            acc = sums.get(group)
            if acc is not None:
                acc[0] += pence
                acc[1] += 1
            elif len(sums) < MAX_GROUPS:
                sums[group] = [pence, 1]
            else:
                sums = None
        add_line(
            (
                import_id,
                line,
                iso,
                quarter,
                pence,
                ref.strip() or None,
                sid,
                supplier_name,
                sref.strip() or None,
                scid,
                area.strip() or None,
                body_name,
                cap_rev,
            )
        )
        if len(batch) >= full_batch:
            imported += _write_batch(conn, batch, filing)
            batch.clear()
    result.imported = imported + _write_batch(conn, batch, filing)
    result.rows, result.blank, result.redacted, result.pence = read, blank, redacted, total_read
    result.sums = sums
    return result


def _finish(conn: Any, report: ImportReport, read: _Read, last_id: int, source: Any) -> None:
    """Fill in the report, the per-quarter sums and the import's record."""
    imported = read.imported
    accepted = read.rows - len(report.refused)
    first_id = last_line_id = None
    if imported:  # the import's lines are the ids after last_id
        first_id = conn.execute(
            "SELECT id FROM spend_line WHERE id > ? ORDER BY id LIMIT 1", [last_id]
        ).fetchone()[0]
        last_line_id = conn.execute("SELECT MAX(id) FROM spend_line").fetchone()[0]
    if imported == accepted:
        total = read.pence
    else:  # some lines were duplicates: add up what went in
        total = conn.execute(
            "SELECT COALESCE(SUM(amount_pence), 0) FROM spend_line WHERE id > ?", [last_id]
        ).fetchone()[0]
    report.rows_read = read.rows
    report.blank = read.blank
    report.imported = imported
    report.duplicates = accepted - imported
    report.total_pence = total
    report.redacted_lines = read.redacted
    read_dates = [iso for iso, _ in read.dates.values()]
    if read_dates:
        report.first_date, report.last_date = min(read_dates), max(read_dates)
    if imported == accepted and read.sums is not None:
        _add_sums(conn, read.sums)  # nothing was skipped, so they are exact
    elif imported:
        add_to_summary(conn, first_id, last_line_id, sign=1)
    conn.execute(
        "UPDATE spend_import SET rows_read = ?, imported = ?, duplicates = ?, refused = ?, "
        "total_pence = ?, first_line_id = ?, last_line_id = ?, report = ?, file_sha256 = ? "
        "WHERE id = ?",
        [
            read.rows,
            imported,
            report.duplicates,
            len(report.refused),
            total,
            first_id,
            last_line_id,
            json.dumps(report.stored_dict()),
            source.sha256(),  # taken while the rows were read
            report.import_id,
        ],
    )


def add_to_summary(conn: Any, first_id: int, last_id: int, *, sign: int) -> None:
    """Add (or, with ``sign=-1``, take away) a run of lines in the per-quarter sums."""
    conn.execute(
        f"""
        INSERT INTO spend_summary (quarter, source_category_id, supplier_id, pence, lines)
        SELECT quarter, source_category_id, supplier_id, {sign} * SUM(amount_pence),
               {sign} * COUNT(*)
        FROM spend_line WHERE id BETWEEN ? AND ?
        GROUP BY quarter, source_category_id, supplier_id
        ON CONFLICT (quarter, source_category_id, supplier_id) DO UPDATE SET
            pence = spend_summary.pence + excluded.pence,
            lines = spend_summary.lines + excluded.lines
        """,
        [first_id, last_id],
    )
    if sign < 0:
        conn.execute("DELETE FROM spend_summary WHERE lines = 0")
