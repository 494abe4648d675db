"""What every register family gives its feature: counts, validation, the return snapshot.

A family's module declares its registers and calls these to build its
:class:`~lga_desktop.features.Feature`, so the generic parts of a quarterly
return (the records as they stand, the findings) are the same for every
register.
"""

from __future__ import annotations

import re
from typing import Any

from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers import store
from lga_desktop.registers.catalog import family, register
from lga_desktop.registers.declaration import Register
from lga_desktop.registers.fields import Money
from lga_desktop.registers.store import Links, RecordError, list_records
from lga_desktop.validation import Finding
from lga_desktop.workspace import Workspace

__all__ = [
    "counted_tables",
    "validate_family",
    "records_json",
    "family_findings",
    "draft_rule_findings",
    "quarters_of",
    "last_quarter",
]


def counted_tables(registers: tuple[Register, ...]) -> dict[str, str]:
    """Label -> table for `lga-desktop info` and the dashboard."""
    return {reg.title: reg.table for reg in registers}


def family_findings(ws: Workspace, key: str) -> dict[str, list[Finding]]:
    """Every finding of a family, by the ref of the record it is about ('' if none)."""
    found: dict[str, list[Finding]] = {}
    for f in validate_family(ws, key):
        found.setdefault(f.record or "", []).append(f)
    return found


class _TrialOnly(Exception):
    """Rolls back the trial write of :func:`draft_rule_findings`."""


def draft_rule_findings(
    ws: Workspace, reg: Register, values: dict[str, Any], *, record_id: int | None = None
) -> list[Finding]:
    """What the family's cross-record rules would say about this record if it were saved so.

    The record is written inside a transaction that is then rolled back, so the
    rules read it as if saved and nothing is kept (not even a ref). Only the
    findings about the record, or naming it (a realised saving before this line
    starts), are returned; an unreadable record gives none (its form says why).
    """
    found: list[Finding] = []
    try:
        with ws.atomic():
            if record_id is None:
                ref = store.create(ws, reg, values).ref
            else:
                ref = store.update(ws, reg, record_id, values).ref
            top = reg
            while top.parent_register is not None:
                top = register(top.parent_register)
            named = re.compile(rf"\b{re.escape(ref)}\b")
            for member in family(top.key):
                for rule in member.rules:
                    found += [
                        f for f in rule(ws, None) if f.record == ref or named.search(f.message)
                    ]
            raise _TrialOnly
    except (_TrialOnly, RecordError):
        pass
    return found


def validate_family(ws: Workspace, key: str, quarter: Quarter | None = None) -> list[Finding]:
    """The checks of every record and the rules of every register in the family.

    With a quarter, everything is judged as it stood at the quarter's end: a
    return for 2012/13 Q2 does not answer for what happened in Q3 (records
    dated later are left out, awards made later have not happened yet).
    """
    links = Links(ws)
    findings: list[Finding] = []
    for reg in family(key):
        for rec in list_records(ws, reg, links=links, as_at=quarter):
            findings.extend(reg.findings(rec))
        for rule in reg.rules:
            findings.extend(rule(ws, quarter))
    return findings


def records_json(
    ws: Workspace, key: str, quarter: Quarter | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Each register's records as JSON-ready dicts (links as refs).

    Money is integer pence under the field's name plus ``_pence``
    (``lga_investment_pence``), as ``docs/return-format.md`` promises, so that
    a reader of a return (the PDF, the LGA's consolidation, anyone's script)
    never mistakes pence for pounds.
    """
    links = Links(ws)
    out: dict[str, list[dict[str, Any]]] = {}
    for reg in family(key):
        keys = [(f, f"{f.name}_pence" if isinstance(f.type, Money) else f.name) for f in reg.fields]
        out[reg.key] = [
            {"ref": rec.ref, **{k: f.type.to_json(rec.values.get(f.name)) for f, k in keys}}
            for rec in list_records(ws, reg, links=links, as_at=quarter)
        ]
    return out


def quarters_of(period: Quarter | FinancialYear) -> tuple[Quarter, ...]:
    """The quarters a period covers: itself, or a year's four."""
    return (period,) if isinstance(period, Quarter) else period.quarters


def last_quarter(period: Quarter | FinancialYear) -> Quarter:
    return quarters_of(period)[-1]
