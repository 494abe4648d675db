"""The programme's roster, its schedule and the LGA's review of each return.

* **Roster**: the councils the LGA names for the programme, one row per council
  and strand (a category-management pilot, a CAP wave...), with the pilot's name
  and, optionally, how many days after a quarter's end its return is due.
  :func:`import_roster` reads it from CSV or XLSX (columns ``gss``, ``strand``,
  optional ``pilot`` and ``due``; headings in any case). With a roster, the
  roster's councils are the programme's pilot councils; without one, the
  councils whose key is trusted are.
* **Schedule**: a due date per quarter (:func:`set_due_date`); without one a
  return is due :data:`DEFAULT_DUE_DAYS` days after the quarter's end.
* **Status** of each pilot council for a quarter (:func:`status_for`): *on
  time*, *late*, *missing* (nothing counted; also late once the due date has
  passed), *corrected* (a later version counts) or *queried* (the LGA queried
  it and has not accepted it since).
* **Review** (:func:`review`): each counted return moves received → queried →
  accepted, with who, when and a comment; a comment can name one figure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from lga_desktop.atomic_write import replacing
from lga_desktop.consolidation.store import Programme, now_text
from lga_desktop.councils import council_by_gss
from lga_desktop.errors import UsageError
from lga_desktop.periods import Quarter, parse_date

__all__ = [
    "DEFAULT_DUE_DAYS",
    "RosterRow",
    "CouncilStatus",
    "import_roster",
    "add_to_roster",
    "remove_from_roster",
    "roster",
    "set_due_date",
    "due_date",
    "status_for",
    "write_chase_list",
    "review",
    "review_history",
    "review_state",
]

DEFAULT_DUE_DAYS = 30
RECEIVED, QUERIED, ACCEPTED, COMMENT = "received", "queried", "accepted", "comment"
ON_TIME, LATE, MISSING, CORRECTED = "on time", "late", "missing", "corrected"


@dataclass(frozen=True)
class RosterRow:
    gss: str
    name: str
    strand: str
    pilot: str
    due_days: int | None


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def import_roster(prog: Programme, path: Path | str) -> list[RosterRow]:
    """Replace the roster with the file's rows (all or nothing); :class:`UsageError` if bad."""
    from lga_desktop.procurement.reading import open_rows

    path = Path(path)
    source = open_rows(path)
    try:
        rows = [cells for _n, cells in source.rows if any(_cell(c) for c in cells)]
    finally:
        source.close()
    if not rows:
        raise UsageError(f"{path.name} has no rows; give it columns gss and strand")
    headings = [_cell(h).lower() for h in rows[0]]
    for needed in ("gss", "strand"):
        if needed not in headings:
            raise UsageError(
                f"{path.name} has no column '{needed}'; the roster needs columns gss and strand "
                "(pilot and due are optional)"
            )
    at = {h: headings.index(h) for h in ("gss", "strand", "pilot", "due") if h in headings}
    out: list[RosterRow] = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {h: _cell(cells[i]) if i < len(cells) else "" for h, i in at.items()}
        get = values.get
        where = f"{path.name} row {number}"
        try:
            council = council_by_gss(get("gss", ""))
        except UsageError as exc:
            raise UsageError(f"{where}: {exc}") from None
        if not get("strand", ""):
            raise UsageError(f"{where}: the strand is empty; name it (e.g. CAP wave 2)")
        due = get("due", "")
        if due and not due.removesuffix(".0").isdigit():
            raise UsageError(
                f"{where}: due {due!r} is not a number of days after the quarter's end"
            )
        out.append(
            RosterRow(
                council.gss,
                council.official_name,
                get("strand", ""),
                get("pilot", ""),
                int(due.removesuffix(".0")) if due else None,
            )
        )
    with prog.db.atomic():
        prog.db.execute("DELETE FROM roster")
        for r in out:
            add_to_roster(prog, r.gss, r.strand, r.pilot, r.due_days)
    return roster(prog)


