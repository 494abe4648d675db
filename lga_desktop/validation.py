"""Validation findings: what is wrong with the registers, in words.

Errors block a return; warnings need an explanatory note from the officer
before the return can be signed. Every register's rules produce
:class:`Finding` values; the return builder gathers them from every feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Severity", "Finding", "errors", "warnings"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    register: str  # the feature key, e.g. "cap", "savings", "spend"
    code: str  # a stable identifier of the rule, e.g. "cap.match_below_lga"
    message: str  # one sentence an officer understands, naming the record
    record: str | None = None  # the record's id or reference, where there is one
    field: str | None = None  # the field at fault, for showing beside it

    @property
    def key(self) -> str:
        """Identifies the finding across rebuilds, so an explanation note sticks to it."""
        return f"{self.code}:{self.record or ''}:{self.field or ''}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.WARNING]
