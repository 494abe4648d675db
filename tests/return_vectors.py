"""The test vectors of docs/return-format.md, computed by the code.

``tests/test_return_format_doc.py`` checks the document's vectors against
these, so the document cannot drift from what lga-desktop writes. Run this
file to print the blocks (and rewrite docs/vectors/example.lgareturn) after a
deliberate change to the format.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lga_desktop.councils import council_by_gss
from lga_desktop.periods import Quarter
from lga_desktop.returns.build import Declaration, Draft, Person, return_document
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.fileformat import seal, signed_message
from lga_desktop.returns.keys import SigningKey, fingerprint, public_key_hex
from lga_desktop.validation import Finding, Severity

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "return-format.md"
EXAMPLE = ROOT / "docs" / "vectors" / "example.lgareturn"

SEED = bytes(range(32))
# A stand-in for the printout, so that the whole vector fits in the document.
STAND_IN_PDF = b"%PDF-1.4\n% stand-in for the printed return in the test vector\n%%EOF\n"


def example():
    private = Ed25519PrivateKey.from_private_bytes(SEED)
    pub = public_key_hex(private)
    key = SigningKey(
        fingerprint=fingerprint(bytes.fromhex(pub)),
        public_key_hex=pub,
        created_at="2012-09-03T09:00:00+01:00",
        created_by="Alex Morgan",
        retired_at=None,
        replaced_by=None,
        endorsement=None,
        has_private=True,
    )
    warning = Finding(
        Severity.WARNING,
        "savings",
        "savings.below_target",
        "Waste contract renegotiation realised £40,000.00 against a target of £60,000.00.",
        record="S-7",
        field="realised_pence",
    )
    draft = Draft(
        council=council_by_gss("E07000178"),
        quarter=Quarter(2012, 2),
        sections=[
            {
                "key": "savings",
                "title": "Realised savings",
                "data": {
                    "lines": [
                        {
                            "ref": "S-7",
                            "title": "Waste contract renegotiation",
                            "workstream": "waste",
                            "target_pence": 6_000_000,
                            "realised_pence": 4_000_000,
                        },
                    ],
                    "realised_pence": 4_000_000,
                    "target_pence": 6_000_000,
                },
            }
        ],
        findings=[warning],
        version=1,
        supersedes=None,
    )
    declaration = Declaration(
        Person(
            "Alex Morgan", "Finance Business Partner", "alex.morgan@example.gov.uk", "2012-10-12"
        ),
        Person("Jo Reed", "Head of Finance", "jo.reed@example.gov.uk", "2012-10-15"),
    )
    doc = return_document(
        draft,
        notes={warning.key: "The new contract starts in Q3; the shortfall is timing only."},
        declaration=declaration,
        key=key,
        signed_at=datetime(2012, 10, 15, 10, 30, tzinfo=timezone(timedelta(hours=1))),
    )
    doc["program"]["version"] = "0.1.0"  # pinned: the vector must not move with each release
    return_bytes = canonical_bytes(doc)
    return private, seal(return_bytes, STAND_IN_PDF, private), return_bytes


def vectors() -> dict[str, str]:
    private, sealed, return_bytes = example()
    return {
        "seed": SEED.hex(),
        "public-key": public_key_hex(private),
        "fingerprint": sealed.key_fingerprint,
        "mimetype": "application/vnd.lga.return+zip",
        "return.json": return_bytes.decode("utf-8"),
        "return-hash": sealed.return_hash,
        "return.pdf": STAND_IN_PDF.decode("ascii").rstrip("\n"),
        "manifest.json": sealed.manifest_bytes.decode("utf-8"),
        "manifest-sha256": hashlib.sha256(sealed.manifest_bytes).hexdigest(),
        "signed-message": signed_message(sealed.manifest_bytes).hex(),
        "signature": json.loads(sealed.signature_bytes)["signature"],
        "signature.json": sealed.signature_bytes.decode("utf-8"),
        "file-sha256": sealed.file_sha256,
        "file-size": str(len(sealed.file_bytes)),
    }


if __name__ == "__main__":
    _, sealed, _ = example()
    EXAMPLE.parent.mkdir(parents=True, exist_ok=True)
    EXAMPLE.write_bytes(sealed.file_bytes)
    for name, text in vectors().items():
        print(f"<!-- vector: {name} -->\n```text\n{text}\n```\n")
