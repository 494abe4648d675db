"""Helpers shared by the returns tests: fast key stretching, a small signed return."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lga_desktop.returns import keys
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.fileformat import SealedReturn, seal

PASSPHRASE = "correct horse battery staple"
SEED = bytes(range(32))
FAKE_PDF = b"%PDF-1.4\n% a stand-in printout for container tests\n%%EOF\n"


@pytest.fixture
def fast_keys(monkeypatch):
    """scrypt at a test-sized cost (the stored parameters make this transparent)."""
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)
    return keys


def fixed_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED)


def small_document(private: Ed25519PrivateKey, **changes: Any) -> dict[str, Any]:
    pub = keys.public_key_hex(private)
    doc: dict[str, Any] = {
        "format": "lga-desktop return",
        "format_version": 1,
        "program": {"name": "lga-desktop", "version": "0.1.0"},
        "council": {"gss": "E07000178", "name": "Oxford City Council"},
        "period": {
            "quarter": "2012/13 Q2",
            "key": "2012Q2",
            "start": "2012-07-01",
            "end": "2012-09-30",
        },
        "version": 1,
        "supersedes": None,
        "signed_at": "2012-10-15T10:30:00+01:00",
        "declaration": {
            "statement": "I declare this return is accurate.",
            "same_person": False,
            "preparer": {
                "name": "Alex Morgan",
                "role": "Finance Business Partner",
                "email": "alex.morgan@example.gov.uk",
                "date": "2012-10-12",
            },
            "signer": {
                "name": "Jo Reed",
                "role": "Head of Finance",
                "email": "jo.reed@example.gov.uk",
                "date": "2012-10-15",
            },
        },
        "signing_key": {
            "algorithm": "Ed25519",
            "public_key": pub,
            "fingerprint": keys.fingerprint(bytes.fromhex(pub)),
        },
        "validation": {"errors": 0, "warnings": 0, "findings": []},
        "sections": [
            {
                "key": "savings",
                "title": "Realised savings",
                "data": {"realised_pence": 12345678, "lines": 3},
            },
        ],
    }
    doc.update(changes)
    return doc


def sealed_return(private: Ed25519PrivateKey | None = None, **changes: Any) -> SealedReturn:
    private = private or fixed_key()
    return seal(canonical_bytes(small_document(private, **changes)), FAKE_PDF, private)


# ---- a small test-only feature with its own real table ---------------------

from datetime import date  # noqa: E402

from lga_desktop.features import Feature  # noqa: E402
from lga_desktop.validation import Finding, Severity  # noqa: E402


def _grants_snapshot(ws, quarter) -> dict[str, Any]:
    rows = ws.db.execute(
        "SELECT id, title, paid_on, amount_pence, flagged FROM test_grants "
        "WHERE paid_on BETWEEN ? AND ? ORDER BY paid_on, id",
        [quarter.start.isoformat(), quarter.end.isoformat()],
    ).fetchall()
    return {
        "grants": [
            {"id": r[0], "title": r[1], "paid_on": r[2], "amount_pence": r[3]} for r in rows
        ],
        "total_pence": sum(r[3] for r in rows),
        "count": len(rows),
    }


def _grants_validate(ws, quarter) -> list[Finding]:
    found = []
    for gid, title, amount, flagged in ws.db.execute(
        "SELECT id, title, amount_pence, flagged FROM test_grants WHERE paid_on BETWEEN ? AND ?",
        [quarter.start.isoformat(), quarter.end.isoformat()],
    ).fetchall():
        if amount < 0:
            found.append(
                Finding(
                    Severity.ERROR,
                    "grants",
                    "grants.negative",
                    f"Grant {title!r} has a negative amount.",
                    record=str(gid),
                    field="amount_pence",
                )
            )
        if flagged:
            found.append(
                Finding(
                    Severity.WARNING,
                    "grants",
                    "grants.flagged",
                    f"Grant {title!r} was flagged for review.",
                    record=str(gid),
                )
            )
    return found


GRANTS = Feature(
    key="grants",
    title="Test grants",
    counted_tables={"Grants": "test_grants"},
    snapshot=_grants_snapshot,
    validate=_grants_validate,
)


def add_grants(ws, rows: list[tuple[str, str, int, bool]]) -> None:
    """Create the test feature's table (if needed) and add (title, paid_on, pence, flagged) rows."""
    with ws.atomic():
        ws.db.execute(
            "CREATE TABLE IF NOT EXISTS test_grants (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
            "paid_on TEXT NOT NULL, amount_pence INTEGER NOT NULL, flagged INTEGER NOT NULL)"
        )
        ws.db.conn.executemany(
            "INSERT INTO test_grants (title, paid_on, amount_pence, flagged) VALUES (?, ?, ?, ?)",
            rows,
        )


@pytest.fixture
def grants_feature(monkeypatch):
    import lga_desktop.features

    monkeypatch.setattr(lga_desktop.features, "features", lambda: (GRANTS,))
    return GRANTS


Q2 = "2012/13 Q2"
AFTER_Q2 = date(2012, 10, 15)


def sign_q2(ws, *, out=None, passphrase: str = "a passphrase", new_key: bool = True) -> None:
    """A real signed return for 2012/13 Q2 in the demo workspace (fast key)."""
    from datetime import date

    from lga_desktop.periods import parse_quarter
    from lga_desktop.returns.build import Declaration, Person, assemble
    from lga_desktop.returns.sign import sign_return

    if new_key:
        keys.create_key(ws, passphrase)
    draft = assemble(ws, parse_quarter("2012/13 Q2"), today=date(2012, 10, 15))
    sign_return(
        ws,
        draft,
        notes={w.key: "Explained." for w in draft.warnings},
        declaration=Declaration(
            Person("Sam Patel", "Officer", "sam@example.gov.uk", "2012-10-12"),
            Person("Jo Reed", "Head of Finance", "jo@example.gov.uk", "2012-10-15"),
        ),
        passphrase=passphrase,
        out_path=out or ws.path.with_name("q2.lgareturn"),
    )


def sign_quarter(ws, quarter, folder, *, today=None, now=None):
    """Sign ``quarter``'s return of ``ws`` the real way, every warning explained."""
    from datetime import UTC, date, datetime

    from lga_desktop.returns.build import Declaration, Person, assemble
    from lga_desktop.returns.sign import sign_return

    if keys.current_key(ws) is None:
        keys.create_key(ws, PASSPHRASE)
    draft = assemble(ws, quarter, today=today or date(2026, 12, 1))
    notes = {w.key: "Explained to the LGA." for w in draft.warnings}
    decl = Declaration(
        Person("Alex Morgan", "Finance Business Partner", "", "2012-10-12"),
        Person("Jo Reed", "Head of Finance", "", "2012-10-15"),
    )
    return sign_return(
        ws,
        draft,
        notes=notes,
        declaration=decl,
        passphrase=PASSPHRASE,
        out_path=folder / f"{quarter.key}.lgareturn",
        correction_reason="Corrected figures.",
        now=now or datetime(2012, 10, 15, 9, 30, tzinfo=UTC),
    )
