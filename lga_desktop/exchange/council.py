"""The council's side: importing the LGA's programme pack, opening its receipts.

Trust works as the LGA's trust in a council's key does, the other way round:
the officer confirms the LGA's fingerprint once (read out on the phone, or
from the LGA's key card) with the first pack. After that a pack is accepted
only when it is signed by the key of the pack in force, or by a key that key
endorsed (a rotation, carried in the pack), and only when it is newer
(``sequence``): an older pack sent again is refused, so nobody can roll the
council back to an old schedule. A receipt is accepted only when it is signed
by the key of the pack in force, is for this council, and names a return this
workspace signed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lga_desktop.errors import NotValidError, UsageError
from lga_desktop.periods import parse_quarter
from lga_desktop.workspace import Workspace

# The envelope and the keys (and the cryptography under them) load when a pack or a
# receipt is opened: the dashboard reads the pack in force at start-up without them.
if TYPE_CHECKING:
    from lga_desktop.exchange.envelope import Opened
    from lga_desktop.registers.declaration import Register

__all__ = [
    "TrustError",
    "ImportedPack",
    "import_pack",
    "current_pack",
    "open_receipt",
    "lga_statuses",
    "LgaStatus",
    "due_dates",
    "pack_threshold",
    "query_answer",
    "pack_options",
    "return_figures",
    "comments_on_figures",
]

MAX_BYTES = 8 * 1024 * 1024


class TrustError(NotValidError):
    """The file is sound but not from the LGA key this workspace trusts (or not for it)."""


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def _read(path: Path | str, what: str) -> bytes:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise NotValidError(f"{path.name} is far larger than a {what} can be; it was not read")
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"there is no file {path}; check the name and folder") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder; choose a {what} file") from None
    except OSError as exc:  # Windows: a file open in another program is locked
        raise UsageError(
            f"{path.name} cannot be read ({exc.strerror}); close it elsewhere"
        ) from None


@dataclass(frozen=True)
class ImportedPack:
    document: dict[str, Any]
    sequence: int
    fingerprint: str
    issued_at: str
    imported_at: str
    new: bool = True

    @property
    def support(self) -> dict[str, str]:
        return self.document["support"]


def current_pack(ws: Workspace) -> ImportedPack | None:
    """The pack in force: the newest imported, or ``None`` before the first."""
    row = ws.db.execute(
        "SELECT pack_json, sequence, lga_fingerprint, issued_at, imported_at FROM programme_pack "
        "ORDER BY sequence DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return ImportedPack(json.loads(row[0]), row[1], row[2], row[3], row[4], new=False)


def _endorsed_keys(start: str, endorsements: list[dict[str, str]]) -> set[str]:
    """The fingerprints reachable from ``start`` through genuine endorsements, in order."""
    from lga_desktop.returns.keys import KeyError_, check_endorsement, fingerprint

    trusted = {start}
    for e in endorsements:
        new_raw = bytes.fromhex(e["new_public_key"])
        try:
            old = check_endorsement(e, new_raw)
        except KeyError_:
            continue
        if old in trusted:
            trusted.add(fingerprint(new_raw))
    return trusted


def _own_keys(ws: Workspace) -> set[str]:
    from lga_desktop.returns.keys import all_keys

    return {k.fingerprint for k in all_keys(ws)}


def _check_pack_trust(ws: Workspace, opened: Opened, confirmed: str | None) -> None:
    from lga_desktop.returns.keys import normalise_fingerprint

    fp = opened.fingerprint
    if fp in _own_keys(ws):
        raise TrustError(
            f"The pack is signed with this council's own key ({fp}), not the LGA's: only the "
            "LGA issues programme packs. It was not imported."
        )
    current = current_pack(ws)
    if current is None:
        if confirmed is None:
            raise UsageError(
                f"This is the first programme pack for this workspace: confirm the LGA's key "
                f"fingerprint with the LGA (it is {fp}) and import again with --fingerprint"
            )
        if normalise_fingerprint(confirmed) != fp:
            raise TrustError(
                f"The pack is signed with the key {fp}, not the LGA key you confirmed "
                f"({normalise_fingerprint(confirmed)}); ask the LGA before importing it."
            )
        return
    if confirmed is not None and normalise_fingerprint(confirmed) != fp:
        raise TrustError(f"The pack is signed with the key {fp}, not the one you gave.")
    if fp not in _endorsed_keys(current.fingerprint, opened.document["endorsements"]):
        raise TrustError(
            f"The pack is signed with the key {fp}, which is not the LGA's key "
            f"({current.fingerprint}) nor a key it endorsed; it was not imported. If the LGA "
            "says it changed its key, ask it for the fingerprint."
        )
    seq = opened.document["sequence"]
    if seq <= current.sequence:
        raise TrustError(
            f"The pack is number {seq}, issued {opened.document['issued_at']}, older than the "
            f"pack in force (number {current.sequence}, issued {current.issued_at}): an old pack "
            "sent again is refused, so nothing changed."
        )


def import_pack(ws: Workspace, path: Path | str, *, confirmed: str | None = None) -> ImportedPack:
    """Verify and import a programme pack; :class:`Refused` or :class:`TrustError` if not."""
    from lga_desktop.exchange.envelope import open_document
    from lga_desktop.exchange.formats import PACK

    data = _read(path, "programme pack")
    opened = open_document(PACK, data)
    doc = opened.document
    current = current_pack(ws)
    if current is not None and current.sequence == doc["sequence"]:
        known = ws.db.execute(
            "SELECT file_sha256 FROM programme_pack WHERE sequence = ?", [doc["sequence"]]
        ).fetchone()
        if known and known[0] == opened.file_sha256:
            return current  # the same file again: nothing to do
    _check_pack_trust(ws, opened, confirmed)
    now = _now()
    with ws.atomic():
        ws.db.execute(
            "INSERT INTO programme_pack (sequence, issued_at, lga_fingerprint, lga_public_key, "
            "file_sha256, pack_json, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                doc["sequence"],
                doc["issued_at"],
                opened.fingerprint,
                opened.public_key.hex(),
                opened.file_sha256,
                json.dumps(doc, sort_keys=True),
                now,
            ],
        )
    return ImportedPack(doc, doc["sequence"], opened.fingerprint, doc["issued_at"], now)


# ---- receipts ----------------------------------------------------------------------------


@dataclass
class LgaStatus:
    status: str  # received, queried, accepted
    issued_at: str
    comments: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "issued_at": self.issued_at, "comments": self.comments}


def open_receipt(ws: Workspace, path: Path | str) -> dict[str, Any]:
    """Verify a receipt against the pack's LGA key and record it; the receipt's document."""
    from lga_desktop.exchange.envelope import open_document
    from lga_desktop.exchange.formats import RECEIPT

    data = _read(path, "receipt")
    opened = open_document(RECEIPT, data)
    doc = opened.document
    pack = current_pack(ws)
    if pack is None:
        raise UsageError(
            "Import the LGA's programme pack first (File > Import programme pack…, or "
            "'lga-desktop import-pack'): a receipt is checked against the LGA key it names"
        )
    if opened.fingerprint != pack.fingerprint:
        raise TrustError(
            f"The receipt is signed with the key {opened.fingerprint}, not the LGA key of the "
            f"programme pack ({pack.fingerprint}); it was not recorded."
        )
    council = ws.council
    if doc["council"]["gss"] != council.gss:
        raise TrustError(
            f"The receipt is for another council's return ({doc['council']['name']}, "
            f"{doc['council']['gss']}), not {council.official_name}'s; it was not recorded."
        )
    ret = doc["return"]
    row = ws.db.execute(
        "SELECT period_key, version FROM signed_returns WHERE return_hash = ?",
        [ret["return_hash"]],
    ).fetchone()
    if row is None:
        raise TrustError(
            f"The receipt names a return (hash {ret['return_hash'][:16]}…) that this workspace "
            "never signed; it was not recorded."
        )
    if (row[0], row[1]) != (parse_quarter(ret["quarter"]).key, ret["version"]):
        raise TrustError(
            "The receipt gives the return a quarter or version other than the one it has; "
            "it was not recorded."
        )
    with ws.atomic():
        if not ws.db.execute(
            "SELECT 1 FROM lga_receipt WHERE file_sha256 = ?", [opened.file_sha256]
        ).fetchone():
            ws.db.execute(
                "INSERT INTO lga_receipt (return_hash, status, issued_at, lga_fingerprint, "
                "file_sha256, receipt_json, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    ret["return_hash"],
                    doc["status"],
                    doc["issued_at"],
                    opened.fingerprint,
                    opened.file_sha256,
                    json.dumps(doc, sort_keys=True),
                    _now(),
                ],
            )
    return doc


def lga_statuses(ws: Workspace) -> dict[str, LgaStatus]:
    """Each return's LGA status, from the newest receipt for it (by the LGA's issue time)."""
    out: dict[str, LgaStatus] = {}
    for return_hash, receipt_json in ws.db.execute(
        "SELECT return_hash, receipt_json FROM lga_receipt ORDER BY issued_at, id"
    ):
        doc = json.loads(receipt_json)
        out[return_hash] = LgaStatus(doc["status"], doc["issued_at"], doc["comments"])
    return out


def return_figures(ws: Workspace, return_hash: str) -> list[tuple[str, str]]:
    """(what, value) of the headline figures of a return this workspace signed, as the LGA's
    drill-down lists them, so its comments on a figure can be shown beside it."""
    from lga_desktop.consolidation.drill import headline_figures
    from lga_desktop.returns.container import read_entries
    from lga_desktop.returns.fileformat import RETURN_PART

    row = ws.db.execute(
        "SELECT file_bytes FROM signed_returns WHERE return_hash = ?", [return_hash]
    ).fetchone()
    if row is None:
        return []
    return headline_figures(json.loads(dict(read_entries(bytes(row[0])))[RETURN_PART]))


def comments_on_figures(ws: Workspace, return_hash: str) -> list[dict[str, Any]]:
    """The LGA's comments on a return, each with the figure it names as the return states it
    (``figure_label``, ``figure_value``; ``None`` for the whole return or a figure not among
    the headline figures)."""
    from lga_desktop.consolidation.drill import figures_with_comments

    status = lga_statuses(ws).get(return_hash)
    if status is None:
        return []
    rows, _rest = figures_with_comments(return_figures(ws, return_hash), status.comments)
    beside = {id(c): (label, value) for label, value, on_it in rows for c in on_it}
    out = []
    for c in status.comments:
        label, value = beside.get(id(c), (None, None))
        out.append({**c, "figure_label": label, "figure_value": value})
    return out


def query_answer(ws: Workspace, return_hash: str) -> str:
    """A correction's reason that links back to the LGA's query of the return it corrects
    (empty when the LGA's newest receipt for it is not a query)."""
    status = lga_statuses(ws).get(return_hash)
    if status is None or status.status != "queried":
        return ""
    asked = [
        f"{c['comment']}{' (on ' + c['figure'] + ')' if c['figure'] else ''}"
        for c in status.comments
        if c["action"] == "queried" and c["comment"]
    ]
    return "In answer to the LGA's query: " + "; ".join(asked) if asked else ""


# the lists a pack carries codes for, by the register field they fill: (register, field) -> list
PACK_LISTS = {("savings", "workstream"): "workstreams"}


def pack_options(ws: Workspace, reg: Register) -> dict[str, tuple[tuple[str, str], ...]]:
    """The choices a register's fields offer under the pack in force: the LGA's codes with its
    names, in its order; empty before a pack (the fields keep their built-in lists). Only
    codes the field knows are offered, so any choice can be saved."""
    pack = current_pack(ws)
    if pack is None:
        return {}
    out = {}
    for (key, name), listed in PACK_LISTS.items():
        if key != reg.key or not pack.document.get(listed):
            continue
        known = dict(reg.field(name).type.options)  # type: ignore[attr-defined]
        items = pack.document[listed]
        out[name] = tuple((i["code"], i["name"]) for i in items if i["code"] in known)
    return out


def pack_threshold(ws: Workspace, name: str, default: Decimal) -> Decimal:
    """A threshold for checks from the pack in force (``thresholds.NAME``), else ``default``."""
    pack = current_pack(ws)
    return Decimal(pack.document["thresholds"][name]) if pack else default


def due_dates(ws: Workspace, today: date | None = None) -> list[dict[str, Any]]:
    """The pack's due dates for this council (its roster days first), with days left."""
    from datetime import timedelta

    pack = current_pack(ws)
    if pack is None:
        return []
    today = today or date.today()
    days = [
        r["due_days"]
        for r in pack.document["roster"]
        if r["gss"] == ws.council.gss and r["due_days"] is not None
    ]
    out = []
    for row in pack.document["due_dates"]:
        quarter = parse_quarter(row["quarter"])
        due = quarter.end + timedelta(days=min(days)) if days else date.fromisoformat(row["due"])
        out.append(
            {"quarter": str(quarter), "due": due.isoformat(), "days_left": (due - today).days}
        )
    return out
