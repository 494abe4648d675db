"""docs/vectors/ for the programme pack and the receipt (docs/exchange-format.md, section 6).

Deterministic: "the LGA key" is the seed of 32 bytes 0x4C, the council key
the return vectors' example key (``bytes(range(32))``); times are fixed. The
return vectors' generator (``tests/vector_files.py``) lists these with its own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lga_desktop.exchange.envelope import MANIFEST, SIG_PART, Kind, Refused, open_document
from lga_desktop.exchange.formats import PACK, RECEIPT
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.canonical import serialise as raw
from lga_desktop.returns.container import canonical_zip
from lga_desktop.returns.keys import fingerprint, public_key_hex

LGA = Ed25519PrivateKey.from_private_bytes(bytes([0x4C]) * 32)
COUNCIL = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
SMALL_ORDER = bytes.fromhex("01" + "00" * 31)


def key_of(private: Ed25519PrivateKey) -> dict[str, str]:
    pub = public_key_hex(private)
    return {
        "algorithm": "Ed25519",
        "public_key": pub,
        "fingerprint": fingerprint(bytes.fromhex(pub)),
    }


def pack_doc(private: Ed25519PrivateKey = LGA, **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "lga-desktop programme pack",
        "format_version": 1,
        "programme": {"name": "Productivity Programme", "year": "2012/13"},
        "sequence": 1,
        "issued_at": "2012-04-02T09:00:00+01:00",
        "lga_key": key_of(private),
        "endorsements": [],
        "roster": [
            {
                "gss": "E07000178",
                "name": "Oxford City Council",
                "strand": "Category management",
                "pilot": "South East pilot",
                "due_days": None,
            }
        ],
        "due_dates": [
            {"quarter": "2012/13 Q1", "due": "2012-07-31"},
            {"quarter": "2012/13 Q2", "due": "2012-10-31"},
        ],
        "workstreams": [
            {"code": "category", "name": "Category management"},
            {"code": "waste", "name": "Waste"},
        ],
        "categories": [
            {"code": "CON", "name": "Construction", "procurement": True},
            {"code": "NPR", "name": "Not procurement", "procurement": False},
        ],
        "non_procurement": ["NPR"],
        "thresholds": {"classified_coverage_percent": 80, "variance_percent": 25},
        "support": {
            "name": "LGA Productivity Programme team",
            "email": "productivity@local.gov.uk",
            "phone": "020 7664 3000",
        },
    }
    doc.update(changes)
    return doc


def receipt_doc(private: Ed25519PrivateKey = LGA, **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "lga-desktop receipt",
        "format_version": 1,
        "programme": "Productivity Programme",
        "issued_at": "2012-10-20T11:00:00+01:00",
        "lga_key": key_of(private),
        "council": {"gss": "E07000178", "name": "Oxford City Council"},
        "return": {
            "quarter": "2012/13 Q2",
            "version": 1,
            "return_hash": hashlib.sha256(b"the example's return.json").hexdigest(),
            "signed_at": "2012-10-15T10:30:00+01:00",
            "received_at": "2012-10-16T09:12:00+01:00",
        },
        "status": "queried",
        "comments": [
            {
                "action": "queried",
                "figure": "savings.realised_pence",
                "comment": "The waste saving looks ten times last quarter's.",
                "by": "Kim Lowe",
                "at": "2012-10-20T10:55:00+01:00",
            }
        ],
    }
    doc.update(changes)
    return doc


def seal(
    kind: Kind,
    doc_bytes: bytes,
    private: Ed25519PrivateKey = LGA,
    *,
    manifest_over: dict[str, Any] | None = None,
    sig_over: dict[str, Any] | None = None,
    extra: list[tuple[str, bytes]] | None = None,
) -> bytes:
    """A file of ``kind`` around ``doc_bytes`` as given (even out of the format), signed."""
    parts = [("mimetype", kind.mimetype.encode("ascii")), (kind.part, doc_bytes)]
    media = {"mimetype": "text/plain", kind.part: "application/json"}
    manifest = canonical_bytes(
        {
            "format": kind.format_name,
            "format_version": 1,
            "parts": [
                {
                    "name": n,
                    "media_type": media[n],
                    "size": len(d),
                    "sha256": hashlib.sha256(d).hexdigest(),
                }
                for n, d in parts
            ],
            **(manifest_over or {}),
        }
    )
    pub = bytes.fromhex(public_key_hex(private))
    message = kind.context.encode() + b"\x00" + hashlib.sha256(manifest).digest()
    sig = {
        "algorithm": "Ed25519",
        "context": kind.context,
        "public_key": pub.hex(),
        "key_fingerprint": fingerprint(pub),
        "signature": private.sign(message).hex(),
        **(sig_over or {}),
    }
    return canonical_zip(
        [parts[0], (MANIFEST, manifest), (SIG_PART, canonical_bytes(sig)), parts[1], *(extra or [])]
    )


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def cases() -> list[tuple[str, bytes, str, str]]:
    """(file, bytes, expected status, what the case is)."""
    pack = seal(PACK, raw(pack_doc()))
    receipt = seal(RECEIPT, raw(receipt_doc()))
    return_ctx = replace(PACK, context="lga-desktop return v1")
    small = SMALL_ORDER.hex()
    return [
        ("example.lgapack", pack, "valid", "the worked example of a programme pack"),
        ("example.lgareceipt", receipt, "valid", "the worked example of a receipt (a query)"),
        ("pack-byte-changed.lgapack", _flip(pack, pack.index(b'"roster"') + 2), "damaged",
         "one byte of pack.json changed on the way (its CRC-32 no longer matches)"),
        ("pack-resealed.lgapack", seal(PACK, raw(pack_doc(sequence=9)), COUNCIL,
                                        sig_over={"public_key": public_key_hex(LGA),
                                                  "key_fingerprint": key_of(LGA)["fingerprint"]}),
         "bad-signature", "pack.json changed and signed by a key other than the one named"),
        ("pack-council-context.lgapack", seal(return_ctx, raw(pack_doc())), "not-a-pack",
         "a pack signed with a return's context, as a council's key would sign"),
        ("receipt-as-pack.lgapack", receipt, "not-a-pack", "a receipt offered as a pack"),
        ("pack-as-receipt.lgareceipt", pack, "not-a-receipt", "a pack offered as a receipt"),
        ("pack-small-order-key.lgapack", seal(PACK, raw(pack_doc()),
                                               sig_over={"public_key": small,
                                                         "key_fingerprint": fingerprint(SMALL_ORDER)}),
         "bad-key", "signature.json names a small-order key"),
        ("pack-wrong-key.lgapack", seal(PACK, raw(pack_doc(COUNCIL))), "wrong-key",
         "pack.json names the council's key, the LGA's signed it"),
        ("pack-version-2.lgapack", seal(PACK, raw(pack_doc()), manifest_over={"format_version": 2}),
         "unsupported-version", "a pack in a format version this program does not read"),
        ("pack-duplicate-code.lgapack",
         seal(PACK, raw(pack_doc(workstreams=[{"code": "waste", "name": "Waste"}] * 2))),
         "out-of-spec", "a pack naming one workstream code twice"),
        ("pack-extra-field.lgapack", seal(PACK, raw({**pack_doc(), "admin": True})),
         "out-of-spec", "pack.json has a field the format does not define"),
        ("pack-not-canonical.lgapack", seal(PACK, json.dumps(pack_doc()).encode()), "tampered",
         "pack.json is not in canonical form"),
        ("pack-extra-entry.lgapack", seal(PACK, raw(pack_doc()), extra=[("extra.json", b"{}")]),
         "tampered", "a part added after signing"),
        ("receipt-bad-status.lgareceipt", seal(RECEIPT, raw(receipt_doc(status="approved"))),
         "out-of-spec", "a receipt whose status is not received, queried or accepted"),
        ("receipt-unreal-time.lgareceipt",
         seal(RECEIPT, raw(receipt_doc(issued_at="2012-13-40T11:00:00+01:00"))),
         "out-of-spec", "a receipt issued at a time that does not exist"),
    ]  # fmt: skip


def verdict(name: str, data: bytes) -> tuple[str, str]:
    kind = PACK if name.endswith(PACK.suffix) else RECEIPT
    try:
        open_document(kind, data)
    except Refused as exc:
        return exc.status, exc.reason
    return (
        "valid",
        f"The file is a sound {kind.noun}, signed by the key {key_of(LGA)['fingerprint']}.",
    )
