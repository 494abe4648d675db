"""The LGA's side: the programme pack it sends every council, and the receipts for their returns.

Both are signed with the LGA's own key, held in the programme file exactly as
a council's key is held in its workspace (:mod:`lga_desktop.returns.keys`:
scrypt + AES-GCM, rotation with the old key's endorsement, a key card).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from lga_desktop.atomic_write import write_bytes
from lga_desktop.categories import default_categories
from lga_desktop.consolidation.roster import due_date, review_history, review_state, roster
from lga_desktop.consolidation.store import Programme
from lga_desktop.councils import council_by_gss
from lga_desktop.errors import UsageError
from lga_desktop.exchange.envelope import seal_document
from lga_desktop.exchange.formats import PACK, RECEIPT
from lga_desktop.periods import FinancialYear, Quarter, parse_period, year_of
from lga_desktop.registers.savings import WORKSTREAMS
from lga_desktop.returns.keys import NoKey, SigningKey, all_keys, unlock

__all__ = [
    "DEFAULT_THRESHOLDS",
    "pack_settings",
    "set_pack_settings",
    "pack_document",
    "export_pack",
    "receipt_documents",
    "export_receipts",
    "receipt_file_name",
]

DEFAULT_THRESHOLDS = {"classified_coverage_percent": 80, "variance_percent": 25}
DEFAULT_SUPPORT = {"name": "LGA Productivity Programme team", "email": "", "phone": ""}


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def pack_settings(prog: Programme) -> dict[str, Any]:
    """The year, thresholds and support contact the next pack will carry."""
    from lga_desktop.consolidation.figures import quarters_with_returns

    quarters = quarters_with_returns(prog)
    year = str(quarters[-1].year) if quarters else str(year_of(date.today()))
    return {
        "year": prog.get_meta("pack_year", year),
        "thresholds": {**DEFAULT_THRESHOLDS, **prog.get_meta("pack_thresholds", {})},
        "support": {**DEFAULT_SUPPORT, **prog.get_meta("pack_support", {})},
    }


def set_pack_settings(
    prog: Programme,
    *,
    year: str | None = None,
    thresholds: dict[str, int] | None = None,
    support: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Keep what is given for every later pack; the settings now in force."""
    if year is not None:
        period = parse_period(year)
        if not isinstance(period, FinancialYear):
            raise UsageError(f"--year {year!r} is a quarter; give a financial year like 2012/13")
        prog.set_meta("pack_year", str(period))
    if thresholds:
        prog.set_meta("pack_thresholds", {**prog.get_meta("pack_thresholds", {}), **thresholds})
    if support:
        prog.set_meta("pack_support", {**prog.get_meta("pack_support", {}), **support})
    return pack_settings(prog)


def _endorsements(keys: list[SigningKey]) -> list[dict[str, str]]:
    """Each rotation of the LGA's key, oldest first, as the pack carries it."""
    return [
        {**k.endorsement, "new_public_key": k.public_key_hex}
        for k in reversed(keys)
        if k.endorsement
    ]


def _lga_key(key: SigningKey) -> dict[str, str]:
    return {
        "algorithm": "Ed25519",
        "public_key": key.public_key_hex,
        "fingerprint": key.fingerprint,
    }


def _unlock(prog: Programme, passphrase: str):
    """The LGA's private key and its record; a usage error in the LGA's words when it has none."""
    try:
        return unlock(prog, passphrase)  # type: ignore[arg-type]
    except NoKey:
        raise UsageError(
            "This programme file has no LGA key yet; create it first with 'lga-desktop keygen "
            "--programme PROGRAMME' (the window makes it when the first pack is exported)"
        ) from None


