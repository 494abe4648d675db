"""As-at snapshots: what each Board report counted, so it can be made again and compared.

Exporting a Board report (:func:`export_board_report`) records, in the
programme file, the period, the day, the file's name and what the report
counted: the return hashes, the pilot councils and the files not counted.
:func:`rewrite_snapshot` makes that report again from those returns alone
(later returns and corrections are left out), byte for byte the same file
(the report's date is the snapshot's; the PDF and XLSX carry no clock).
:func:`changes_since` says what has changed since the Board was told: returns
counted now that were not then (new, or a correction replacing one), and
the headline figures that differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lga_desktop.consolidation.figures import ProgrammeFigures, Snapshot, figures_for
from lga_desktop.consolidation.store import Programme
from lga_desktop.errors import UsageError
from lga_desktop.progress import NO_PROGRESS, Progress

__all__ = [
    "BoardSnapshot",
    "Changes",
    "export_board_report",
    "snapshots",
    "snapshot_figures",
    "rewrite_snapshot",
    "changes_since",
]


@dataclass(frozen=True)
class BoardSnapshot:
    id: int
    period: str  # what --period takes: "2012Q2", "2012/13", "all"
    made_on: date
    file_name: str
    counted: Snapshot


def _snapshot_of(figures: ProgrammeFigures) -> Snapshot:
    returns = sorted(figures.returns, key=lambda r: (r.period_key, r.council_gss))
    pilots = {g: n for g, n in figures.names.items()}
    for _k, g, n in figures.missing_by_quarter:
        pilots[g] = n
    return Snapshot(
        tuple(r.return_hash for r in returns),
        tuple(r.period_key for r in returns),
        tuple(sorted(pilots.items(), key=lambda p: p[1])),
        figures.held_aside,
        figures.waiting_for_key,
    )


def export_board_report(
    prog: Programme,
    period: str,
    path: Path | str,
    *,
    progress: Progress = NO_PROGRESS,
    today: date | None = None,
) -> BoardSnapshot:
    """Write the Board report for ``period`` and record what it counted."""
    from lga_desktop.consolidation.reports import write_report

    today = today or date.today()
    figures = figures_for(prog, period)
    # the pilot councils as the programme has them now (those with no return included)
    counted = _snapshot_of(figures)
    counted = Snapshot(
        counted.return_hashes,
        counted.quarter_keys,
        tuple(prog.pilot_councils()),
        counted.held_aside,
        counted.waiting_for_key,
        tuple(
            tuple(r) for r in prog.db.execute("SELECT gss, strand, pilot FROM roster ORDER BY 1, 2")
        ),
    )
    write_report(figures, path, progress=progress, generated_on=today)
    key = figures.period.key if figures.period else str(figures.quarter)
    with prog.db.atomic():
        cursor = prog.db.execute(
            "INSERT INTO board_snapshot (period, made_at, file_name, return_hashes) "
            "VALUES (?, ?, ?, ?)",
            [key, today.isoformat(), Path(path).name, json.dumps(counted.__dict__)],
        )
    return BoardSnapshot(cursor.lastrowid, key, today, Path(path).name, counted)


def _from_row(row) -> BoardSnapshot:
    i, period, made_at, file_name, data = row
    d = json.loads(data)
    return BoardSnapshot(
        i,
        period,
        date.fromisoformat(made_at[:10]),
        file_name,
        Snapshot(
            tuple(d["return_hashes"]),
            tuple(d["quarter_keys"]),
            tuple(tuple(p) for p in d["pilots"]),
            int(d["held_aside"]),
            int(d["waiting_for_key"]),
            tuple(tuple(r) for r in d.get("roster", [])),
        ),
    )


def snapshots(prog: Programme, period: str | None = None) -> list[BoardSnapshot]:
    """Every Board report exported (of ``period``), newest first."""
    sql = "SELECT id, period, made_at, file_name, return_hashes FROM board_snapshot"
    params: list[str] = []
    if period is not None:
        sql += " WHERE period = ?"
        params.append(period)
    return [_from_row(r) for r in prog.db.execute(sql + " ORDER BY id DESC", params)]


def _snapshot(prog: Programme, snapshot_id: int) -> BoardSnapshot:
    row = prog.db.execute(
        "SELECT id, period, made_at, file_name, return_hashes FROM board_snapshot WHERE id = ?",
        [snapshot_id],
    ).fetchone()
    if row is None:
        raise UsageError(f"there is no Board report number {snapshot_id} in {prog.path.name}")
    return _from_row(row)


def snapshot_figures(prog: Programme, snapshot_id: int) -> ProgrammeFigures:
    s = _snapshot(prog, snapshot_id)
    return figures_for(prog, s.period, as_at=s.counted)


def rewrite_snapshot(
    prog: Programme, snapshot_id: int, path: Path | str, *, progress: Progress = NO_PROGRESS
) -> Path:
    """The Board report a snapshot recorded, made again exactly as it was."""
    from lga_desktop.consolidation.reports import write_report

    s = _snapshot(prog, snapshot_id)
    figures = figures_for(prog, s.period, as_at=s.counted)
    return write_report(figures, path, progress=progress, generated_on=s.made_on)


@dataclass
class Changes:
    snapshot: BoardSnapshot
    new_returns: list[str] = field(default_factory=list)  # "Oxford City Council, 2012/13 Q2"
    corrections: list[str] = field(default_factory=list)
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # label, then, now

    @property
    def any(self) -> bool:
        return bool(self.new_returns or self.corrections or self.figures)

    def lines(self) -> list[str]:
        out = [f"New return: {x}" for x in self.new_returns]
        out += [f"Correction: {x}" for x in self.corrections]
        out += [f"{label}: {then} then, {now} now" for label, then, now in self.figures]
        return out


def changes_since(prog: Programme, snapshot_id: int) -> Changes:
    """What has changed in a report's period since the Board was given it."""
    from lga_desktop.consolidation.report_tables import display, report_content

    s = _snapshot(prog, snapshot_id)
    then = figures_for(prog, s.period, as_at=s.counted)
    now = figures_for(prog, s.period)
    out = Changes(s)
    before = {(r.council_gss, r.period_key): r for r in then.returns}
    for r in now.returns:
        old = before.get((r.council_gss, r.period_key))
        where = f"{r.council_name}, {r.period}"
        if old is None:
            out.new_returns.append(where)
        elif old.return_hash != r.return_hash:
            out.corrections.append(f"{where} (version {old.version} → {r.version})")
    a = report_content(then, s.made_on).headlines
    b = {h.key: h for h in report_content(now, s.made_on).headlines}
    for h in a:
        other = b.get(h.key)
        if other is not None and display(h.cell) != display(other.cell):
            out.figures.append((h.label, display(h.cell), display(other.cell)))
    return out