def add_to_roster(
    prog: Programme, gss: str, strand: str, pilot: str = "", due_days: int | None = None
) -> RosterRow:
    """Name one council for a strand (or change its pilot and due days there)."""
    council = council_by_gss(gss)
    if not strand.strip():
        raise UsageError("name the strand (e.g. CAP wave 2)")
    with prog.db.atomic():
        prog.db.execute(
            "INSERT INTO roster (gss, strand, pilot, due_days, added_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (gss, strand) DO UPDATE SET pilot = excluded.pilot, "
            "due_days = excluded.due_days",
            [council.gss, strand.strip(), pilot.strip(), due_days, now_text()],
        )
    return RosterRow(council.gss, council.official_name, strand.strip(), pilot.strip(), due_days)


def remove_from_roster(prog: Programme, gss: str, strand: str) -> bool:
    with prog.db.atomic():
        cursor = prog.db.execute(
            "DELETE FROM roster WHERE gss = ? AND strand = ?", [council_by_gss(gss).gss, strand]
        )
    return cursor.rowcount > 0


def roster(prog: Programme) -> list[RosterRow]:
    return [
        RosterRow(g, council_by_gss(g).official_name, s, p, d)
        for g, s, p, d in prog.db.execute(
            "SELECT gss, strand, pilot, due_days FROM roster ORDER BY gss, strand"
        )
    ]


def set_due_date(prog: Programme, quarter: Quarter, due: date | str) -> date:
    day = parse_date(due)
    with prog.db.atomic():
        prog.db.execute("DELETE FROM due_date WHERE period_key = ?", [quarter.key])
        prog.db.execute(
            "INSERT INTO due_date (period_key, due) VALUES (?, ?)", [quarter.key, day.isoformat()]
        )
    return day


def due_date(prog: Programme, quarter: Quarter, gss: str | None = None) -> date:
    """When a council's return for ``quarter`` is due: its own days, the quarter's date, or 30 days."""
    if gss is not None:
        row = prog.db.execute(
            "SELECT MIN(due_days) FROM roster WHERE gss = ? AND due_days IS NOT NULL", [gss]
        ).fetchone()
        if row and row[0] is not None:
            return quarter.end + timedelta(days=int(row[0]))
    row = prog.db.execute("SELECT due FROM due_date WHERE period_key = ?", [quarter.key]).fetchone()
    if row:
        return date.fromisoformat(row[0])
    return quarter.end + timedelta(days=DEFAULT_DUE_DAYS)


@dataclass(frozen=True)
class CouncilStatus:
    gss: str
    name: str
    quarter: str
    due: str
    status: str  # on time, late, missing, corrected, queried
    late: bool
    version: int | None
    signed_at: str | None
    review: str  # received, queried, accepted
    return_hash: str | None

    def to_json(self) -> dict:
        return self.__dict__.copy()


def status_for(prog: Programme, quarter: Quarter, today: date | None = None) -> list[CouncilStatus]:
    """Every pilot council's return for ``quarter``: on time, late, missing, corrected, queried."""
    today = today or date.today()
    counted = {
        g: (v, signed, h)
        for g, v, signed, h in prog.db.execute(
            "SELECT council_gss, version, signed_at, return_hash FROM council_return "
            "WHERE counts = 1 AND period_key = ?",
            [quarter.key],
        )
    }
    first_signed = dict(
        prog.db.execute(
            "SELECT council_gss, MIN(signed_at) FROM council_return WHERE period_key = ? "
            "GROUP BY council_gss",
            [quarter.key],
        ).fetchall()
    )
    out = []
    for gss, name in prog.pilot_councils():
        due = due_date(prog, quarter, gss)
        version, signed, return_hash = counted.get(gss, (None, None, None))
        state = review_state(prog, return_hash) if return_hash else RECEIVED
        if return_hash is None:
            late, status = today > due, MISSING
        else:
            late = date.fromisoformat(first_signed[gss][:10]) > due
            if state == QUERIED:
                status = QUERIED
            elif version > 1:
                status = CORRECTED
            else:
                status = LATE if late else ON_TIME
        out.append(
            CouncilStatus(
                gss,
                name,
                str(quarter),
                due.isoformat(),
                status,
                late,
                version,
                signed,
                state,
                return_hash,
            )
        )
    return out


