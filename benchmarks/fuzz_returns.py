"""Fuzz the return reader: mutants of a signed return through verify and consolidation.

    .venv/bin/python benchmarks/fuzz_returns.py [--mutants 100000] [--batch 2000] [--seed 1]

Three families of distinct mutants (no two the same file) of docs/vectors/example.lgareturn (signed with the
documented seed, which a trusted-keys list trusts for Oxford):

- **byte**: 1 to 3 random bit flips, byte changes, insertions, deletions,
  truncations or appended bytes anywhere in the file;
- **zip**: the ZIP re-packed wrongly: entries dropped, duplicated, reordered,
  renamed or added; a header field (versions, flags, method, time, CRC,
  sizes, name length, extra length, offsets, entry counts, comment) set to
  another value; a hidden local entry; a deflated entry; bytes before or after;
- **re-signed**: return.json changed as JSON (a value of another type, a key
  removed or added, a number beyond 2**53, a float, a duplicate key,
  spacing) and the file signed again, by the trusted key (the signer
  misbehaving) or by another key (a forger), with or without naming it.

Every mutant is verified against the trusted list, and the mutants are
consolidated batch by batch into a fresh programme. The run fails (exit 1)
on any of: a tampered file accepted (a byte or zip mutant other than the
original bytes, or any mutant signed by another key, found valid); a
re-signed mutant the format forbids accepted; a verify that raised or
returned "unreadable" (an error the reader did not foresee); a batch that
raised, or gave a file no outcome; a file merged that verify refused.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import random
import struct
import sys
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lga_desktop.consolidation.merge import consolidate
from lga_desktop.consolidation.store import Programme
from lga_desktop.returns.canonical import serialise as canonical
from lga_desktop.returns.container import canonical_zip, read_entries
from lga_desktop.returns.fileformat import seal
from lga_desktop.returns.keys import fingerprint, public_key_hex
from lga_desktop.returns.trust import TrustedKeys
from lga_desktop.returns.verify import verify_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "vectors" / "example.lgareturn"
TRUSTED_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # docs/return-format.md
FORGER = Ed25519PrivateKey.from_private_bytes(bytes([0x66]) * 32)
GSS = "E07000178"


@dataclass
class Mutant:
    family: str
    data: bytes
    may_be_valid: bool  # False: a verifier that accepts it is wrong
    forged: bool = False  # signed by a key the LGA does not trust


# ---- byte mutants -----------------------------------------------------------------


def byte_mutant(rng: random.Random, base: bytes) -> Mutant:
    data = bytearray(base)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(6)
        at = rng.randrange(len(data)) if data else 0
        if kind == 0 and data:
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1 and data:
            data[at] = rng.randrange(256)
        elif kind == 2:
            data[at:at] = bytes([rng.randrange(256)])
        elif kind == 3 and data:
            del data[at : at + rng.randint(1, 16)]
        elif kind == 4:
            data = data[:at]
        else:
            data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    out = bytes(data)
    return Mutant("byte", out, may_be_valid=out == base)


# ---- zip-structure mutants -----------------------------------------------------------

LOCAL_FIELDS = [(4, "H"), (6, "H"), (8, "H"), (10, "H"), (12, "H"), (14, "I"), (18, "I"), (22, "I"), (26, "H"), (28, "H")]  # fmt: skip
CENTRAL_FIELDS = [(4, "H"), (6, "H"), (8, "H"), (10, "H"), (12, "H"), (14, "H"), (16, "I"), (20, "I"), (24, "I"), (28, "H"), (30, "H"), (32, "H"), (34, "H"), (36, "H"), (38, "I"), (42, "I")]  # fmt: skip
END_FIELDS = [(4, "H"), (6, "H"), (8, "H"), (10, "H"), (12, "I"), (16, "I"), (20, "H")]


def _header_offsets(data: bytes, signature: bytes) -> list[int]:
    found, at = [], data.find(signature)
    while at != -1:
        found.append(at)
        at = data.find(signature, at + 1)
    return found


def _patch_field(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    choice = rng.randrange(3)
    if choice == 0:
        base, (off, fmt) = (
            rng.choice(_header_offsets(data, b"PK\x03\x04")),
            rng.choice(LOCAL_FIELDS),
        )
    elif choice == 1:
        base, (off, fmt) = (
            rng.choice(_header_offsets(data, b"PK\x01\x02")),
            rng.choice(CENTRAL_FIELDS),
        )
    else:
        base, (off, fmt) = data.rfind(b"PK\x05\x06"), rng.choice(END_FIELDS)
    size = struct.calcsize("<" + fmt)
    old = struct.unpack_from("<" + fmt, out, base + off)[0]
    new = rng.choice([0, 1, old + 1, old - 1 if old else 2, rng.randrange(256**size), 0xFFFF])
    struct.pack_into("<" + fmt, out, base + off, new % (256**size))
    return bytes(out)


def _deflated(entries: list[tuple[str, bytes]], which: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i, (name, content) in enumerate(entries):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if i == which else zipfile.ZIP_STORED
            zf.writestr(info, content)
    return buf.getvalue()


def _hidden_entry(entries: list[tuple[str, bytes]], rng: random.Random) -> bytes:
    real = canonical_zip(entries)
    name, content = rng.choice(entries)
    fake = content[:-1] + bytes([content[-1] ^ 1]) if content else b"x"
    raw = name.encode()
    header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, zlib.crc32(fake), len(fake), len(fake), len(raw), 0)  # fmt: skip
    at = rng.choice(_header_offsets(real, b"PK\x03\x04"))
    return (
        real[:at] + header + raw + fake + real[at:]
    )  # the directory still points at the old offsets


def zip_mutant(rng: random.Random, base: bytes, entries: list[tuple[str, bytes]]) -> Mutant:
    e = list(entries)
    kind = rng.randrange(10)
    if kind == 0:
        e.pop(rng.randrange(len(e)))
        out = canonical_zip(e)
    elif kind == 1:
        e.insert(rng.randrange(len(e) + 1), rng.choice(e))
        out = canonical_zip(e)
    elif kind == 2:
        rng.shuffle(e)
        out = canonical_zip(e)
    elif kind == 3:
        i = rng.randrange(len(e))
        e[i] = (rng.choice(["Return.json", "return.json/", "x", "../x", "a\\b", ".x", "_x", e[i][0] + "x"]) + rng.choice(["", str(rng.randrange(10**4))]), e[i][1])  # fmt: skip
        out = canonical_zip(e)
    elif kind == 4:
        extra = bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))
        e.insert(rng.randrange(len(e) + 1), (rng.choice(["extra.json", "a/b", "mimetype2"]), extra))
        out = canonical_zip(e)
    elif kind == 5:
        out = base
        for _ in range(rng.randint(1, 2)):
            out = _patch_field(rng, out)
    elif kind == 6:
        out = _hidden_entry(e, rng)
    elif kind == 7:
        out = _deflated(e, rng.randrange(len(e)))
    elif kind == 8:
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 30)))
        out = rng.choice([junk, b"PK\x03\x04" + junk]) + base if rng.random() < 0.5 else base + junk
    else:
        i = rng.randrange(len(e))  # a byte of a part changed, CRC and sizes made right
        name, content = e[i]
        at = rng.randrange(len(content) + 1)
        e[i] = (name, content[:at] + bytes([rng.randrange(256)]) + content[at + 1 :])
        out = canonical_zip(e)
    if rng.random() < 0.2:  # and sometimes a header field as well
        out = _patch_field(rng, out)
    return Mutant("zip", out, may_be_valid=out == base)


# ---- re-signed content mutants ---------------------------------------------------------


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*path, i))
    return found


OTHER_VALUES = [None, True, False, 0, -1, 2**53, -(2**53), 2**60, "", "x", "yesterday", [], {}, [1], {"a": 1}]  # fmt: skip


def _same_type(a: Any, b: Any) -> bool:
    return type(a) is type(b)


def resigned_mutant(rng: random.Random, doc: dict[str, Any]) -> Mutant:
    d = copy.deepcopy(doc)
    if rng.random() < 0.7:  # a figure changed too, as a signer may: keeps the files distinct
        d["sections"][0]["data"]["realised_pence"] = rng.randrange(10**9)
    unchanged = canonical(d)  # a valid return: a mutation that changes nothing stays valid
    paths = [p for p in _paths(d) if p]
    path = rng.choice(paths)
    parent = d
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    in_data = "data" in path  # a section's content: any JSON the register declares
    nullable = last in ("record", "field")
    kind = rng.randrange(6)
    may_be_valid = False
    if kind == 0:  # a value of another type (or out of range)
        others = [*OTHER_VALUES, rng.randrange(-(2**62), 2**62), f"t{rng.randrange(10**6)}"]
        new = rng.choice([v for v in others if not _same_type(v, parent[last])] or [None])
        parent[last] = new
        may_be_valid = (in_data and isinstance(new, (bool, str, list, dict, type(None))) or (in_data and isinstance(new, int) and abs(new) < 2**53)) or (nullable and new is None)  # fmt: skip
    elif kind == 1 and isinstance(parent, dict):  # a key removed
        del parent[last]
        may_be_valid = in_data
    elif kind == 2 and isinstance(parent, dict):  # a key added
        parent["zz_" + str(rng.randrange(100))] = 1
        may_be_valid = in_data
    elif kind == 3:  # a text changed to other text (free text may change; grammar may not)
        if isinstance(parent[last], str):
            parent[last] = parent[last] + rng.choice(["x", " ", "é", "\u2028", "\x00"])
            may_be_valid = None  # type: ignore[assignment]  # depends on the field
        else:
            parent[last] = 2**53
            may_be_valid = False
    elif kind == 4 and isinstance(parent[last], int) and not isinstance(parent[last], bool):
        parent[last] = parent[last] + rng.choice([1, -1, 2**52])
        may_be_valid = None  # type: ignore[assignment]  # counts and versions have rules
    else:
        parent[last] = None if not nullable else 0
        may_be_valid = in_data and not nullable
    body = canonical(d)
    raw_kind = rng.randrange(10)
    if raw_kind == 0:
        body = json.dumps(d, sort_keys=True).encode()  # not canonical
        may_be_valid = False
    elif raw_kind == 1 and body.endswith(b"}"):
        body = body[:-1] + b',"version":1}'  # a duplicate key
        may_be_valid = False
    elif raw_kind == 2:
        body = body.replace(b'"format_version":1', b'"format_version":1.0')  # a float
        may_be_valid = False
    forger = rng.random() < 0.3
    key = FORGER if forger else TRUSTED_KEY
    if forger and rng.random() < 0.5:
        try:
            named = json.loads(body)
            named["signing_key"] = {
                "algorithm": "Ed25519",
                "public_key": public_key_hex(FORGER),
                "fingerprint": fingerprint(bytes.fromhex(public_key_hex(FORGER))),
            }
            body = canonical(named)
        except (ValueError, TypeError):
            pass
    pdf = b"%PDF-1.4\n% stand-in printout for the fuzz run\n%%EOF\n"
    out = seal(body, pdf, key).file_bytes
    if body == unchanged and not forger:
        may_be_valid = True
    return Mutant("re-signed", out, may_be_valid=may_be_valid is not False, forged=forger)


# ---- the run ---------------------------------------------------------------------------


@dataclass
class Figures:
    mutants: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    distinct: set[bytes] = field(default_factory=set)
    batches: int = 0
    verify_seconds: float = 0.0
    consolidate_seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.mutants.values())


def trusted_list() -> TrustedKeys:
    trusted = TrustedKeys()
    trusted.add(GSS, fingerprint(bytes.fromhex(public_key_hex(TRUSTED_KEY))), "fuzz")
    return trusted


def mutants(count: int, seed: int):
    rng = random.Random(seed)
    base = EXAMPLE.read_bytes()
    entries = read_entries(base)
    doc = json.loads(dict(entries)["return.json"])
    seen: set[bytes] = set()
    made = tries = 0
    while made < count and tries < 5 * count:  # distinct files: a repeat tells nothing new
        tries += 1
        family = made % 3
        if family == 0:
            mutant = byte_mutant(rng, base)
        elif family == 1:
            mutant = zip_mutant(rng, base, entries)
        else:
            mutant = resigned_mutant(rng, doc)
        digest = hashlib.sha256(mutant.data).digest()
        if digest in seen:
            continue
        seen.add(digest)
        made += 1
        yield mutant


def check_verdicts(batch: list[Mutant], trusted: TrustedKeys, fig: Figures) -> list[bool]:
    valid = []
    started = time.perf_counter()
    for m in batch:
        fig.mutants[m.family] += 1
        fig.distinct.add(hashlib.sha256(m.data).digest())
        try:
            result = verify_bytes(m.data, trusted=trusted)
        except Exception as exc:  # noqa: BLE001 - what the fuzz is looking for
            fig.problems.append(f"verify raised {type(exc).__name__}: {exc}")
            valid.append(False)
            continue
        fig.statuses[result.status] += 1
        if result.status == "unreadable":
            fig.problems.append(f"an unforeseen error in verify ({m.family}): {result.reason}")
        if result.valid:
            fig.accepted[m.family] += 1
            if m.forged or not m.may_be_valid:
                fig.problems.append(f"ACCEPTED a {m.family} mutant it must refuse: {result.reason}")
        valid.append(result.valid)
    fig.verify_seconds += time.perf_counter() - started
    return valid


def consolidate_batch(batch: list[Mutant], valid: list[bool], trusted: TrustedKeys, fig: Figures):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inbox"
        folder.mkdir()
        for i, m in enumerate(batch):
            (folder / f"m{i:05d}.lgareturn").write_bytes(m.data)
        started = time.perf_counter()
        try:
            with Programme.create(Path(tmp) / "p.lgaprog") as prog:
                prog.trust_all(trusted)
                report = consolidate(prog, [folder])
        except Exception as exc:  # noqa: BLE001 - a batch must never abort
            fig.problems.append(f"a batch aborted: {type(exc).__name__}: {exc}")
            return
        finally:
            fig.consolidate_seconds += time.perf_counter() - started
            fig.batches += 1
    if len(report.files) != len(batch):
        fig.problems.append(f"a batch of {len(batch)} reported {len(report.files)} outcomes")
    for outcome in report.files:
        fig.outcomes[outcome.outcome] += 1
        if outcome.status == "internal":
            fig.problems.append(f"an unforeseen error in consolidation: {outcome.reason}")
        i = int(outcome.file[1:6])
        if outcome.merged and not valid[i]:
            fig.problems.append(f"merged a file verify refused: {outcome.file}")


def run(count: int, batch_size: int, seed: int, progress: bool = False) -> Figures:
    fig = Figures()
    trusted = trusted_list()
    batch: list[Mutant] = []
    for mutant in mutants(count, seed):
        batch.append(mutant)
        if len(batch) == batch_size:
            consolidate_batch(batch, check_verdicts(batch, trusted, fig), trusted, fig)
            batch = []
            if progress:
                print(f"  {fig.total:,} mutants, {len(fig.problems)} problems", file=sys.stderr)
    if batch:
        consolidate_batch(batch, check_verdicts(batch, trusted, fig), trusted, fig)
    return fig


def report(fig: Figures) -> str:
    lines = [
        f"mutants: {fig.total:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(fig.mutants.items()))}"
        f"), {len(fig.distinct):,} distinct files",
        f"verify: {fig.verify_seconds:.1f} s ({fig.verify_seconds / max(fig.total, 1) * 1000:.2f} ms each)",
        "verdicts: " + ", ".join(f"{k} {v:,}" for k, v in fig.statuses.most_common()),
        "accepted (valid): "
        + (", ".join(f"{k} {v:,}" for k, v in sorted(fig.accepted.items())) or "none"),  # fmt: skip
        f"consolidation: {fig.batches} batches, {fig.consolidate_seconds:.1f} s; outcomes: "
        + ", ".join(f"{k} {v:,}" for k, v in fig.outcomes.most_common()),
        f"problems: {len(fig.problems)}",
        *fig.problems[:20],
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mutants", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fig = run(args.mutants, args.batch, args.seed, progress=True)
    print(report(fig))
    return 1 if fig.problems else 0


if __name__ == "__main__":
    sys.exit(main())
