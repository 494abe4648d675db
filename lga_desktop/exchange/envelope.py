"""The signed envelope the LGA's files travel in: a return's container, for one JSON part.

A programme pack (``.lgapack``) and a receipt (``.lgareceipt``) are built
exactly as a return is (``docs/return-format.md`` sections 2 to 5), with one
document part instead of a return's two, and their own media type and
signing context (``docs/exchange-format.md``):

``mimetype``        e.g. ``application/vnd.lga.pack+zip``
``manifest.json``   the document part's name, media type, size and SHA-256
``signature.json``  Ed25519 over ``context || 0x00 || SHA-256(manifest.json)``
``pack.json``       (or ``receipt.json``) the document, canonical JSON

Opening one is as strict as verifying a return, in the same order: the
container (:func:`~lga_desktop.returns.container.read_entries` with the
kind's size caps), the canonical ZIP, the signature over the manifest's bytes
before the manifest is parsed (small-order and non-canonical keys and
signatures refused), the manifest, then the document against its declarative
schema before anything reads a field. Because the context differs per kind,
a signature made for a return can never pass as a pack or a receipt, nor one
kind as the other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lga_desktop.errors import NotValidError
from lga_desktop.returns.canonical import (
    canonical_bytes,
    is_canonical,
    strict_loads,
)
from lga_desktop.returns.container import ContainerError, canonical_zip, read_entries
from lga_desktop.returns.ed25519 import WeakKey, check_public_key, signature_holds
from lga_desktop.returns.keys import fingerprint, public_key_hex
from lga_desktop.returns.schema import (
    MANIFEST_PART,
    SIGNATURE,
    Const,
    ListOf,
    Obj,
    SchemaError,
    check_json_value,
    check_part,
)

__all__ = [
    "Kind",
    "Opened",
    "Refused",
    "seal_bytes",
    "seal_document",
    "open_document",
    "MANIFEST",
    "SIG_PART",
]

MANIFEST = "manifest.json"
SIG_PART = "signature.json"


class Refused(NotValidError):
    """The file is not a sound file of its kind; ``status`` names the check that failed."""

    def __init__(self, status: str, reason: str) -> None:
        reason = reason[0].upper() + reason[1:] if reason else reason
        super().__init__(reason if reason.endswith(".") else reason + ".")
        self.status = status
        self.reason = str(self)


@dataclass(frozen=True)
class Kind:
    """One kind of signed file: its names, its one document part and what that may hold."""

    noun: str  # "programme pack", in messages
    format_name: str  # manifest "format"
    mimetype: str
    context: str  # signing context
    part: str  # the document part's name
    part_cap: int  # most bytes the document may hold
    suffix: str
    check: Callable[[Any], None]  # the document's schema and rules; raises SchemaError

    @property
    def not_ours(self) -> str:
        """The status of a file that is not of this kind: ``not-a-pack``, ``not-a-receipt``."""
        return "not-a-" + self.part.split(".")[0]

    @property
    def entry_order(self) -> tuple[str, ...]:
        return ("mimetype", MANIFEST, SIG_PART, self.part)

    @property
    def caps(self) -> dict[str, int]:
        return {"mimetype": len(self.mimetype), MANIFEST: 1024, SIG_PART: 1024,
                self.part: self.part_cap}  # fmt: skip

    def manifest_schema(self) -> Obj:
        return Obj(
            {
                "format": Const(self.format_name),
                "format_version": Const(1),
                "parts": ListOf(MANIFEST_PART, 8),
            }
        )


@dataclass(frozen=True)
class Opened:
    document: dict[str, Any]
    public_key: bytes
    fingerprint: str
    document_sha256: str
    file_sha256: str


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _message(kind: Kind, manifest: bytes) -> bytes:
    return kind.context.encode("utf-8") + b"\x00" + hashlib.sha256(manifest).digest()


def _manifest(kind: Kind, parts: list[tuple[str, bytes]]) -> bytes:
    media = {"mimetype": "text/plain", kind.part: "application/json"}
    return canonical_bytes(
        {
            "format": kind.format_name,
            "format_version": 1,
            "parts": [
                {"name": n, "media_type": media[n], "size": len(d), "sha256": _sha(d)}
                for n, d in parts
            ],
        },
        where="the manifest",
    )


def seal_bytes(kind: Kind, document: bytes, private: Ed25519PrivateKey) -> bytes:
    """The file's bytes around ``document`` exactly as given, signed with ``private``.

    For the writer below, and for tests and the fuzz run, which need files the
    format forbids; a reader checks everything again.
    """
    parts = [("mimetype", kind.mimetype.encode("ascii")), (kind.part, document)]
    manifest = _manifest(kind, parts)
    pub = public_key_hex(private)
    signature = canonical_bytes(
        {
            "algorithm": "Ed25519",
            "context": kind.context,
            "public_key": pub,
            "key_fingerprint": fingerprint(bytes.fromhex(pub)),
            "signature": private.sign(_message(kind, manifest)).hex(),
        },
        where="the signature",
    )
    return canonical_zip([parts[0], (MANIFEST, manifest), (SIG_PART, signature), parts[1]])


def seal_document(kind: Kind, document: dict[str, Any], private: Ed25519PrivateKey) -> bytes:
    """The file's bytes: ``document`` checked against its schema, signed with ``private``."""
    kind.check(document)
    return seal_bytes(kind, canonical_bytes(document), private)