CHASE_COLUMNS = (
    "gss",
    "council",
    "quarter",
    "status",
    "due",
    "contact_name",
    "contact_role",
    "contact_email",
)


def _contacts(prog: Programme, gss: str) -> tuple[str, str, str]:
    """The preparer named on the council's latest return (any quarter), for a mail merge."""
    import json

    row = prog.db.execute(
        "SELECT return_json FROM council_return WHERE council_gss = ? "
        "ORDER BY period_key DESC, version DESC LIMIT 1",
        [gss],
    ).fetchone()
    if row is None:
        return "", "", ""
    person = (json.loads(row[0]).get("declaration") or {}).get("preparer") or {}
    return (
        str(person.get("name") or ""),
        str(person.get("role") or ""),
        str(person.get("email") or ""),
    )


def write_chase_list(
    prog: Programme, quarter: Quarter, path: Path | str, today: date | None = None
) -> int:
    """A CSV for a mail merge: every council missing, late or queried, with its contact."""
    rows = [s for s in status_for(prog, quarter, today) if s.status in (MISSING, QUERIED) or s.late]
    with (
        replacing(Path(path), what="The chase list") as tmp,
        tmp.open("w", newline="", encoding="utf-8-sig") as f,
    ):
        writer = csv.writer(f)
        writer.writerow(CHASE_COLUMNS)
        for s in rows:
            writer.writerow([s.gss, s.name, s.quarter, s.status, s.due, *_contacts(prog, s.gss)])
    return len(rows)


# ---- review ------------------------------------------------------------------------------


def return_hash_of(prog: Programme, gss: str, quarter: Quarter) -> str:
    gss = council_by_gss(gss).gss
    row = prog.db.execute(
        "SELECT return_hash FROM council_return WHERE council_gss = ? AND period_key = ? "
        "AND counts = 1",
        [gss, quarter.key],
    ).fetchone()
    if row is None:
        raise UsageError(
            f"no return from {gss} counts for {quarter}; see 'lga-desktop status PROGRAMME "
            f'--period "{quarter}"\''
        )
    return row[0]


def review(
    prog: Programme,
    gss: str,
    quarter: Quarter,
    action: str,
    comment: str = "",
    *,
    by: str,
    figure: str = "",
) -> dict:
    """Query, accept or comment on the council's counted return for ``quarter``."""
    if action not in (QUERIED, ACCEPTED, COMMENT):
        raise UsageError(f"a review is {QUERIED}, {ACCEPTED} or {COMMENT}, not {action!r}")
    if action in (QUERIED, COMMENT) and not comment.strip():
        raise UsageError("say what the query or comment is about")
    return_hash = return_hash_of(prog, gss, quarter)
    event = {
        "return_hash": return_hash,
        "action": action,
        "figure": figure,
        "comment": comment.strip(),
        "by_name": by,
        "at": now_text(),
    }
    with prog.db.atomic():
        prog.db.execute(
            f"INSERT INTO review_event ({', '.join(event)}) VALUES ({', '.join('?' * len(event))})",
            list(event.values()),
        )
    return {**event, "state": review_state(prog, return_hash)}


def review_history(prog: Programme, return_hash: str) -> list[dict]:
    keys = ("action", "figure", "comment", "by_name", "at")
    return [
        dict(zip(keys, row, strict=True))
        for row in prog.db.execute(
            f"SELECT {', '.join(keys)} FROM review_event WHERE return_hash = ? ORDER BY id",
            [return_hash],
        )
    ]


def review_state(prog: Programme, return_hash: str) -> str:
    row = prog.db.execute(
        "SELECT action FROM review_event WHERE return_hash = ? AND action <> ? "
        "ORDER BY id DESC LIMIT 1",
        [return_hash, COMMENT],
    ).fetchone()
    return row[0] if row else RECEIVED
