"""The audit trail: every change to a register, when, by whom, old value and new.

The store writes it in the same transaction as the change itself, so the
trail can never disagree with the data. One *change* (a create, an edit, a
delete, an undo) is one ``change`` number shared by its rows, one row per
field touched. Values are kept as people read them (``£1,200.00``,
``25/12/2012``), because the trail is read by people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lga_desktop.registers.catalog import all_registers, children

if TYPE_CHECKING:
    from lga_desktop.registers.declaration import Register
    from lga_desktop.workspace import Workspace

__all__ = ["AuditItem", "Change", "next_change", "write", "record", "history", "ACTIONS"]

# what happened to the record, for people
ACTIONS = {
    "created": "Added",
    "changed": "Changed",
    "deleted": "Deleted",
    "restored": "Restored",
}


@dataclass(frozen=True, slots=True)
class AuditItem:
    field: str | None  # field name, None for the record as a whole
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Change:
    change: int
    at: datetime
    who: str
    action: str
    register: str  # register key
    register_title: str
    record_id: int
    ref: str
    source: str
    items: tuple[AuditItem, ...]

    @property
    def summary(self) -> str:
        what = ACTIONS.get(self.action, self.action)
        if self.action == "changed":
            fields = ", ".join(i.label for i in self.items)
            return f"{what} {fields}"
        return f"{what} {self.ref}"


def next_change(ws: Workspace) -> int:
    row = ws.db.execute("SELECT max(change) FROM audit_log").fetchone()
    return (row[0] or 0) + 1


def _who(ws: Workspace) -> str:
    officer = ws.officer
    return officer.name if officer else ""


def write(
    ws: Workspace,
    change: int,
    reg: Register,
    record_id: int,
    ref: str,
    parent_id: int | None,
    action: str,
    items: list[tuple[str | None, str, str]],
    source: str = "",
) -> None:
    """Record one change: ``items`` are (field name, old text, new text)."""
    record(ws, change, reg.key, [(record_id, ref, parent_id, items)], action, source)


def record(
    ws: Workspace,
    change: int,
    key: str,
    records: list[tuple[int, str, int | None, list[tuple[str | None, str, str]]]],
    action: str,
    source: str = "",
) -> None:
    """Audit rows for any kind of record (``key``: a register, or ``supplier``, ``category rule``).

    ``records`` are (record id, ref, parent id, items); one change may touch many
    (a bulk flag change, a category mapping), all in the caller's transaction.
    """
    at = datetime.now().astimezone().isoformat(timespec="seconds")
    who = _who(ws)
    ws.db.conn.executemany(
        "INSERT INTO audit_log (change, at, who, register, record_id, record_ref, parent_id, "
        "action, field, old_value, new_value, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (change, at, who, key, record_id, ref, parent_id, action, f, old, new, source)
            for record_id, ref, parent_id, items in records
            for f, old, new in (items or [(None, "", "")])
        ],
    )


def history(ws: Workspace, reg: Register, record_id: int) -> list[Change]:
    """Every change to a record and to the records under it, newest first."""
    regs = all_registers()
    clauses = ["(register = ? AND record_id = ?)"]
    params: list[object] = [reg.key, record_id]
    for child in children(reg):
        clauses.append("(register = ? AND parent_id = ?)")
        params += [child.key, record_id]
    rows = ws.db.execute(
        "SELECT change, at, who, register, record_id, record_ref, action, field, old_value, "
        f"new_value, source FROM audit_log WHERE {' OR '.join(clauses)} ORDER BY change DESC, id",
        params,
    ).fetchall()
    changes: list[Change] = []
    items: list[AuditItem] = []
    for i, row in enumerate(rows):
        change, at, who, key, rid, ref, action, field, old, new, source = row
        owner = regs.get(key)
        if field is not None:
            label = owner.field(field).label if owner and owner.has_field(field) else field
            items.append(AuditItem(field, label, old or "", new or ""))
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        last = nxt is None or (nxt[0], nxt[3], nxt[4]) != (change, key, rid)
        if last:
            changes.append(
                Change(
                    change,
                    datetime.fromisoformat(at),
                    who,
                    action,
                    key,
                    owner.title if owner else key,
                    rid,
                    ref,
                    source or "",
                    tuple(items),
                )
            )
            items = []
    return changes
