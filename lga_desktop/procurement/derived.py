"""The derived procurement figures: spend by category by quarter, SME and VCSE share.

Read from ``spend_summary`` (sums per quarter, source category and supplier),
joined to the supplier flags and category mapping as they stand now: a flag
or a mapping changed today changes every quarter's figures at once. Money is
int pence; a share is an exact ``Decimal`` percentage.

The share's basis is all spend in the period, credits included, the lines
whose supplier's name is redacted included (they count as not SME and not
VCSE unless the officer flags the redacted-names supplier).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from lga_desktop.periods import FinancialYear, Quarter, parse_period
from lga_desktop.workspace import Workspace

__all__ = [
    "SME_ASPIRATION",
    "Share",
    "spend_by_category",
    "shares_by_quarter",
    "shares_by_year",
    "quarters_with_spend",
]

SME_ASPIRATION = Decimal(25)  # per cent of spend with SMEs (paper §7)
UNMAPPED = ""  # the category code under which unmapped spend is reported


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place, None when nothing was spent."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


class Shares:
    """SME, VCSE and local shares of a total: for any class with the ``*_pence`` fields."""

    __slots__ = ()
    total_pence: int
    sme_pence: int
    vcse_pence: int
    local_pence: int

    @property
    def sme_percent(self) -> Decimal | None:
        return percent(self.sme_pence, self.total_pence)

    @property
    def vcse_percent(self) -> Decimal | None:
        return percent(self.vcse_pence, self.total_pence)

    @property
    def local_percent(self) -> Decimal | None:
        return percent(self.local_pence, self.total_pence)

    @property
    def meets_aspiration(self) -> bool | None:
        share = self.sme_percent
        return None if share is None else share >= SME_ASPIRATION


@dataclass(frozen=True, slots=True)
class Share(Shares):
    period: str  # "2015/16 Q1" or "2015/16"
    key: str  # "2015Q1" or "2015"
    total_pence: int
    sme_pence: int
    vcse_pence: int
    local_pence: int
    lines: int

    def as_dict(self) -> dict:
        def text(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        return {
            "period": self.period,
            "total_pence": self.total_pence,
            "sme_pence": self.sme_pence,
            "vcse_pence": self.vcse_pence,
            "local_pence": self.local_pence,
            "lines": self.lines,
            "sme_percent": text(self.sme_percent),
            "vcse_percent": text(self.vcse_percent),
            "local_percent": text(self.local_percent),
        }


def _quarter_label(key: str) -> str:
    return str(parse_period(key))


def quarters_with_spend(ws: Workspace) -> list[Quarter]:
    keys = ws.db.execute("SELECT DISTINCT quarter FROM spend_summary ORDER BY quarter")
    return [parse_period(k[0]) for k in keys]  # type: ignore[misc]


def spend_by_category(
    ws: Workspace, quarter: Quarter | None = None
) -> list[tuple[str, str, str, int, int]]:
    """``(quarter_key, category_code, category_name, pence, lines)``, by quarter then category.

    Unmapped spend has code ``""`` and the name "Unmapped".
    """
    sql = """
        SELECT s.quarter, COALESCE(c.category_code, ''), COALESCE(k.name, 'Unmapped'),
               SUM(s.pence), SUM(s.lines)
        FROM spend_summary s
        JOIN spend_source_category c ON c.id = s.source_category_id
        LEFT JOIN spend_category k ON k.code = c.category_code
        {where}
        GROUP BY s.quarter, c.category_code, k.name, k.position
        ORDER BY s.quarter, k.position IS NULL, k.position
    """
    if quarter is None:
        return [tuple(r) for r in ws.db.execute(sql.format(where=""))]
    return [tuple(r) for r in ws.db.execute(sql.format(where="WHERE s.quarter = ?"), [quarter.key])]


_SHARE_SQL = """
    SELECT s.quarter, SUM(s.pence),
           SUM(CASE WHEN p.sme = 1 THEN s.pence ELSE 0 END),
           SUM(CASE WHEN p.vcse = 1 THEN s.pence ELSE 0 END),
           SUM(CASE WHEN p.local = 1 THEN s.pence ELSE 0 END),
           SUM(s.lines)
    FROM spend_summary s JOIN supplier p ON p.id = s.supplier_id
    {where}
    GROUP BY s.quarter ORDER BY s.quarter
"""


def shares_by_quarter(
    ws: Workspace, first: Quarter | None = None, last: Quarter | None = None
) -> list[Share]:
    """SME, VCSE and local share of spend for every quarter with spend (from ``first`` to ``last``).

    The range reads only those quarters' sums (the summary's key starts with the
    quarter), which matters once a county has several years imported.
    """
    where, args = [], []
    if first is not None:
        where.append("s.quarter >= ?")
        args.append(first.key)
    if last is not None:
        where.append("s.quarter <= ?")
        args.append(last.key)
    sql = _SHARE_SQL.format(where="WHERE " + " AND ".join(where) if where else "")
    return [
        Share(_quarter_label(r[0]), r[0], r[1], r[2], r[3], r[4], r[5])
        for r in ws.db.execute(sql, args)
    ]


def share_for(ws: Workspace, quarter: Quarter) -> Share:
    for share in shares_by_quarter(ws, quarter, quarter):
        return share
    return Share(str(quarter), quarter.key, 0, 0, 0, 0, 0)


def shares_by_year(ws: Workspace, quarters: list[Share] | None = None) -> list[Share]:
    """The same shares for each financial year (the sum of its quarters).

    Pass ``quarters`` (from :func:`shares_by_quarter`) when you have them, to
    save reading them again.
    """
    years: dict[int, list[int]] = {}
    for share in shares_by_quarter(ws) if quarters is None else quarters:
        start = int(share.key[:4])
        acc = years.setdefault(start, [0, 0, 0, 0, 0])
        for i, v in enumerate(
            (share.total_pence, share.sme_pence, share.vcse_pence, share.local_pence, share.lines)
        ):
            acc[i] += v
    return [Share(str(FinancialYear(y)), str(y), *acc) for y, acc in sorted(years.items())]


def unmapped_for(ws: Workspace, quarter: Quarter) -> tuple[int, int]:
    """(pence, lines) of a quarter's spend with no big-spend category."""
    row = ws.db.execute(
        """
        SELECT COALESCE(SUM(s.pence), 0), COALESCE(SUM(s.lines), 0)
        FROM spend_summary s JOIN spend_source_category c ON c.id = s.source_category_id
        WHERE s.quarter = ? AND c.category_code IS NULL
        """,
        [quarter.key],
    ).fetchone()
    return row[0], row[1]
