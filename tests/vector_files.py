"""docs/vectors/: every case of docs/return-format.md as a real file, with its verdict.

``vector_files()`` builds, deterministically, each file and what a verifier
must say of it; ``tests/test_return_vectors.py`` checks that docs/vectors/
holds exactly these files and that lga-desktop gives each its verdict. Run
this file to rewrite docs/vectors/ after a deliberate change:

    .venv/bin/python tests/vector_files.py

Keys: the example's seed (``bytes(range(32))``), "another key" (seed of 32
bytes 0x42) and "the next key" (seed of 32 bytes 0x07), which the example key
endorses in the rotation vector.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from exchange_vectors import cases as exchange_cases
from exchange_vectors import verdict as exchange_verdict
from return_vectors import EXAMPLE, STAND_IN_PDF, example

from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.canonical import serialise as _raw
from lga_desktop.returns.container import canonical_zip, read_entries
from lga_desktop.returns.ed25519 import L
from lga_desktop.returns.fileformat import CONTEXT, build_manifest, signed_message
from lga_desktop.returns.keys import endorsement_message, fingerprint, public_key_hex
from lga_desktop.returns.pdf import qr_payload

VECTORS = EXAMPLE.parent
LIST = VECTORS / "vectors.json"
ANOTHER = Ed25519PrivateKey.from_private_bytes(bytes([0x42]) * 32)
NEXT = Ed25519PrivateKey.from_private_bytes(bytes([0x07]) * 32)
RECEIVED = "2012-10-16"  # the day the LGA received the example, for the revocation vectors
SMALL_ORDER = bytes.fromhex("01" + "00" * 31)


@dataclass
class Vector:
    file: str
    content: bytes
    status: str  # what verify says: "valid" or the failure
    note: str  # what the case is, for a person
    trusted_keys: str | None = None
    received: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _entries() -> dict[str, bytes]:
    return dict(read_entries(example()[1].file_bytes))


def _zip(entries: dict[str, bytes], order: list[str] | None = None) -> bytes:
    order = order or list(entries)
    return canonical_zip([(n, entries[n]) for n in order])


def _signature_json(private: Ed25519PrivateKey | None, manifest: bytes, **over: Any) -> bytes:
    pub = over.pop("public_key", None) or bytes.fromhex(public_key_hex(private))
    sig = over.pop("signature", None) or private.sign(signed_message(manifest))
    value = {
        "algorithm": "Ed25519",
        "context": CONTEXT,
        "public_key": pub.hex(),
        "key_fingerprint": fingerprint(pub),
        "signature": sig.hex(),
    }
    value.update(over)
    return canonical_bytes(value)


def resealed(
    doc_bytes: bytes | None = None,
    *,
    private: Ed25519PrivateKey | None = None,
    pdf: bytes = STAND_IN_PDF,
    manifest: bytes | None = None,
) -> bytes:
    """The example's parts with ``doc_bytes`` / ``pdf`` / ``manifest`` in place, signed by ``private``."""
    private = private or example()[0]
    doc_bytes = doc_bytes if doc_bytes is not None else _entries()["return.json"]
    parts = [("mimetype", _entries()["mimetype"]), ("return.json", doc_bytes), ("return.pdf", pdf)]
    manifest = manifest if manifest is not None else build_manifest(parts)
    return canonical_zip(
        [
            parts[0],
            ("manifest.json", manifest),
            ("signature.json", _signature_json(private, manifest)),
            *parts[1:],
        ]
    )


def naming(private: Ed25519PrivateKey) -> bytes:
    """The example's return.json naming ``private``'s key (to be signed by it)."""
    pub = public_key_hex(private)
    key = {
        "algorithm": "Ed25519",
        "public_key": pub,
        "fingerprint": fingerprint(bytes.fromhex(pub)),
    }
    return changed_doc(signing_key=key)


