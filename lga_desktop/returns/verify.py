"""Checking a return file: is it intact, who signed it, and is that the council's trusted key?

:func:`verify_bytes` / :func:`verify_file` never raise for a bad file: they
return a :class:`Verification` whose ``reason`` says in words what is wrong.
The LGA's consolidation calls the same functions.

The checks, in the order ``docs/return-format.md`` (section 8) gives them;
the first failure stops the rest and ``status`` names it:

1. the container: size, ZIP structure, safe names, stored entries, only the
   five entries of a return, each within its size cap (``damaged``,
   ``unsafe``, ``not-a-return``, ``too-large``, ``tampered``);
2. ``mimetype`` first and right (``not-a-return``);
3. the file is byte for byte the canonical ZIP of its entries (``tampered``);
4. ``signature.json`` well formed and canonical, its key a sound Ed25519 key
   (``bad-key``), and the signature over the manifest's *bytes*, checked
   before the manifest is parsed (``bad-signature``);
5. ``manifest.json``: canonical, the format version one this program reads
   (``unsupported-version``), the three parts in order;
6. the parts: each of its size and hash, in the one order (``tampered``);
7. ``return.json``: canonical, every field within the format
   (``out-of-spec``, :mod:`lga_desktop.returns.schema`), naming the key that
   signed it (``wrong-key``); ``return.pdf`` a PDF (``out-of-spec``);
8. against a trusted-keys list, when one is given: the key is one the LGA
   holds for that council (``untrusted-key``, ``unknown-council``) and not
   revoked for files received after a date (``revoked-key``).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lga_desktop.councils import council_by_gss
from lga_desktop.periods import parse_quarter
from lga_desktop.returns.canonical import is_canonical, strict_loads
from lga_desktop.returns.container import (
    MAX_FILE_BYTES,
    ContainerError,
    canonical_zip,
    read_entries,
)
from lga_desktop.returns.ed25519 import WeakKey, check_public_key, signature_holds
from lga_desktop.returns.fileformat import (
    CONTEXT,
    ENTRY_ORDER,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_TYPES,
    MIMETYPE,
    PART_CAPS,
    PDF_PART,
    RETURN_PART,
    SIGNATURE,
    signed_message,
)
from lga_desktop.returns.keys import fingerprint
from lga_desktop.returns.schema import (
    MANIFEST as MANIFEST_SCHEMA,
)
from lga_desktop.returns.schema import (
    SIGNATURE as SIGNATURE_SCHEMA,
)
from lga_desktop.returns.schema import (
    SchemaError,
    check_json_value,
    check_part,
    check_return,
)
from lga_desktop.returns.trust import TrustedKeys

__all__ = ["Verification", "verify_bytes", "verify_file"]


@dataclass
class Verification:
    """The outcome of checking one return file, in words and in fields."""

    path: str | None
    valid: bool
    status: str  # "valid", or what failed (see the module notes)
    reason: str  # one or two sentences an officer or LGA staff member understands
    intact: bool = False  # signature, every part and every field check out
    trust: str = (
        "not-checked"  # "trusted", "untrusted", "revoked", "unknown-council", "not-checked"
    )
    council_gss: str | None = None
    council_name: str | None = None
    period: str | None = None
    period_key: str | None = None
    version: int | None = None
    supersedes_hash: str | None = None
    signer_name: str | None = None
    signer_role: str | None = None
    signer_email: str | None = None
    signed_at: str | None = None
    key_fingerprint: str | None = None
    return_hash: str | None = None
    file_sha256: str | None = None
    document: dict[str, Any] | None = field(default=None, repr=False)
    # return.json exactly as signed: the canonical text of ``document`` (what a store keeps)
    document_text: str | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("document")
        data.pop("document_text")
        return data

    def describe(self) -> str:
        """The result as a few lines of plain words (what `verify` prints and the window shows)."""
        name = Path(self.path).name if self.path else "The file"
        if not self.intact:
            return f"{name}: NOT VALID. {self.reason}"
        lines = [f"{name}: {'VALID' if self.valid else 'NOT VALID'}. {self.reason}"]
        lines.append(
            f"  Return of {self.council_name} ({self.council_gss}) for {self.period}, "
            f"version {self.version}"
            + (
                f", superseding the return with hash {self.supersedes_hash[:16]}…"
                if self.supersedes_hash
                else ""
            )
        )
        lines.append(f"  Signed by {self.signer_name}, {self.signer_role}, on {self.signed_at}")
        lines.append(f"  Key fingerprint: {self.key_fingerprint}")
        lines.append(f"  Return hash:     {self.return_hash}")
        return "\n".join(lines)


class _Refused(Exception):
    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _load_json(data: bytes, what: str) -> dict[str, Any]:
    """Parse a part, insist on its canonical form; ``not-a-return`` / ``tampered`` otherwise."""
    try:
        value = strict_loads(data, allow_duplicates=True)  # is_canonical catches them
    except RecursionError:
        raise _Refused("out-of-spec", f"{what} is nested far too deeply") from None
    except ValueError as exc:
        raise _Refused("not-a-return", f"{what} is not readable JSON ({exc})") from None
    if not isinstance(value, dict):
        raise _Refused("not-a-return", f"{what} is not a JSON object")
    try:
        check_json_value(value, "")
    except SchemaError as exc:
        raise _Refused("out-of-spec", f"{what} does not follow the format: {exc}") from None
    if not is_canonical(data, value):
        raise _Refused(
            "tampered",
            f"{what} has been re-written since it was signed (it is not in canonical form)",
        )
    return value


def _check_signature(entries: dict[str, bytes]) -> tuple[bytes, str]:
    """The signing key and its fingerprint, once the signature over the manifest's bytes holds."""
    sig = _load_json(entries[SIGNATURE], "the signature part")
    try:
        check_part(SIGNATURE_SCHEMA, sig)
    except SchemaError as exc:
        raise _Refused(
            "not-a-return", f"the signature part is not as format version 1 says: {exc}"
        ) from None
    if sig["algorithm"] != "Ed25519" or sig["context"] != CONTEXT:
        raise _Refused(
            "not-a-return",
            f"the signature is of a kind this program does not check ({sig['algorithm']!r:.40}, "
            f"{sig['context']!r:.40})",
        )
    raw_key = bytes.fromhex(sig["public_key"])
    raw_sig = bytes.fromhex(sig["signature"])
    try:
        check_public_key(raw_key)
    except WeakKey as exc:
        raise _Refused("bad-key", f"{exc}; the file cannot have been signed by a council") from None
    fp = fingerprint(raw_key)
    if sig["key_fingerprint"] != fp:
        raise _Refused("tampered", "the signature names a fingerprint that is not its key's")
    if not signature_holds(raw_key, raw_sig, signed_message(entries[MANIFEST])):
        raise _Refused(
            "bad-signature",
            "the signature does not match: the file was changed after it was signed, "
            "or it was signed by a different key from the one it names",
        )
    return raw_key, fp


