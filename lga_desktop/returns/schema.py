"""What ``return.json`` may hold: every field's type, range and grammar, checked before use.

The table :data:`RETURN` declares the document (``docs/return-format.md``,
section 6, is the same table in words); :func:`check_return` walks a parsed
document against it, then applies the rules that tie fields together
(the version and what it supersedes, the period's key and dates, the counts
of findings, a note on every warning). The first problem found is raised as
:class:`SchemaError`, naming the field: ``validation.errors is 3; a signed
return has none``. Nothing else (the verifier's summary, the consolidation's
facts, the window) reads a field that has not passed.

Objects are closed: a key the table does not name is refused, except inside
a section's ``data``, whose content each register declares (any JSON, within
the limits of :func:`check_json_value`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lga_desktop.councils import council_by_gss
from lga_desktop.errors import LgaError, NotValidError
from lga_desktop.periods import Quarter
from lga_desktop.returns.canonical import MAX_SAFE_INTEGER

__all__ = ["SchemaError", "check_return", "check_json_value", "MAX_DEPTH", "signed_at_pattern"]

MAX_DEPTH = 32  # objects and arrays inside one another
MAX_TEXT = 10_000  # characters in one string of the fixed fields

GSS = re.compile(r"E0[6-9]\d{6}|E10\d{6}")
QUARTER = re.compile(r"(20\d\d)/(\d\d) Q([1-4])")
PERIOD_KEY = re.compile(r"(20\d\d)Q([1-4])")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
signed_at_pattern = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
HEX64 = re.compile(r"[0-9a-f]{64}")
FINGERPRINT = re.compile(r"[0-9A-F]{4}(?: [0-9A-F]{4}){7}")
SECTION_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


class SchemaError(NotValidError):
    """``return.json`` does not follow the format; the message names the field."""


# ---- the declarative table ---------------------------------------------------


@dataclass(frozen=True)
class Text:
    pattern: re.Pattern[str] | None = None
    min_len: int = 0
    max_len: int = MAX_TEXT
    choices: tuple[str, ...] = ()
    what: str = ""  # how the grammar is described in a message


@dataclass(frozen=True)
class Int:
    low: int
    high: int


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Bool:
    pass


@dataclass(frozen=True)
class Obj:
    fields: dict[str, Any]


@dataclass(frozen=True)
class ListOf:
    item: Any
    max_items: int


@dataclass(frozen=True)
class Nullable:
    inner: Any


@dataclass(frozen=True)
class AnyJson:
    """Any JSON value (a section's data): integers in range, nesting within MAX_DEPTH."""


DATE = Text(ISO_DATE, what="a date written YYYY-MM-DD")
NAME = Text(min_len=1, max_len=200)
PERSON = Obj({"name": NAME, "role": Text(max_len=200), "email": Text(max_len=254), "date": DATE})
FINDING = Obj(
    {
        "severity": Text(choices=("error", "warning")),
        "register": Text(SECTION_KEY, what="a register's key"),
        "code": Text(min_len=1, max_len=200),
        "message": Text(min_len=1),
        "record": Nullable(Text(max_len=200)),
        "field": Nullable(Text(max_len=200)),
        "key": Text(min_len=1, max_len=700),
        "note": Text(),
    }
)

RETURN = Obj(
    {
        "format": Const("lga-desktop return"),
        "format_version": Const(1),
        "program": Obj({"name": Text(min_len=1, max_len=100), "version": Text(max_len=40)}),
        "council": Obj(
            {"gss": Text(GSS, what="an English council's GSS code like E07000178"), "name": NAME}
        ),
        "period": Obj(
            {
                "quarter": Text(QUARTER, what='a quarter written like "2012/13 Q2"'),
                "key": Text(PERIOD_KEY, what='a quarter key like "2012Q2"'),
                "start": DATE,
                "end": DATE,
            }
        ),
        "version": Int(1, 999),
        "supersedes": Nullable(
            Obj(
                {
                    "version": Int(1, 998),
                    "return_hash": Text(HEX64, what="64 lower-case hex digits"),
                    "reason": Text(min_len=1),
                }
            )
        ),
        "signed_at": Text(
            signed_at_pattern,
            what="a date and time with its offset, like 2012-10-15T10:30:00+01:00",
        ),
        "declaration": Obj(
            {
                "statement": Text(min_len=1),
                "same_person": Bool(),
                "preparer": PERSON,
                "signer": PERSON,
            }
        ),
        "signing_key": Obj(
            {
                "algorithm": Const("Ed25519"),
                "public_key": Text(HEX64, what="64 lower-case hex digits"),
                "fingerprint": Text(FINGERPRINT, what="eight groups of four hex digits"),
            }
        ),
        "validation": Obj(
            {
                "errors": Int(0, MAX_SAFE_INTEGER),
                "warnings": Int(0, MAX_SAFE_INTEGER),
                "findings": ListOf(FINDING, 100_000),
            }
        ),
        "sections": ListOf(
            Obj(
                {
                    "key": Text(SECTION_KEY, what="a register's key"),
                    "title": Text(min_len=1, max_len=200),
                    "data": AnyJson(),
                }
            ),
            100,
        ),
    }
)


# ---- walking a value against the table ----------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _fail(path: str, message: str) -> None:
    raise SchemaError(f"{path or 'the document'} {message}")


def check_json_value(value: Any, path: str, depth: int = 0) -> None:
    """Any JSON value: whole numbers within +/-(2**53-1), nesting within :data:`MAX_DEPTH`.

    Every value of every file received goes through here, so a value that
    passes is walked without naming where each part sits (:func:`_passes`);
    only one that fails is walked again to say where.
    """
    if not _passes(value, depth):
        _walk(value, path, depth)


def _passes(value: Any, depth: int) -> bool:
    """True when ``value`` is plainly within the limits; False when :func:`_walk` must look."""
    if depth > MAX_DEPTH:
        return False
    kind = type(value)
    if kind is dict:
        items: Any = value.values()
    elif kind is list:
        items = value
    elif kind is str or kind is bool or value is None:
        return True
    elif kind is int:
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    else:  # anything else (a float, a subclass): the full walk decides
        return False
    inner = depth + 1
    if inner > MAX_DEPTH:
        return not items
    for item in items:
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                continue
            return False
        if not _passes(item, inner):
            return False
    return True


def _walk(value: Any, path: str, depth: int) -> None:
    """:func:`check_json_value`, naming each part's place: raises at the first problem."""
    if depth > MAX_DEPTH:
        _fail(path, f"is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            _fail(path, f"is {value}, beyond the +/-(2^53-1) a return can carry exactly")
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else key, depth + 1)
        return
    _fail(path, f"is {_kind(value)}, which JSON cannot hold")


def _check(spec: Any, value: Any, path: str) -> None:
    if isinstance(spec, Nullable):
        if value is not None:
            _check(spec.inner, value, path)
    elif isinstance(spec, Const):
        if type(value) is not type(spec.value) or value != spec.value:
            _fail(path, f"is {value!r:.60}, not {spec.value!r}")
    elif isinstance(spec, Bool):
        if not isinstance(value, bool):
            _fail(path, f"is {_kind(value)}, not true or false")
    elif isinstance(spec, Int):
        if not isinstance(value, int) or isinstance(value, bool):
            _fail(path, f"is {_kind(value)}, not a whole number")
        if not spec.low <= value <= spec.high:
            _fail(path, f"is {value}, outside {spec.low} to {spec.high}")
    elif isinstance(spec, Text):
        _check_text(spec, value, path)
    elif isinstance(spec, Obj):
        if not isinstance(value, dict):
            _fail(path, f"is {_kind(value)}, not an object")
        unknown = sorted(set(value) - set(spec.fields))
        if unknown:
            _fail(path, f"has a key the format does not define ({unknown[0]!r:.60})")
        for key, sub in spec.fields.items():
            if key not in value:
                _fail(path, f"has no {key}")
            _check(sub, value[key], f"{path}.{key}" if path else key)
    elif isinstance(spec, ListOf):
        if not isinstance(value, list):
            _fail(path, f"is {_kind(value)}, not a list")
        if len(value) > spec.max_items:
            _fail(path, f"has {len(value)} items, more than {spec.max_items}")
        for i, item in enumerate(value):
            _check(spec.item, item, f"{path}[{i}]")
    elif isinstance(spec, AnyJson):
        check_json_value(value, path, depth=3)  # return > sections > [i] > data
    else:  # pragma: no cover - a mistake in the table
        raise TypeError(spec)


def _check_text(spec: Text, value: Any, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, f"is {_kind(value)}, not text")
    if spec.choices and value not in spec.choices:
        _fail(path, f"is {value!r:.60}, not one of {', '.join(spec.choices)}")
    if len(value) < spec.min_len:
        _fail(path, "is empty")
    if len(value) > spec.max_len:
        _fail(path, f"is {len(value)} characters long, more than {spec.max_len}")
    if spec.pattern is not None and not spec.pattern.fullmatch(value):
        _fail(path, f"is {value!r:.60}, not {spec.what}")


# ---- the rules between fields ---------------------------------------------------


def _date(text: str, path: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SchemaError(f"{path} is {text!r}, not a real date") from None


def _rules(doc: dict[str, Any]) -> None:
    try:
        council_by_gss(doc["council"]["gss"])
    except LgaError:
        _fail(
            "council.gss", f"is {doc['council']['gss']}, which is not a council lga-desktop knows"
        )
    period = doc["period"]
    y1, y2, q = QUARTER.fullmatch(period["quarter"]).groups()  # type: ignore[union-attr]
    if int(y2) != (int(y1) + 1) % 100:
        _fail("period.quarter", f"is {period['quarter']!r}; a financial year spans two years")
    quarter = Quarter(int(y1), int(q))
    if period["key"] != quarter.key:
        _fail("period.key", f"is {period['key']!r}, but the quarter {quarter} is {quarter.key}")
    for name, expected in (("start", quarter.start), ("end", quarter.end)):
        if _date(period[name], f"period.{name}") != expected:
            _fail(f"period.{name}", f"is {period[name]}, but {quarter} {name}s on {expected}")
    try:
        datetime.fromisoformat(doc["signed_at"])
    except ValueError:
        _fail("signed_at", f"is {doc['signed_at']!r}, not a real date and time")
    for who in ("preparer", "signer"):
        _date(doc["declaration"][who]["date"], f"declaration.{who}.date")
    version, supersedes = doc["version"], doc["supersedes"]
    if version == 1 and supersedes is not None:
        _fail("supersedes", "names a return, but version 1 supersedes nothing")
    if version > 1 and supersedes is None:
        _fail("supersedes", f"is null, but version {version} must name the return it corrects")
    if supersedes is not None and supersedes["version"] != version - 1:
        _fail("supersedes.version", f"is {supersedes['version']}, not {version - 1}")
    validation = doc["validation"]
    findings = validation["findings"]
    errors = sum(f["severity"] == "error" for f in findings)
    warnings = len(findings) - errors
    if validation["errors"] != 0 or errors:
        _fail("validation.errors", f"is {validation['errors']}; a signed return has none")
    if validation["warnings"] != warnings:
        _fail("validation.warnings", f"is {validation['warnings']}, but {warnings} are listed")
    for i, finding in enumerate(findings):
        if not finding["note"].strip():
            _fail(f"validation.findings[{i}].note", "is empty; every warning needs its note")
    keys = [s["key"] for s in doc["sections"]]
    if len(set(keys)) != len(keys):
        _fail("sections", "hold one register twice")


def check_return(doc: Any) -> None:
    """Raise :class:`SchemaError` naming the first field of ``doc`` that is out of the format."""
    _check(RETURN, doc, "")
    _rules(doc)


# ---- the two signing parts ------------------------------------------------------

HEX128 = re.compile(r"[0-9a-f]{128}")

SIGNATURE = Obj(
    {
        "algorithm": Text(max_len=100),
        "context": Text(max_len=100),
        "key_fingerprint": Text(FINGERPRINT, what="eight groups of four hex digits"),
        "public_key": Text(HEX64, what="64 lower-case hex digits"),
        "signature": Text(HEX128, what="128 lower-case hex digits"),
    }
)

# one part as a manifest lists it (the programme pack's and receipt's manifests too)
MANIFEST_PART = Obj(
    {
        "name": Text(max_len=120),
        "media_type": Text(max_len=100),
        "size": Int(0, MAX_SAFE_INTEGER),
        "sha256": Text(HEX64, what="64 lower-case hex digits"),
    }
)

MANIFEST = Obj(
    {
        "format": Const("lga-desktop return"),
        "format_version": Const(1),
        "parts": ListOf(MANIFEST_PART, 64),
    }
)


def check_part(spec: Any, value: Any) -> None:
    """Check ``manifest.json`` or ``signature.json`` against :data:`MANIFEST` / :data:`SIGNATURE`."""
    _check(spec, value, "")
