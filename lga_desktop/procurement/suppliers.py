"""Suppliers: one row each, and the SME, VCSE and local flags that follow them.

A supplier is identified by its normalised name, so ``INSTARMAC LTD``,
``Instarmac Limited`` and ``Instarmac Ltd.`` are one supplier; a flag set
once applies to every line of that supplier, in every later import. The list
exports to CSV and imports back (into this workspace or another), so a
classification made once can be reused.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lga_desktop.errors import UsageError
from lga_desktop.workspace import Workspace

__all__ = [
    "FLAGS",
    "Supplier",
    "supplier_key",
    "is_redacted",
    "list_suppliers",
    "set_flags",
    "export_suppliers",
    "import_suppliers",
    "SupplierListReport",
]

FLAGS = ("sme", "vcse", "local")
NO_SUPPLIER_ID = 1  # created by migration 0003 for lines that name no supplier
FLAG_LABELS = {"sme": "SME", "vcse": "VCSE", "local": "Local"}

# legal-form words that do not tell two suppliers apart
_SUFFIXES = {"LTD", "LIMITED", "PLC", "LLP", "LP", "INC", "CO", "COMPANY", "CIC", "UK"}
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_REDACTED = re.compile(
    r"\bredacted\b|\bredaction\b|\bwithheld\b|personal data|personal information|private individual|"
    r"data protection|^individual$|^name removed",
    re.IGNORECASE,
)


def supplier_key(name: str) -> str:
    """``"The Instarmac Ltd."`` -> ``"INSTARMAC"``: what makes two names one supplier.

    Accents are folded (``Café`` and ``Cafe`` are one supplier), not dropped.
    """
    if not name.isascii():  # plain ASCII has no accents to fold (most names: skip the work)
        folded = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in folded if not unicodedata.combining(c))
    s = _NOT_ALNUM.sub(" ", name.upper().replace("&", " AND ")).split()
    if s and s[0] == "THE":
        s = s[1:]
    while len(s) > 1 and s[-1] in _SUFFIXES:
        s = s[:-1]
    return " ".join(s)


def is_redacted(name: str) -> bool:
    """Names councils publish in place of a private person's ("Redacted personal data")."""
    # Every name the expression matches holds one of these words' cores in
    # lower case (none of their letters has a third case that IGNORECASE also
    # matches, as i, k and s have); looking for them first is several times
    # faster for the thousands of other names in a county's year.
    lowered = name.lower()
    if not (
        "redact" in lowered
        or "thheld" in lowered
        or "onal" in lowered
        or "dual" in lowered
        or "prote" in lowered
        or "remove" in lowered
    ):
        return False
    return bool(_REDACTED.search(name))


@dataclass(frozen=True, slots=True)
class Supplier:
    id: int
    name: str
    supplier_ref: str | None
    company_number: str | None
    sme: bool | None  # None: not yet classified (which is not "not an SME")
    vcse: bool
    local: bool
    redacted: bool
    lines: int
    pence: int


_LIST_SQL = """
    SELECT s.id, s.name, s.supplier_ref, s.company_number,
           CASE WHEN s.sme_known = 1 THEN s.sme END, s.vcse, s.local,
           s.redacted, COALESCE(t.lines, 0), COALESCE(t.pence, 0)
    FROM supplier s
    LEFT JOIN (SELECT supplier_id, SUM(lines) AS lines, SUM(pence) AS pence
               FROM spend_summary GROUP BY supplier_id) t ON t.supplier_id = s.id
"""


def list_suppliers(
    ws: Workspace, *, search: str = "", include_unused: bool = True
) -> list[Supplier]:
    """Suppliers with their line counts and spend, biggest spend first."""
    where, args = [], []
    if search.strip():
        where.append("s.name LIKE ?")
        args.append(f"%{search.strip()}%")
    if not include_unused:
        where.append("t.lines > 0")
    sql = _LIST_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY COALESCE(t.pence, 0) DESC, s.name"
    return [
        Supplier(r[0], r[1], r[2], r[3], _tri(r[4]), bool(r[5]), bool(r[6]), bool(r[7]), r[8], r[9])
        for r in ws.db.execute(sql, args).fetchall()
    ]


