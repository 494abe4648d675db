"""The derived procurement figures: spend by category by quarter, SME and VCSE share.

Read from ``spend_summary`` (sums per quarter, source category and supplier),
joined to the supplier flags and category mapping as they stand now: a flag
or a mapping changed today changes every quarter's figures at once (a signed
return keeps the flags and mapping it used, and the window warns that a
correction is due). Money is int pence; a share is an exact ``Decimal``
percentage.

The shares' basis is *procurement* spend (the paper's SME share is of
third-party, addressable spend), credits included: spend in a category that
is not procurement (grants, payments to other public bodies, benefits,
refunds: ``spend_category.procurement = 0``) and spend with redacted personal
payees are left out. Of that basis, a supplier is an SME, not an SME, or not
yet classified; every SME share is shown with the part of the basis that is
classified at all, and a return warns when that is below
:data:`CLASSIFIED_THRESHOLD`. The 25% is central government's aspiration for
its own spend: context, never a pass or fail for a council.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from lga_desktop.periods import FinancialYear, Quarter, parse_period
from lga_desktop.workspace import Workspace

__all__ = [
    "SME_ASPIRATION",
    "SME_ASPIRATION_WORDS",
    "SME_DEFINITION",
    "CLASSIFIED_THRESHOLD",
    "Share",
    "spend_by_category",
    "shares_by_quarter",
    "shares_by_year",
    "quarters_with_spend",
]

SME_ASPIRATION = Decimal(25)  # central government's aspiration for its own spend (paper §7)
SME_ASPIRATION_WORDS = (
    "central government's aspiration for its own spend with SMEs is 25% (it stood at 7%; "
    "some councils are above 80%); context, not a target for each council"
)
SME_DEFINITION = (
    "An SME has fewer than 250 staff, and a turnover of €50m or less or a balance sheet of "
    "€43m or less (the UK and European Union definition; the LGA paper says '250 employees or less')."
)
CLASSIFIED_THRESHOLD = Decimal(80)  # per cent of procurement spend classified: below, a warning
UNMAPPED = ""  # the category code under which unmapped spend is reported


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place, None when nothing was spent."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


class Shares:
    """SME, VCSE and local shares of procurement spend: for any class with the ``*_pence`` fields.

    ``total_pence`` is all spend; ``basis_pence`` the procurement spend the
    shares are of; ``classified_pence`` the part of the basis whose suppliers
    are classified SME or not.
    """

    __slots__ = ()
    total_pence: int
    sme_pence: int
    vcse_pence: int
    local_pence: int
    basis_pence: int
    classified_pence: int

    @property
    def sme_percent(self) -> Decimal | None:
        return percent(self.sme_pence, self.basis_pence)

    @property
    def vcse_percent(self) -> Decimal | None:
        return percent(self.vcse_pence, self.basis_pence)

    @property
    def local_percent(self) -> Decimal | None:
        return percent(self.local_pence, self.basis_pence)

    @property
    def classified_percent(self) -> Decimal | None:
        """How much of the basis has suppliers classified SME or not SME at all."""
        return percent(self.classified_pence, self.basis_pence)

    @property
    def not_sme_pence(self) -> int:
        return self.classified_pence - self.sme_pence

    @property
    def unclassified_pence(self) -> int:
        return self.basis_pence - self.classified_pence

    @property
    def excluded_pence(self) -> int:
        """Spend left out of the basis: not procurement, or redacted personal payees."""
        return self.total_pence - self.basis_pence

    @property
    def classification_low(self) -> bool:
        share = self.classified_percent
        return share is not None and share < CLASSIFIED_THRESHOLD

    def share_words(self) -> str:
        """'SME 18.2% of procurement spend (classified: 74.0%)' — never a share alone."""
        if self.sme_percent is None:
            return "no procurement spend"
        return (
            f"SME {self.sme_percent}% of procurement spend "
            f"(suppliers classified for {self.classified_percent}% of it)"
        )


@dataclass(frozen=True, slots=True)
class Share(Shares):
    period: str  # "2015/16 Q1" or "2015/16"
    key: str  # "2015Q1" or "2015"
    total_pence: int
    sme_pence: int
    vcse_pence: int
    local_pence: int
    lines: int
    basis_pence: int
    classified_pence: int

    def as_dict(self) -> dict:
        def text(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        return {
            "period": self.period,
            "total_pence": self.total_pence,
            "basis_pence": self.basis_pence,
            "excluded_pence": self.excluded_pence,
            "sme_pence": self.sme_pence,
            "not_sme_pence": self.not_sme_pence,
            "unclassified_pence": self.unclassified_pence,
            "classified_pence": self.classified_pence,
            "vcse_pence": self.vcse_pence,
            "local_pence": self.local_pence,
            "lines": self.lines,
            "sme_percent": text(self.sme_percent),
            "classified_percent": text(self.classified_percent),
            "vcse_percent": text(self.vcse_percent),
            "local_percent": text(self.local_percent),
        }

    def __add__(self, other: Share) -> Share:
        return Share(
            self.period,
            self.key,
            *(getattr(self, f) + getattr(other, f) for f in SHARE_FIELDS),
        )


# the summed fields of a share, in the order ``Share`` and ``ShareLine`` take them
SHARE_FIELDS = (
    "total_pence",
    "sme_pence",
    "vcse_pence",
    "local_pence",
    "lines",
    "basis_pence",
    "classified_pence",
)


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


# the basis: procurement spend, redacted personal payees left out
_IN_BASIS = "COALESCE(k.procurement, 1) = 1 AND p.redacted = 0"
_SHARE_SQL = f"""
    SELECT s.quarter, SUM(s.pence),
           SUM(CASE WHEN {_IN_BASIS} AND p.sme_known = 1 AND p.sme = 1 THEN s.pence ELSE 0 END),
           SUM(CASE WHEN {_IN_BASIS} AND p.vcse = 1 THEN s.pence ELSE 0 END),
           SUM(CASE WHEN {_IN_BASIS} AND p.local = 1 THEN s.pence ELSE 0 END),
           SUM(s.lines),
           SUM(CASE WHEN {_IN_BASIS} THEN s.pence ELSE 0 END),
           SUM(CASE WHEN {_IN_BASIS} AND p.sme_known = 1 THEN s.pence ELSE 0 END)
    FROM spend_summary s JOIN supplier p ON p.id = s.supplier_id
    JOIN spend_source_category c ON c.id = s.source_category_id
    LEFT JOIN spend_category k ON k.code = c.category_code
    {{where}}
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
    return [Share(_quarter_label(r[0]), r[0], *r[1:]) for r in ws.db.execute(sql, args)]


def share_for(ws: Workspace, quarter: Quarter) -> Share:
    for share in shares_by_quarter(ws, quarter, quarter):
        return share
    return empty_share(str(quarter), quarter.key)


def empty_share(period: str, key: str) -> Share:
    return Share(period, key, *(0 for _ in SHARE_FIELDS))


def shares_by_year(ws: Workspace, quarters: list[Share] | None = None) -> list[Share]:
    """The same shares for each financial year (the sum of its quarters).

    Pass ``quarters`` (from :func:`shares_by_quarter`) when you have them, to
    save reading them again.
    """
    years: dict[int, Share] = {}
    for share in shares_by_quarter(ws) if quarters is None else quarters:
        start = int(share.key[:4])
        year = years.get(start) or empty_share(str(FinancialYear(start)), str(start))
        years[start] = year + share
    return [years[y] for y in sorted(years)]


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
