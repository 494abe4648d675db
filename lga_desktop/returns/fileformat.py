"""The ``.lgareturn`` file: parts, manifest, signature (``docs/return-format.md``).

A return file is a ZIP (:mod:`lga_desktop.returns.container`) holding, in order:

``mimetype``       ``application/vnd.lga.return+zip``, so the file says what it is
``manifest.json``  every other part's name, media type, size and SHA-256
``signature.json`` the Ed25519 signature over the manifest, and the key that made it
``return.json``    the return itself (canonical JSON)
``return.pdf``     the printable return

The signed message is ``"lga-desktop return v1" || 0x00 || SHA-256(manifest.json)``:
the context string means a signature made for a return can be mistaken for
nothing else. The **return hash** people see (printed on every page of the
PDF and stored in the workspace) is SHA-256 of ``return.json``; the PDF shows
it, so the PDF cannot be inside what it hashes, and is listed beside it in
the manifest instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.container import canonical_zip
from lga_desktop.returns.keys import fingerprint, public_key_hex

__all__ = [
    "MIMETYPE",
    "ENTRY_ORDER",
    "PART_CAPS",
    "MEDIA_TYPES",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "CONTEXT",
    "SUFFIX",
    "RETURN_PART",
    "PDF_PART",
    "SealedReturn",
    "build_manifest",
    "signed_message",
    "seal",
    "return_hash",
]

MIMETYPE = "application/vnd.lga.return+zip"
FORMAT_NAME = "lga-desktop return"
FORMAT_VERSION = 1
CONTEXT = "lga-desktop return v1"
SUFFIX = ".lgareturn"
RETURN_PART = "return.json"
PDF_PART = "return.pdf"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"

# The five entries of a version 1 file, in their one order, and the most bytes each may
# hold: checked from the ZIP's directory before anything is read.
ENTRY_ORDER = ("mimetype", MANIFEST, SIGNATURE, RETURN_PART, PDF_PART)
PART_CAPS = {
    "mimetype": len(MIMETYPE),
    MANIFEST: 4 * 1024,
    SIGNATURE: 1024,
    RETURN_PART: 16 * 1024 * 1024,
    PDF_PART: 48 * 1024 * 1024,
}

MEDIA_TYPES = {
    "mimetype": "text/plain",
    RETURN_PART: "application/json",
    PDF_PART: "application/pdf",
}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def return_hash(return_bytes: bytes) -> str:
    """The hash that identifies a return to people: SHA-256 of ``return.json``, in hex."""
    return sha256_hex(return_bytes)


def build_manifest(parts: list[tuple[str, bytes]]) -> bytes:
    """Canonical ``manifest.json`` for the parts (``mimetype`` first, then the return's parts)."""
    return canonical_bytes(
        {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "parts": [
                {
                    "name": name,
                    "media_type": MEDIA_TYPES.get(name, "application/octet-stream"),
                    "size": len(data),
                    "sha256": sha256_hex(data),
                }
                for name, data in parts
            ],
        },
        where="the manifest",
    )


def signed_message(manifest_bytes: bytes) -> bytes:
    """What the Ed25519 signature is made over."""
    return CONTEXT.encode("utf-8") + b"\x00" + hashlib.sha256(manifest_bytes).digest()


@dataclass(frozen=True)
class SealedReturn:
    file_bytes: bytes
    manifest_bytes: bytes
    signature_bytes: bytes
    return_hash: str
    file_sha256: str
    key_fingerprint: str


def seal(return_bytes: bytes, pdf_bytes: bytes, private_key: Ed25519PrivateKey) -> SealedReturn:
    """Sign a return's parts and pack them into the ``.lgareturn`` bytes."""
    parts = [
        ("mimetype", MIMETYPE.encode("ascii")),
        (RETURN_PART, return_bytes),
        (PDF_PART, pdf_bytes),
    ]
    manifest = build_manifest(parts)
    pub_hex = public_key_hex(private_key)
    fp = fingerprint(bytes.fromhex(pub_hex))
    signature = canonical_bytes(
        {
            "algorithm": "Ed25519",
            "context": CONTEXT,
            "public_key": pub_hex,
            "key_fingerprint": fp,
            "signature": private_key.sign(signed_message(manifest)).hex(),
        },
        where="the signature",
    )
    entries = [parts[0], (MANIFEST, manifest), (SIGNATURE, signature), *parts[1:]]
    file_bytes = canonical_zip(entries)
    return SealedReturn(
        file_bytes=file_bytes,
        manifest_bytes=manifest,
        signature_bytes=signature,
        return_hash=return_hash(return_bytes),
        file_sha256=sha256_hex(file_bytes),
        key_fingerprint=fp,
    )
