"""Merging the returns councils send: every file checked, nothing merged twice or half.

:func:`consolidate` takes files and folders of ``.lgareturn`` files. Each file
is verified (:mod:`lga_desktop.returns.verify`) against the keys the programme
trusts, then:

- **merged**: intact, signed with the council's trusted key, for a quarter
  that had begun when it was signed, its figures readable. For each council
  and quarter the highest version counts; earlier versions stay, superseded
  (a late-arriving earlier version is merged as superseded at once);
- **waiting for its key**: intact, but signed with a key not (yet) trusted for
  that council. It is kept, and merged when the key is trusted
  (:func:`retry_waiting`, or dropping the file in again);
- **held aside**: anything else (damaged, tampered, out of the format, a key
  revoked before the file was received, a conflicting second "version 1",
  figures not in the format), with the reason in words;
- **already received / same return**: the exact file, or the same return
  in another file, was merged before: counted once, never twice.

Every file received is kept byte for byte, whatever happened to it. A batch
is one transaction: cancelled, or failed for want of disk, the programme is as
it was. Inside it files are written in groups under one savepoint; a group
that meets an error this program did not foresee is undone and received again
file by file, each in its own savepoint, so whatever one file does is undone
and that file alone is held aside, recorded, so that a retry says so at once;
the others merge, once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lga_desktop.consolidation.facts import FactError, ReturnFacts, read_facts
from lga_desktop.consolidation.store import Programme, now_text
from lga_desktop.periods import parse_quarter
from lga_desktop.progress import NO_PROGRESS, Progress
from lga_desktop.returns.container import MAX_FILE_BYTES
from lga_desktop.returns.fileformat import SUFFIX
from lga_desktop.returns.trust import TrustedKeys
from lga_desktop.returns.verify import Verification, verify_bytes

__all__ = ["FileOutcome", "MergeReport", "collect_files", "consolidate", "retry_waiting"]

MERGED, SUPERSEDED, WAITING, HELD = "merged", "merged-superseded", "waiting-key", "held"
ALREADY, SAME_RETURN, NOT_READ = "already-received", "same-return", "not-read"

_HEADINGS = {
    MERGED: "MERGED",
    SUPERSEDED: "MERGED (superseded)",
    WAITING: "WAITING FOR ITS KEY",
    HELD: "HELD ASIDE",
    ALREADY: "ALREADY RECEIVED",
    SAME_RETURN: "ALREADY MERGED",
    NOT_READ: "NOT READ",
}


@dataclass
class FileOutcome:
    """What happened to one file, in a word (``outcome``) and in a sentence (``reason``)."""

    file: str
    outcome: str
    status: str
    reason: str
    council_gss: str | None = None
    council_name: str | None = None
    period: str | None = None
    version: int | None = None
    return_hash: str | None = None
    file_sha256: str | None = None

    @property
    def merged(self) -> bool:
        return self.outcome in (MERGED, SUPERSEDED)

    def line(self) -> str:
        what = f"{self.council_name} {self.period} v{self.version}: " if self.council_name else ""
        return f"{_HEADINGS[self.outcome]:<20} {self.file}: {what}{self.reason}"


@dataclass
class MergeReport:
    files: list[FileOutcome]

    def count(self, *outcomes: str) -> int:
        return sum(f.outcome in outcomes for f in self.files)

    @property
    def merged(self) -> int:
        return self.count(MERGED, SUPERSEDED)

    @property
    def held(self) -> int:
        return self.count(HELD, NOT_READ)

    @property
    def waiting(self) -> int:
        return self.count(WAITING)

    @property
    def already(self) -> int:
        return self.count(ALREADY, SAME_RETURN)

    @property
    def all_accepted(self) -> bool:
        """True when no file was held aside or left waiting for its key."""
        return not (self.held or self.waiting)

    def summary(self) -> str:
        return (
            f"{len(self.files)} file(s): {self.merged} merged, {self.already} already merged, "
            f"{self.waiting} waiting for a key to be trusted, {self.held} held aside"
        )

    def describe(self) -> str:
        return "\n".join([f.line() for f in self.files] + [self.summary()])

    def to_json(self) -> dict[str, Any]:
        return {
            "merged": self.merged,
            "already_merged": self.already,
            "waiting_for_key": self.waiting,
            "held_aside": self.held,
            "files": [asdict(f) for f in self.files],
        }


def collect_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files named, with each folder replaced by the return files in it (sorted)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == SUFFIX)
        else:
            out.append(path)
    return out


def consolidate(
    prog: Programme, paths: Sequence[Path | str], *, progress: Progress = NO_PROGRESS
) -> MergeReport:
    """Check and merge return files (and folders of them) into the programme, in one transaction."""
    files = collect_files(paths)

    def read_each() -> Iterator[_Received]:
        for done, path in enumerate(files):
            progress.update(done, len(files), f"Checking {path.name}")
            yield (path.name, *_read(path))

    with prog.atomic():
        outcomes = _receive_all(prog, read_each(), prog.trusted_keys())
        progress.update(len(files), len(files), "Merged")
    return MergeReport(outcomes)


def retry_waiting(prog: Programme, *, progress: Progress = NO_PROGRESS) -> MergeReport:
    """Check again the files waiting for their key (after a key was trusted), merging those now trusted."""
    with prog.atomic():
        rows = prog.db.execute(
            "SELECT file_name, content FROM received_file WHERE outcome = ? ORDER BY id", [WAITING]
        ).fetchall()

        def each() -> Iterator[_Received]:
            for done, (name, content) in enumerate(rows):
                progress.update(done, len(rows), f"Checking {name}")
                yield name, bytes(content), ""

        outcomes = _receive_all(prog, each(), prog.trusted_keys())
    return MergeReport(outcomes)


# a file's name, and its bytes or (None and) why they could not be read
_Received = tuple[str, bytes | None, str]

# Files are written in groups under one savepoint (a savepoint per file made SQLite copy
# aside, for every file, the pages it touched: 5-7% of a consolidation); a group that meets
# an error nobody foresaw is undone and received again, each file in its own savepoint.
GROUP_FILES = 32
GROUP_BYTES = 8 * 1024 * 1024


def _groups(received: Iterable[_Received]) -> Iterator[list[_Received]]:
    group: list[_Received] = []
    size = 0
    for item in received:
        group.append(item)
        size += len(item[1] or b"")
        if len(group) >= GROUP_FILES or size >= GROUP_BYTES:
            yield group
            group, size = [], 0
    if group:
        yield group


def _receive_all(
    prog: Programme, received: Iterable[_Received], trusted: TrustedKeys
) -> list[FileOutcome]:
    """Every file's outcome. Reading (and the progress that may cancel) stays outside the
    savepoints, so a cancel is never taken for one file's error."""
    outcomes: list[FileOutcome] = []
    for group in _groups(received):
        try:
            with prog.db.atomic():
                done = [_receive_one(prog, item, trusted, _receive) for item in group]
        except sqlite3.OperationalError:  # the programme file itself (disk full, locked): stop
            raise
        except Exception:  # noqa: BLE001 - that group undone; now each file on its own
            done = [_receive_one(prog, item, trusted, _receive_alone) for item in group]
        outcomes += done
    return outcomes


