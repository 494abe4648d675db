"""From a programme figure down to the council's return: its figures, its PDF, its versions.

:func:`council_return_detail` gives, for one council and quarter, every
version merged (newest first), the headline figures of the one that counts
(read from its ``return.json``), the printed ``return.pdf`` exactly as the
council signed it (from the file kept byte for byte), and what changed
between each version and the one before it (every figure that differs, by
its place in the return).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lga_desktop.consolidation.figures import CouncilReturn, returns_on_record
from lga_desktop.consolidation.store import Programme
from lga_desktop.councils import council_by_gss
from lga_desktop.errors import UsageError
from lga_desktop.periods import Quarter

__all__ = [
    "ReturnDetail",
    "council_return_detail",
    "return_pdf_bytes",
    "differences",
    "headline_figures",
    "figures_with_comments",
]

SKIP = ("signed_at", "declaration", "signing_key", "program", "supersedes", "version")


@dataclass
class ReturnDetail:
    council_gss: str
    council_name: str
    quarter: str
    versions: list[CouncilReturn]  # newest first
    figures: list[tuple[str, str]]  # (what, value) of the version that counts
    changes: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # version, where, old, new


def _flat(value: Any, where: str = "") -> dict[str, str]:
    """Every leaf of a return as ``where -> value``: lists of records keyed by their ref."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(_flat(v, f"{where}.{k}" if where else str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            name = (
                (v.get("ref") or v.get("key") or v.get("output") or v.get("category"))
                if (isinstance(v, dict))
                else None
            )
            out.update(_flat(v, f"{where}[{name if name is not None else i}]"))
    else:
        out[where] = json.dumps(value, ensure_ascii=False)
    return out


def _sections(doc: dict) -> dict[str, Any]:
    return {s["key"]: s["data"] for s in doc.get("sections") or [] if isinstance(s, dict)}


