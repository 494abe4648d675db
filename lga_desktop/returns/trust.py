"""Which key the LGA trusts for each council: the trusted-keys file and key cards.

A council's key becomes trusted when LGA staff confirm its fingerprint, for
example read out on the phone, and add it to their trusted-keys file. The
file is JSON (what ``lga-desktop trust-key`` writes)::

    {"format": "lga-desktop trusted keys", "format_version": 1,
     "councils": {"E07000178": [{"fingerprint": "3F2A 9C01 ...",
                                 "note": "confirmed by phone, 3 Oct 2012"}]}}

or, for anyone keeping it in a spreadsheet, CSV with a header row
``gss,fingerprint`` (an optional ``note`` column). A council may have more
than one trusted key: after a rotation both stay, so returns signed with
the old key still verify.

A trusted key can be **revoked** (``lga-desktop revoke-key``): the entry
gains ``"revoked": {"after": "2013-01-31", "reason": "..."}`` (in CSV, the
columns ``revoked_after`` and ``revoked_reason``), and a return signed with
that key and received after that day is refused, whatever date it claims to
have been signed on (the signer writes ``signed_at``; the LGA knows when it
received the file). Returns received before stay accepted.

A **key card** (``.lgakey``) is the small JSON file a council sends the LGA
with its public key; ``trust-key`` adds one to the trusted-keys file once
its fingerprint has been confirmed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from lga_desktop.atomic_write import write_bytes
from lga_desktop.councils import council_by_gss
from lga_desktop.errors import LgaError, UsageError
from lga_desktop.returns.canonical import strict_loads
from lga_desktop.returns.ed25519 import check_public_key, small_order_encodings
from lga_desktop.returns.keys import (
    SigningKey,
    check_endorsement,
    fingerprint,
    normalise_fingerprint,
)

__all__ = [
    "TrustedKeys",
    "Revocation",
    "KeyCard",
    "load_trusted_keys",
    "key_card_for",
    "read_key_card",
    "KEY_CARD_SUFFIX",
]

TRUSTED_FORMAT = "lga-desktop trusted keys"
KEY_CARD_FORMAT = "lga-desktop key card"
KEY_CARD_SUFFIX = ".lgakey"
MAX_TRUST_FILE = 5 * 1024 * 1024


@cache
def _weak_fingerprints() -> frozenset[str]:
    return frozenset(fingerprint(raw) for raw in small_order_encodings())


def check_trustable(fp: str) -> str:
    """The grouped fingerprint, unless it is that of a key no council can have (small order)."""
    fp = normalise_fingerprint(fp)
    if fp in _weak_fingerprints():
        raise UsageError(
            f"{fp} is the fingerprint of a key of small order, with which anyone can sign; "
            "it can never be trusted"
        )
    return fp


@dataclass(frozen=True)
class Revocation:
    """A key is not valid for returns received after ``after``, for ``reason``."""

    after: date
    reason: str

    def to_json(self) -> dict:
        return {"after": self.after.isoformat(), "reason": self.reason}


def parse_revocation(after: str, reason: str) -> Revocation:
    try:
        day = date.fromisoformat(str(after).strip())
    except ValueError:
        raise UsageError(f"{after!r} is not a date written YYYY-MM-DD") from None
    if not str(reason).strip():
        raise UsageError("say why the key is revoked (a reason is kept with it)")
    return Revocation(day, str(reason).strip())


@dataclass
class TrustedKeys:
    """Council GSS code -> the fingerprints trusted for it (grouped form), with notes.

    ``revoked``: fingerprint -> :class:`Revocation`, for keys no longer valid
    for returns received after a day.
    """

    councils: dict[str, dict[str, str]] = field(default_factory=dict)
    revoked: dict[str, Revocation] = field(default_factory=dict)

    def revocation(self, fp: str) -> Revocation | None:
        return self.revoked.get(fp)

    def revoke(self, fp: str, revocation: Revocation) -> list[str]:
        """Revoke a trusted key; the councils it was trusted for (UsageError if none)."""
        fp = normalise_fingerprint(fp)
        holders = sorted(gss for gss, keys in self.councils.items() if fp in keys)
        if not holders:
            raise UsageError(f"no council's trusted key has the fingerprint {fp}; nothing revoked")
        self.revoked[fp] = revocation
        return holders

    def fingerprints_for(self, gss: str) -> set[str]:
        return set(self.councils.get(gss.upper(), {}))

    def knows_council(self, gss: str) -> bool:
        return bool(self.councils.get(gss.upper()))

    def add(self, gss: str, fp: str, note: str = "") -> bool:
        """Trust ``fp`` for the council; False when it already was."""
        council = council_by_gss(gss)
        fp = check_trustable(fp)
        keys = self.councils.setdefault(council.gss, {})
        if fp in keys:
            return False
        keys[fp] = note
        return True

    def to_json(self) -> dict:
        return {
            "format": TRUSTED_FORMAT,
            "format_version": 1,
            "councils": {
                gss: [self._entry(fp, note) for fp, note in sorted(keys.items())]
                for gss, keys in sorted(self.councils.items())
            },
        }

    def _entry(self, fp: str, note: str) -> dict:
        entry: dict = {"fingerprint": fp, "note": note}
        if fp in self.revoked:
            entry["revoked"] = self.revoked[fp].to_json()
        return entry

    def save(self, path: Path | str) -> None:
        """Write atomically, so a crash never leaves the LGA with half a trust list."""
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        write_bytes(path, text.encode("utf-8"), what="The trusted keys")

    @classmethod
    def from_keys(cls, gss: str, keys: list[SigningKey]) -> TrustedKeys:
        """The keys a workspace itself has had: what the window trusts for its own council."""
        trusted = cls()
        for key in keys:
            trusted.add(gss, key.fingerprint, "this workspace's own key")
        return trusted


def load_trusted_keys(path: Path | str) -> TrustedKeys:
    """Read a trusted-keys file (JSON or CSV); :class:`UsageError` saying what is wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"there is no trusted-keys file at {path}") from None
    except OSError as exc:
        raise UsageError(f"the trusted-keys file {path} cannot be read ({exc.strerror})") from None
    if len(data) > MAX_TRUST_FILE:
        raise UsageError(f"{path.name} is too large to be a trusted-keys file")
    text = data.decode("utf-8-sig", errors="replace").strip()
    trusted = TrustedKeys()
    try:
        if text.startswith("{"):
            doc = strict_loads(text.encode("utf-8"))
            if doc.get("format") != TRUSTED_FORMAT:
                raise ValueError("it does not say it is an lga-desktop trusted-keys file")
            if doc.get("format_version") != 1:
                raise ValueError(f"its format version {doc.get('format_version')} is not 1")
            for gss, entries in doc["councils"].items():
                for entry in entries:
                    trusted.add(gss, entry["fingerprint"], entry.get("note", ""))
                    if entry.get("revoked") is not None:
                        revoked = entry["revoked"]
                        trusted.revoke(
                            entry["fingerprint"],
                            parse_revocation(revoked["after"], revoked["reason"]),
                        )
        else:
            rows = csv.DictReader(io.StringIO(text))
            if not rows.fieldnames or not {"gss", "fingerprint"} <= set(rows.fieldnames):
                raise ValueError("a CSV trusted-keys file needs the columns gss and fingerprint")
            for line, row in enumerate(rows, start=2):
                try:
                    trusted.add(row["gss"] or "", row["fingerprint"] or "", row.get("note") or "")
                    if (row.get("revoked_after") or "").strip():
                        trusted.revoke(
                            row["fingerprint"] or "",
                            parse_revocation(row["revoked_after"], row.get("revoked_reason") or ""),
                        )
                except UsageError as exc:
                    raise ValueError(f"line {line}: {exc}") from None
    except UsageError as exc:
        raise UsageError(f"{path.name}: {exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{path.name} is not a usable trusted-keys file: {exc}") from None
    return trusted