def _receive_one(
    prog: Programme,
    item: _Received,
    trusted: TrustedKeys,
    receive: Callable[[Programme, str, bytes, TrustedKeys], FileOutcome],
) -> FileOutcome:
    name, data, problem = item
    if data is None:
        return FileOutcome(name, NOT_READ, "unreadable", problem)
    return receive(prog, name, data, trusted)


def _read(path: Path) -> tuple[bytes | None, str]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, "The file is far larger than a return can be; it was not read."
        return path.read_bytes(), ""
    except FileNotFoundError:
        return None, "There is no such file."
    except OSError as exc:
        return None, f"The file cannot be read ({exc.strerror})."


def _receive_alone(prog: Programme, name: str, data: bytes, trusted: TrustedKeys) -> FileOutcome:
    """:func:`_receive` in a savepoint: one file's unforeseen failure is that file's outcome."""
    try:
        with prog.db.atomic():
            return _receive(prog, name, data, trusted)
    except sqlite3.OperationalError:  # the programme file itself (disk full, locked): stop
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file must not stop the batch
        outcome = FileOutcome(
            name,
            HELD,
            "internal",
            "lga-desktop met an error it did not expect while merging this file "
            f"({type(exc).__name__}: {str(exc)[:200]}); nothing of it was merged. The file is "
            "kept here; please report it with the file.",
            file_sha256=hashlib.sha256(data).hexdigest(),
        )
        earlier = _earlier(prog, outcome.file_sha256)
        _record_file(prog, earlier, name, data, outcome, Verification(name, False, "", ""))
        return outcome


