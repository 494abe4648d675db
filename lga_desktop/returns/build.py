"""Building a quarter's return: the snapshot, the findings, what can be pre-filled.

:func:`assemble` asks every feature (``lga_desktop.features``) for its part
of the return and its validation findings, adds the return's own rules (is
the quarter over? does the return carry anything?), and works out the
version: a second return for a quarter is a correction that supersedes the
last. It pre-fills what the officer typed last time: explanation notes for
the same warnings, and the declaration's names and roles.

:meth:`Draft.problems` lists, in words, everything that stops signing now:
errors, warnings without a note, an incomplete declaration, a correction
without its reason. :func:`return_document` turns a ready draft into the
``return.json`` content (``docs/return-format.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import lga_desktop.features as feature_registry
from lga_desktop import APP_NAME, __version__
from lga_desktop.councils import Council
from lga_desktop.periods import PeriodError, Quarter, parse_date
from lga_desktop.progress import NO_PROGRESS, Progress
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.history import ReturnRecord, latest_for, latest_return, record_document
from lga_desktop.validation import Finding, Severity, errors, warnings
from lga_desktop.workspace import Workspace

if TYPE_CHECKING:
    from lga_desktop.returns.keys import SigningKey

__all__ = [
    "Person",
    "Declaration",
    "Draft",
    "assemble",
    "return_document",
    "save_note",
    "DECLARATION_STATEMENT",
]

DECLARATION_STATEMENT = (
    "I declare that, to the best of my knowledge, this return is a true and complete account "
    "of the council's productivity-programme registers for the period it covers, and that "
    "every warning has been explained."
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    email: str
    date: str  # ISO date the person prepared or signed

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role, "email": self.email, "date": self.date}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Person:
        return cls(data["name"], data["role"], data.get("email", ""), data.get("date", ""))


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split()) and bool(a.strip())


@dataclass(frozen=True)
class Declaration:
    preparer: Person
    signer: Person

    @property
    def same_person(self) -> bool:
        return _same(self.preparer.name, self.signer.name) or _same(
            self.preparer.email, self.signer.email
        )

    def problems(self) -> list[str]:
        found = []
        for who, person in (("preparer", self.preparer), ("signer", self.signer)):
            for label, value in (("name", person.name), ("role", person.role)):
                if not value.strip():
                    found.append(f"The {who}'s {label} is missing.")
            if person.email.strip() and not _EMAIL.match(person.email.strip()):
                found.append(f"The {who}'s e-mail address {person.email!r} is not an address.")
            try:
                parse_date(person.date)
            except PeriodError as exc:
                found.append(f"The {who}'s date: {exc}.")
        return found

    def warnings(self) -> list[str]:
        if self.same_person:
            return [
                "The preparer and the signer are the same person. The LGA expects a second "
                "officer to check and sign the return; if that is not possible, say why in "
                "the covering e-mail."
            ]
        return []

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": DECLARATION_STATEMENT,
            "preparer": self.preparer.to_json(),
            "signer": self.signer.to_json(),
            "same_person": self.same_person,
        }


@dataclass
class Draft:
    """A quarter's return, assembled but not signed."""

    council: Council
    quarter: Quarter
    sections: list[dict[str, Any]]
    findings: list[Finding]
    version: int
    supersedes: ReturnRecord | None
    notes: dict[str, str] = field(default_factory=dict)  # pre-filled, by finding key
    declaration: Declaration | None = None  # pre-filled

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)

    @property
    def warnings(self) -> list[Finding]:
        return warnings(self.findings)

    def missing_notes(self, notes: dict[str, str]) -> list[Finding]:
        return [w for w in self.warnings if not notes.get(w.key, "").strip()]

    def problems(
        self,
        notes: dict[str, str],
        declaration: Declaration | None,
        correction_reason: str = "",
    ) -> list[str]:
        """Everything that stops this return being signed, one sentence each (empty: ready)."""
        found = [f"Error: {f.message}" for f in self.errors]
        found += [
            f"Warning without an explanation note ({w.key}): {w.message}"
            for w in self.missing_notes(notes)
        ]
        if declaration is None:
            found.append("The declaration (preparer and signer) has not been filled in.")
        else:
            found += declaration.problems()
        if self.supersedes is not None and not correction_reason.strip():
            found.append(
                f"This is a correction (version {self.version}) of the return signed on "
                f"{self.supersedes.signed_at[:10]}; say what it corrects."
            )
        return found


