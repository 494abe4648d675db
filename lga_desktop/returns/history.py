"""The workspace's record of the returns it has signed: immutable, versioned.

Rows of ``signed_returns`` are never updated or deleted (triggers refuse
it). A correction is a new row, version n+1 for the same quarter, naming the
return hash of the one it supersedes. Each row keeps the exact file bytes,
so a copy can be saved again if the e-mail went astray.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lga_desktop.periods import Quarter
from lga_desktop.workspace import Workspace

__all__ = [
    "ReturnRecord",
    "history",
    "latest_for",
    "latest_return",
    "record_document",
    "file_bytes",
]

_COLUMNS = (
    "id, period_key, period, version, supersedes_hash, return_hash, file_sha256, "
    "key_fingerprint, signer_name, signer_role, signed_at, file_name, error_count, warning_count"
)


@dataclass(frozen=True)
class ReturnRecord:
    id: int
    period_key: str
    period: str
    version: int
    supersedes_hash: str | None
    return_hash: str
    file_sha256: str
    key_fingerprint: str
    signer_name: str
    signer_role: str
    signed_at: str
    file_name: str
    error_count: int
    warning_count: int

    @property
    def short_hash(self) -> str:
        return self.return_hash[:16]


def _records(ws: Workspace, where: str = "", params: list[Any] | None = None) -> list[ReturnRecord]:
    rows = ws.db.execute(
        f"SELECT {_COLUMNS} FROM signed_returns {where} ORDER BY period_key DESC, version DESC",
        params or [],
    ).fetchall()
    return [ReturnRecord(*row) for row in rows]


def history(ws: Workspace) -> list[ReturnRecord]:
    """Every signed return, newest quarter first, latest version first within a quarter."""
    return _records(ws)


def latest_for(ws: Workspace, quarter: Quarter) -> ReturnRecord | None:
    found = _records(ws, "WHERE period_key = ?", [quarter.key])
    return found[0] if found else None


def latest_return(ws: Workspace) -> ReturnRecord | None:
    rows = ws.db.execute(
        f"SELECT {_COLUMNS} FROM signed_returns ORDER BY signed_at DESC, id DESC LIMIT 1"
    ).fetchall()
    return ReturnRecord(*rows[0]) if rows else None


def superseded_hashes(ws: Workspace) -> set[str]:
    rows = ws.db.execute(
        "SELECT supersedes_hash FROM signed_returns WHERE supersedes_hash IS NOT NULL"
    ).fetchall()
    return {r[0] for r in rows}


def record_document(ws: Workspace, record: ReturnRecord) -> dict[str, Any]:
    row = ws.db.execute(
        "SELECT return_json FROM signed_returns WHERE id = ?", [record.id]
    ).fetchone()
    return json.loads(row[0])


def file_bytes(ws: Workspace, record: ReturnRecord) -> bytes:
    row = ws.db.execute(
        "SELECT file_bytes FROM signed_returns WHERE id = ?", [record.id]
    ).fetchone()
    return bytes(row[0])
