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
        "validation": {"findings": []},
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
