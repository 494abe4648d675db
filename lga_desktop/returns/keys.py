"""The council's signing key: Ed25519, its private half locked with the officer's passphrase.

Why scrypt + AES-256-GCM rather than an encrypted PKCS#8 file: OpenSSL's
PKCS#8 encryption stretches the passphrase with a few thousand PBKDF2 rounds,
which a stolen laptop's attacker tries billions of times a second; scrypt
(N=2**17, r=8, p=1, about half a second and 128 MiB here) makes each guess
cost memory as well as time. AES-GCM tells a wrong passphrase apart from a
damaged key for free (the tag fails), and binds the ciphertext to its public
key through the associated data, so a locked key cannot be swapped under
another key's record. The parameters are stored with each key, so they can
be raised later without breaking old keys.

The fingerprint is the first 128 bits of SHA-256 over the 32-byte raw public
key, as 32 upper-case hex digits in eight groups of four: ``3F2A 9C01 ...``.
Hex, because its sixteen symbols survive being read out on the phone (no
O/0 or I/1 to confuse), and 128 bits, because a forger would need a second
key matching one particular council's fingerprint: 2**128 tries.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from lga_desktop.errors import LgaError, UsageError
from lga_desktop.returns.ed25519 import check_public_key, check_signature_encoding
from lga_desktop.workspace import Workspace

__all__ = [
    "KeyError_",
    "WrongPassphrase",
    "NoKey",
    "SigningKey",
    "fingerprint",
    "normalise_fingerprint",
    "format_fingerprint",
    "public_key_hex",
    "current_key",
    "all_keys",
    "create_key",
    "unlock",
    "change_passphrase",
    "rotate_key",
    "check_passphrase_strength",
    "ROTATION_CONTEXT",
]

# scrypt cost; stored with each key, so raising it later keeps old keys readable
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE = 10

# An old key vouches for its successor by signing this, a NUL, and the new raw key.
ROTATION_CONTEXT = "lga-desktop key rotation v1"


class KeyError_(LgaError):  # noqa: N801  (KeyError is Python's)
    """A problem with the signing key, in words."""


class WrongPassphrase(KeyError_):
    def __init__(self) -> None:
        super().__init__(
            "That passphrase does not unlock this workspace's signing key; check Caps Lock "
            "and try again (nothing was signed)"
        )


class NoKey(KeyError_):
    def __init__(self) -> None:
        super().__init__(
            "This workspace has no signing key yet; create one first "
            "(Returns > Create signing key, or 'lga-desktop keygen WORKSPACE')"
        )


def fingerprint(raw_public_key: bytes) -> str:
    """``3F2A 9C01 ...``: eight groups of four hex digits (see the module notes)."""
    return format_fingerprint(hashlib.sha256(raw_public_key).hexdigest()[:32])


def format_fingerprint(hex32: str) -> str:
    h = hex32.upper()
    return " ".join(h[i : i + 4] for i in range(0, 32, 4))


_FP_JUNK = re.compile(r"[\s:\-]", re.ASCII)


def normalise_fingerprint(text: str) -> str:
    """Accept a fingerprint as people write it (spaces, dashes, lower case); return the grouped form."""
    h = _FP_JUNK.sub("", text).upper()
    if not re.fullmatch(r"[0-9A-F]{32}", h):
        raise UsageError(
            f"{text!r} is not a key fingerprint (it is 32 letters and digits 0-9, A-F, "
            "in eight groups of four)"
        )
    return format_fingerprint(h)


def raw_public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return raw_public_bytes(pub).hex()


@dataclass(frozen=True)
class SigningKey:
    """A key as the workspace records it (never the private half in clear)."""

    fingerprint: str
    public_key_hex: str
    created_at: str
    created_by: str
    retired_at: str | None
    replaced_by: str | None
    endorsement: dict | None
    has_private: bool

    @property
    def active(self) -> bool:
        return self.retired_at is None

    @property
    def raw_public_key(self) -> bytes:
        return bytes.fromhex(self.public_key_hex)


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def _nfc(passphrase: str) -> bytes:
    # the same passphrase typed on another keyboard may arrive composed differently
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError(
            f"A passphrase needs at least {MIN_PASSPHRASE} characters; "
            "a short sentence you will remember works well"
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def lock_private_key(private: Ed25519PrivateKey, passphrase: str) -> str:
    """The private key's 32-byte seed, encrypted with ``passphrase``, as a JSON text."""
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(_nfc(passphrase))
    aad = raw_public_bytes(private.public_key())
    return json.dumps(
        {
            "kdf": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": _b64(salt),
            "cipher": "AES-256-GCM",
            "nonce": _b64(nonce),
            "ciphertext": _b64(AESGCM(key).encrypt(nonce, seed, aad)),
        },
        sort_keys=True,
    )


