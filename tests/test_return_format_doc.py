"""docs/return-format.md: its vectors are what the code writes, and they verify independently."""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import zipfile
import zlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from return_vectors import DOC, EXAMPLE, example, vectors

BLOCK = re.compile(r"<!-- vector: (\S+) -->\n```text\n(.*?)\n```", re.DOTALL)


def doc_vectors() -> dict[str, str]:
    return dict(BLOCK.findall(DOC.read_text("utf-8")))


def test_every_vector_in_the_document_is_what_the_code_writes():
    documented = doc_vectors()
    computed = vectors()
    assert set(documented) == set(computed)
    for name, value in computed.items():
        assert documented[name] == value, f"docs/return-format.md vector {name!r} is out of date"


def test_the_example_file_is_what_the_code_writes():
    _, sealed, _ = example()
    assert EXAMPLE.read_bytes() == sealed.file_bytes


# ---- an independent verifier, written from the document alone ----------------
# Uses only zipfile, hashlib, json, struct and an Ed25519 primitive: no lga_desktop code.


def canonical_zip_from_the_document(entries: list[tuple[str, bytes]]) -> bytes:
    out, central = b"", b""
    for name, data in entries:
        crc = zlib.crc32(data)
        offset = len(out)
        fixed = struct.pack("<HHHHHIII", 20, 0, 0, 0x0000, 0x0021, crc, len(data), len(data))
        out += struct.pack("<I", 0x04034B50) + fixed + struct.pack("<HH", len(name), 0)
        out += name.encode("ascii") + data
        central += struct.pack("<IH", 0x02014B50, 20) + fixed
        central += struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset) + name.encode()
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0
    )
    return out + central + end


def test_the_example_verifies_by_following_the_document_alone():
    documented = doc_vectors()
    data = EXAMPLE.read_bytes()
    # the whole file
    assert hashlib.sha256(data).hexdigest() == documented["file-sha256"]
    assert len(data) == int(documented["file-size"])
    assert data[30:38] == b"mimetype" and data[38:68] == documented["mimetype"].encode()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        entries = {n: zf.read(n) for n in names}
    assert names == ["mimetype", "manifest.json", "signature.json", "return.json", "return.pdf"]
    # section 5: the signature over "lga-desktop return v1" || 0x00 || SHA-256(manifest)
    manifest_bytes = entries["manifest.json"]
    sig = json.loads(entries["signature.json"])
    message = b"lga-desktop return v1\x00" + hashlib.sha256(manifest_bytes).digest()
    assert message.hex() == documented["signed-message"]
    public = bytes.fromhex(sig["public_key"])
    Ed25519PublicKey.from_public_bytes(public).verify(bytes.fromhex(sig["signature"]), message)
    # the fingerprint: first 16 bytes of SHA-256 of the raw key, 8 groups of 4 hex digits
    fp = hashlib.sha256(public).hexdigest()[:32].upper()
    assert " ".join(fp[i : i + 4] for i in range(0, 32, 4)) == sig["key_fingerprint"]
    assert sig["key_fingerprint"] == documented["fingerprint"]
    # section 8 step 6: exactly the listed parts, each of its size and hash
    manifest = json.loads(manifest_bytes)
    assert manifest["format"] == "lga-desktop return" and manifest["format_version"] == 1
    listed = [p["name"] for p in manifest["parts"]]
    assert set(entries) - {"manifest.json", "signature.json"} == set(listed)
    for part in manifest["parts"]:
        content = entries[part["name"]]
        assert len(content) == part["size"]
        assert hashlib.sha256(content).hexdigest() == part["sha256"]
    # step 7: the return names the key that signed it; the return hash
    ret = json.loads(entries["return.json"])
    assert ret["signing_key"]["public_key"] == sig["public_key"]
    assert hashlib.sha256(entries["return.json"]).hexdigest() == documented["return-hash"]
    assert entries["return.json"].decode() == documented["return.json"]
    # step 8: the canonical ZIP, built from section 2's table, is the file
    order = ["mimetype", "manifest.json", "signature.json", *listed[1:]]
    assert canonical_zip_from_the_document([(n, entries[n]) for n in order]) == data


def test_the_documented_seed_makes_the_documented_key_and_signature():
    documented = doc_vectors()
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(documented["seed"]))
    assert private.public_key().public_bytes_raw().hex() == documented["public-key"]
    signature = private.sign(bytes.fromhex(documented["signed-message"]))
    assert signature.hex() == documented["signature"]