def _check_manifest(entries: dict[str, bytes]) -> None:
    """The signed manifest: format version, the three parts in order, each of its size and hash."""
    manifest = _load_json(entries[MANIFEST], "the manifest")
    if manifest.get("format") != FORMAT_NAME:
        raise _Refused("not-a-return", "the manifest does not say this is an lga-desktop return")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise _Refused(
                "unsupported-version",
                f"the return is in format version {version}, made by a newer lga-desktop; "
                f"this program reads version {FORMAT_VERSION}: install the newer version",
            )
        raise _Refused(
            "unsupported-version", f"the return's format version {version!r:.40} is unknown"
        )
    try:
        check_part(MANIFEST_SCHEMA, manifest)
    except SchemaError as exc:
        raise _Refused(
            "not-a-return", f"the manifest is not as format version 1 says: {exc}"
        ) from None
    listed = manifest["parts"]
    names = [p["name"] for p in listed]
    expected = [n for n in ENTRY_ORDER if n not in (MANIFEST, SIGNATURE)]
    if names != expected:
        raise _Refused(
            "not-a-return",
            f"the manifest lists the parts {', '.join(names)[:200]}; a version 1 return has "
            f"exactly {', '.join(expected)}, in that order",
        )
    for part in listed:
        if part["media_type"] != MEDIA_TYPES[part["name"]]:
            raise _Refused(
                "not-a-return",
                f"the manifest gives {part['name']} the media type {part['media_type']!r:.60}, "
                f"not {MEDIA_TYPES[part['name']]}",
            )
    missing = [n for n in names if n not in entries]
    if missing:
        raise _Refused(
            "tampered",
            f"the part {missing[0]} that was signed is missing from the file: "
            "something was removed after signing",
        )
    for part in listed:
        data = entries[part["name"]]
        if part["size"] != len(data) or part["sha256"] != hashlib.sha256(data).hexdigest():
            raise _Refused(
                "tampered",
                f"the part {part['name']} has been changed since the return was signed "
                "(its contents no longer match the signed hash)",
            )


