"""The council's signing key: creation, passphrase, fingerprint, rotation."""

from __future__ import annotations

import json
import re

import pytest
from returns_support import PASSPHRASE, fast_keys  # noqa: F401  (a fixture)

from lga_desktop.errors import UsageError
from lga_desktop.returns import keys
from lga_desktop.returns.trust import (
    TrustedKeys,
    key_card_for,
    load_trusted_keys,
    read_key_card,
    write_key_card,
)

pytestmark = pytest.mark.usefixtures("fast_keys")


def test_fingerprint_is_eight_groups_of_four_hex_digits_of_the_public_keys_sha256():
    raw = bytes(32)
    fp = keys.fingerprint(raw)
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", fp)
    # SHA-256 of 32 zero bytes starts 66687aadf862bd77...
    assert fp.startswith("6668 7AAD F862 BD77")


def test_fingerprints_are_read_as_people_write_them():
    fp = keys.fingerprint(bytes(32))
    assert keys.normalise_fingerprint(fp.lower().replace(" ", "-")) == fp
    with pytest.raises(UsageError, match="not a key fingerprint"):
        keys.normalise_fingerprint("6668 7AAD")


def test_created_key_unlocks_only_with_its_passphrase(workspace):
    key = keys.create_key(workspace, PASSPHRASE)
    assert key.active and key.has_private
    assert key.created_by == "Alex Morgan"
    private, same = keys.unlock(workspace, PASSPHRASE)
    assert keys.public_key_hex(private) == key.public_key_hex == same.public_key_hex
    with pytest.raises(keys.WrongPassphrase, match="does not unlock"):
        keys.unlock(workspace, PASSPHRASE + "!")
    # the private key is not stored in clear anywhere in the file
    seed_hex = private.private_bytes_raw().hex()
    stored = workspace.db.execute("SELECT encrypted_private_key FROM signing_keys").fetchone()[0]
    assert seed_hex not in stored
    blob = json.loads(stored)
    assert blob["kdf"] == "scrypt" and blob["cipher"] == "AES-256-GCM"


def test_a_second_key_is_refused_and_a_short_passphrase_too(workspace):
    with pytest.raises(UsageError, match="at least 10 characters"):
        keys.create_key(workspace, "short")
    keys.create_key(workspace, PASSPHRASE)
    with pytest.raises(UsageError, match="already has a signing key"):
        keys.create_key(workspace, PASSPHRASE)


def test_no_key_says_how_to_make_one(workspace):
    with pytest.raises(keys.NoKey, match="create one first"):
        keys.unlock(workspace, PASSPHRASE)


def test_changing_the_passphrase_keeps_the_key(workspace):
    key = keys.create_key(workspace, PASSPHRASE)
    with pytest.raises(keys.WrongPassphrase):
        keys.change_passphrase(workspace, "not the passphrase", "a new passphrase here")
    keys.change_passphrase(workspace, PASSPHRASE, "a new passphrase here")
    private, _ = keys.unlock(workspace, "a new passphrase here")
    assert keys.public_key_hex(private) == key.public_key_hex
    with pytest.raises(keys.WrongPassphrase):
        keys.unlock(workspace, PASSPHRASE)


def test_rotation_retires_the_old_key_which_endorses_the_new(workspace):
    old = keys.create_key(workspace, PASSPHRASE)
    new = keys.rotate_key(workspace, PASSPHRASE, "the next passphrase")
    assert new.fingerprint != old.fingerprint
    history = keys.all_keys(workspace)
    assert [k.fingerprint for k in history] == [new.fingerprint, old.fingerprint]
    retired = history[1]
    assert not retired.active and not retired.has_private
    assert retired.replaced_by == new.fingerprint
    assert keys.check_endorsement(new.endorsement, new.raw_public_key) == old.fingerprint
    assert keys.current_key(workspace).fingerprint == new.fingerprint
    # a forged endorsement (old key's signature over some other key) fails
    with pytest.raises(keys.KeyError_):
        keys.check_endorsement(new.endorsement, old.raw_public_key)


def test_key_card_round_trips_into_a_trusted_keys_file(workspace, tmp_path):
    keys.create_key(workspace, PASSPHRASE)
    new = keys.rotate_key(workspace, PASSPHRASE, "the next passphrase")
    card_path = write_key_card(key_card_for("E07000178", new), tmp_path / "oxford.lgakey")
    card = read_key_card(card_path)
    assert card.fingerprint == new.fingerprint
    assert card.endorsed_by == keys.all_keys(workspace)[1].fingerprint
    trusted = TrustedKeys()
    assert trusted.add(card.council_gss, card.fingerprint, "confirmed by phone")
    assert not trusted.add(card.council_gss, card.fingerprint)
    trusted.save(tmp_path / "trusted.json")
    again = load_trusted_keys(tmp_path / "trusted.json")
    assert again.fingerprints_for("E07000178") == {new.fingerprint}


def test_a_key_card_whose_fingerprint_was_altered_is_refused(workspace, tmp_path):
    key = keys.create_key(workspace, PASSPHRASE)
    path = write_key_card(key_card_for("E07000178", key), tmp_path / "k.lgakey")
    doc = json.loads(path.read_text())
    doc["fingerprint"] = keys.fingerprint(bytes(32))
    path.write_text(json.dumps(doc))
    with pytest.raises(UsageError, match="not that of the public key"):
        read_key_card(path)


def test_trusted_keys_may_be_a_csv(tmp_path):
    fp = keys.fingerprint(bytes([9] * 32))
    (tmp_path / "t.csv").write_text(f"gss,fingerprint,note\nE07000178,{fp},phone\n")
    assert load_trusted_keys(tmp_path / "t.csv").fingerprints_for("E07000178") == {fp}
    (tmp_path / "bad.csv").write_text("gss,fingerprint\nE99999999,abc\n")
    with pytest.raises(UsageError, match="line 2"):
        load_trusted_keys(tmp_path / "bad.csv")
