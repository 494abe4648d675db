"""A second verifier, written from docs/return-format.md alone, agrees on every vector.

The verifier below uses no lga_desktop code: the standard library, an Ed25519 primitive and the
shipped council list (resources/councils.csv), as another team would have.
It gives each file of docs/vectors/vectors.json a status by following
sections 2 to 9 of the spec; the test holds its verdicts to the listed ones.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import struct
import zlib
from datetime import date, datetime
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "docs" / "vectors"
ROWS = json.loads((VECTORS / "vectors.json").read_text("utf-8"))
COUNCILS = {r["gss"] for r in csv.DictReader((ROOT / "resources" / "councils.csv").open())}

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SPEC = (ROOT / "docs" / "return-format.md").read_text("utf-8")
SMALL_ORDER = {bytes.fromhex(h) for h in re.findall(r"^    ([0-9a-f]{64})$", SPEC, re.M)}
NAMES = ["mimetype", "manifest.json", "signature.json", "return.json", "return.pdf"]
CAPS = dict(zip(NAMES, [30, 4096, 1024, 16 * 2**20, 48 * 2**20], strict=True))
MEDIA = {
    "mimetype": "text/plain",
    "return.json": "application/json",
    "return.pdf": "application/pdf",
}
MAX_INT = 2**53 - 1


class Verdict(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def fail(status: str):
    raise Verdict(status)


# ---- section 2: the container ------------------------------------------------------


def canonical_zip(entries):
    out, central = b"", b""
    for name, data in entries:
        fixed = struct.pack("<HHHHHIII", 20, 0, 0, 0, 0x21, zlib.crc32(data), len(data), len(data))
        central += struct.pack("<IH", 0x02014B50, 20) + fixed
        central += struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, len(out)) + name.encode()
        out += struct.pack("<I", 0x04034B50) + fixed + struct.pack("<HH", len(name), 0)
        out += name.encode() + data
    n = len(entries)
    return (
        out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), len(out), 0)
    )


def read_container(data: bytes) -> dict[str, bytes]:
    if not data:
        fail("damaged")
    if len(data) > 64 * 2**20:
        fail("too-large")
    if data[:4] != b"PK\x03\x04":
        fail("not-a-return")
    if len(data) < 22 or data[-22:-18] != b"PK\x05\x06":
        fail("damaged")
    disk, cd_disk, here, count, cd_size, cd_off, comment = struct.unpack("<HHHHIIH", data[-18:])
    end = len(data) - 22
    if disk or cd_disk or here != count or comment or cd_off + cd_size != end:
        fail("damaged")
    directory, at = [], cd_off
    for _ in range(count):
        if at + 46 > end or data[at : at + 4] != b"PK\x01\x02":
            fail("damaged")
        flags, method, _t, _d, crc, csize, size, nlen, elen, clen = struct.unpack(
            "<HHHHIIIHHH", data[at + 8 : at + 34]
        )
        (offset,) = struct.unpack("<I", data[at + 42 : at + 46])
        directory.append((data[at + 46 : at + 46 + nlen], flags, method, crc, csize, size, offset))
        at += 46 + nlen + elen + clen
        if at > end:
            fail("damaged")
    if at != end:
        fail("damaged")
    if len(directory) > 64:
        fail("unsafe")
    seen, total = set(), 0
    ours = bool(directory) and directory[0][0] == b"mimetype"
    for raw, flags, method, _crc, _csize, size, _off in directory:
        name = raw.decode("latin-1")
        rule = r"[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*"
        if len(name) > 120 or not re.fullmatch(rule, name) or name in seen:
            fail("unsafe")
        seen.add(name)
        if name not in CAPS:
            fail("tampered" if ours else "not-a-return")
        if size > CAPS[name]:
            fail("too-large")
        total += size
        if size > 48 * 2**20 or total > 64 * 2**20 or flags & 1:
            fail("unsafe")
        if flags or method:
            fail("not-a-return")
    entries = []
    for raw, _f, _m, crc, csize, size, offset in directory:
        if offset + 30 > len(data) or data[offset : offset + 4] != b"PK\x03\x04":
            fail("damaged")
        nlen, elen = struct.unpack("<HH", data[offset + 26 : offset + 30])
        content = data[offset + 30 + nlen + elen :][:size]
        if csize != size or len(content) != size or zlib.crc32(content) != crc:
            fail("damaged")
        entries.append((raw.decode("ascii"), content))
    if entries[0] != ("mimetype", b"application/vnd.lga.return+zip"):
        fail("not-a-return")
    if canonical_zip(entries) != data:
        fail("tampered")
    return dict(entries)


# ---- section 3: canonical JSON -------------------------------------------------------


def _depth_and_range(value, depth=0):
    if depth > 32:
        fail("out-of-spec")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        fail("out-of-spec")
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    )
    for child in children:
        _depth_and_range(child, depth + 1)


def read_json(data: bytes) -> dict:
    def refuse(_):
        raise ValueError("not a whole number")

    try:
        value = json.loads(data.decode("utf-8"), parse_float=refuse, parse_constant=refuse)
    except RecursionError:
        fail("out-of-spec")
    except ValueError:
        fail("not-a-return")
    if not isinstance(value, dict):
        fail("not-a-return")
    _depth_and_range(value)
    try:
        again = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if again.encode("utf-8") != data:
            fail("tampered")
    except UnicodeEncodeError:
        fail("tampered")
    return value


# ---- section 5: the signature ---------------------------------------------------------

FP = r"[0-9A-F]{4}( [0-9A-F]{4}){7}"


def fingerprint(raw: bytes) -> str:
    h = hashlib.sha256(raw).hexdigest()[:32].upper()
    return " ".join(h[i : i + 4] for i in range(0, 32, 4))


def sound_key(raw: bytes) -> bool:
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    if y >= P or raw in SMALL_ORDER:
        return False
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x2 = u * pow(v, P - 2, P) % P
    return x2 == 0 or pow(x2, (P - 1) // 2, P) == 1  # x exists


def check_signature(entries: dict[str, bytes]) -> str:
    sig = read_json(entries["signature.json"])
    keys = {"algorithm", "context", "key_fingerprint", "public_key", "signature"}
    if set(sig) != keys or not all(isinstance(v, str) for v in sig.values()):
        fail("not-a-return")
    if not (
        re.fullmatch(FP, sig["key_fingerprint"])
        and re.fullmatch("[0-9a-f]{64}", sig["public_key"])
        and re.fullmatch("[0-9a-f]{128}", sig["signature"])
    ):
        fail("not-a-return")
    if sig["algorithm"] != "Ed25519" or sig["context"] != "lga-desktop return v1":
        fail("not-a-return")
    public, signature = bytes.fromhex(sig["public_key"]), bytes.fromhex(sig["signature"])
    if not sound_key(public):
        fail("bad-key")
    if sig["key_fingerprint"] != fingerprint(public):
        fail("tampered")
    if int.from_bytes(signature[32:], "little") >= L or signature[:32] in SMALL_ORDER:
        fail("bad-signature")
    message = b"lga-desktop return v1\x00" + hashlib.sha256(entries["manifest.json"]).digest()
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        fail("bad-signature")
    return sig["public_key"]


# ---- section 4: the manifest ------------------------------------------------------------


def check_manifest(entries: dict[str, bytes]) -> None:
    m = read_json(entries["manifest.json"])
    if m.get("format") != "lga-desktop return":
        fail("not-a-return")
    if m.get("format_version") != 1 or isinstance(m.get("format_version"), bool):
        fail("unsupported-version")
    parts = m.get("parts")
    if set(m) != {"format", "format_version", "parts"} or not isinstance(parts, list):
        fail("not-a-return")
    for p in parts:
        if not isinstance(p, dict) or set(p) != {"name", "media_type", "size", "sha256"}:
            fail("not-a-return")
        if not (isinstance(p["name"], str) and isinstance(p["media_type"], str)):
            fail("not-a-return")
        if not isinstance(p["size"], int) or isinstance(p["size"], bool) or p["size"] < 0:
            fail("not-a-return")
        if not isinstance(p["sha256"], str) or not re.fullmatch("[0-9a-f]{64}", p["sha256"]):
            fail("not-a-return")
    if [p["name"] for p in parts] != NAMES[:1] + NAMES[3:]:
        fail("not-a-return")
    if any(p["media_type"] != MEDIA[p["name"]] for p in parts):
        fail("not-a-return")
    for p in parts:
        content = entries.get(p["name"])
        if content is None or len(content) != p["size"]:
            fail("tampered")
        if hashlib.sha256(content).hexdigest() != p["sha256"]:
            fail("tampered")
    if list(entries) != NAMES:
        fail("tampered")


# ---- section 6: return.json ----------------------------------------------------------------


def text(v, lo=0, hi=10_000, pattern=None):
    ok = isinstance(v, str) and lo <= len(v) <= hi and (pattern is None or re.fullmatch(pattern, v))
    if not ok:
        fail("out-of-spec")


def integer(v, lo, hi):
    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
        fail("out-of-spec")


def obj(v, keys):
    if not isinstance(v, dict) or set(v) != set(keys):
        fail("out-of-spec")


def real(parse, value):
    try:
        parse(value)
    except ValueError:
        fail("out-of-spec")


def check_return(doc: dict, public_hex: str) -> None:
    top = "format format_version program council period version supersedes signed_at"
    obj(doc, (top + " declaration signing_key validation sections").split())
    if doc["format"] != "lga-desktop return" or doc["format_version"] != 1:
        fail("out-of-spec")
    if isinstance(doc["format_version"], bool):
        fail("out-of-spec")
    obj(doc["program"], ["name", "version"])
    text(doc["program"]["name"], 1, 100)
    text(doc["program"]["version"], 0, 40)
    obj(doc["council"], ["gss", "name"])
    text(doc["council"]["gss"], pattern=r"E0[6-9]\d{6}|E10\d{6}")
    text(doc["council"]["name"], 1, 200)
    period = doc["period"]
    obj(period, ["quarter", "key", "start", "end"])
    text(period["quarter"], pattern=r"(20\d\d)/(\d\d) Q([1-4])")
    text(period["key"], pattern=r"(20\d\d)Q([1-4])")
    text(period["start"], pattern=r"\d{4}-\d{2}-\d{2}")
    text(period["end"], pattern=r"\d{4}-\d{2}-\d{2}")
    integer(doc["version"], 1, 999)
    sup = doc["supersedes"]
    if sup is not None:
        obj(sup, ["version", "return_hash", "reason"])
        integer(sup["version"], 1, 998)
        text(sup["return_hash"], pattern="[0-9a-f]{64}")
        text(sup["reason"], 1)
    text(doc["signed_at"], pattern=r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
    dec = doc["declaration"]
    obj(dec, ["statement", "same_person", "preparer", "signer"])
    text(dec["statement"], 1)
    if not isinstance(dec["same_person"], bool):
        fail("out-of-spec")
    for who in ("preparer", "signer"):
        obj(dec[who], ["name", "role", "email", "date"])
        text(dec[who]["name"], 1, 200)
        text(dec[who]["role"], 0, 200)
        text(dec[who]["email"], 0, 254)
        text(dec[who]["date"], pattern=r"\d{4}-\d{2}-\d{2}")
    key = doc["signing_key"]
    obj(key, ["algorithm", "public_key", "fingerprint"])
    if key["algorithm"] != "Ed25519":
        fail("out-of-spec")
    text(key["public_key"], pattern="[0-9a-f]{64}")
    text(key["fingerprint"], pattern=FP)
    val = doc["validation"]
    obj(val, ["errors", "warnings", "findings"])
    integer(val["errors"], 0, MAX_INT)
    integer(val["warnings"], 0, MAX_INT)
    if not isinstance(val["findings"], list) or len(val["findings"]) > 100_000:
        fail("out-of-spec")
    for f in val["findings"]:
        obj(f, ["severity", "register", "code", "message", "record", "field", "key", "note"])
        if f["severity"] not in ("error", "warning"):
            fail("out-of-spec")
        text(f["register"], pattern="[a-z][a-z0-9_]{0,39}")
        text(f["code"], 1, 200)
        text(f["message"], 1)
        for nullable in ("record", "field"):
            if f[nullable] is not None:
                text(f[nullable], 0, 200)
        text(f["key"], 1, 700)
        text(f["note"])
    sections = doc["sections"]
    if not isinstance(sections, list) or len(sections) > 100:
        fail("out-of-spec")
    for s in sections:
        obj(s, ["key", "title", "data"])
        text(s["key"], pattern="[a-z][a-z0-9_]{0,39}")
        text(s["title"], 1, 200)
    # the rules between fields
    if doc["council"]["gss"] not in COUNCILS:
        fail("out-of-spec")
    y1, y2, q = re.fullmatch(r"(20\d\d)/(\d\d) Q([1-4])", period["quarter"]).groups()
    y1, q = int(y1), int(q)
    if int(y2) != (y1 + 1) % 100 or period["key"] != f"{y1}Q{q}":
        fail("out-of-spec")
    start_month = 4 + 3 * (q - 1)
    start = date(y1 + (start_month > 12), (start_month - 1) % 12 + 1, 1)
    next_month = start_month + 3
    after = date(y1 + (next_month > 12), (next_month - 1) % 12 + 1, 1)
    real(date.fromisoformat, period["start"])
    real(date.fromisoformat, period["end"])
    if date.fromisoformat(period["start"]) != start:
        fail("out-of-spec")
    if (after - date.fromisoformat(period["end"])).days != 1:
        fail("out-of-spec")
    real(datetime.fromisoformat, doc["signed_at"])
    for who in ("preparer", "signer"):
        real(date.fromisoformat, dec[who]["date"])
    if (doc["version"] == 1) != (sup is None):
        fail("out-of-spec")
    if sup is not None and sup["version"] != doc["version"] - 1:
        fail("out-of-spec")
    findings = val["findings"]
    if val["errors"] or any(f["severity"] == "error" for f in findings):
        fail("out-of-spec")
    if val["warnings"] != len(findings) or any(not f["note"].strip() for f in findings):
        fail("out-of-spec")
    if len({s["key"] for s in sections}) != len(sections):
        fail("out-of-spec")
    if key["public_key"] != public_hex or key["fingerprint"] != fingerprint(
        bytes.fromhex(public_hex)
    ):
        fail("wrong-key")


# ---- sections 8 and 9 ---------------------------------------------------------------------


def verify(data: bytes, trusted: dict | None, received: date) -> str:
    try:
        entries = read_container(data)
        if "manifest.json" not in entries or "signature.json" not in entries:
            fail("not-a-return")
        public_hex = check_signature(entries)
        check_manifest(entries)
        doc = read_json(entries["return.json"])
        check_return(doc, public_hex)
        if not entries["return.pdf"].startswith(b"%PDF-"):
            fail("out-of-spec")
    except Verdict as verdict:
        return verdict.status
    if trusted is None:
        return "valid"
    fp, gss = doc["signing_key"]["fingerprint"], doc["council"]["gss"]
    entries_for = trusted["councils"].get(gss, [])
    revoked = [e["revoked"] for c in trusted["councils"].values() for e in c if e["fingerprint"] == fp and e.get("revoked")]  # fmt: skip
    if revoked and received > date.fromisoformat(revoked[0]["after"]):
        return "revoked-key"
    if fp in {e["fingerprint"] for e in entries_for}:
        return "valid"
    return "untrusted-key" if entries_for else "unknown-council"


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["file"].endswith(".lgareturn")], ids=lambda r: r["file"]
)
def test_a_verifier_written_from_the_spec_alone_gives_every_vector_its_verdict(row):
    trusted = None
    if row["trusted_keys"]:
        trusted = json.loads((VECTORS / row["trusted_keys"]).read_text("utf-8"))
    received = date.fromisoformat(row["received"]) if row["received"] else date.today()
    assert verify((VECTORS / row["file"]).read_bytes(), trusted, received) == row["expect"]


def test_the_two_verifiers_agree_on_fuzzed_files():
    """Differential: the spec's verifier and lga-desktop give every mutant the same status."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from fuzz_returns import mutants, trusted_list

    from lga_desktop.returns.verify import verify_bytes

    trusted = trusted_list()
    as_json = json.loads(json.dumps(trusted.to_json()))
    differ = []
    for mutant in mutants(600, seed=8):
        ours = verify_bytes(mutant.data, trusted=trusted).status
        theirs = verify(mutant.data, as_json, date.today())
        if ours != theirs:
            differ.append((mutant.family, ours, theirs))
    assert differ == []