def _earlier(prog: Programme, sha: str | None) -> Any:
    return prog.db.execute(
        "SELECT id, outcome, reason, received_at FROM received_file WHERE file_sha256 = ?", [sha]
    ).fetchone()


def _receive(prog: Programme, name: str, data: bytes, trusted: TrustedKeys) -> FileOutcome:
    sha = hashlib.sha256(data).hexdigest()
    earlier = _earlier(prog, sha)
    if earlier and earlier[1] != WAITING:
        return FileOutcome(
            name,
            ALREADY,
            "already-received",
            f"This exact file was received on {earlier[3][:10]} ({_HEADINGS[earlier[1]].lower()}"
            f"): {earlier[2]}",
            file_sha256=sha,
        )
    # a key revoked "for returns received after" a day is judged by when the LGA got the file
    received = _date_of(earlier[3]) if earlier else None
    result = verify_bytes(data, trusted=trusted, path=name, received=received, file_sha256=sha)
    outcome, facts = _judge(prog, name, result)
    outcome.file_sha256 = sha
    received_id = _record_file(prog, earlier, name, data, outcome, result)
    if facts is not None:
        _merge(prog, received_id, result, facts, outcome)
    return outcome


def _judge(prog: Programme, name: str, v: Verification) -> tuple[FileOutcome, ReturnFacts | None]:
    """The outcome for a verified file, and its facts when it is to be merged."""
    out = FileOutcome(
        name,
        HELD,
        v.status,
        v.reason,
        v.council_gss,
        v.council_name,
        v.period,
        v.version,
        v.return_hash,
    )
    if not v.intact or v.trust == "revoked":
        return out, None
    if not v.valid:  # intact, but its key is not (yet) trusted for that council
        out.outcome = WAITING
        out.reason = (
            f"{v.reason} The file is kept here and will be merged once the council's key "
            "is trusted."
        )
        return out, None
    quarter = parse_quarter(v.period or "")
    signed_on = _date_of(v.signed_at)
    if signed_on is None or signed_on < quarter.start:
        out.status = "period"
        out.reason = (
            f"It is a return for {quarter} but says it was signed on {v.signed_at}, before that "
            "quarter began; ask the council to check the quarter and send it again."
        )
        return out, None
    same = prog.db.execute(
        "SELECT id FROM council_return WHERE return_hash = ?", [v.return_hash]
    ).fetchone()
    if same:
        out.outcome, out.status = SAME_RETURN, "same-return"
        out.reason = "This return (same return hash) was merged before, from another file."
        return out, None
    clash = prog.db.execute(
        "SELECT return_hash FROM council_return "
        "WHERE council_gss = ? AND period_key = ? AND version = ?",
        [v.council_gss, v.period_key, v.version],
    ).fetchone()
    if clash:
        out.status = "conflict"
        out.reason = (
            f"A different version {v.version} of {v.council_name}'s return for {v.period} was "
            f"merged before (return hash {clash[0][:16]}…). A council corrects a return by signing "
            f"version {v.version + 1}; ask which one is right."
        )
        return out, None
    if v.supersedes_hash:
        target = prog.db.execute(
            "SELECT council_gss, period_key FROM council_return WHERE return_hash = ?",
            [v.supersedes_hash],
        ).fetchone()
        if target and tuple(target) != (v.council_gss, v.period_key):
            out.status = "conflict"
            out.reason = (
                "It says it corrects a return of another council or quarter; ask the council "
                "to sign the correction again from the right return."
            )
            return out, None
    try:
        facts = read_facts(v.document or {})
    except FactError as exc:
        out.status = "figures"
        out.reason = f"Its signature is good, but {exc}; ask the council which program made it."
        return out, None
    out.outcome, out.status = MERGED, "valid"
    out.reason = "Intact, signed with the council's trusted key; merged."
    return out, facts