def pack_document(prog: Programme, key: SigningKey, sequence: int) -> dict[str, Any]:
    settings = pack_settings(prog)
    year = parse_period(settings["year"])
    assert isinstance(year, FinancialYear)
    rows = roster(prog) or []
    listed = [
        {"gss": r.gss, "name": r.name, "strand": r.strand, "pilot": r.pilot, "due_days": r.due_days}
        for r in rows
    ]
    if not listed:  # no roster: the councils whose keys are trusted
        listed = [
            {"gss": g, "name": n, "strand": "", "pilot": "", "due_days": None}
            for g, n in prog.pilot_councils()
        ]
    categories = default_categories()
    return {
        "format": PACK.format_name,
        "format_version": 1,
        "programme": {"name": prog.name, "year": str(year)},
        "sequence": sequence,
        "issued_at": _now(),
        "lga_key": _lga_key(key),
        "endorsements": _endorsements(all_keys(prog)),  # type: ignore[arg-type]
        "roster": listed,
        "due_dates": [
            {"quarter": str(q), "due": due_date(prog, q).isoformat()} for q in year.quarters
        ],
        "workstreams": [{"code": code, "name": name} for code, name in WORKSTREAMS],
        "categories": [
            {"code": c.code, "name": c.name, "procurement": c.procurement} for c in categories
        ],
        "non_procurement": [c.code for c in categories if not c.procurement],
        "thresholds": settings["thresholds"],
        "support": settings["support"],
    }


@dataclass(frozen=True)
class Exported:
    path: Path
    sequence: int
    fingerprint: str


def export_pack(prog: Programme, passphrase: str, out: Path | str) -> Exported:
    """Sign the programme pack with the LGA's key and write it; the next sequence number."""
    out = Path(out)
    if out.suffix.lower() != PACK.suffix:
        out = out.with_name(out.name + PACK.suffix)
    if not out.parent.is_dir():
        raise UsageError(f"The folder {out.parent} does not exist")
    private, key = _unlock(prog, passphrase)
    sequence = int(prog.get_meta("pack_sequence", 0)) + 1
    data = seal_document(PACK, pack_document(prog, key, sequence), private)
    with prog.atomic():
        prog.set_meta("pack_sequence", sequence)
        write_bytes(out, data, what="The programme pack")
    return Exported(out, sequence, key.fingerprint)


def receipt_documents(prog: Programme, quarter: Quarter, key: SigningKey) -> list[dict[str, Any]]:
    """One receipt per council whose return counts for ``quarter``: its state and comments."""
    docs = []
    for gss, version, return_hash, signed_at, merged_at in prog.db.execute(
        "SELECT council_gss, version, return_hash, signed_at, merged_at FROM council_return "
        "WHERE counts = 1 AND period_key = ? ORDER BY council_gss",
        [quarter.key],
    ).fetchall():
        council = council_by_gss(gss)
        docs.append(
            {
                "format": RECEIPT.format_name,
                "format_version": 1,
                "programme": prog.name,
                "issued_at": _now(),
                "lga_key": _lga_key(key),
                "council": {"gss": council.gss, "name": council.official_name},
                "return": {
                    "quarter": str(quarter),
                    "version": version,
                    "return_hash": return_hash,
                    "signed_at": signed_at,
                    "received_at": merged_at,
                },
                "status": review_state(prog, return_hash),
                "comments": [
                    {
                        "action": e["action"],
                        "figure": e["figure"],
                        "comment": e["comment"],
                        "by": e["by_name"],
                        "at": e["at"],
                    }
                    for e in review_history(prog, return_hash)
                ],
            }
        )
    return docs


def receipt_file_name(doc: dict[str, Any]) -> str:
    """``Oxford 2012-13 Q2 v1 queried.lgareceipt``: says whose, which return, and the news."""
    council = council_by_gss(doc["council"]["gss"])
    name = re.sub(r"[^A-Za-z0-9 &'-]+", "", council.name).strip() or council.gss
    quarter = doc["return"]["quarter"].replace("/", "-")
    return f"{name} {quarter} v{doc['return']['version']} {doc['status']}{RECEIPT.suffix}"


def export_receipts(
    prog: Programme, quarter: Quarter, passphrase: str, out_dir: Path | str
) -> list[Path]:
    """Write one signed receipt per council for ``quarter`` into ``out_dir``; their paths."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise UsageError(f"The folder {out_dir} does not exist; create it first")
    private, key = _unlock(prog, passphrase)
    docs = receipt_documents(prog, quarter, key)
    if not docs:
        raise UsageError(f"No return counts for {quarter} yet, so there is nothing to receipt")
    paths = []
    for doc in docs:
        path = out_dir / receipt_file_name(doc)
        write_bytes(path, seal_document(RECEIPT, doc, private), what="The receipt")
        paths.append(path)
    return paths
