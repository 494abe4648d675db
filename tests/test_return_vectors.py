"""docs/vectors/: every file is what the generator makes, and gets the verdict listed for it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from vector_files import LIST, VECTORS, listing, vector_files

from lga_desktop.returns.keys import check_endorsement
from lga_desktop.returns.pdf import qr_payload
from lga_desktop.returns.trust import load_trusted_keys, read_key_card
from lga_desktop.returns.verify import verify_file

ROWS = json.loads(LIST.read_text("utf-8"))


def test_the_vector_folder_is_exactly_what_the_generator_writes():
    vectors = vector_files()
    made = {v.file: v.content for v in vectors}
    on_disk = {p.name for p in VECTORS.iterdir()} - {LIST.name}
    assert on_disk == set(made), "run: .venv/bin/python tests/vector_files.py"
    for name, content in made.items():
        assert (VECTORS / name).read_bytes() == content, f"docs/vectors/{name} is out of date"
    assert LIST.read_bytes() == listing(vectors)
    assert sum(len(c) for c in made.values()) < 200_000  # small enough to read and to mail


def test_every_negative_case_of_the_spec_is_a_file():
    statuses = {row["expect"] for row in ROWS}
    for status in (
        "damaged", "not-a-return", "unsafe", "too-large", "tampered", "bad-key",
        "bad-signature", "unsupported-version", "wrong-key", "out-of-spec",
        "untrusted-key", "unknown-council", "revoked-key", "valid",
    ):  # fmt: skip
        assert status in statuses


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["file"].endswith(".lgareturn")], ids=lambda r: r["file"]
)
def test_each_return_vector_gets_its_verdict_and_reason(row):
    trusted = load_trusted_keys(VECTORS / row["trusted_keys"]) if row["trusted_keys"] else None
    received = date.fromisoformat(row["received"]) if row["received"] else None
    result = verify_file(VECTORS / row["file"], trusted=trusted, received=received)
    assert result.status == row["expect"], result.reason
    assert result.valid == (row["expect"] == "valid")
    assert result.reason == row["reason"]


def test_the_key_cards_the_rotation_the_trust_list_and_the_qr_payload():
    example = read_key_card(VECTORS / "example.lgakey")
    rotated = read_key_card(VECTORS / "rotation.lgakey")
    assert rotated.endorsed_by == example.fingerprint
    assert check_endorsement(rotated.endorsement, bytes.fromhex(rotated.public_key_hex)) == (
        example.fingerprint
    )
    trusted = load_trusted_keys(VECTORS / "trusted-keys.json")
    assert trusted.fingerprints_for("E07000178") >= {example.fingerprint}
    (revoked,) = trusted.revoked.values()
    assert revoked.after == date(2012, 10, 15)
    row = next(r for r in ROWS if r["file"] == "example.lgareturn" and r["trusted_keys"])
    result = verify_file(VECTORS / "example.lgareturn")
    payload = (VECTORS / "example-qr.txt").read_text().strip()
    assert payload == qr_payload(
        result.return_hash, result.key_fingerprint, "E07000178", result.period_key
    )
    assert row["expect"] == "valid"