def _check_document(doc: dict[str, Any], raw_key: bytes, fp: str, result: Verification) -> None:
    try:
        check_return(doc)
    except SchemaError as exc:
        raise _Refused(
            "out-of-spec", f"the part return.json does not follow the format: {exc}"
        ) from None
    key = doc["signing_key"]
    if key["public_key"] != raw_key.hex() or key["fingerprint"] != fp:
        raise _Refused(
            "wrong-key",
            f"the return names the key {key['fingerprint']} but was signed with the key {fp}: "
            "it was re-signed by someone else",
        )
    council = council_by_gss(doc["council"]["gss"])
    quarter = parse_quarter(doc["period"]["quarter"])
    signer = doc["declaration"]["signer"]
    result.council_gss = council.gss
    result.council_name = council.official_name
    result.period = str(quarter)
    result.period_key = quarter.key
    result.version = doc["version"]
    result.supersedes_hash = doc["supersedes"]["return_hash"] if doc["supersedes"] else None
    result.signer_name = signer["name"]
    result.signer_role = signer["role"]
    result.signer_email = signer["email"]
    result.signed_at = doc["signed_at"]


def _check_file(data: bytes, result: Verification) -> dict[str, Any]:
    """Steps 1 to 7 of the module notes; the parsed return once all hold, else :class:`_Refused`."""
    listed = read_entries(data, PART_CAPS)
    if not listed or listed[0][0] != "mimetype" or listed[0][1] != MIMETYPE.encode("ascii"):
        raise _Refused(
            "not-a-return",
            "the file is a ZIP but not an lga-desktop return (its first entry is not the "
            f"mimetype {MIMETYPE})",
        )
    if canonical_zip(listed) != data:
        raise _Refused(
            "tampered",
            "the file's ZIP structure was altered after signing (it is not the one canonical "
            "ZIP of its entries, so another ZIP reader could see different contents)",
        )
    entries = dict(listed)
    for required in (MANIFEST, SIGNATURE):
        if required not in entries:
            raise _Refused("not-a-return", f"the file has no {required}, so it cannot be checked")
    raw_key, fp = _check_signature(entries)
    result.key_fingerprint = fp
    _check_manifest(entries)
    if [name for name, _ in listed] != list(ENTRY_ORDER):
        raise _Refused(
            "tampered",
            "the file's entries are not in the order they were signed in: "
            "the file was re-packed after signing",
        )
    doc = _load_json(entries[RETURN_PART], "the part return.json")
    _check_document(doc, raw_key, fp, result)
    if not entries[PDF_PART].startswith(b"%PDF-"):
        raise _Refused("out-of-spec", "the part return.pdf is not a PDF")
    result.return_hash = hashlib.sha256(entries[RETURN_PART]).hexdigest()
    result.document_text = entries[RETURN_PART].decode("utf-8")
    return doc