@dataclass(frozen=True)
class KeyCard:
    council_gss: str
    council_name: str
    public_key_hex: str
    fingerprint: str
    created_at: str
    created_by: str
    endorsed_by: str | None  # fingerprint of the retired key that vouched for this one
    endorsement: dict | None = None

    def to_json(self) -> dict:
        return {
            "format": KEY_CARD_FORMAT,
            "format_version": 1,
            "council": {"gss": self.council_gss, "name": self.council_name},
            "algorithm": "Ed25519",
            "public_key": self.public_key_hex,
            "fingerprint": self.fingerprint,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "endorsement": self.endorsement,
        }


def key_card_for(gss: str, key: SigningKey) -> KeyCard:
    council = council_by_gss(gss)
    return KeyCard(
        council_gss=council.gss,
        council_name=council.official_name,
        public_key_hex=key.public_key_hex,
        fingerprint=key.fingerprint,
        created_at=key.created_at,
        created_by=key.created_by,
        endorsed_by=key.endorsement["fingerprint"] if key.endorsement else None,
        endorsement=key.endorsement,
    )


def read_key_card(path: Path | str) -> KeyCard:
    """Read and check a key card: the fingerprint must be the public key's, any endorsement genuine."""
    path = Path(path)
    try:
        data = path.read_bytes()
        if len(data) > 64 * 1024:
            raise ValueError("it is far larger than a key card")
        doc = strict_loads(data)
        if doc.get("format") != KEY_CARD_FORMAT:
            raise ValueError("it does not say it is an lga-desktop key card")
        if doc.get("format_version") != 1 or doc.get("algorithm") != "Ed25519":
            raise ValueError("it is of a version or algorithm this program does not know")
        raw = bytes.fromhex(doc["public_key"])
        if len(raw) != 32 or raw.hex() != doc["public_key"]:
            raise ValueError("its public key is not 32 bytes of lower-case hex")
        check_public_key(raw)
        gss = council_by_gss(doc["council"]["gss"]).gss
        fp = fingerprint(raw)
        if normalise_fingerprint(doc["fingerprint"]) != fp:
            raise ValueError("its fingerprint is not that of the public key it carries")
        endorsement = doc.get("endorsement")
        endorsed_by = check_endorsement(endorsement, raw) if endorsement else None
    except FileNotFoundError:
        raise UsageError(f"there is no key card at {path}") from None
    except (ValueError, KeyError, TypeError, AttributeError, LgaError) as exc:
        raise UsageError(f"{path.name} is not a usable key card: {exc}") from None
    except OSError as exc:
        raise UsageError(f"the key card {path} cannot be read ({exc.strerror})") from None
    return KeyCard(
        council_gss=gss,
        council_name=doc["council"].get("name", ""),
        public_key_hex=raw.hex(),
        fingerprint=fp,
        created_at=str(doc.get("created_at", "")),
        created_by=str(doc.get("created_by", "")),
        endorsed_by=endorsed_by,
        endorsement=endorsement,
    )


def write_key_card(card: KeyCard, path: Path | str) -> Path:
    path = Path(path)
    path.write_text(json.dumps(card.to_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def today_note(prefix: str = "added") -> str:
    return f"{prefix} {datetime.now(UTC).astimezone():%d %b %Y}"
