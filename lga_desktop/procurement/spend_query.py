"""The spend table's queries: a filtered, sorted window of lines at a time.

The window (``LIMIT``/``OFFSET`` on an indexed order) costs the same whether
the workspace holds a thousand lines or a million; the count and total come
from ``spend_summary``, so they are instant too. No Qt here: the table model
in ``lga_desktop/ui`` wraps a :class:`SpendQuery`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from lga_desktop.periods import parse_quarter

__all__ = ["COLUMNS", "SpendFilter", "SpendQuery"]

# (key, heading, the SQL it sorts by or None when the column does not sort)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("date", "Date", "l.spend_date"),
    ("supplier", "Supplier", "l.supplier_name"),
    ("category", "Category", None),
    ("source", "Expenditure category", None),
    ("service_area", "Service area", None),
    ("reference", "Reference", "l.reference"),
    ("cap_rev", "Type", None),
    ("amount", "Amount", "l.amount_pence"),
)

_SELECT = """
    SELECT l.id, l.spend_date, l.supplier_name, COALESCE(k.name, ''), c.name, c.code,
           l.service_area, l.reference, l.cap_rev, l.amount_pence, s.sme, s.vcse, s.redacted,
           l.line_no, l.import_id
    FROM spend_line l
    JOIN supplier s ON s.id = l.supplier_id
    JOIN spend_source_category c ON c.id = l.source_category_id
    LEFT JOIN spend_category k ON k.code = c.category_code
"""


@dataclass(frozen=True)
class SpendFilter:
    supplier: str = ""  # part of a supplier's name
    category: str | None = None  # big-spend code; "" for unmapped; None for all
    quarter: str | None = None  # "2015Q1"
    supplier_ids: tuple[int, ...] = field(default=())  # exactly these suppliers

    @property
    def is_empty(self) -> bool:
        return not (
            self.supplier.strip() or self.category is not None or self.quarter or self.supplier_ids
        )


def _like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SpendQuery:
    """One filter and sort order over the spend lines."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        spend_filter: SpendFilter | None = None,
        sort: str = "date",
        descending: bool = True,
    ) -> None:
        self.conn = conn
        self.filter = spend_filter or SpendFilter()
        sortable = {key: sql for key, _, sql in COLUMNS if sql}
        if sort not in sortable:
            raise ValueError(f"the spend table cannot sort by {sort!r}")
        self.sort, self.descending = sort, descending
        direction = "DESC" if descending else "ASC"
        self._order = f"ORDER BY {sortable[sort]} {direction}, l.id {direction}"
        self._line_where, self._line_args = self._where(summary=False)
        self._summary_where, self._summary_args = self._where(summary=True)
        self._count: tuple[int, int] | None = None

    def _where(self, *, summary: bool) -> tuple[str, list]:
        f = self.filter
        p = "t." if summary else "l."
        clauses, args = [], []
        if f.supplier.strip():
            clauses.append(
                f"{p}supplier_id IN (SELECT id FROM supplier WHERE name LIKE ? ESCAPE '\\')"
            )
            args.append(_like(f.supplier))
        if f.supplier_ids:
            clauses.append(f"{p}supplier_id IN ({','.join('?' * len(f.supplier_ids))})")
            args.extend(f.supplier_ids)
        if f.category is not None:
            test = "category_code IS NULL" if f.category == "" else "category_code = ?"
            clauses.append(
                f"{p}source_category_id IN (SELECT id FROM spend_source_category WHERE {test})"
            )
            if f.category:
                args.append(f.category)
        if f.quarter:
            if summary:
                clauses.append("t.quarter = ?")
                args.append(f.quarter)
            else:
                # a date range uses the date index; the quarter column would not
                q = parse_quarter(f.quarter)
                clauses.append("l.spend_date BETWEEN ? AND ?")
                args.extend([q.start.isoformat(), q.end.isoformat()])
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), args

    def count_and_total(self) -> tuple[int, int]:
        """(lines, pence) matching the filter, from the per-quarter sums."""
        if self._count is None:
            row = self.conn.execute(
                "SELECT COALESCE(SUM(t.lines), 0), COALESCE(SUM(t.pence), 0) FROM spend_summary t"
                + self._summary_where,
                self._summary_args,
            ).fetchone()
            self._count = (row[0], row[1])
        return self._count

    def count(self) -> int:
        return self.count_and_total()[0]

    def window(self, offset: int, limit: int) -> list[tuple]:
        """Rows ``offset`` to ``offset + limit`` in the sort order."""
        # OFFSET walks the index alone in the inner query; only the window's
        # rows are joined to their supplier and category
        return self.conn.execute(
            _SELECT
            + f" WHERE l.id IN (SELECT l.id FROM spend_line l{self._line_where} {self._order}"
            + " LIMIT ? OFFSET ?) "
            + self._order,
            [*self._line_args, limit, offset],
        ).fetchall()