def differences(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(where, old, new) for every figure of two versions of a return that differs."""
    a = _flat({"sections": _sections(old), "validation": old.get("validation")})
    b = _flat({"sections": _sections(new), "validation": new.get("validation")})
    return [
        (k, a.get(k, "—"), b.get(k, "—"))
        for k in sorted(set(a) | set(b))
        if a.get(k) != b.get(k) and not k.startswith(SKIP)
    ]


def _document(prog: Programme, return_hash: str) -> dict:
    row = prog.db.execute(
        "SELECT return_json FROM council_return WHERE return_hash = ?", [return_hash]
    ).fetchone()
    if row is None:
        raise UsageError(f"no return with hash {return_hash[:16]}… is in {prog.path.name}")
    return json.loads(row[0])


def _savings_headline(savings: dict) -> list[tuple[str, str]]:
    """Savings kept apart by kind (cashable or not, revenue or capital), as the return states
    them; a return signed before kinds were kept apart has one total."""
    from lga_desktop.money import format_money
    from lga_desktop.registers.savings import BASES

    labels = {f"{cashable}.{kind}": label for cashable, kind, label in BASES}
    parts = [("", savings["total"])] if savings.get("total") else []
    parts += [
        (f", {labels.get(r['key'], r['key']).lower()}", r) for r in savings.get("by_basis") or []
    ]
    out: list[tuple[str, str]] = []
    for kind, row in parts:
        out.append(
            (
                f"Savings realised in the quarter{kind}",
                format_money(row["period"]["realised_pence"]),
            )
        )
        out.append(
            (f"Savings target for the quarter{kind}", format_money(row["period"]["target_pence"]))
        )
        out.append(
            (f"Savings realised to date{kind}", format_money(row["to_date"]["realised_pence"]))
        )
    return out


def _headline(doc: dict) -> list[tuple[str, str]]:
    from lga_desktop.money import format_money

    s = _sections(doc)
    out: list[tuple[str, str]] = []
    out += _savings_headline(s.get("savings") or {})
    share = (s.get("procurement") or {}).get("share") or {}
    if share:
        out.append(("Spend in the quarter", format_money(share["total_pence"])))
        out.append(("SME share of procurement spend", f"{share.get('sme_percent') or '—'}%"))
    pipeline = (s.get("pipeline") or {}).get("pipeline_summary") or {}
    if (s.get("pipeline") or {}).get("carries_pipeline") and pipeline:
        out.append(("Pipeline value", format_money(pipeline["total_value_pence"])))
    funding = (s.get("cap") or {}).get("funding") or {}
    if funding:
        out.append(("CAP: LGA investment", format_money(funding.get("lga_investment_pence", 0))))
        out.append(("CAP: match funding", format_money(funding.get("match_funding_pence", 0))))
    days = (s.get("experts") or {}).get("days") or {}
    if days:
        out.append(
            ("Expert days used to date", f"{days['days_used_to_date']} of {days['days_agreed']}")
        )
    out.append(("Warnings explained", str((doc.get("validation") or {}).get("warnings", 0))))
    return out


# the headline figures by the names the command line gives them (``review --figure``)
FIGURE_KEYS = {
    "Savings realised in the quarter": "savings.realised_pence",
    "Savings target for the quarter": "savings.target_pence",
    "Savings realised to date": "savings.to_date.realised_pence",
    "Spend in the quarter": "procurement.total_pence",
    "SME share of procurement spend": "procurement.sme_percent",
    "Pipeline value": "pipeline.total_value_pence",
    "CAP: LGA investment": "cap.lga_investment_pence",
    "CAP: match funding": "cap.match_funding_pence",
    "Expert days used to date": "experts.days_used_to_date",
    "Warnings explained": "validation.warnings",
}


def headline_figures(doc: dict) -> list[tuple[str, str]]:
    """(what, value) of a return's headline figures, from its ``return.json``."""
    return _headline(doc)


def figures_with_comments(
    figures: list[tuple[str, str]], comments: list[dict[str, Any]]
) -> tuple[list[tuple[str, str, list[dict[str, Any]]]], list[dict[str, Any]]]:
    """Each figure with the comments that name it (by its label, or its key such as
    ``savings.realised_pence``, in any case), and the comments that name none of them."""

    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    rows = []
    placed: set[int] = set()
    for label, value in figures:
        names = {norm(label), norm(FIGURE_KEYS.get(label, label))}
        mine = [c for c in comments if c.get("figure") and norm(c["figure"]) in names]
        placed.update(id(c) for c in mine)
        rows.append((label, value, mine))
    return rows, [c for c in comments if id(c) not in placed]


def council_return_detail(prog: Programme, gss: str, quarter: Quarter) -> ReturnDetail:
    council = council_by_gss(gss)
    versions = [r for r in returns_on_record(prog, quarter) if r.council_gss == council.gss]
    if not versions:
        raise UsageError(f"no return from {council.official_name} for {quarter} has been merged")
    versions.sort(key=lambda r: r.version, reverse=True)
    counting = next((r for r in versions if r.counts), versions[0])
    detail = ReturnDetail(
        council.gss,
        counting.council_name,
        str(quarter),
        versions,
        _headline(_document(prog, counting.return_hash)),
    )
    ordered = list(reversed(versions))
    for before, after in zip(ordered, ordered[1:], strict=False):
        old, new = _document(prog, before.return_hash), _document(prog, after.return_hash)
        detail.changes += [(after.version, *d) for d in differences(old, new)]
    return detail


def return_pdf_bytes(prog: Programme, return_hash: str) -> bytes:
    """The printed return exactly as signed, from the file the council sent."""
    from lga_desktop.returns.container import read_entries
    from lga_desktop.returns.fileformat import PDF_PART

    row = prog.db.execute(
        "SELECT f.content FROM council_return r JOIN received_file f ON f.id = r.received_id "
        "WHERE r.return_hash = ?",
        [return_hash],
    ).fetchone()
    if row is None:
        raise UsageError(f"no return with hash {return_hash[:16]}… is in {prog.path.name}")
    return dict(read_entries(bytes(row[0])))[PDF_PART]