def _return_rules(ws: Workspace, quarter: Quarter, sections: list, today: date) -> list[Finding]:
    found = []
    if quarter.start > today:
        found.append(
            Finding(
                Severity.ERROR,
                "return",
                "return.period_not_started",
                f"{quarter} has not started yet (it begins on {quarter.start:%d %B %Y}).",
            )
        )
    elif quarter.end >= today:
        found.append(
            Finding(
                Severity.WARNING,
                "return",
                "return.period_not_over",
                f"{quarter} does not end until {quarter.end:%d %B %Y}; figures may still change.",
            )
        )
    if not sections:
        found.append(
            Finding(
                Severity.WARNING,
                "return",
                "return.no_registers",
                "This return carries no registers yet: it will only confirm the council and "
                "the quarter.",
            )
        )
    return found


def _notes_from(doc: dict[str, Any]) -> dict[str, str]:
    return {
        f["key"]: f["note"] for f in doc.get("validation", {}).get("findings", []) if f.get("note")
    }


COUNCIL_IN_PERIOD = "council_in_period"


def council_in_period(council: Council, quarter: Quarter) -> dict[str, Any] | None:
    """A section naming the council as it was at the quarter's end, when that differs from now.

    Gateshead's 2012/13 returns say E08000020 (then) beside the return's
    ``council`` E08000037 (now); Folkestone and Hythe's before April 2018 say
    Shepway District Council. None when the code and name are today's.
    """
    gss, name = council.identity_on(quarter.end)
    if (gss, name) == (council.gss, council.official_name):
        return None
    return {
        "key": COUNCIL_IN_PERIOD,
        "title": "The council's code and name in this period",
        "data": {
            "gss_in_period": gss,
            "name_in_period": name,
            "gss_now": council.gss,
            "name_now": council.official_name,
        },
    }


