"""Reading and writing any declared register, each write one audited transaction.

Every record has an ``id`` (the workspace's own) and a ``ref`` (``EXP-003``)
that people and files use; refs are never reused, so an undone delete gets its
old ref back and a file exported last year still means the same records.

A write refuses values that do not fit their fields with a
:class:`RecordError` naming each field and why; the workspace is then
unchanged. Findings from the register's checks and rules never stop a write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lga_desktop.errors import LgaError, UsageError
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers import audit
from lga_desktop.registers.catalog import children, referrers, register
from lga_desktop.registers.declaration import Record, Register
from lga_desktop.registers.fields import FieldError, Link, Reference
from lga_desktop.workspace import Workspace

__all__ = [
    "RecordError",
    "NotFoundError",
    "Deleted",
    "Links",
    "list_records",
    "get_record",
    "find_by_ref",
    "count",
    "draft",
    "prepare",
    "create",
    "update",
    "delete",
    "restore",
    "duplicate_values",
    "normalise_ref",
    "differs",
]


class RecordError(LgaError):
    """Values that cannot be saved; ``problems`` maps each field name to why."""

    def __init__(self, reg: Register, problems: dict[str, str], ref: str = "") -> None:
        self.register = reg
        self.problems = problems
        parts = []
        for name, why in problems.items():
            label = reg.field(name).label if reg.has_field(name) else "Reference"
            parts.append(f"{label}: {why}")
        who = f"{reg.item} {ref}".strip()
        super().__init__(f"The {who} was not saved. " + "; ".join(parts) + ".")


class NotFoundError(UsageError):
    """No record with that id or ref."""


# ---- links --------------------------------------------------------------------


class Links:
    """Turns link ids into :class:`Link` values (ref and name) and refs into ids.

    Loads a referenced register's ids, refs and names once per use, so listing
    a thousand day-log lines reads the engagements table once.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._by_id: dict[str, dict[int, Link]] = {}
        self._by_ref: dict[str, dict[str, Link]] = {}

    def _load(self, key: str) -> None:
        if key in self._by_id:
            return
        reg = register(key)
        cols = ", ".join(["id", "ref", *reg.label_fields])
        by_id: dict[int, Link] = {}
        for row in self.ws.db.execute(f"SELECT {cols} FROM {reg.table}").fetchall():
            name = " · ".join(
                reg.field(f).type.display(reg.field(f).type.from_db(v))
                for f, v in zip(reg.label_fields, row[2:], strict=True)
                if v is not None
            )
            by_id[row[0]] = Link(row[0], row[1], name)
        self._by_id[key] = by_id
        self._by_ref[key] = {link.ref: link for link in by_id.values()}

    def forget(self, key: str) -> None:
        self._by_id.pop(key, None)
        self._by_ref.pop(key, None)

    def by_id(self, key: str, record_id: int) -> Link | None:
        self._load(key)
        return self._by_id[key].get(record_id)

    def by_ref(self, key: str, ref: str) -> Link | None:
        self._load(key)
        return self._by_ref[key].get(ref.upper())

    def all(self, key: str) -> list[Link]:
        self._load(key)
        return sorted(self._by_id[key].values(), key=lambda link: link.ref)


# ---- reading ------------------------------------------------------------------


def _columns(reg: Register) -> list[str]:
    return ["id", "ref", *(f.name for f in reg.fields)]


def _record(reg: Register, row: tuple | list, links: Links) -> Record:
    values: dict[str, Any] = {}
    for f, raw in zip(reg.fields, row[2:], strict=True):
        if isinstance(f.type, Reference):
            values[f.name] = (
                None if raw is None else (links.by_id(f.type.register, raw) or Link(raw, f"#{raw}"))
            )
        else:
            values[f.name] = f.type.from_db(raw)
    return Record(reg, row[0], row[1], values)


