"""Canonical JSON: the one byte form of a value, so the same return always hashes the same.

Keys sorted by code point, no whitespace, UTF-8 (not ``\\u`` escapes), and no
floating-point numbers at all: money is integer pence and quantities are
integers or decimal text (house rule 2), and a float's digits are the one
thing two JSON libraries never agree on. Integers are kept within +/-2**53 so
that a verifier written in JavaScript reads them exactly.

Verifiers never need to re-create these bytes: they hash what is in the file.
Canonical form is what makes a writer reproducible (the test vectors) and
lets the reader refuse a part that was re-serialised after signing.
"""

from __future__ import annotations

import json
from typing import Any

from lga_desktop.errors import LgaError

__all__ = ["CanonicalError", "canonical_bytes", "serialise", "strict_loads", "is_canonical"]

MAX_SAFE_INTEGER = 2**53 - 1


class CanonicalError(LgaError):
    """A value that cannot go into a return as it stands; the message names where."""


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"{path} is {value}, larger than a return can carry exactly")
        return
    if isinstance(value, float):
        raise CanonicalError(
            f"{path} is a floating-point number ({value!r}); a return carries money as "
            "integer pence and quantities as whole numbers or decimal text"
        )
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"{path} has a key that is not text ({key!r})")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    raise CanonicalError(f"{path} is a {type(value).__name__}, which JSON cannot hold")


def canonical_bytes(value: Any, *, where: str = "the return") -> bytes:
    """The canonical UTF-8 JSON bytes of ``value``; :class:`CanonicalError` if it cannot be."""
    _check(value, where)
    return serialise(value)


def serialise(value: Any) -> bytes:
    """The canonical bytes of an already-checked value (readers compare with these; tests use
    them to write values the writer would refuse). Raises ``ValueError`` (a float that is
    NaN, a lone surrogate) rather than write something that is not canonical JSON."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def is_canonical(data: bytes, value: Any) -> bool:
    """Whether ``data`` is exactly the canonical form of ``value``, as parsed from it.

    For reading, where speed matters (a return can be megabytes): parsing with
    :func:`strict_loads` has already refused floats and NaN, and a duplicated
    key cannot survive the comparison, since the parsed value has one key fewer.
    """
    try:
        return serialise(value) == data
    except ValueError:  # UnicodeEncodeError too: a lone surrogate is not text
        return False


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _refuse_float(text: str) -> Any:
    raise ValueError(f"the number {text} is not a whole number")


def strict_loads(data: bytes, *, allow_duplicates: bool = False) -> Any:
    """Parse JSON from a file someone else made: UTF-8 only, no duplicate keys, no floats.

    Raises ``ValueError`` (including ``UnicodeDecodeError`` and
    ``json.JSONDecodeError``) for anything else; callers turn it into words.
    ``allow_duplicates`` skips the (slow) duplicate check for callers that go on
    to insist on canonical form with :func:`is_canonical`, which catches them.
    """
    text = data.decode("utf-8")
    return json.loads(
        text,
        object_pairs_hook=None if allow_duplicates else _no_duplicates,
        parse_constant=_refuse_constant,
        parse_float=_refuse_float,
    )