def verify_bytes(
    data: bytes,
    *,
    trusted: TrustedKeys | None = None,
    path: str | None = None,
    received: date | None = None,
    file_sha256: str | None = None,
) -> Verification:
    """Check a return held in memory. Never raises for a bad file; see :class:`Verification`.

    ``received`` is the day the LGA received the file (today when not given):
    a key revoked "for returns received after" a day is judged against it.
    ``file_sha256``, when the caller has hashed ``data`` already, saves hashing it again.
    """
    result = Verification(path=path, valid=False, status="", reason="")
    result.file_sha256 = file_sha256 or hashlib.sha256(data).hexdigest()
    try:
        doc = _check_file(data, result)
    except ContainerError as exc:
        result.status, result.reason = exc.code, _sentence(str(exc))
        return _not_intact(result)
    except _Refused as exc:
        result.status, result.reason = exc.status, _sentence(exc.reason)
        return _not_intact(result)
    except Exception as exc:  # a hostile file must never become a traceback
        result.status = "unreadable"
        result.reason = _sentence(
            f"the file could not be read as a return ({type(exc).__name__}: {str(exc)[:200]})"
        )
        return _not_intact(result)
    result.intact = True
    result.document = doc
    result.status, result.valid = "valid", True
    _judge_trust(result, trusted, received or date.today())
    return result


def _not_intact(result: Verification) -> Verification:
    """Nothing read from a file that failed is passed on as if it were the council's."""
    kept = {"path", "valid", "status", "reason", "file_sha256", "key_fingerprint"}
    for name in result.__dataclass_fields__:
        if name not in kept and name != "trust":
            setattr(result, name, None if name != "intact" else False)
    return result


def _judge_trust(result: Verification, trusted: TrustedKeys | None, received: date) -> None:
    fp = result.key_fingerprint or ""
    who = f"by {result.council_name}'s key {fp}"
    if trusted is None:
        result.reason = (
            f"The file is intact and was signed {who}. It was not checked against a "
            "trusted-keys list, so whether that key is really the council's is unconfirmed."
        )
        return
    revoked = trusted.revocation(fp)
    if revoked is not None and received > revoked.after:
        result.trust, result.status, result.valid = "revoked", "revoked-key", False
        result.reason = (
            f"The file is intact and signed with the key {fp}, but the LGA revoked that key "
            f"for returns received after {revoked.after:%d %B %Y} ({revoked.reason}); ask the "
            "council to sign the return again with its current key."
        )
    elif fp in trusted.fingerprints_for(result.council_gss or ""):
        result.trust = "trusted"
        result.reason = (
            f"The file is intact and was signed {who}, which is the key trusted for that council."
        )
    elif trusted.knows_council(result.council_gss or ""):
        result.trust, result.status, result.valid = "untrusted", "untrusted-key", False
        result.reason = (
            f"The file is intact, but it was signed with the key {fp}, which is NOT the key "
            f"trusted for {result.council_name}; do not accept it until the council confirms "
            "the key's fingerprint."
        )
    else:
        result.trust, result.status, result.valid = "unknown-council", "unknown-council", False
        result.reason = (
            f"The file is intact and signed with the key {fp}, but no key is trusted yet for "
            f"{result.council_name}; confirm the fingerprint with the council (for example by "
            "phone) and add its key card before accepting the return."
        )


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:] if text else text
    return text if text.endswith(".") else text + "."


def verify_file(
    path: Path | str, *, trusted: TrustedKeys | None = None, received: date | None = None
) -> Verification:
    """Check a return file on disk; a missing or unreadable file is reported, not raised."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Verification(
                str(path),
                False,
                "too-large",
                f"The file is {size // (1024 * 1024)} MB, far larger than a return can be.",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return Verification(str(path), False, "missing", "There is no such file.")
    except IsADirectoryError:
        return Verification(str(path), False, "missing", "That is a folder, not a return file.")
    except OSError as exc:
        return Verification(
            str(path), False, "unreadable", f"The file cannot be read ({exc.strerror})."
        )
    return verify_bytes(data, trusted=trusted, path=str(path), received=received)