def _sort(reg: Register, records: list[Record]) -> list[Record]:
    def key(rec: Record) -> tuple:
        parts = []
        for name in reg.order_by:
            f = reg.field(name.lstrip("-"))
            parts.append((rec.values.get(f.name) is None, f.type.sort_key(rec.values.get(f.name))))
        return (*parts, rec.ref)

    records.sort(key=key)
    for name in reversed(reg.order_by):
        if name.startswith("-"):
            f = reg.field(name[1:])
            records.sort(key=lambda r, f=f: f.type.sort_key(r.values.get(f.name)), reverse=True)
    return records


def list_records(
    ws: Workspace,
    reg: Register,
    *,
    parent_id: int | None = None,
    links: Links | None = None,
    as_at: Quarter | None = None,
) -> list[Record]:
    """The register's records (under one parent, if given), in the declared order.

    With ``as_at``, the records as they stood at that quarter's end
    (:meth:`Register.as_at`): what came later is left out or left blank.
    """
    links = links or Links(ws)
    sql = f"SELECT {', '.join(_columns(reg))} FROM {reg.table}"
    params: list[Any] = []
    if parent_id is not None:
        if reg.parent is None:
            raise ValueError(f"{reg.key} has no parent")
        sql += f" WHERE {reg.parent} = ?"
        params.append(parent_id)
    rows = ws.db.execute(sql, params).fetchall()
    records = [_record(reg, row, links) for row in rows]
    if as_at is not None:
        records = [r for r in (reg.as_at(rec, as_at) for rec in records) if r is not None]
    return _sort(reg, records)


def get_record(ws: Workspace, reg: Register, record_id: int) -> Record:
    row = ws.db.execute(
        f"SELECT {', '.join(_columns(reg))} FROM {reg.table} WHERE id = ?", [record_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"the {reg.item} you chose is no longer in the workspace")
    return _record(reg, row, Links(ws))


def find_by_ref(ws: Workspace, reg: Register, ref: str) -> Record | None:
    row = ws.db.execute(
        f"SELECT {', '.join(_columns(reg))} FROM {reg.table} WHERE ref = ?", [ref.upper()]
    ).fetchone()
    return None if row is None else _record(reg, row, Links(ws))


def count(ws: Workspace, reg: Register, *, parent_id: int | None = None) -> int:
    if parent_id is None:
        return ws.db.execute(f"SELECT count(*) FROM {reg.table}").fetchone()[0]
    return ws.db.execute(
        f"SELECT count(*) FROM {reg.table} WHERE {reg.parent} = ?", [parent_id]
    ).fetchone()[0]


# ---- checking values ------------------------------------------------------------


def draft(
    reg: Register, values: Mapping[str, Any], *, ref: str = "", record_id: int | None = None
) -> Record:
    """An unsaved record from whatever parses, for running checks as the officer types."""
    typed: dict[str, Any] = {}
    for f in reg.fields:
        try:
            typed[f.name] = f.type.coerce(values.get(f.name))
        except FieldError:
            typed[f.name] = None
    return Record(reg, record_id, ref, typed)


def _convert(reg: Register, values: Mapping[str, Any], problems: dict[str, str]) -> dict[str, Any]:
    unknown = set(values) - {f.name for f in reg.fields}
    if unknown:
        raise ValueError(f"{reg.key} has no field {sorted(unknown)[0]!r}")
    typed: dict[str, Any] = {}
    for f in reg.fields:
        if f.name not in values:
            continue
        try:
            value = f.type.coerce(values[f.name])
            if value is not None:
                f.type.check(value)
        except FieldError as exc:
            problems[f.name] = str(exc)
            continue
        typed[f.name] = value
    return typed


def _resolve_links(
    ws: Workspace, reg: Register, typed: dict[str, Any], problems: dict[str, str], links: Links
) -> None:
    for f in reg.links:
        value = typed.get(f.name)
        if value is None:
            continue
        assert isinstance(f.type, Reference)
        target = register(f.type.register)
        found = (
            links.by_id(target.key, value.id)
            if value.id is not None
            else links.by_ref(target.key, value.ref)
        )
        if found is None:
            what = value.ref or f"#{value.id}"
            problems[f.name] = f"there is no {target.item} {what} in this workspace"
        else:
            typed[f.name] = found


def _check_unique(
    ws: Workspace,
    reg: Register,
    typed: dict[str, Any],
    record_id: int | None,
    problems: dict[str, str],
) -> None:
    for names, message in reg.unique:
        values = [typed.get(n) for n in names]
        if any(v is None for v in values):
            continue
        where = " AND ".join(f"{n} = ?" for n in names)
        params = [reg.field(n).type.to_db(v) for n, v in zip(names, values, strict=True)]
        if record_id is not None:
            where += " AND id <> ?"
            params.append(record_id)
        row = ws.db.execute(f"SELECT ref FROM {reg.table} WHERE {where}", params).fetchone()
        if row is not None:
            problems[names[-1]] = f"{message} ({row[0]})"


def prepare(
    ws: Workspace,
    reg: Register,
    values: Mapping[str, Any],
    *,
    current: Record | None = None,
    links: Links | None = None,
) -> dict[str, Any]:
    """Typed, checked values for every field: ``values`` laid over ``current``.

    Raises :class:`RecordError` naming every field that does not fit, every
    required field left empty, every link to a record that is not there, and
    every repeat of a value that must be unique.
    """
    links = links or Links(ws)
    problems: dict[str, str] = {}
    typed = (
        dict(current.values)
        if current is not None
        else {f.name: f.type.coerce(f.default) for f in reg.fields}
    )
    typed.update(_convert(reg, values, problems))
    for f in reg.fields:
        if f.required and typed.get(f.name) is None and f.name not in problems:
            problems[f.name] = "is needed"
    _resolve_links(ws, reg, typed, problems, links)
    _check_unique(ws, reg, typed, current.id if current else None, problems)
    if problems:
        raise RecordError(reg, problems, current.ref if current else "")
    return typed


# ---- refs -----------------------------------------------------------------------

_REF = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,23}$")


