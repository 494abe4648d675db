"""What a programme pack and a receipt may hold: declarative schemas, and the rules between fields.

``docs/exchange-format.md`` is the same tables in words. The walker and the
building blocks are the return's (:mod:`lga_desktop.returns.schema`), so the
documents are closed objects with every text bounded and every number whole.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from lga_desktop.councils import council_by_gss
from lga_desktop.errors import LgaError
from lga_desktop.exchange.envelope import Kind
from lga_desktop.returns.schema import (
    FINGERPRINT,
    GSS,
    HEX64,
    ISO_DATE,
    NAME,
    QUARTER,
    Bool,
    Const,
    Int,
    ListOf,
    Nullable,
    Obj,
    SchemaError,
    Text,
    check_part,
    signed_at_pattern,
)

__all__ = ["PACK", "RECEIPT", "PACK_SCHEMA", "RECEIPT_SCHEMA", "RECEIPT_STATES"]

HEX128 = re.compile(r"[0-9a-f]{128}")
YEAR = re.compile(r"(20\d\d)/(\d\d)")
CODE = Text(re.compile(r"[A-Za-z0-9_]{1,40}"), what="a code of letters, digits and _")
WHEN = Text(signed_at_pattern, what="a date and time with its offset")
HEX = Text(HEX64, what="64 lower-case hex digits")
FP = Text(FINGERPRINT, what="eight groups of four hex digits")
COUNCIL_GSS = Text(GSS, what="an English council's GSS code like E07000178")
RECEIPT_STATES = ("received", "queried", "accepted")

LGA_KEY = Obj({"algorithm": Const("Ed25519"), "public_key": HEX, "fingerprint": FP})

PACK_SCHEMA = Obj(
    {
        "format": Const("lga-desktop programme pack"),
        "format_version": Const(1),
        "programme": Obj(
            {"name": NAME, "year": Text(YEAR, what='a financial year like "2012/13"')}
        ),
        "sequence": Int(1, 2**31),
        "issued_at": WHEN,
        "lga_key": LGA_KEY,
        # each rotation of the LGA's key, oldest first: the old key's signature over the new
        "endorsements": ListOf(
            Obj(
                {
                    "context": Const("lga-desktop key rotation v1"),
                    "fingerprint": FP,
                    "public_key": HEX,
                    "signature": Text(HEX128, what="128 lower-case hex digits"),
                    "new_public_key": HEX,
                }
            ),
            100,
        ),
        "roster": ListOf(
            Obj(
                {
                    "gss": COUNCIL_GSS,
                    "name": NAME,
                    "strand": Text(max_len=200),
                    "pilot": Text(max_len=200),
                    "due_days": Nullable(Int(0, 366)),
                }
            ),
            5000,
        ),
        "due_dates": ListOf(
            Obj(
                {
                    "quarter": Text(QUARTER, what='a quarter like "2012/13 Q2"'),
                    "due": Text(ISO_DATE, what="a date written YYYY-MM-DD"),
                }
            ),
            4,
        ),
        "workstreams": ListOf(Obj({"code": CODE, "name": NAME}), 200),
        "categories": ListOf(Obj({"code": CODE, "name": NAME, "procurement": Bool()}), 500),
        "non_procurement": ListOf(CODE, 500),
        "thresholds": Obj(
            {"classified_coverage_percent": Int(0, 100), "variance_percent": Int(0, 10_000)}
        ),
        "support": Obj(
            {
                "name": Text(max_len=200),
                "email": Text(max_len=254),
                "phone": Text(max_len=40),
            }
        ),
    }
)

RECEIPT_SCHEMA = Obj(
    {
        "format": Const("lga-desktop receipt"),
        "format_version": Const(1),
        "programme": NAME,
        "issued_at": WHEN,
        "lga_key": LGA_KEY,
        "council": Obj({"gss": COUNCIL_GSS, "name": NAME}),
        "return": Obj(
            {
                "quarter": Text(QUARTER, what='a quarter like "2012/13 Q2"'),
                "version": Int(1, 999),
                "return_hash": HEX,
                "signed_at": WHEN,
                "received_at": WHEN,
            }
        ),
        "status": Text(choices=RECEIPT_STATES),
        "comments": ListOf(
            Obj(
                {
                    "action": Text(choices=("queried", "accepted", "comment")),
                    "figure": Text(max_len=200),
                    "comment": Text(max_len=10_000),
                    "by": Text(max_len=200),
                    "at": WHEN,
                }
            ),
            1000,
        ),
    }
)


def _when(value: str, path: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise SchemaError(f"{path} is {value!r}, not a real date and time") from None


def _year(text: str, path: str) -> None:
    y1, y2 = YEAR.fullmatch(text).groups()  # type: ignore[union-attr]
    if int(y2) != (int(y1) + 1) % 100:
        raise SchemaError(f"{path} is {text!r}; a financial year spans two years")


def _unique(values: list[str], path: str) -> None:
    if len(set(values)) != len(values):
        raise SchemaError(f"{path} names one code twice")


def _council(gss: str, path: str) -> None:
    try:
        council_by_gss(gss)
    except LgaError:
        raise SchemaError(f"{path} is {gss}, which is not a council lga-desktop knows") from None


def check_pack(doc: Any) -> None:
    """Raise :class:`SchemaError` naming the first field of a pack out of the format."""
    check_part(PACK_SCHEMA, doc)
    _year(doc["programme"]["year"], "programme.year")
    _when(doc["issued_at"], "issued_at")
    for i, row in enumerate(doc["roster"]):
        _council(row["gss"], f"roster[{i}].gss")
    for i, row in enumerate(doc["due_dates"]):
        _year(row["quarter"][:7], f"due_dates[{i}].quarter")
        try:
            date.fromisoformat(row["due"])
        except ValueError:
            raise SchemaError(f"due_dates[{i}].due is {row['due']!r}, not a real date") from None
    _unique([q["quarter"] for q in doc["due_dates"]], "due_dates")
    _unique([w["code"] for w in doc["workstreams"]], "workstreams")
    codes = [c["code"] for c in doc["categories"]]
    _unique(codes, "categories")
    for i, code in enumerate(doc["non_procurement"]):
        if code not in codes:
            raise SchemaError(f"non_procurement[{i}] is {code!r}, which is not a category")


def check_receipt(doc: Any) -> None:
    """Raise :class:`SchemaError` naming the first field of a receipt out of the format."""
    check_part(RECEIPT_SCHEMA, doc)
    _council(doc["council"]["gss"], "council.gss")
    _year(doc["return"]["quarter"][:7], "return.quarter")
    for path, value in (
        ("issued_at", doc["issued_at"]),
        ("return.signed_at", doc["return"]["signed_at"]),
        ("return.received_at", doc["return"]["received_at"]),
        *((f"comments[{i}].at", c["at"]) for i, c in enumerate(doc["comments"])),
    ):
        _when(value, path)


PACK = Kind(
    noun="programme pack",
    format_name="lga-desktop programme pack",
    mimetype="application/vnd.lga.pack+zip",
    context="lga-desktop programme pack v1",
    part="pack.json",
    part_cap=4 * 1024 * 1024,
    suffix=".lgapack",
    check=check_pack,
)

RECEIPT = Kind(
    noun="receipt",
    format_name="lga-desktop receipt",
    mimetype="application/vnd.lga.receipt+zip",
    context="lga-desktop receipt v1",
    part="receipt.json",
    part_cap=1024 * 1024,
    suffix=".lgareceipt",
    check=check_receipt,
)
