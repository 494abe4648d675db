"""Signing a return: the last checks, the PDF, the seal, the file and the workspace's record.

:func:`sign_return` refuses a draft that still has problems (errors,
unexplained warnings, an incomplete declaration) and says which; unlocks the
key with the passphrase; builds ``return.json`` and the PDF; seals them;
checks the result with the same verifier the LGA uses; then, in one
transaction, records the return in the workspace and writes the file. If the
file cannot be written, nothing is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lga_desktop.atomic_write import write_bytes
from lga_desktop.councils import Council
from lga_desktop.errors import NotValidError, UsageError
from lga_desktop.periods import Quarter
from lga_desktop.progress import NO_PROGRESS, Progress
from lga_desktop.returns.build import Declaration, Draft, return_document
from lga_desktop.returns.canonical import canonical_bytes, strict_loads
from lga_desktop.returns.fileformat import SUFFIX, seal
from lga_desktop.returns.history import ReturnRecord, latest_for, record_document
from lga_desktop.returns.keys import unlock
from lga_desktop.returns.trust import TrustedKeys
from lga_desktop.returns.verify import verify_bytes
from lga_desktop.workspace import Workspace

__all__ = ["Signed", "sign_return", "default_file_name", "NotReady"]


class NotReady(NotValidError):
    """The draft cannot be signed yet; ``problems`` lists why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        super().__init__(f"The return cannot be signed yet ({len(problems)} to fix): {shown}")
        self.problems = problems


@dataclass(frozen=True)
class Signed:
    record: ReturnRecord
    path: Path
    return_hash: str
    key_fingerprint: str


def default_file_name(council: Council, quarter: Quarter, version: int) -> str:
    """``Oxford 2012-13 Q2 return v1.lgareturn``: sorts by quarter, says what it is."""
    name = re.sub(r"[^A-Za-z0-9 &'-]+", "", council.name).strip() or council.gss
    year = str(quarter.year).replace("/", "-")
    return f"{name} {year} Q{quarter.q} return v{version}{SUFFIX}"


def sign_return(
    ws: Workspace,
    draft: Draft,
    *,
    notes: dict[str, str],
    declaration: Declaration,
    passphrase: str,
    out_path: Path | str,
    correction_reason: str = "",
    progress: Progress = NO_PROGRESS,
    now: datetime | None = None,
) -> Signed:
    """Sign ``draft`` and save it to ``out_path``; see the module notes."""
    problems = draft.problems(notes, declaration, correction_reason)
    if problems:
        raise NotReady(problems)
    out_path = Path(out_path)
    if out_path.suffix.lower() != SUFFIX:
        out_path = out_path.with_name(out_path.name + SUFFIX)
    if not out_path.parent.is_dir():
        raise UsageError(f"The folder {out_path.parent} does not exist")
    progress.update(0, 4, "Unlocking the signing key…")
    private, key = unlock(ws, passphrase)
    signed_at = (now or datetime.now(UTC)).astimezone()
    doc = return_document(
        draft,
        notes=notes,
        declaration=declaration,
        key=key,
        signed_at=signed_at,
        correction_reason=correction_reason,
    )
    return_bytes = canonical_bytes(doc)
    progress.update(1, 4, "Printing the return…")
    from lga_desktop.returns.fileformat import return_hash
    from lga_desktop.returns.pdf import return_pdf

    previous = record_document(ws, draft.supersedes) if draft.supersedes else None
    # printed from return.json as any reader loads it, so the file reprints to the same bytes
    pdf = return_pdf(strict_loads(return_bytes), return_hash(return_bytes), previous)
    progress.update(2, 4, "Signing…")
    sealed = seal(return_bytes, pdf, private)
    check = verify_bytes(sealed.file_bytes, trusted=TrustedKeys.from_keys(draft.council.gss, [key]))
    if not check.valid:  # pragma: no cover - the writer and the reader disagree: a bug
        raise RuntimeError(f"the signed return did not verify: {check.reason}")
    progress.update(3, 4, "Saving…")
    with ws.atomic():
        latest = latest_for(ws, draft.quarter)
        if (latest.id if latest else None) != (draft.supersedes.id if draft.supersedes else None):
            raise UsageError(
                f"Another return for {draft.quarter} was signed while this one was being "
                "prepared; start the return again"
            )
        ws.db.execute(
            "INSERT INTO signed_returns (period_key, period, version, supersedes_hash, "
            "return_hash, file_sha256, key_fingerprint, signer_name, signer_role, signed_at, "
            "file_name, error_count, warning_count, return_json, file_bytes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                draft.quarter.key,
                str(draft.quarter),
                draft.version,
                draft.supersedes.return_hash if draft.supersedes else None,
                sealed.return_hash,
                sealed.file_sha256,
                key.fingerprint,
                declaration.signer.name,
                declaration.signer.role,
                doc["signed_at"],
                out_path.name,
                len(draft.errors),
                len(draft.warnings),
                return_bytes.decode("utf-8"),
                sealed.file_bytes,
            ],
        )
        ws.db.execute("DELETE FROM return_notes WHERE period_key = ?", [draft.quarter.key])
        write_bytes(out_path, sealed.file_bytes, what="The return")
    record = latest_for(ws, draft.quarter)
    assert record is not None
    progress.update(4, 4, "")
    return Signed(record, out_path, sealed.return_hash, key.fingerprint)