def normalise_ref(text: str) -> str:
    ref = str(text).strip().upper()
    if not _REF.match(ref):
        raise FieldError(
            f"{text!r} is not a reference: use up to 24 letters, digits, dots, dashes or slashes"
        )
    return ref


def _next_ref(ws: Workspace, reg: Register) -> str:
    prefix = f"{reg.ref_prefix}-"
    row = ws.db.execute("SELECT last FROM register_refs WHERE register = ?", [reg.key]).fetchone()
    last = row[0] if row else 0
    while True:
        last += 1
        ref = f"{prefix}{last:0{reg.ref_digits}d}"
        taken = ws.db.execute(f"SELECT 1 FROM {reg.table} WHERE ref = ?", [ref]).fetchone()
        if not taken:
            break
    ws.db.execute(
        "INSERT INTO register_refs (register, last) VALUES (?, ?) "
        "ON CONFLICT (register) DO UPDATE SET last = excluded.last",
        [reg.key, last],
    )
    return ref


def _ref_taken(ws: Workspace, reg: Register, ref: str) -> bool:
    return ws.db.execute(f"SELECT 1 FROM {reg.table} WHERE ref = ?", [ref]).fetchone() is not None


# ---- writing ---------------------------------------------------------------------


def _text(reg: Register, name: str, value: Any) -> str:
    return reg.field(name).type.display(value)


def _parent_id(reg: Register, typed: Mapping[str, Any]) -> int | None:
    if reg.parent is None:
        return None
    link = typed.get(reg.parent)
    return link.id if isinstance(link, Link) else None