def _tri(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _assignments(flags: dict[str, bool | None]) -> tuple[str, list[int]]:
    """SET clause and values; ``sme=None`` means "not yet classified"."""
    names, values = [], []
    for name, value in flags.items():
        names.append(f"{name} = ?")
        values.append(int(bool(value)))
        if name == "sme":
            names.append("sme_known = ?")
            values.append(int(value is not None))
    return ", ".join(names), values


def set_flags(ws: Workspace, supplier_ids: Iterable[int], **flags: bool | None) -> int:
    """Set ``sme``, ``vcse`` and/or ``local`` on many suppliers at once; returns how many.

    ``sme=None`` puts suppliers back to "not yet classified".
    """
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise UsageError(f"{sorted(unknown)[0]!r} is not a supplier flag (use sme, vcse or local)")
    ids = list(supplier_ids)
    if not flags or not ids:
        return 0
    assignments, values = _assignments(flags)
    with ws.atomic():
        before = flags_of(ws, ids)
        ws.db.conn.executemany(
            f"UPDATE supplier SET {assignments} WHERE id = ?", [(*values, i) for i in ids]
        )
        audit_flags(ws, before, "bulk flag change")
    return len(ids)


def audit_flags(ws: Workspace, before: dict[int, dict[str, bool | None]], source: str) -> None:
    """Audit what changed in some suppliers' flags since ``before`` (in the caller's transaction)."""
    from lga_desktop.registers import audit

    after = flags_of(ws, before)
    changed = [
        (sid, [(f, _flag_word(old[f]), _flag_word(after[sid][f])) for f in FLAGS if old[f] != after[sid][f]])
        for sid, old in before.items()
        if sid in after
    ]
    changed = [(sid, items) for sid, items in changed if items]
    if not changed:
        return
    names = {}
    for start in range(0, len(changed), 500):
        chunk = [sid for sid, _ in changed[start : start + 500]]
        names.update(
            ws.db.execute(
                f"SELECT id, name FROM supplier WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        )
    audit.record(
        ws,
        audit.next_change(ws),
        "supplier",
        [(sid, names.get(sid, ""), None, items) for sid, items in changed],
        "changed",
        source,
    )


def flags_of(ws: Workspace, supplier_ids: Iterable[int]) -> dict[int, dict[str, bool | None]]:
    """The current flags of some suppliers (for undo)."""
    ids = list(supplier_ids)
    out: dict[int, dict[str, bool | None]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in ws.db.execute(
            "SELECT id, CASE WHEN sme_known = 1 THEN sme END, vcse, local FROM supplier "
            f"WHERE id IN ({marks})",
            chunk,
        ):
            out[r[0]] = {"sme": _tri(r[1]), "vcse": bool(r[2]), "local": bool(r[3])}
    return out


def restore_flags(ws: Workspace, flags: dict[int, dict[str, bool | None]]) -> None:
    with ws.atomic():
        before = flags_of(ws, flags)
        for i, f in flags.items():
            assignments, values = _assignments(f)
            ws.db.execute(f"UPDATE supplier SET {assignments} WHERE id = ?", [*values, i])
        audit_flags(ws, before, "undo")


# ---- the supplier list as a file ---------------------------------------------

EXPORT_COLUMNS = (
    "name",
    "supplier_id",
    "company_number",
    "sme",
    "vcse",
    "local",
    "redacted",
    "lines",
    "spend",
)


def export_suppliers(ws: Workspace, path: Path | str) -> int:
    """Write the supplier list with its flags to CSV (UTF-8 with BOM, so Excel reads £)."""
    from lga_desktop.money import pence_to_decimal

    # the catch-all for lines that name no supplier is not a supplier to classify
    suppliers = [s for s in list_suppliers(ws) if s.id != NO_SUPPLIER_ID]
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(EXPORT_COLUMNS)
        for s in suppliers:
            w.writerow(
                [
                    s.name,
                    s.supplier_ref or "",
                    s.company_number or "",
                    UNKNOWN if s.sme is None else _yes(s.sme),
                    _yes(s.vcse),
                    _yes(s.local),
                    _yes(s.redacted),
                    s.lines,
                    pence_to_decimal(s.pence),
                ]
            )
    return len(suppliers)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


UNKNOWN = "not yet classified"
_UNKNOWN = {UNKNOWN, "unknown", "unclassified", "?"}
_TRUE = {"yes", "y", "true", "1", "x", "sme", "vcse", "local"}
_FALSE = {"no", "n", "false", "0"}


@dataclass
class SupplierListReport:
    matched: int = 0
    created: int = 0
    refused: list[tuple[int, str]] | None = None

    def as_dict(self) -> dict:
        return {
            "matched": self.matched,
            "created": self.created,
            "refused": [{"line": n, "reason": r} for n, r in self.refused or []],
        }


def import_suppliers(ws: Workspace, path: Path | str) -> SupplierListReport:
    """Apply a supplier list's flags (and company numbers) to this workspace.

    Rows are matched by normalised name; a supplier not yet seen is added, so
    its flags are waiting when its spend is imported. A blank flag leaves the
    flag as it is. All or nothing: a row whose flag is not yes or no refuses
    the file, with its line number.
    """
    from lga_desktop.procurement.reading import open_rows

    report = SupplierListReport(refused=[])
    source = open_rows(Path(path))
    try:
        rows = iter(source.rows)
        try:
            _, header = next(rows)
        except StopIteration:
            raise UsageError(f"{Path(path).name} has no header row") from None
        cols = {str(h).strip().lower().replace(" ", "_"): i for i, h in enumerate(header)}
        if "supplier_name" in cols and "name" not in cols:
            cols["name"] = cols["supplier_name"]
        if "name" not in cols:
            raise UsageError(
                f"{Path(path).name} has no 'name' column; export a supplier list to see the layout"
            )
        pending: list[tuple[str, str, dict[str, bool | None], str]] = []
        for line, cells in rows:

            def cell(column: str, cells: list = cells) -> str:
                i = cols.get(column)
                return str(cells[i]).strip() if i is not None and i < len(cells) else ""

            name = cell("name")
            if not name:
                continue
            flags: dict[str, bool | None] = {}
            for flag in FLAGS:
                value = cell(flag).lower()
                if not value:
                    continue
                if flag == "sme" and value in _UNKNOWN:
                    flags[flag] = None
                elif value in _TRUE:
                    flags[flag] = True
                elif value in _FALSE:
                    flags[flag] = False
                else:
                    report.refused.append(
                        (
                            line,
                            f"{FLAG_LABELS[flag]} is {value!r}: write yes or no"
                            + (f" (or {UNKNOWN})" if flag == "sme" else ""),
                        )
                    )
            pending.append((name, supplier_key(name), flags, cell("company_number")))
    finally:
        source.close()
    if report.refused:
        first_line, first_reason = report.refused[0]
        raise UsageError(
            f"{Path(path).name} was not applied: line {first_line}: {first_reason}"
            + (f" (and {len(report.refused) - 1} more)" if len(report.refused) > 1 else "")
        )
    with ws.atomic():
        known = dict(ws.db.execute("SELECT name_key, id FROM supplier").fetchall())
        before = flags_of(ws, [known[k] for _, k, f, _ in pending if f and k in known])
        for name, key, flags, company in pending:
            sid = known.get(key)
            if sid is None:
                cur = ws.db.execute(
                    "INSERT INTO supplier (name_key, name, redacted) VALUES (?, ?, ?)",
                    [key, name, int(is_redacted(name))],
                )
                sid = known[key] = cur.lastrowid
                report.created += 1
            else:
                report.matched += 1
            if flags:
                sets, values = _assignments(flags)
                ws.db.execute(f"UPDATE supplier SET {sets} WHERE id = ?", [*values, sid])
            if company:
                ws.db.execute("UPDATE supplier SET company_number = ? WHERE id = ?", [company, sid])
        audit_flags(ws, before, f"supplier list {Path(path).name}")
    return report


def _flag_word(flag: bool | None) -> str:
    return UNKNOWN if flag is None else _yes(flag)