def _json(kind: Kind, data: bytes, what: str) -> dict[str, Any]:
    try:
        value = strict_loads(data, allow_duplicates=True)  # is_canonical catches them
    except RecursionError:
        raise Refused("out-of-spec", f"{what} is nested far too deeply") from None
    except ValueError as exc:
        raise Refused(kind.not_ours, f"{what} is not readable JSON ({exc})") from None
    if not isinstance(value, dict):
        raise Refused(kind.not_ours, f"{what} is not a JSON object")
    try:
        check_json_value(value, "")
    except SchemaError as exc:
        raise Refused("out-of-spec", f"{what} does not follow the format: {exc}") from None
    if not is_canonical(data, value):
        raise Refused("tampered", f"{what} was re-written after signing (not canonical JSON)")
    return value


def _signature(kind: Kind, entries: dict[str, bytes]) -> tuple[bytes, str]:
    sig = _json(kind, entries[SIG_PART], "the signature part")
    try:
        check_part(SIGNATURE, sig)
    except SchemaError as exc:
        raise Refused(
            kind.not_ours, f"the signature part is not as the format says: {exc}"
        ) from None
    if sig["algorithm"] != "Ed25519" or sig["context"] != kind.context:
        raise Refused(
            kind.not_ours,
            f"the file is signed as {sig['context']!r:.60}, not as an lga-desktop {kind.noun} "
            f"({kind.context!r})",
        )
    raw_key, raw_sig = bytes.fromhex(sig["public_key"]), bytes.fromhex(sig["signature"])
    try:
        check_public_key(raw_key)
    except WeakKey as exc:
        raise Refused("bad-key", f"{exc}; the file cannot have been signed by the LGA") from None
    fp = fingerprint(raw_key)
    if sig["key_fingerprint"] != fp:
        raise Refused("tampered", "the signature names a fingerprint that is not its key's")
    if not signature_holds(raw_key, raw_sig, _message(kind, entries[MANIFEST])):
        raise Refused(
            "bad-signature",
            f"the signature does not match: the {kind.noun} was changed after it was signed, "
            "or signed by a different key from the one it names",
        )
    return raw_key, fp