def unlock_private_key(locked: str, public_key_hex_: str, passphrase: str) -> Ed25519PrivateKey:
    try:
        blob = json.loads(locked)
        kdf = Scrypt(
            salt=base64.b64decode(blob["salt"]),
            length=32,
            n=int(blob["n"]),
            r=int(blob["r"]),
            p=int(blob["p"]),
        )
        key = kdf.derive(_nfc(passphrase))
        aad = bytes.fromhex(public_key_hex_)
        seed = AESGCM(key).decrypt(
            base64.b64decode(blob["nonce"]), base64.b64decode(blob["ciphertext"]), aad
        )
    except InvalidTag:
        raise WrongPassphrase() from None
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyError_(
            f"The stored signing key is damaged ({exc}); restore the workspace from a backup"
        ) from None
    private = Ed25519PrivateKey.from_private_bytes(seed)
    if public_key_hex(private) != public_key_hex_:  # pragma: no cover - GCM's tag covers this
        raise KeyError_("The stored signing key does not match its public key")
    return private


def _row_to_key(row: dict) -> SigningKey:
    return SigningKey(
        fingerprint=row["fingerprint"],
        public_key_hex=row["public_key"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        retired_at=row["retired_at"],
        replaced_by=row["replaced_by"],
        endorsement=json.loads(row["endorsement"]) if row["endorsement"] else None,
        has_private=row["encrypted_private_key"] is not None,
    )


def all_keys(ws: Workspace) -> list[SigningKey]:
    """Every key the workspace has had, newest first."""
    rows = ws.db.execute_returning_dicts(
        "SELECT * FROM signing_keys ORDER BY created_at DESC, rowid DESC"
    )
    return [_row_to_key(r) for r in rows]


def current_key(ws: Workspace) -> SigningKey | None:
    """The key returns are signed with now, or ``None`` before the first is made."""
    rows = ws.db.execute_returning_dicts(
        "SELECT * FROM signing_keys WHERE retired_at IS NULL ORDER BY rowid DESC LIMIT 1"
    )
    return _row_to_key(rows[0]) if rows else None


def _insert(
    ws: Workspace,
    private: Ed25519PrivateKey,
    passphrase: str,
    created_by: str,
    endorsement: dict | None = None,
) -> SigningKey:
    pub_hex = public_key_hex(private)
    check_public_key(bytes.fromhex(pub_hex))  # never fails for a generated key; cheap to be sure
    fp = fingerprint(bytes.fromhex(pub_hex))
    ws.db.execute(
        "INSERT INTO signing_keys (fingerprint, public_key, encrypted_private_key, created_at, "
        "created_by, endorsement) VALUES (?, ?, ?, ?, ?, ?)",
        [
            fp,
            pub_hex,
            lock_private_key(private, passphrase),
            _now(),
            created_by,
            json.dumps(endorsement, sort_keys=True) if endorsement else None,
        ],
    )
    key = current_key(ws)
    assert key is not None and key.fingerprint == fp
    return key


def create_key(ws: Workspace, passphrase: str, *, created_by: str = "") -> SigningKey:
    """Make the workspace's first signing key; refuses when one exists (rotate instead)."""
    check_passphrase_strength(passphrase)
    existing = current_key(ws)
    if existing is not None:
        raise UsageError(
            f"This workspace already has a signing key ({existing.fingerprint}); "
            "to replace it, rotate the key"
        )
    if not created_by and ws.officer:
        created_by = ws.officer.name
    with ws.atomic():
        return _insert(ws, Ed25519PrivateKey.generate(), passphrase, created_by)


def _locked(ws: Workspace, key: SigningKey) -> str:
    row = ws.db.execute(
        "SELECT encrypted_private_key FROM signing_keys WHERE fingerprint = ?", [key.fingerprint]
    ).fetchone()
    if row is None or row[0] is None:  # pragma: no cover - only retired keys lose it
        raise KeyError_(f"The private half of key {key.fingerprint} is no longer kept")
    return row[0]


def unlock(ws: Workspace, passphrase: str) -> tuple[Ed25519PrivateKey, SigningKey]:
    """The current private key, unlocked; :class:`WrongPassphrase` or :class:`NoKey` otherwise."""
    key = current_key(ws)
    if key is None:
        raise NoKey()
    return unlock_private_key(_locked(ws, key), key.public_key_hex, passphrase), key


def change_passphrase(ws: Workspace, old: str, new: str) -> SigningKey:
    """Lock the same key with a new passphrase (the key and its fingerprint do not change)."""
    check_passphrase_strength(new)
    private, key = unlock(ws, old)
    with ws.atomic():
        ws.db.execute(
            "UPDATE signing_keys SET encrypted_private_key = ? WHERE fingerprint = ?",
            [lock_private_key(private, new), key.fingerprint],
        )
    return key


def endorsement_message(new_raw_public_key: bytes) -> bytes:
    return ROTATION_CONTEXT.encode("utf-8") + b"\x00" + new_raw_public_key


def check_endorsement(endorsement: dict, new_raw_public_key: bytes) -> str:
    """The old key's fingerprint when its endorsement of the new key is genuine; else raises."""
    try:
        if endorsement.get("context") != ROTATION_CONTEXT:
            raise ValueError("not a rotation endorsement")
        old = bytes.fromhex(endorsement["public_key"])
        sig = bytes.fromhex(endorsement["signature"])
        check_public_key(old)
        check_signature_encoding(sig)
        Ed25519PublicKey.from_public_bytes(old).verify(sig, endorsement_message(new_raw_public_key))
        if normalise_fingerprint(endorsement["fingerprint"]) != fingerprint(old):
            raise ValueError("its fingerprint is not its key's")
    except (InvalidSignature, KeyError, TypeError, ValueError, AttributeError, LgaError):
        raise KeyError_("the previous key's endorsement of this key does not verify") from None
    return fingerprint(old)


def rotate_key(
    ws: Workspace, old_passphrase: str, new_passphrase: str, *, created_by: str = ""
) -> SigningKey:
    """Replace the current key with a new one.

    The old key signs an endorsement of the new one (so the LGA can see the
    change was made by whoever held the old key), is marked retired, and its
    private half is erased so it can sign nothing more. Its public half stays:
    returns signed with it remain verifiable against the trusted list.
    """
    check_passphrase_strength(new_passphrase)
    old_private, old = unlock(ws, old_passphrase)
    new_private = Ed25519PrivateKey.generate()
    new_raw = raw_public_bytes(new_private.public_key())
    endorsement = {
        "context": ROTATION_CONTEXT,
        "fingerprint": old.fingerprint,
        "public_key": old.public_key_hex,
        "signature": old_private.sign(endorsement_message(new_raw)).hex(),
    }
    if not created_by and ws.officer:
        created_by = ws.officer.name
    with ws.atomic():
        ws.db.execute(
            "UPDATE signing_keys SET retired_at = ?, replaced_by = ?, encrypted_private_key = NULL "
            "WHERE fingerprint = ?",
            [_now(), fingerprint(new_raw), old.fingerprint],
        )
        return _insert(ws, new_private, new_passphrase, created_by, endorsement)
