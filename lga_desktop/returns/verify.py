"""Checking a return file: is it intact, who signed it, and is that the council's trusted key?

:func:`verify_bytes` / :func:`verify_file` never raise for a bad file: they
return a :class:`Verification` whose ``reason`` says in words what is wrong.
The LGA's consolidation calls the same functions.

The checks, in order (each failure stops the rest; ``status`` names it):

1. the container: size, ZIP structure, safe names, stored entries (``damaged``,
   ``unsafe``, ``not-a-return``, ``too-large``);
2. ``mimetype`` first and right; manifest and signature present and well formed
   (``not-a-return``), the format version one this program reads
   (``unsupported-version``);
3. the Ed25519 signature over the manifest (``bad-signature``);
4. the parts: exactly those the manifest lists, each of its size and hash
   (``tampered``);
5. ``return.json`` well formed and naming the key that signed it (``tampered``,
   ``wrong-key``);
6. the file is byte for byte the canonical ZIP of its parts (``tampered``);
7. against a trusted-keys list, when one is given: the key is one the LGA
   holds for that council (``untrusted-key``, ``unknown-council``).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lga_desktop.councils import council_by_gss
from lga_desktop.errors import LgaError
from lga_desktop.periods import PeriodError, parse_quarter
from lga_desktop.returns.canonical import is_canonical, strict_loads
from lga_desktop.returns.container import (
    MAX_FILE_BYTES,
    ContainerError,
    canonical_zip,
    read_entries,
)
from lga_desktop.returns.fileformat import (
    CONTEXT,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    MIMETYPE,
    PDF_PART,
    RETURN_PART,
    SIGNATURE,
    signed_message,
)
from lga_desktop.returns.keys import fingerprint
from lga_desktop.returns.trust import TrustedKeys

__all__ = ["Verification", "verify_bytes", "verify_file"]


@dataclass
class Verification:
    """The outcome of checking one return file, in words and in fields."""

    path: str | None
    valid: bool
    status: str  # "valid", or what failed (see the module notes)
    reason: str  # one or two sentences an officer or LGA staff member understands
    intact: bool = False  # signature and every part check out
    trust: str = "not-checked"  # "trusted", "untrusted", "unknown-council" or "not-checked"
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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("document")
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
    try:
        value = strict_loads(data, allow_duplicates=True)  # is_canonical catches them
    except ValueError as exc:
        raise _Refused("not-a-return", f"{what} is not readable JSON ({exc})") from None
    if not isinstance(value, dict):
        raise _Refused("not-a-return", f"{what} is not a JSON object")
    return value


def _hex(value: Any, nbytes: int, what: str) -> bytes:
    # only lower-case hex that re-encodes to itself: no two spellings of one value
    if not isinstance(value, str) or len(value) != 2 * nbytes:
        raise _Refused("not-a-return", f"the {what} is not {nbytes} bytes of hex")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise _Refused("not-a-return", f"the {what} is not hex") from None
    if raw.hex() != value:
        raise _Refused("tampered", f"the {what} is not written in its one canonical form")
    return raw


def _require_canonical(data: bytes, value: Any, part: str) -> None:
    if not is_canonical(data, value):
        raise _Refused(
            "tampered",
            f"{part} has been re-written since it was signed (it is not in canonical form)",
        )


def _check_signature(entries: dict[str, bytes]) -> tuple[dict[str, Any], bytes, str]:
    manifest_bytes = entries[MANIFEST]
    manifest = _load_json(manifest_bytes, "the manifest")
    if manifest.get("format") != FORMAT_NAME:
        raise _Refused("not-a-return", "the manifest does not say this is an lga-desktop return")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise _Refused(
                "unsupported-version",
                f"the return is in format version {version}, made by a newer lga-desktop; "
                f"this program reads version {FORMAT_VERSION}: install the newer version",
            )
        raise _Refused("unsupported-version", f"the return's format version {version!r} is unknown")
    sig = _load_json(entries[SIGNATURE], "the signature")
    if set(sig) != {"algorithm", "context", "public_key", "key_fingerprint", "signature"}:
        raise _Refused(
            "not-a-return", "the signature part is not laid out as format version 1 says"
        )
    if sig["algorithm"] != "Ed25519" or sig["context"] != CONTEXT:
        raise _Refused(
            "not-a-return",
            f"the signature is of a kind this program does not check ({sig['algorithm']!r}, "
            f"{sig['context']!r})",
        )
    raw_key = _hex(sig["public_key"], 32, "signing key")
    raw_sig = _hex(sig["signature"], 64, "signature")
    fp = fingerprint(raw_key)
    if sig["key_fingerprint"] != fp:
        raise _Refused("tampered", "the signature names a fingerprint that is not its key's")
    _require_canonical(entries[SIGNATURE], sig, "the signature part")
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(raw_sig, signed_message(manifest_bytes))
    except (InvalidSignature, ValueError):
        raise _Refused(
            "bad-signature",
            "the signature does not match: the file was changed after it was signed, "
            "or it was signed by a different key from the one it names",
        ) from None
    _require_canonical(manifest_bytes, manifest, "the manifest")
    return manifest, raw_key, fp


def _check_parts(manifest: dict[str, Any], entries: dict[str, bytes]) -> None:
    listed = manifest.get("parts")
    if not isinstance(listed, list) or not listed:
        raise _Refused("not-a-return", "the manifest lists no parts")
    names = []
    for part in listed:
        if not isinstance(part, dict) or not isinstance(part.get("name"), str):
            raise _Refused("not-a-return", "the manifest lists a part without a name")
        names.append(part["name"])
    if len(set(names)) != len(names):
        raise _Refused("not-a-return", "the manifest lists a part twice")
    for required in ("mimetype", RETURN_PART, PDF_PART):
        if required not in names:
            raise _Refused(
                "not-a-return", f"the manifest does not list {required}, which every return has"
            )
    present = set(entries) - {MANIFEST, SIGNATURE}
    extra = sorted(present - set(names))
    if extra:
        raise _Refused(
            "tampered",
            f"the file holds a part that was not signed ({', '.join(extra)}): "
            "something was added after signing",
        )
    missing = [n for n in names if n not in present]
    if missing:
        raise _Refused(
            "tampered",
            f"the part {missing[0]} that was signed is missing from the file: "
            "something was removed after signing",
        )
    for part in listed:
        data = entries[part["name"]]
        if part.get("size") != len(data) or part.get("sha256") != hashlib.sha256(data).hexdigest():
            raise _Refused(
                "tampered",
                f"the part {part['name']} has been changed since the return was signed "
                "(its contents no longer match the signed hash)",
            )


def _check_document(doc: dict[str, Any], raw_key: bytes, fp: str, result: Verification) -> None:
    if doc.get("format") != FORMAT_NAME or doc.get("format_version") != FORMAT_VERSION:
        raise _Refused("not-a-return", "the part return.json does not say it is a version 1 return")
    try:
        council = council_by_gss(doc["council"]["gss"])
        quarter = parse_quarter(doc["period"]["quarter"])
        key = doc["signing_key"]
        signer = doc["declaration"]["signer"]
        version = doc["version"]
        supersedes = doc.get("supersedes")
        if not isinstance(version, int) or version < 1:
            raise ValueError("the version number is not a positive whole number")
        if (version == 1) != (supersedes is None):
            raise ValueError("the version number and what it supersedes disagree")
        result.council_gss = council.gss
        result.council_name = council.official_name
        result.period = str(quarter)
        result.period_key = quarter.key
        result.version = version
        result.supersedes_hash = supersedes["return_hash"] if supersedes else None
        result.signer_name = str(signer["name"])
        result.signer_role = str(signer["role"])
        result.signer_email = str(signer.get("email", ""))
        result.signed_at = str(doc["signed_at"])
        if doc["period"]["key"] != quarter.key:
            raise ValueError("the period's key and its name disagree")
    except (KeyError, TypeError, ValueError, PeriodError, LgaError) as exc:
        raise _Refused(
            "not-a-return", f"the part return.json is not a complete return ({exc})"
        ) from None
    if key.get("public_key") != raw_key.hex() or key.get("fingerprint") != fp:
        raise _Refused(
            "wrong-key",
            f"the return names the key {key.get('fingerprint')} but was signed with the key {fp}: "
            "it was re-signed by someone else",
        )


def verify_bytes(
    data: bytes, *, trusted: TrustedKeys | None = None, path: str | None = None
) -> Verification:
    """Check a return held in memory. Never raises for a bad file; see :class:`Verification`."""
    result = Verification(path=path, valid=False, status="", reason="")
    result.file_sha256 = hashlib.sha256(data).hexdigest()
    try:
        listed = read_entries(data)
        if not listed or listed[0][0] != "mimetype" or listed[0][1] != MIMETYPE.encode("ascii"):
            raise _Refused(
                "not-a-return",
                "the file is a ZIP but not an lga-desktop return (its first entry is not the "
                f"mimetype {MIMETYPE})",
            )
        entries = dict(listed)
        for required in (MANIFEST, SIGNATURE):
            if required not in entries:
                raise _Refused(
                    "not-a-return", f"the file has no {required}, so it cannot be checked"
                )
        manifest, raw_key, fp = _check_signature(entries)
        result.key_fingerprint = fp
        _check_parts(manifest, entries)
        doc = _load_json(entries[RETURN_PART], "the part return.json")
        _require_canonical(entries[RETURN_PART], doc, "the part return.json")
        _check_document(doc, raw_key, fp, result)
        result.return_hash = hashlib.sha256(entries[RETURN_PART]).hexdigest()
        order = [("mimetype", entries["mimetype"]), (MANIFEST, entries[MANIFEST])]
        order += [(SIGNATURE, entries[SIGNATURE])]
        order += [
            (p["name"], entries[p["name"]]) for p in manifest["parts"] if p["name"] != "mimetype"
        ]
        if canonical_zip(order) != data:
            raise _Refused(
                "tampered",
                "the file's ZIP structure was altered after signing (the signed contents are "
                "intact, but the file is not as it was made)",
            )
    except ContainerError as exc:
        result.status, result.reason = exc.code, _sentence(str(exc))
        return result
    except _Refused as exc:
        result.status, result.reason = exc.status, _sentence(exc.reason)
        return result
    except Exception as exc:  # a hostile file must never become a traceback
        result.status = "unreadable"
        result.reason = _sentence(
            f"the file could not be read as a return ({type(exc).__name__}: {exc})"
        )
        return result
    result.intact = True
    result.document = doc
    result.status, result.valid = "valid", True
    who = f"by {result.council_name}'s key {fp}"
    if trusted is None:
        result.reason = (
            f"The file is intact and was signed {who}. It was not checked against a "
            "trusted-keys list, so whether that key is really the council's is unconfirmed."
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
            "the key's fingerprint"
        ) + "."
    else:
        result.trust, result.status, result.valid = "unknown-council", "unknown-council", False
        result.reason = (
            f"The file is intact and signed with the key {fp}, but no key is trusted yet for "
            f"{result.council_name}; confirm the fingerprint with the council (for example by "
            "phone) and add its key card before accepting the return."
        )
    return result


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:] if text else text
    return text if text.endswith(".") else text + "."


def verify_file(path: Path | str, *, trusted: TrustedKeys | None = None) -> Verification:
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
    return verify_bytes(data, trusted=trusted, path=str(path))