def _check_manifest(kind: Kind, entries: dict[str, bytes]) -> None:
    manifest = _json(kind, entries[MANIFEST], "the manifest")
    version = manifest.get("format_version")
    if manifest.get("format") == kind.format_name and isinstance(version, int) and version > 1:
        raise Refused(
            "unsupported-version",
            f"the {kind.noun} is in format version {version}, made by a newer lga-desktop; "
            "install the newer version",
        )
    try:
        check_part(kind.manifest_schema(), manifest)
    except SchemaError as exc:
        raise Refused(
            kind.not_ours,
            f"the manifest is not that of a version 1 {kind.noun}: {exc}",
        ) from None
    names = [p["name"] for p in manifest["parts"]]
    if names != ["mimetype", kind.part]:
        raise Refused("tampered", f"the manifest lists {', '.join(names)[:200]}, not mimetype, "
                      f"{kind.part}")  # fmt: skip
    media = {"mimetype": "text/plain", kind.part: "application/json"}
    for p in manifest["parts"]:
        data = entries.get(p["name"])
        if p["media_type"] != media[p["name"]]:
            raise Refused("tampered", f"the manifest gives {p['name']} the wrong media type")
        if data is None or p["size"] != len(data) or p["sha256"] != _sha(data):
            raise Refused(
                "tampered",
                f"the part {p['name']} was changed after the {kind.noun} was signed "
                "(it no longer matches the signed hash)",
            )


OUR_MIMETYPES = {
    "application/vnd.lga.return+zip": "a council's return (.lgareturn)",
    "application/vnd.lga.pack+zip": "a programme pack (.lgapack)",
    "application/vnd.lga.receipt+zip": "a receipt (.lgareceipt)",
}


def _sniff(kind: Kind, data: bytes) -> None:
    """Another of our kinds, said as such (its first entry is ``mimetype``, stored, unsigned)."""
    if data[:4] != b"PK\x03\x04" or data[30:38] != b"mimetype" or len(data) < 38:
        return
    size = int.from_bytes(data[22:26], "little")
    found = data[38 : 38 + min(size, 64)].decode("ascii", "replace")
    if found != kind.mimetype and found in OUR_MIMETYPES:
        raise Refused(
            kind.not_ours,
            f"the file is {OUR_MIMETYPES[found]}, not an lga-desktop {kind.noun}; "
            "open it with the command or menu for that kind",
        )


def _open(kind: Kind, data: bytes) -> Opened:
    _sniff(kind, data)
    listed = read_entries(data, kind.caps)
    if not listed or listed[0] != ("mimetype", kind.mimetype.encode("ascii")):
        raise Refused(
            kind.not_ours,
            f"the file is not an lga-desktop {kind.noun} (its first entry is not the mimetype "
            f"{kind.mimetype})",
        )
    if canonical_zip(listed) != data:
        raise Refused("tampered", "the file's ZIP structure was altered after signing")
    if [name for name, _ in listed] != list(kind.entry_order):
        raise Refused(
            "tampered" if len(listed) == 4 else kind.not_ours,
            f"the file holds {', '.join(n for n, _ in listed)[:200]}; a {kind.noun} holds "
            f"exactly {', '.join(kind.entry_order)}, in that order",
        )
    entries = dict(listed)
    raw_key, fp = _signature(kind, entries)
    _check_manifest(kind, entries)
    doc = _json(kind, entries[kind.part], f"the part {kind.part}")
    try:
        kind.check(doc)
    except SchemaError as exc:
        raise Refused(
            "out-of-spec", f"the part {kind.part} does not follow the format: {exc}"
        ) from None
    key = doc["lga_key"]
    if key["public_key"] != raw_key.hex() or key["fingerprint"] != fp:
        raise Refused(
            "wrong-key",
            f"the {kind.noun} names the key {key['fingerprint']} but was signed with the key {fp}",
        )
    return Opened(doc, raw_key, fp, _sha(entries[kind.part]), _sha(data))


def open_document(kind: Kind, data: bytes) -> Opened:
    """The checked document and who signed it; :class:`Refused` (never anything else) if not sound."""
    try:
        return _open(kind, data)
    except Refused:
        raise
    except ContainerError as exc:
        code = exc.code.replace("return", kind.part.split(".")[0])
        raise Refused(code, str(exc).replace("return", kind.noun)) from None
    except Exception as exc:  # a hostile file must never become a traceback
        raise Refused(
            "unreadable",
            f"the file could not be read as a {kind.noun} ({type(exc).__name__}: {str(exc)[:200]})",
        ) from None
