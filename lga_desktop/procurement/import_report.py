"""What one spend import did to every row of its file: :class:`ImportReport`.

Filled in by :func:`~lga_desktop.procurement.spend_lines.write_lines` and
returned by :func:`~lga_desktop.procurement.spend_import.import_spend`; kept
apart from both so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lga_desktop.money import format_money

__all__ = ["ImportReport", "STORED_REFUSALS"]

#: how many refused rows an import's stored report keeps (the rest are counted)
STORED_REFUSALS = 500


@dataclass
class ImportReport:
    """What happened to every row of one file."""

    file: str
    encoding: str = ""
    header_line: int = 0
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    blank: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    total_pence: int = 0
    import_id: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> header
    unread_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    redacted_lines: int = 0
    first_date: str | None = None
    last_date: str | None = None

    @property
    def ok(self) -> bool:
        return not self.refused

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["refused"] = [{"line": n, "reason": r} for n, r in self.refused]
        data["total"] = format_money(self.total_pence)
        return data

    def stored_dict(self) -> dict[str, Any]:
        """What the workspace keeps of the report: the first refusals, not every one."""
        data = self.as_dict()
        if len(self.refused) > STORED_REFUSALS:
            data["refused"] = data["refused"][:STORED_REFUSALS]
            data["refused_not_kept"] = len(self.refused) - STORED_REFUSALS
        return data

    def summary(self) -> str:
        """One paragraph for the officer (and the CLI)."""
        parts = [
            f"{self.file}: {self.rows_read:,} rows read, {self.imported:,} imported "
            f"({format_money(self.total_pence)})",
        ]
        if self.duplicates:
            parts.append(f"{self.duplicates:,} already in the workspace and skipped")
        if self.refused:
            parts.append(f"{len(self.refused):,} refused")
        if self.redacted_lines:
            parts.append(f"{self.redacted_lines:,} with the supplier's name redacted")
        return "; ".join(parts) + "."