def create(
    ws: Workspace,
    reg: Register,
    values: Mapping[str, Any],
    *,
    ref: str | None = None,
    source: str = "",
    change: int | None = None,
    links: Links | None = None,
) -> Record:
    """Add a record; its ref is the next free one unless ``ref`` is given."""
    with ws.atomic():
        typed = prepare(ws, reg, values, links=links)
        if ref:
            ref = normalise_ref(ref)
            if _ref_taken(ws, reg, ref):
                raise RecordError(reg, {"": f"{ref} is already used by another {reg.item}"}, ref)
        else:
            ref = _next_ref(ws, reg)
        cols = ["ref", *(f.name for f in reg.fields)]
        params = [ref, *(f.type.to_db(typed.get(f.name)) for f in reg.fields)]
        cur = ws.db.execute(
            f"INSERT INTO {reg.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            params,
        )
        record_id = cur.lastrowid
        assert record_id is not None
        items = [
            (f.name, "", _text(reg, f.name, typed.get(f.name)))
            for f in reg.fields
            if typed.get(f.name) is not None
        ]
        audit.write(
            ws,
            change or audit.next_change(ws),
            reg,
            record_id,
            ref,
            _parent_id(reg, typed),
            "created",
            items,
            source,
        )
    if links is not None:
        links.forget(reg.key)
    return Record(reg, record_id, ref, typed)


def update(
    ws: Workspace,
    reg: Register,
    record_id: int,
    changes: Mapping[str, Any],
    *,
    source: str = "",
    change: int | None = None,
    links: Links | None = None,
) -> Record:
    """Change some fields of a record; only what really changed is written and audited."""
    with ws.atomic():
        current = get_record(ws, reg, record_id)
        typed = prepare(ws, reg, changes, current=current, links=links)
        changed = [f for f in reg.fields if differs(typed.get(f.name), current.values.get(f.name))]
        if not changed:
            return current
        ws.db.execute(
            f"UPDATE {reg.table} SET {', '.join(f'{f.name} = ?' for f in changed)} WHERE id = ?",
            [*(f.type.to_db(typed.get(f.name)) for f in changed), record_id],
        )
        items = [
            (
                f.name,
                _text(reg, f.name, current.values.get(f.name)),
                _text(reg, f.name, typed.get(f.name)),
            )
            for f in changed
        ]
        audit.write(
            ws,
            change or audit.next_change(ws),
            reg,
            record_id,
            current.ref,
            _parent_id(reg, typed),
            "changed",
            items,
            source,
        )
    if links is not None:
        links.forget(reg.key)
    return Record(reg, record_id, current.ref, typed)