def changed_doc(**changes: Any) -> bytes:
    doc = json.loads(_entries()["return.json"])
    doc.update(changes)
    return _raw(doc)


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _hidden_local_entry() -> bytes:
    """A local entry for an altered return.json placed before the real one, out of the directory.

    Streaming readers (Java's ZipInputStream) read local headers in order and
    would show the hidden entry; readers of the central directory show the real one.
    """
    entries = _entries()
    real = canonical_zip(list(entries.items()))
    fake = entries["return.json"].replace(b"4000000", b"9000000")
    name = b"return.json"
    header = struct.pack(
        "<IHHHHHIIIHH",
        0x04034B50,
        20,
        0,
        0,
        0,
        0x21,
        zlib.crc32(fake),
        len(fake),
        len(fake),
        len(name),
        0,
    )
    at = real.index(b"PK\x03\x04" + struct.pack("<H", 20), real.index(b"signature.json"))
    injected = header + name + fake
    # shift every central-directory offset at or after the injection point
    cd_at = struct.unpack("<I", real[-6:-2])[0]
    central = bytearray(real[cd_at:-22])
    pos = 0
    while pos < len(central):
        offset = struct.unpack_from("<I", central, pos + 42)[0]
        if offset >= at:
            struct.pack_into("<I", central, pos + 42, offset + len(injected))
        n, e, c = struct.unpack_from("<HHH", central, pos + 28)
        pos += 46 + n + e + c
    end = bytearray(real[-22:])
    struct.pack_into("<I", end, 16, cd_at + len(injected))
    return real[:at] + injected + real[at:cd_at] + bytes(central) + bytes(end)


def _compressed() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _entries().items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _r_of_small_order(entries: dict[str, bytes]) -> bytes:
    """What the key holder can make and OpenSSL accepts: R the neutral point, S = k * a."""
    import hashlib

    h = hashlib.sha512(bytes(range(32))).digest()
    a = int.from_bytes(h[:32], "little") & ((1 << 254) - 8) | (1 << 254)
    public = bytes.fromhex(public_key_hex(example()[0]))
    message = signed_message(entries["manifest.json"])
    r = SMALL_ORDER
    k = int.from_bytes(hashlib.sha512(r + public + message).digest(), "little") % L
    return r + (k * a % L).to_bytes(32, "little")


