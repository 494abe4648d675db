"""The Ed25519 strictness of a return: which public keys and signatures are refused.

OpenSSL (through ``cryptography``) verifies the RFC 8032 equation but accepts
public keys that no honest signer has: a *small-order* point (order 1, 2, 4
or 8), for which a signature can be made without any private key (the key
``01 00…00`` with the signature ``01 00…00 ‖ 00…00`` "verifies" for every
message), and *non-canonical* encodings (a y coordinate of p or more, or
"-0" for x), which give one key two spellings and so two fingerprints.

So every key that enters lga-desktop (a new key, a key card, an
endorsement, a return) goes through :func:`check_public_key`, and every
signature through :func:`check_signature_encoding`, before the library
verifies the equation. The point is decoded as RFC 8032 section 5.1.3 says,
then multiplied by 8 with a few lines of Edwards arithmetic: a point whose
order divides 8 gives the neutral element. The checks are specified in
``docs/return-format.md`` (section 5), so another verifier refuses the same keys.
"""

from __future__ import annotations

from functools import lru_cache

from lga_desktop.errors import NotValidError

__all__ = [
    "WeakKey",
    "check_public_key",
    "check_signature_encoding",
    "signature_holds",
    "small_order_encodings",
    "P",
    "L",
]

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493  # the order of the base point
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


class WeakKey(NotValidError):
    """A public key or signature that Ed25519 as lga-desktop uses it refuses; says why."""


def _decode_point(raw: bytes) -> tuple[int, int]:
    """RFC 8032 section 5.1.3, refusing every non-canonical encoding."""
    if len(raw) != 32:
        raise WeakKey("the public key is not 32 bytes")
    y = int.from_bytes(raw, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        raise WeakKey("the public key is not in canonical form (its y coordinate is p or more)")
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = (u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P)) % P
    if (v * x * x - u) % P != 0:
        x = (x * SQRT_M1) % P
        if (v * x * x - u) % P != 0:
            raise WeakKey("the public key is not a point on the Ed25519 curve")
    if x == 0 and sign:
        raise WeakKey("the public key is not in canonical form (it encodes x = -0)")
    if x & 1 != sign:
        x = P - x
    return x, y


def _double(pt: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    # extended coordinates (X, Y, Z, T); the addition formula of RFC 8032 section 5.1.4
    x1, y1, z1, t1 = pt
    a = (y1 - x1) * (y1 - x1) % P
    b = (y1 + x1) * (y1 + x1) % P
    c = 2 * D * t1 * t1 % P
    d = 2 * z1 * z1 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


@lru_cache(maxsize=256)
def check_public_key(raw: bytes) -> None:
    """Refuse (:class:`WeakKey`) a key that is not canonical, not on the curve, or of small order."""
    x, y = _decode_point(raw)
    pt = (x, y, 1, x * y % P)
    for _ in range(3):  # [8]P
        pt = _double(pt)
    xx, yy, zz, _t = pt
    if xx % P == 0 and (yy - zz) % P == 0:  # the neutral element (0, 1)
        raise WeakKey(
            "the public key is a point of small order, which needs no private key to "
            "'sign' with; no real key is one"
        )


def check_signature_encoding(signature: bytes) -> None:
    """Refuse a signature whose S half is not reduced (S >= L, RFC 8032 section 5.1.7)
    or whose R half is a point of small order (as libsodium does)."""
    if len(signature) != 64:
        raise WeakKey("the signature is not 64 bytes")
    if int.from_bytes(signature[32:], "little") >= L:
        raise WeakKey("the signature is not in canonical form (its S half is L or more)")
    if signature[:32] in _small_order_set():
        raise WeakKey("the signature's R half is a point of small order")


def signature_holds(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is ``public_key``'s over ``message``, strictly: the signature's
    encoding checked first (:func:`check_signature_encoding`), then plain Ed25519. The key
    itself is the caller's to check first (:func:`check_public_key`), to say why it is refused."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        check_signature_encoding(signature)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, WeakKey, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def _small_order_set() -> frozenset[bytes]:
    return frozenset(small_order_encodings())


def small_order_encodings() -> list[bytes]:
    """Every 32-byte string that decodes (leniently) to a point of small order.

    The eight canonical encodings, and the non-canonical ones (y + p for the
    y values 0 and 1 that leave room below 2**255, and "-0"): the keys a
    trusted-keys list can never hold a fingerprint of.
    """
    ys = [0, 1, P - 1]
    order8 = bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")
    y8 = int.from_bytes(order8, "little")
    ys += [y8, P - y8]
    found = set()
    for y in ys + [y + P for y in ys if y + P < 2**255]:
        for sign in (0, 1):
            found.add((y | sign << 255).to_bytes(32, "little"))
    return sorted(found)