def differs(a: Any, b: Any) -> bool:
    """Whether two typed values of a field are different values (links compare by id)."""
    if isinstance(a, Link) or isinstance(b, Link):
        return (a.id if a else None) != (b.id if b else None)
    return a != b or type(a) is not type(b)


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, so that undo can put it back exactly (same ids and refs)."""

    register: str
    record_id: int
    label: str
    rows: tuple[tuple[str, dict[str, Any]], ...]  # (register key, raw row), parents first
    unlinked: tuple[tuple[str, int, str, int], ...] = field(default=())  # key, id, field, old id

    @property
    def count(self) -> int:
        return len(self.rows)


def _raw_rows(ws: Workspace, reg: Register, where: str, params: list[Any]) -> list[dict[str, Any]]:
    cols = _columns(reg)
    rows = ws.db.execute(f"SELECT {', '.join(cols)} FROM {reg.table} WHERE {where}", params)
    return [dict(zip(cols, row, strict=True)) for row in rows.fetchall()]


def _gather(ws: Workspace, reg: Register, record_id: int) -> list[tuple[Register, dict[str, Any]]]:
    """The record and everything below it, parents first."""
    found = [(reg, row) for row in _raw_rows(ws, reg, "id = ?", [record_id])]
    i = 0
    while i < len(found):
        parent_reg, parent_row = found[i]
        for child in children(parent_reg):
            found.extend(
                (child, row)
                for row in _raw_rows(ws, child, f"{child.parent} = ?", [parent_row["id"]])
            )
        i += 1
    return found


def delete(
    ws: Workspace, reg: Register, record_id: int, *, source: str = "", change: int | None = None
) -> Deleted:
    """Delete a record and the records under it; optional links to them are cleared."""
    with ws.atomic():
        current = get_record(ws, reg, record_id)
        gathered = _gather(ws, reg, record_id)
        change = change or audit.next_change(ws)
        links = Links(ws)
        unlinked: list[tuple[str, int, str, int]] = []
        for r, row in gathered:
            for other, fname in referrers(r):
                for ref_row in _raw_rows(ws, other, f"{fname} = ?", [row["id"]]):
                    unlinked.append((other.key, ref_row["id"], fname, row["id"]))
                    old = links.by_id(r.key, row["id"])
                    audit.write(
                        ws,
                        change,
                        other,
                        ref_row["id"],
                        ref_row["ref"],
                        _parent_id_raw(other, ref_row),
                        "changed",
                        [(fname, str(old) if old else "", "")],
                        source,
                    )
                ws.db.execute(
                    f"UPDATE {other.table} SET {fname} = NULL WHERE {fname} = ?", [row["id"]]
                )
        for r, row in reversed(gathered):  # children first, so no foreign key is left dangling
            rec = _record(r, [row[c] for c in _columns(r)], links)
            items = [
                (f.name, _text(r, f.name, rec.values.get(f.name)), "")
                for f in r.fields
                if rec.values.get(f.name) is not None
            ]
            audit.write(
                ws,
                change,
                r,
                row["id"],
                row["ref"],
                _parent_id_raw(r, row),
                "deleted",
                items,
                source,
            )
            ws.db.execute(f"DELETE FROM {r.table} WHERE id = ?", [row["id"]])
    return Deleted(
        reg.key,
        record_id,
        current.label,
        tuple((r.key, row) for r, row in gathered),
        tuple(unlinked),
    )


def _parent_id_raw(reg: Register, row: Mapping[str, Any]) -> int | None:
    return row.get(reg.parent) if reg.parent else None


def restore(ws: Workspace, deleted: Deleted, *, source: str = "Undo") -> None:
    """Put back what :func:`delete` removed, with the same ids and refs."""
    with ws.atomic():
        change = audit.next_change(ws)
        links = Links(ws)
        for key, row in deleted.rows:
            r = register(key)
            cols = list(row)
            ws.db.execute(
                f"INSERT INTO {r.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[c] for c in cols],
            )
            links.forget(r.key)
            rec = _record(r, [row[c] for c in _columns(r)], links)
            items = [
                (f.name, "", _text(r, f.name, rec.values.get(f.name)))
                for f in r.fields
                if rec.values.get(f.name) is not None
            ]
            audit.write(
                ws,
                change,
                r,
                row["id"],
                row["ref"],
                _parent_id_raw(r, row),
                "restored",
                items,
                source,
            )
        for key, rid, fname, old_id in deleted.unlinked:
            other = register(key)
            ws.db.execute(f"UPDATE {other.table} SET {fname} = ? WHERE id = ?", [old_id, rid])
            row = _raw_rows(ws, other, "id = ?", [rid])[0]
            rec = _record(other, [row[c] for c in _columns(other)], Links(ws))
            audit.write(
                ws,
                change,
                other,
                rid,
                row["ref"],
                _parent_id_raw(other, row),
                "changed",
                [(fname, "", _text(other, fname, rec.values.get(fname)))],
                source,
            )


def duplicate_values(ws: Workspace, reg: Register, record: Record) -> dict[str, Any]:
    """A copy's values: the same, but moved on to the next free quarter or year where
    the register allows only one record per period (a second 2012/13 plan row would
    be refused)."""
    values = dict(record.values)
    for names, _message in reg.unique:
        for name in names:
            value = values.get(name)
            if isinstance(value, Quarter | FinancialYear):
                for _ in range(200):
                    if not _clashes(ws, reg, names, values):
                        break
                    value = value.next()
                    values[name] = value
    return values


def _clashes(
    ws: Workspace, reg: Register, names: tuple[str, ...], values: Mapping[str, Any]
) -> bool:
    problems: dict[str, str] = {}
    _check_unique(ws, reg, dict(values), None, problems)
    return bool(problems)
