"""docs/vectors/ for packs and receipts: each file gets the verdict and reason listed for it."""

from __future__ import annotations

import json

import pytest
from exchange_vectors import verdict
from vector_files import LIST, VECTORS

ROWS = [
    r
    for r in json.loads(LIST.read_text("utf-8"))
    if r["file"].endswith((".lgapack", ".lgareceipt"))
]


def test_every_negative_case_of_the_exchange_spec_is_a_file():
    statuses = {row["expect"] for row in ROWS}
    assert statuses >= {
        "valid", "damaged", "bad-signature", "not-a-pack", "not-a-receipt", "bad-key",
        "wrong-key", "unsupported-version", "out-of-spec", "tampered",
    }  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["file"])
def test_each_pack_and_receipt_vector_gets_its_verdict_and_reason(row):
    status, reason = verdict(row["file"], (VECTORS / row["file"]).read_bytes())
    assert (status, reason) == (row["expect"], row["reason"])


def test_the_spec_lists_every_vector_with_its_verdict_and_the_lga_keys_fingerprint():
    import re
    from pathlib import Path

    from exchange_vectors import LGA, key_of

    spec = (Path(__file__).parent.parent / "docs" / "exchange-format.md").read_text("utf-8")
    listed = dict(
        re.findall(r"^\| `([a-z0-9-]+\.lga(?:pack|receipt))` \| ([a-z-]+) \|", spec, re.M)
    )
    assert listed == {row["file"]: row["expect"] for row in ROWS}
    assert key_of(LGA)["fingerprint"] in spec