def negative_returns() -> list[Vector]:
    private, sealed, _ = example()
    good = sealed.file_bytes
    e = _entries()
    sig = json.loads(e["signature.json"])
    doc = json.loads(e["return.json"])
    manifest = json.loads(e["manifest.json"])
    raw_sig = bytes.fromhex(sig["signature"])
    unreduced = raw_sig[:32] + (int.from_bytes(raw_sig[32:], "little") + L).to_bytes(32, "little")
    v2_manifest = canonical_bytes({**manifest, "format_version": 2})
    extra_manifest = canonical_bytes(
        {**manifest, "parts": [*manifest["parts"], {**manifest["parts"][1], "name": "extra.json"}]}
    )
    pdf_as_text_manifest = canonical_bytes(
        {
            **manifest,
            "parts": [*manifest["parts"][:2], {**manifest["parts"][2], "media_type": "text/plain"}],
        }
    )
    forged_doc = {
        **doc,
        "signing_key": {
            "algorithm": "Ed25519",
            "public_key": SMALL_ORDER.hex(),
            "fingerprint": fingerprint(SMALL_ORDER),
        },
    }
    forged_parts = {**e, "return.json": _raw(forged_doc)}
    forged_manifest = build_manifest(
        [(n, forged_parts[n]) for n in ("mimetype", "return.json", "return.pdf")]
    )
    forged_parts["manifest.json"] = forged_manifest
    forged_parts["signature.json"] = _signature_json(
        None, forged_manifest, public_key=SMALL_ORDER, signature=bytes.fromhex("01" + "00" * 63)
    )
    noncanon = (2**255 - 19 + 2).to_bytes(32, "little")
    noncanon_parts = {
        **e,
        "signature.json": _signature_json(
            None, e["manifest.json"], public_key=noncanon, signature=raw_sig
        ),
    }
    warning_without_note = json.loads(e["return.json"])
    warning_without_note["validation"]["findings"][0]["note"] = ""
    spaced = json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()
    duplicated = e["return.json"][:-1] + b',"version":1}'
    v = Vector
    return [
        v("empty.lgareturn", b"", "damaged", "an empty file"),
        v("not-a-zip.lgareturn", b"%PDF-1.4 not a return\n", "not-a-return", "not a ZIP at all"),
        v(
            "cut-short.lgareturn",
            good[: len(good) // 2],
            "damaged",
            "the first half of the example",
        ),
        v("trailing-byte.lgareturn", good + b"\x00", "damaged", "one byte after the end record"),
        v(
            "return-json-changed.lgareturn",
            _zip({**e, "return.json": e["return.json"].replace(b"4000000", b"5000000")}),
            "tampered",
            "a figure of return.json changed, CRC fixed",
        ),
        v(
            "crc-wrong.lgareturn",
            _flip(good, 14),
            "tampered",
            "the CRC-32 of mimetype's local header is wrong",
        ),
        v(
            "pdf-changed.lgareturn",
            _zip({**e, "return.pdf": e["return.pdf"].replace(b"stand-in", b"stand-by")}),
            "tampered",
            "a byte of return.pdf changed, CRC fixed",
        ),
        v(
            "manifest-changed.lgareturn",
            _zip({**e, "manifest.json": e["manifest.json"].replace(b'"size":68', b'"size":69')}),
            "bad-signature",
            "manifest.json changed, not re-signed",
        ),
        v(
            "manifest-v2-unsigned.lgareturn",
            _zip({**e, "manifest.json": v2_manifest}),
            "bad-signature",
            "format_version 2 in a manifest the signature does not cover: no 'install a newer version'",
        ),
        v(
            "manifest-v2-signed.lgareturn",
            resealed(manifest=v2_manifest),
            "unsupported-version",
            "format_version 2, signed",
        ),
        v(
            "manifest-not-canonical.lgareturn",
            resealed(manifest=json.dumps(manifest, sort_keys=True).encode()),
            "tampered",
            "the manifest with spaces, signed",
        ),
        v(
            "manifest-extra-part.lgareturn",
            resealed(manifest=extra_manifest),
            "not-a-return",
            "the manifest lists a fourth part, signed",
        ),
        v(
            "manifest-media-type.lgareturn",
            resealed(manifest=pdf_as_text_manifest),
            "not-a-return",
            "return.pdf listed as text/plain, signed",
        ),
        v(
            "extra-entry.lgareturn",
            _zip({**e, "extra.json": b"{}"}),
            "tampered",
            "an entry added after signing",
        ),
        v(
            "pdf-removed.lgareturn",
            _zip({k: d for k, d in e.items() if k != "return.pdf"}),
            "tampered",
            "return.pdf removed",
        ),
        v(
            "signature-missing.lgareturn",
            _zip({k: d for k, d in e.items() if k != "signature.json"}),
            "not-a-return",
            "no signature.json",
        ),
        v(
            "duplicate-entry.lgareturn",
            canonical_zip([*e.items(), ("return.pdf", e["return.pdf"])]),
            "unsafe",
            "return.pdf twice",
        ),
        v(
            "unsafe-name.lgareturn",
            canonical_zip([*e.items(), ("../evil", b"x")]),
            "unsafe",
            "an entry named ../evil",
        ),
        v(
            "upper-case-name.lgareturn",
            canonical_zip([*e.items(), ("Extra.json", b"x")]),
            "unsafe",
            "an entry name outside the grammar",
        ),
        v("compressed.lgareturn", _compressed(), "not-a-return", "the entries deflated"),
        v(
            "mimetype-wrong.lgareturn",
            _zip({**e, "mimetype": b"application/zip"}),
            "not-a-return",
            "the first entry is not the return's mimetype",
        ),
        v(
            "reordered.lgareturn",
            _zip(e, ["mimetype", "manifest.json", "signature.json", "return.pdf", "return.json"]),
            "tampered",
            "return.pdf before return.json",
        ),
        v(
            "hidden-local-entry.lgareturn",
            _hidden_local_entry(),
            "tampered",
            "a local entry with an altered return.json hidden before the real one",
        ),
        v(
            "manifest-too-large.lgareturn",
            _zip({**e, "manifest.json": e["manifest.json"] + b" " * 5000}),
            "too-large",
            "manifest.json over its 4 KiB cap",
        ),
        v(
            "small-order-key.lgareturn",
            _zip(forged_parts),
            "bad-key",
            "the review's forgery: key 01 00..00, signature 01 00..00 || 00..00",
        ),
        v(
            "non-canonical-key.lgareturn",
            _zip(noncanon_parts),
            "bad-key",
            "a public key whose y is p + 2",
        ),
        v(
            "signature-s-unreduced.lgareturn",
            _zip(
                {
                    **e,
                    "signature.json": _signature_json(
                        None,
                        e["manifest.json"],
                        public_key=bytes.fromhex(sig["public_key"]),
                        signature=unreduced,
                    ),
                }
            ),
            "bad-signature",
            "the signature with L added to S",
        ),
        v(
            "signature-r-small-order.lgareturn",
            _zip(
                {
                    **e,
                    "signature.json": _signature_json(
                        None,
                        e["manifest.json"],
                        public_key=bytes.fromhex(sig["public_key"]),
                        signature=_r_of_small_order(e),
                    ),
                }
            ),
            "bad-signature",
            "R the neutral point, S = k*a: made with the private key, passes OpenSSL",
        ),
        v(
            "signature-flipped.lgareturn",
            _zip(
                {
                    **e,
                    "signature.json": _signature_json(
                        None,
                        e["manifest.json"],
                        public_key=bytes.fromhex(sig["public_key"]),
                        signature=_flip(raw_sig, 5),
                    ),
                }
            ),
            "bad-signature",
            "one bit of the signature changed",
        ),
        v(
            "signature-fingerprint.lgareturn",
            _zip(
                {
                    **e,
                    "signature.json": canonical_bytes(
                        {**sig, "key_fingerprint": fingerprint(bytes(range(1, 33)))}
                    ),
                }
            ),
            "tampered",
            "signature.json names another fingerprint",
        ),
        v(
            "signature-not-canonical.lgareturn",
            _zip({**e, "signature.json": json.dumps(sig).encode()}),
            "tampered",
            "signature.json with spaces",
        ),
        v(
            "signature-algorithm.lgareturn",
            _zip({**e, "signature.json": canonical_bytes({**sig, "algorithm": "Ed448"})}),
            "not-a-return",
            "an algorithm other than Ed25519",
        ),
        v(
            "re-signed-other-key.lgareturn",
            resealed(
                changed_doc(version=1, signed_at="2012-10-16T10:30:00+01:00"), private=ANOTHER
            ),
            "wrong-key",
            "altered and re-signed by another key, still naming the example's",
        ),
        v(
            "return-not-canonical.lgareturn",
            resealed(spaced),
            "tampered",
            "return.json with spaces, signed",
        ),
        v(
            "return-duplicate-key.lgareturn",
            resealed(duplicated),
            "tampered",
            "return.json with the key version twice, signed",
        ),
        v(
            "return-float.lgareturn",
            resealed(e["return.json"].replace(b'"version":1', b'"version":1.0')),
            "not-a-return",
            "a floating-point number, signed",
        ),
        v(
            "return-big-integer.lgareturn",
            resealed(e["return.json"].replace(b"4000000,", b"9007199254740992,", 1)),
            "out-of-spec",
            "2^53 in a section, signed",
        ),
        v(
            "return-errors.lgareturn",
            resealed(changed_doc(validation={**doc["validation"], "errors": 3})),
            "out-of-spec",
            "validation.errors 3, signed",
        ),
        v(
            "return-warning-no-note.lgareturn",
            resealed(_raw(warning_without_note)),
            "out-of-spec",
            "a warning without its note, signed",
        ),
        v(
            "return-version-true.lgareturn",
            resealed(changed_doc(version=True)),
            "out-of-spec",
            "version true, signed",
        ),
        v(
            "return-sections-object.lgareturn",
            resealed(changed_doc(sections={})),
            "out-of-spec",
            "sections an object, signed",
        ),
        v(
            "return-signed-at.lgareturn",
            resealed(changed_doc(signed_at="yesterday")),
            "out-of-spec",
            "signed_at 'yesterday', signed",
        ),
        v(
            "return-supersedes-object.lgareturn",
            resealed(
                changed_doc(version=2, supersedes={"version": 1, "return_hash": {}, "reason": "x"})
            ),
            "out-of-spec",
            "supersedes.return_hash an object, signed",
        ),
        v(
            "return-unknown-council.lgareturn",
            resealed(changed_doc(council={"gss": "E07999999", "name": "Nowhere"})),
            "out-of-spec",
            "a council code no council has, signed",
        ),
        v(
            "return-unknown-key.lgareturn",
            resealed(changed_doc(extra=1)),
            "out-of-spec",
            "a key the format does not define, signed",
        ),
        v(
            "pdf-not-a-pdf.lgareturn",
            resealed(pdf=b"not a pdf\n"),
            "out-of-spec",
            "return.pdf is not a PDF, signed",
        ),
    ]


def trusted_keys_file() -> bytes:
    """The example key trusted for Oxford, "another key" too, and "another key" revoked."""
    example_fp = fingerprint(bytes.fromhex(public_key_hex(example()[0])))
    other_fp = fingerprint(bytes.fromhex(public_key_hex(ANOTHER)))
    value = {
        "format": "lga-desktop trusted keys",
        "format_version": 1,
        "councils": {
            "E07000178": [
                {"fingerprint": example_fp, "note": "confirmed by phone, 3 Oct 2012"},
                {
                    "fingerprint": other_fp,
                    "note": "confirmed by phone, 1 Sep 2012",
                    "revoked": {
                        "after": "2012-10-15",
                        "reason": "the laptop holding it was stolen",
                    },
                },
            ]
        },
    }
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def key_card(private: Ed25519PrivateKey, endorsement: dict | None) -> bytes:
    pub = public_key_hex(private)
    value = {
        "format": "lga-desktop key card",
        "format_version": 1,
        "council": {"gss": "E07000178", "name": "Oxford City Council"},
        "algorithm": "Ed25519",
        "public_key": pub,
        "fingerprint": fingerprint(bytes.fromhex(pub)),
        "created_at": "2012-09-03T09:00:00+01:00",
        "created_by": "Alex Morgan",
        "endorsement": endorsement,
    }
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def vector_files() -> list[Vector]:
    private, sealed, return_bytes = example()
    doc = json.loads(return_bytes)
    correction = {
        **doc,
        "version": 2,
        "supersedes": {
            "version": 1,
            "return_hash": sealed.return_hash,
            "reason": "The waste saving was £40,000.00, not £4,000.00 as first typed.",
        },
        "signed_at": "2012-10-22T09:00:00+01:00",
    }
    example_fp = sealed.key_fingerprint
    endorsement = {
        "context": "lga-desktop key rotation v1",
        "fingerprint": example_fp,
        "public_key": public_key_hex(private),
        "signature": private.sign(endorsement_message(bytes.fromhex(public_key_hex(NEXT)))).hex(),
    }
    other = resealed(
        private=ANOTHER,
        doc_bytes=naming(ANOTHER),
    )
    trusted = "trusted-keys.json"
    v = Vector
    return [
        v("example.lgareturn", sealed.file_bytes, "valid", "the worked example of section 11"),
        v(
            "example.lgareturn",
            sealed.file_bytes,
            "valid",
            "the example against the trusted keys",
            trusted_keys=trusted,
            received=RECEIVED,
        ),
        v(
            "correction.lgareturn",
            resealed(canonical_bytes(correction)),
            "valid",
            "version 2 of the example's quarter, superseding it",
            trusted_keys=trusted,
            received=RECEIVED,
        ),
        v(
            "another-key.lgareturn",
            other,
            "valid",
            "signed by 'another key', received before its revocation",
            trusted_keys=trusted,
            received="2012-10-15",
        ),
        v(
            "another-key.lgareturn",
            other,
            "revoked-key",
            "the same file received after the key was revoked",
            trusted_keys=trusted,
            received=RECEIVED,
        ),
        v(
            "untrusted-key.lgareturn",
            resealed(
                private=NEXT,
                doc_bytes=naming(NEXT),
            ),
            "untrusted-key",
            "signed by 'the next key', which the list does not hold for Oxford",
            trusted_keys=trusted,
            received=RECEIVED,
        ),
        v(
            "unknown-council.lgareturn",
            resealed(
                changed_doc(council={"gss": "E07000177", "name": "Cherwell District Council"})
            ),
            "unknown-council",
            "the example key, for a council the list has no key for",
            trusted_keys=trusted,
            received=RECEIVED,
        ),
        *negative_returns(),
        v(trusted, trusted_keys_file(), "trusted-keys", "a trusted-keys file with a revocation"),
        v("example.lgakey", key_card(private, None), "key-card", "the example key's card"),
        v(
            "rotation.lgakey",
            key_card(NEXT, endorsement),
            "key-card",
            "'the next key', endorsed by the example key (a rotation)",
            extra={"endorsed_by": example_fp},
        ),
        v(
            "example-qr.txt",
            (qr_payload(sealed.return_hash, example_fp, "E07000178", "2012Q2") + "\n").encode(),
            "qr",
            "the QR code printed on the example's PDF",
        ),
        *(
            v(f, c, status, note, extra={"reason": exchange_verdict(f, c)[1]})
            for f, c, status, note in exchange_cases()
        ),
    ]


def listing(vectors: list[Vector]) -> bytes:
    from lga_desktop.returns.trust import load_trusted_keys
    from lga_desktop.returns.verify import verify_bytes

    rows = []
    for vec in vectors:
        row: dict[str, Any] = {"file": vec.file, "case": vec.note, "expect": vec.status}
        if vec.file.endswith(".lgareturn"):
            trusted = load_trusted_keys(VECTORS / vec.trusted_keys) if vec.trusted_keys else None
            from datetime import date

            received = date.fromisoformat(vec.received) if vec.received else None
            result = verify_bytes(vec.content, trusted=trusted, received=received)
            row.update(trusted_keys=vec.trusted_keys, received=vec.received, reason=result.reason)
        row.update(vec.extra)
        rows.append(row)
    return (json.dumps(rows, indent=1, ensure_ascii=False) + "\n").encode()


def write_all() -> None:
    vectors = vector_files()
    for vec in vectors:
        (VECTORS / vec.file).write_bytes(vec.content)
    LIST.write_bytes(listing(vectors))


if __name__ == "__main__":
    write_all()
    print(f"wrote {len({v.file for v in vector_files()})} files and {LIST.name} to {VECTORS}")


__all__ = ["Vector", "vector_files", "listing", "write_all", "LIST", "VECTORS", "Path"]