def _date_of(text: str | None) -> date | None:
    try:
        return datetime.fromisoformat(text or "").date()
    except ValueError:
        return None


def _record_file(
    prog: Programme,
    earlier: Any,
    name: str,
    data: bytes,
    outcome: FileOutcome,
    v: Verification,
) -> int:
    outcome_word = MERGED if outcome.merged else outcome.outcome
    fields = {
        "outcome": outcome_word,
        "status": outcome.status,
        "reason": outcome.reason,
        "council_gss": v.council_gss,
        "period_key": v.period_key,
        "version": v.version,
        "return_hash": v.return_hash,
        "key_fingerprint": v.key_fingerprint,
    }
    if earlier:
        sets = ", ".join(f"{k} = ?" for k in fields)
        prog.db.execute(
            f"UPDATE received_file SET {sets} WHERE id = ?", [*fields.values(), earlier[0]]
        )
        return earlier[0]
    row = {
        "file_sha256": outcome.file_sha256,
        "file_name": name,
        "received_at": now_text(),
        "size_bytes": len(data),
        "content": data,
        **fields,
    }
    cursor = prog.db.execute(
        f"INSERT INTO received_file ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    return cursor.lastrowid


def _merge(
    prog: Programme, received_id: int, v: Verification, facts: ReturnFacts, outcome: FileOutcome
) -> None:
    doc = v.document or {}
    prog.add_member(v.council_gss or "")
    # the highest version of the council's quarter counts; the rest are superseded
    # (versions are unique per council and quarter: _judge held a second version n aside)
    latest = prog.db.execute(
        "SELECT MAX(version) FROM council_return WHERE council_gss = ? AND period_key = ?",
        [v.council_gss, v.period_key],
    ).fetchone()[0]
    counts = latest is None or (v.version or 0) > latest
    row = {
        "received_id": received_id,
        "return_hash": v.return_hash,
        "council_gss": v.council_gss,
        "council_name": v.council_name,
        "period_key": v.period_key,
        "period": v.period,
        "version": v.version,
        "supersedes_hash": v.supersedes_hash,
        "signed_at": v.signed_at,
        "signer_name": v.signer_name,
        "signer_role": v.signer_role,
        "key_fingerprint": v.key_fingerprint,
        "warnings": int((doc.get("validation") or {}).get("warnings") or 0),
        "counts": int(counts),
        "merged_at": now_text(),
        # the verified return.json as signed (canonical JSON), not a re-serialisation of it
        "return_json": v.document_text,
    }
    cursor = prog.db.execute(
        f"INSERT INTO council_return ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    return_id = cursor.lastrowid
    batches: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
    for table, fact in facts.rows():  # one executemany per table (and set of columns)
        batches.setdefault((table, tuple(fact)), []).append([return_id, *fact.values()])
    for (table, columns), values in batches.items():
        prog.db.conn.executemany(
            f"INSERT INTO {table} (return_id, {', '.join(columns)}) "
            f"VALUES ({', '.join('?' * (len(columns) + 1))})",
            values,
        )
    if counts and latest is not None:  # this correction supersedes the version that counted
        prog.db.execute(
            "UPDATE council_return SET counts = 0 "
            "WHERE council_gss = ? AND period_key = ? AND counts = 1 AND id <> ?",
            [v.council_gss, v.period_key, return_id],
        )
    elif not counts:
        outcome.outcome = SUPERSEDED
        outcome.reason = (
            f"Intact and trusted; merged, but version {latest} of that quarter was merged "
            "before and is the one that counts. This one is kept as superseded."
        )
