"""The .lgareturn file: sealing, verifying, and refusing every kind of tampering."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from returns_support import FAKE_PDF, fixed_key, sealed_return, small_document

from lga_desktop.returns import keys
from lga_desktop.returns.canonical import CanonicalError, canonical_bytes, strict_loads
from lga_desktop.returns.container import canonical_zip, read_entries
from lga_desktop.returns.fileformat import seal, signed_message
from lga_desktop.returns.trust import TrustedKeys
from lga_desktop.returns.verify import verify_bytes, verify_file

GOOD = sealed_return()


def entries_of(data: bytes) -> list[tuple[str, bytes]]:
    return read_entries(data)


def rezip(entries: list[tuple[str, bytes]]) -> bytes:
    return canonical_zip(entries)


def replace_entry(data: bytes, name: str, content: bytes) -> bytes:
    return rezip([(n, content if n == name else c) for n, c in entries_of(data)])


def test_a_sealed_return_verifies_and_says_who_signed_it():
    result = verify_bytes(GOOD.file_bytes)
    assert result.valid and result.intact and result.status == "valid"
    assert result.council_gss == "E07000178" and result.period == "2012/13 Q2"
    assert result.signer_name == "Jo Reed" and result.version == 1
    assert result.key_fingerprint == keys.fingerprint(
        bytes.fromhex(keys.public_key_hex(fixed_key()))
    )
    assert result.return_hash == GOOD.return_hash
    assert "not checked against a trusted-keys list" in result.reason
    assert "VALID" in result.describe() and "Jo Reed" in result.describe()


def test_the_file_is_an_ordinary_zip_with_the_mimetype_first_and_stored():
    data = GOOD.file_bytes
    assert data[30:38] == b"mimetype" and data[38:68] == b"application/vnd.lga.return+zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == [
            "mimetype",
            "manifest.json",
            "signature.json",
            "return.json",
            "return.pdf",
        ]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        assert json.loads(zf.read("return.json"))["council"]["gss"] == "E07000178"


def test_sealing_is_deterministic():
    assert sealed_return().file_bytes == GOOD.file_bytes


def test_trusted_key_unknown_key_and_unknown_council():
    fp = GOOD.key_fingerprint
    trusted = TrustedKeys()
    trusted.add("E07000178", fp, "phone")
    assert verify_bytes(GOOD.file_bytes, trusted=trusted).trust == "trusted"
    other = TrustedKeys()
    other.add("E07000178", keys.fingerprint(bytes([9] * 32)))
    result = verify_bytes(GOOD.file_bytes, trusted=other)
    assert not result.valid and result.status == "untrusted-key"
    assert "NOT the key trusted for Oxford City Council" in result.reason
    result = verify_bytes(GOOD.file_bytes, trusted=TrustedKeys())
    assert not result.valid and result.status == "unknown-council"
    assert "confirm the fingerprint" in result.reason


@pytest.mark.parametrize("part", ["return.json", "return.pdf", "mimetype"])
def test_a_changed_part_is_caught(part):
    content = dict(entries_of(GOOD.file_bytes))[part]
    changed = content[:-1] + bytes([content[-1] ^ 1])
    result = verify_bytes(replace_entry(GOOD.file_bytes, part, changed))
    assert not result.valid
    assert result.status in {"tampered", "not-a-return"}
    assert part in result.reason or "mimetype" in result.reason


def test_a_changed_amount_is_caught_even_when_re_serialised_canonically():
    doc = small_document(fixed_key())
    doc["sections"][0]["data"]["realised_pence"] += 100
    result = verify_bytes(replace_entry(GOOD.file_bytes, "return.json", canonical_bytes(doc)))
    assert result.status == "tampered" and "part return.json has been changed" in result.reason


def test_an_added_part_is_caught():
    data = rezip([*entries_of(GOOD.file_bytes), ("extra.json", b"{}")])
    result = verify_bytes(data)
    assert result.status == "tampered" and "extra.json" in result.reason
    assert "added" in result.reason


def test_a_removed_part_is_caught():
    data = rezip([(n, c) for n, c in entries_of(GOOD.file_bytes) if n != "return.pdf"])
    result = verify_bytes(data)
    assert result.status == "tampered" and "return.pdf" in result.reason
    assert "removed" in result.reason


def test_re_signing_with_another_key_is_caught():
    # someone alters the return and signs it with their own key, keeping the named key
    mallory = Ed25519PrivateKey.generate()
    doc = small_document(fixed_key())
    doc["sections"][0]["data"]["realised_pence"] = 1
    forged = seal(canonical_bytes(doc), FAKE_PDF, mallory)
    result = verify_bytes(forged.file_bytes)
    assert result.status == "wrong-key" and "re-signed" in result.reason
    # ... and one who also names their own key is intact but not trusted for Oxford
    honest_looking = seal(canonical_bytes(small_document(mallory)), FAKE_PDF, mallory)
    trusted = TrustedKeys()
    trusted.add("E07000178", GOOD.key_fingerprint)
    result = verify_bytes(honest_looking.file_bytes, trusted=trusted)
    assert result.intact and not result.valid and result.status == "untrusted-key"


def test_a_signature_swapped_in_from_another_return_is_caught():
    other = sealed_return(signed_at="2012-10-16T09:00:00+01:00")
    data = replace_entry(
        GOOD.file_bytes, "signature.json", dict(entries_of(other.file_bytes))["signature.json"]
    )
    assert verify_bytes(data).status == "bad-signature"


def test_a_signature_without_the_context_string_does_not_verify():
    # an Ed25519 signature over the bare manifest hash (no context) is refused
    private = fixed_key()
    entries = dict(entries_of(GOOD.file_bytes))
    sig = json.loads(entries["signature.json"])
    sig["signature"] = private.sign(hashlib.sha256(entries["manifest.json"]).digest()).hex()
    data = replace_entry(GOOD.file_bytes, "signature.json", canonical_bytes(sig))
    assert verify_bytes(data).status == "bad-signature"
    assert signed_message(entries["manifest.json"]).startswith(b"lga-desktop return v1\x00")


def test_a_truncated_file_is_refused_in_words():
    for cut in (1, 10, 100, len(GOOD.file_bytes) // 2, len(GOOD.file_bytes) - 1):
        result = verify_bytes(GOOD.file_bytes[:cut])
        assert not result.valid and result.status in {"damaged", "not-a-return"}
        assert result.reason.endswith(".")
    assert verify_bytes(b"").reason == "The file is empty."


def test_a_file_with_bytes_added_at_the_end_is_refused():
    assert not verify_bytes(GOOD.file_bytes + b"\x00").valid


def test_a_file_that_is_not_a_zip_or_a_different_zip_is_refused():
    assert verify_bytes(b"%PDF-1.4 hello").status == "not-a-return"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("document.xml", "<x/>")
    result = verify_bytes(buf.getvalue())
    assert result.status == "not-a-return" and "not an lga-desktop return" in result.reason


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.lga.return+zip")
        zf.writestr("return.json", b"0" * (100 * 1024 * 1024))  # 100 MB -> ~100 KB
    assert len(buf.getvalue()) < 1024 * 1024
    result = verify_bytes(buf.getvalue())
    # return.json may hold 16 MiB: the directory's size is refused before a byte is read
    assert result.status == "too-large" and "it was not read" in result.reason


def test_a_compressed_entry_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries_of(GOOD.file_bytes):
            zf.writestr(name, content)
    result = verify_bytes(buf.getvalue())
    assert not result.valid and "compressed" in result.reason


@pytest.mark.parametrize(
    "name, words",
    [
        ("../../etc/passwd", "climbs out of its folder"),
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/evil.dll", "absolute path"),
        ("parts\\..\\evil", "climbs out"),
        ("Return.JSON", "never uses"),
    ],
)
def test_path_traversal_and_odd_names_are_refused_unread(name, words):
    entries = [*entries_of(GOOD.file_bytes), (name, b"x")]
    data = rezip(
        [(n.encode("latin-1").decode("ascii", "ignore") and n, c) for n, c in entries[:-1]]
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, c in entries_of(data):
            zf.writestr(n, c)
        zf.writestr(zipfile.ZipInfo(name), b"x")
    result = verify_bytes(buf.getvalue())
    assert result.status == "unsafe" and words in result.reason


def test_duplicate_entry_names_are_refused():
    raw = rezip([*entries_of(GOOD.file_bytes), ("return.json", b"{}")])
    result = verify_bytes(raw)
    assert result.status == "unsafe" and "two entries named 'return.json'" in result.reason


def test_too_many_entries_are_refused():
    raw = rezip([*entries_of(GOOD.file_bytes), *((f"x{i}", b"") for i in range(100))])
    assert "holds 105 entries" in verify_bytes(raw).reason


def test_a_newer_format_version_is_refused_with_a_message():
    private = fixed_key()
    entries = dict(entries_of(GOOD.file_bytes))
    manifest = json.loads(entries["manifest.json"])
    manifest["format_version"] = 2
    mbytes = canonical_bytes(manifest)
    sig = json.loads(entries["signature.json"])
    sig["signature"] = private.sign(signed_message(mbytes)).hex()
    data = rezip(
        [
            (
                n,
                mbytes
                if n == "manifest.json"
                else canonical_bytes(sig)
                if n == "signature.json"
                else c,
            )
            for n, c in entries_of(GOOD.file_bytes)
        ]
    )
    result = verify_bytes(data)
    assert result.status == "unsupported-version" and "newer lga-desktop" in result.reason


def test_a_re_serialised_manifest_is_refused_even_though_it_parses_the_same():
    entries = dict(entries_of(GOOD.file_bytes))
    pretty = json.dumps(json.loads(entries["manifest.json"]), indent=1).encode()
    private = fixed_key()
    sig = json.loads(entries["signature.json"])
    sig["signature"] = private.sign(signed_message(pretty)).hex()
    data = rezip(
        [
            (
                n,
                pretty
                if n == "manifest.json"
                else canonical_bytes(sig)
                if n == "signature.json"
                else c,
            )
            for n, c in entries_of(GOOD.file_bytes)
        ]
    )
    result = verify_bytes(data)
    assert result.status == "tampered" and "canonical" in result.reason


def test_verify_file_reports_missing_and_folder(tmp_path):
    assert verify_file(tmp_path / "nope.lgareturn").reason == "There is no such file."
    assert verify_file(tmp_path).status == "missing"
    path = tmp_path / "ok.lgareturn"
    path.write_bytes(GOOD.file_bytes)
    assert verify_file(path).valid


def test_canonical_json_refuses_floats_and_duplicate_keys():
    with pytest.raises(CanonicalError, match="floating-point"):
        canonical_bytes({"a": {"b": [1, 2.5]}})
    assert canonical_bytes({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    with pytest.raises(ValueError, match="appears twice"):
        strict_loads(b'{"a":1,"a":2}')
    with pytest.raises(ValueError):
        strict_loads(b'{"a":NaN}')


@settings(max_examples=2500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_flipping_any_byte_never_verifies(data):
    original = GOOD.file_bytes
    flips = data.draw(st.integers(min_value=1, max_value=3))
    damaged = bytearray(original)
    for _ in range(flips):
        i = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
        damaged[i] ^= data.draw(st.integers(min_value=1, max_value=255))
    if bytes(damaged) == original:  # two flips of the same byte can cancel out
        return
    result = verify_bytes(bytes(damaged))
    assert not result.valid
    assert result.status not in {"valid", "unreadable"}, result.reason  # never an unexpected crash
    assert result.reason


def test_every_single_byte_position_is_protected():
    # exhaustive over positions (one mask each), complementing the random flips
    original = GOOD.file_bytes
    for i in range(len(original)):
        damaged = bytearray(original)
        damaged[i] ^= 0x80 if i % 2 else 0x01
        assert not verify_bytes(bytes(damaged)).valid, i


def test_central_directory_struct_layout():
    # the end-of-central-directory record is the last 22 bytes and has no comment
    eocd = GOOD.file_bytes[-22:]
    sig, _, _, n, total, _, _, comment = struct.unpack("<IHHHHIIH", eocd)
    assert sig == 0x06054B50 and n == total == 5 and comment == 0


def test_a_signed_return_with_a_duplicated_key_is_refused():
    # two JSON libraries may keep different copies of a duplicated key: never accept one
    private = fixed_key()
    body = canonical_bytes(small_document(private))
    doubled = body.replace(b'"version":1}', b'"version":1,"version":2}')
    assert doubled != body
    result = verify_bytes(seal(doubled, FAKE_PDF, private).file_bytes)
    assert not result.valid and result.status == "tampered" and "canonical" in result.reason
