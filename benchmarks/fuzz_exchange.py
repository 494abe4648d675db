"""Fuzz the pack and receipt readers: mutants of the signed examples through the council's checks.

    .venv/bin/python benchmarks/fuzz_exchange.py [--mutants 10000] [--seed 1]

For each kind (docs/vectors/example.lgapack and example.lgareceipt, signed
with the documented LGA key), three families of distinct mutants, made as
benchmarks/fuzz_returns.py makes them for returns:

- **byte**: bit flips, byte changes, insertions, deletions, truncations,
  appended bytes;
- **zip**: entries dropped, duplicated, reordered, renamed, added; header
  fields changed; a hidden local entry; a deflated entry; bytes around;
- **re-signed**: the document changed as JSON (a value of another type, a key
  removed or added, a number beyond range, not canonical, a duplicate key, a
  float) and signed again by the LGA's key, or by another key (a forger,
  naming its own key or the LGA's).

Every mutant is opened (:func:`~lga_desktop.exchange.envelope.open_document`)
and given to a workspace that confirmed the LGA's key: packs are imported
(:func:`~lga_desktop.exchange.council.import_pack`), receipts opened
(:func:`~lga_desktop.exchange.council.open_receipt`; the workspace signed no
return the example names, so none may be recorded). The run fails (exit 1) on
any of: a byte or zip mutant accepted that is not the original file; a mutant
signed by another key accepted by the workspace; a re-signed mutant the
format forbids accepted; anything but a refusal in words (an exception other
than the documented ones, or the status "unreadable").
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_returns import OTHER_VALUES, _paths, byte_mutant, zip_mutant  # noqa: E402

from lga_desktop.errors import LgaError  # noqa: E402
from lga_desktop.exchange.council import import_pack, open_receipt  # noqa: E402
from lga_desktop.exchange.envelope import Kind, Refused, open_document, seal_bytes  # noqa: E402
from lga_desktop.exchange.formats import PACK, RECEIPT  # noqa: E402
from lga_desktop.returns.canonical import serialise as canonical  # noqa: E402
from lga_desktop.returns.container import read_entries  # noqa: E402
from lga_desktop.returns.keys import fingerprint, public_key_hex  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "docs" / "vectors"
LGA = Ed25519PrivateKey.from_private_bytes(bytes([0x4C]) * 32)  # docs/exchange-format.md
FORGER = Ed25519PrivateKey.from_private_bytes(bytes([0x66]) * 32)
LGA_FP = fingerprint(bytes.fromhex(public_key_hex(LGA)))
NULLABLE = {"due_days"}


@dataclass
class Mutant:
    family: str
    data: bytes
    may_be_valid: bool
    forged: bool = False
    note: str = ""


def resigned_mutant(rng: random.Random, kind: Kind, doc: dict[str, Any]) -> Mutant:
    d = copy.deepcopy(doc)
    if kind is PACK:
        d["sequence"] = rng.randrange(2, 2**31)  # a newer pack each time: keeps files distinct
    else:
        d["comments"][0]["comment"] = f"query {rng.randrange(10**9)}"
    path = rng.choice([p for p in _paths(d) if p])
    parent = d
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    op = rng.randrange(5)
    may_be_valid: bool | None = False
    if op == 0:  # a value of another type: the documents are closed and typed throughout
        new = rng.choice([v for v in OTHER_VALUES if type(v) is not type(parent[last])] or [None])
        may_be_valid = last in NULLABLE and (new is None or type(new) is int and 0 <= new <= 366)
        parent[last] = new
    elif op == 1 and isinstance(parent, dict):
        del parent[last]  # no key of a pack or receipt may be left out
    elif op == 2 and isinstance(parent, dict):
        parent["zz_" + str(rng.randrange(100))] = 1  # nor one added
    elif op == 3 and isinstance(parent[last], str):
        parent[last] += rng.choice(["x", " ", "é", "\u2028", "\x00"])
        may_be_valid = None  # free text may change; a grammar may not
    elif op == 4 and isinstance(parent[last], int) and not isinstance(parent[last], bool):
        parent[last] += rng.choice([1, -1, 2**52, 2**53])
        may_be_valid = None
    else:
        parent[last] = None
        may_be_valid = last in NULLABLE
    body = canonical(d)
    content_ok = may_be_valid  # before the bytes are spoilt (naming a key re-writes them)
    raw = rng.randrange(8)
    if raw == 0:
        body, may_be_valid = json.dumps(d, sort_keys=True).encode(), False
    elif raw == 1 and "format_version" in d:  # a duplicate key
        body, may_be_valid = body[:-1] + b',"format_version":1}', False
    elif raw == 2:
        body, may_be_valid = body.replace(b'"format_version":1', b'"format_version":1.0'), False
    forged = rng.random() < 0.3
    if forged and rng.random() < 0.5:
        try:
            named = json.loads(body)  # (a duplicate key collapses: the last one wins)
            undone = {**named, "lga_key": None} != {**d, "lga_key": None}
            pub = public_key_hex(FORGER)
            named["lga_key"] = {"algorithm": "Ed25519", "public_key": pub,
                                "fingerprint": fingerprint(bytes.fromhex(pub))}  # fmt: skip
            body = canonical(named)
            may_be_valid = None if path[0] == "lga_key" or undone else content_ok
        except (ValueError, TypeError, KeyError):
            pass
    data = seal_bytes(kind, body, FORGER if forged else LGA)
    note = f"op {op} at {'.'.join(map(str, path))}, bytes {raw}, forged {forged}"
    return Mutant("re-signed", data, may_be_valid is not False, forged, note)


def mutants(kind: Kind, count: int, seed: int):
    rng = random.Random(seed)
    base = (VECTORS / f"example{kind.suffix}").read_bytes()
    entries = read_entries(base)
    doc = json.loads(dict(entries)[kind.part])
    seen: set[bytes] = set()
    made = tries = 0
    while made < count and tries < 5 * count:
        tries += 1
        family = made % 3
        if family == 0:
            m = byte_mutant(rng, base)
        elif family == 1:
            m = zip_mutant(rng, base, entries)
        else:
            m = resigned_mutant(rng, kind, doc)
        m = Mutant(m.family, m.data, m.may_be_valid, m.forged, getattr(m, "note", ""))
        digest = hashlib.sha256(m.data).digest()
        if digest in seen:
            continue
        seen.add(digest)
        made += 1
        yield m


@dataclass
class Figures:
    mutants: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)
    imported: Counter = field(default_factory=Counter)
    refusals: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.mutants.values())


def _workspace(folder: Path):
    from lga_desktop.workspace import Officer, Workspace

    ws = Workspace.create(folder / "fuzz.lgaws", "E07000178", Officer("Fuzz", "", ""))
    import_pack(ws, VECTORS / "example.lgapack", confirmed=LGA_FP)
    return ws


def run(count: int, seed: int, kinds: tuple[Kind, ...] = (PACK, RECEIPT)) -> Figures:
    fig = Figures()
    with tempfile.TemporaryDirectory() as tmp:
        ws = _workspace(Path(tmp))
        mutant_file = Path(tmp) / "mutant"
        try:
            for kind in kinds:
                started = time.perf_counter()
                for m in mutants(kind, count, seed):
                    _one(kind, m, ws, mutant_file, fig)
                fig.seconds += time.perf_counter() - started
        finally:
            ws.close()
    return fig


def _one(kind: Kind, m: Mutant, ws, mutant_file: Path, fig: Figures) -> None:
    label = f"{kind.noun} {m.family}"
    fig.mutants[label] += 1
    try:
        opened = open_document(kind, m.data)
        status = "valid"
    except Refused as exc:
        status = exc.status
        opened = None
    except Exception as exc:  # noqa: BLE001 - what the fuzz is looking for
        fig.problems.append(f"open raised {type(exc).__name__}: {exc} ({label})")
        return
    fig.statuses[status] += 1
    if status == "unreadable":
        fig.problems.append(f"an unforeseen error ({label})")
    if opened is not None:
        fig.accepted[label] += 1
        if not m.may_be_valid:
            fig.problems.append(f"ACCEPTED a {label} mutant the format forbids: {m.note}")
    mutant_file.write_bytes(m.data)
    if kind is not PACK:
        if opened is not None and m.forged and opened.fingerprint == LGA_FP:
            fig.problems.append("a receipt signed by another key passed as the LGA's")
        try:  # the workspace signed no return the example names: nothing may be recorded
            open_receipt(ws, mutant_file)
            fig.problems.append(f"RECORDED a {label} mutant for a return never signed")
        except LgaError as exc:
            fig.refusals[f"receipt {type(exc).__name__}"] += 1
        except Exception as exc:  # noqa: BLE001
            fig.problems.append(f"open-receipt raised {type(exc).__name__}: {exc} ({label})")
        return
    try:
        pack = import_pack(ws, mutant_file)
        fig.imported[label] += 1
        if m.forged or opened is None:
            fig.problems.append(f"IMPORTED a {label} mutant the workspace must refuse")
        if pack.sequence != 1:  # back to the example in force, for the next mutant
            ws.db.execute("DELETE FROM programme_pack WHERE sequence = ?", [pack.sequence])
    except LgaError as exc:
        fig.refusals[type(exc).__name__] += 1  # refused in words (not valid, not trusted, older)
    except Exception as exc:  # noqa: BLE001
        fig.problems.append(f"import raised {type(exc).__name__}: {exc} ({label})")


def report(fig: Figures) -> str:
    return "\n".join(
        [
            f"mutants: {fig.total:,} ("
            + ", ".join(f"{k} {v:,}" for k, v in sorted(fig.mutants.items()))
            + f") in {fig.seconds:.1f} s",
            "verdicts: " + ", ".join(f"{k} {v:,}" for k, v in fig.statuses.most_common()),
            "opened as sound (re-signed by the LGA, within the format): "
            + (", ".join(f"{k} {v:,}" for k, v in sorted(fig.accepted.items())) or "none"),
            "imported by the workspace: "
            + (", ".join(f"{k} {v:,}" for k, v in sorted(fig.imported.items())) or "none"),
            "refused by the workspace: "
            + ", ".join(f"{k} {v:,}" for k, v in fig.refusals.most_common()),
            f"problems: {len(fig.problems)}",
            *fig.problems[:20],
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mutants", type=int, default=10_000, help="per kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fig = run(args.mutants, args.seed)
    print(report(fig))
    return 1 if fig.problems else 0


if __name__ == "__main__":
    sys.exit(main())