def snapshot_sections(
    ws: Workspace,
    quarter: Quarter,
    progress: Progress = NO_PROGRESS,
    *,
    only: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    """Every feature's section of ``quarter``'s return, as it stood at the quarter's end.

    ``only`` limits it to the features with those keys.
    """
    feats = [f for f in feature_registry.features() if only is None or f.key in only]
    sections: list[dict[str, Any]] = []
    if only is None or COUNCIL_IN_PERIOD in only:
        identity = council_in_period(ws.council, quarter)
        if identity is not None:
            sections.append(identity)
    for i, feature in enumerate(feats):
        progress.update(i, len(feats) + 1, f"Reading {feature.title}…")
        if feature.snapshot is not None:
            data = feature.snapshot(ws, quarter)
            canonical_bytes(data, where=f"the {feature.title} section")  # fail early, by name
            sections.append({"key": feature.key, "title": feature.title, "data": data})
    return sections


def assemble(
    ws: Workspace,
    quarter: Quarter,
    progress: Progress = NO_PROGRESS,
    *,
    today: date | None = None,
) -> Draft:
    """Assemble ``quarter``'s return from every feature, with findings and pre-filled answers."""
    today = today or date.today()
    feats = feature_registry.features()
    total = len(feats) + 1
    sections = snapshot_sections(ws, quarter, progress)
    findings: list[Finding] = []
    for feature in feats:
        if feature.validate is not None:
            findings += feature.validate(ws, quarter)
    findings = _return_rules(ws, quarter, sections, today) + findings
    progress.update(total - 1, total, "Checking what can be pre-filled…")

    supersedes = latest_for(ws, quarter)
    notes: dict[str, str] = {}
    previous = latest_for(ws, quarter.previous())
    for record in (previous, supersedes):  # later wins
        if record is not None:
            notes.update(_notes_from(record_document(ws, record)))
    notes.update(saved_notes(ws, quarter))
    live = {f.key for f in warnings(findings)}
    notes = {k: v for k, v in notes.items() if k in live}

    declaration = None
    last = latest_return(ws)
    iso_today = today.isoformat()
    if last is not None:
        decl = record_document(ws, last)["declaration"]
        prep, sign = Person.from_json(decl["preparer"]), Person.from_json(decl["signer"])
        declaration = Declaration(
            Person(prep.name, prep.role, prep.email, iso_today),
            Person(sign.name, sign.role, sign.email, iso_today),
        )
    elif ws.officer is not None:
        o = ws.officer
        declaration = Declaration(
            Person(o.name, o.role, o.email, iso_today), Person("", "", "", iso_today)
        )
    progress.update(total, total, "")
    return Draft(
        council=ws.council,
        quarter=quarter,
        sections=sections,
        findings=findings,
        version=(supersedes.version + 1) if supersedes else 1,
        supersedes=supersedes,
        notes=notes,
        declaration=declaration,
    )


def saved_notes(ws: Workspace, quarter: Quarter) -> dict[str, str]:
    rows = ws.db.execute(
        "SELECT finding_key, note FROM return_notes WHERE period_key = ?", [quarter.key]
    ).fetchall()
    return dict(rows)


def save_note(ws: Workspace, quarter: Quarter, finding_key: str, note: str) -> None:
    """Keep an explanation note typed for a warning, so it survives closing the window."""
    with ws.atomic():
        if note.strip():
            ws.db.execute(
                "INSERT INTO return_notes (period_key, finding_key, note) VALUES (?, ?, ?) "
                "ON CONFLICT (period_key, finding_key) DO UPDATE SET note = excluded.note",
                [quarter.key, finding_key, note],
            )
        else:
            ws.db.execute(
                "DELETE FROM return_notes WHERE period_key = ? AND finding_key = ?",
                [quarter.key, finding_key],
            )


def return_document(
    draft: Draft,
    *,
    notes: dict[str, str],
    declaration: Declaration,
    key: SigningKey | None,
    signed_at: datetime,
    correction_reason: str = "",
) -> dict[str, Any]:
    """The content of ``return.json`` for a ready draft (see ``docs/return-format.md``).

    ``key`` None: the draft as it would be signed, for the preview (``signing_key`` null).
    """
    # the file format (and with it cryptography) loads when a document is made, not when
    # the sections are rebuilt to see whether a signed quarter has changed
    from lga_desktop.returns.fileformat import FORMAT_NAME, FORMAT_VERSION

    q = draft.quarter
    findings = [
        {
            "severity": str(f.severity),
            "register": f.register,
            "code": f.code,
            "message": f.message,
            "record": f.record,
            "field": f.field,
            "key": f.key,
            "note": notes.get(f.key, "").strip() if f.severity is Severity.WARNING else "",
        }
        for f in draft.findings
    ]
    supersedes = None
    if draft.supersedes is not None:
        supersedes = {
            "version": draft.supersedes.version,
            "return_hash": draft.supersedes.return_hash,
            "reason": correction_reason.strip(),
        }
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "program": {"name": APP_NAME, "version": __version__},
        "council": {"gss": draft.council.gss, "name": draft.council.official_name},
        "period": {
            "quarter": str(q),
            "key": q.key,
            "start": q.start.isoformat(),
            "end": q.end.isoformat(),
        },
        "version": draft.version,
        "supersedes": supersedes,
        "signed_at": signed_at.isoformat(timespec="seconds"),
        "declaration": declaration.to_json(),
        "signing_key": None
        if key is None
        else {
            "algorithm": "Ed25519",
            "public_key": key.public_key_hex,
            "fingerprint": key.fingerprint,
        },
        "validation": {
            "errors": len(draft.errors),
            "warnings": len(draft.warnings),
            "findings": findings,
        },
        "sections": draft.sections,
    }
