"""Benchmark: consolidating a programme's returns, up to every English council for ten years.

    .venv/bin/python benchmarks/consolidate.py [--councils 350] [--quarters 40]
    .venv/bin/python benchmarks/consolidate.py --ratio [--runs 7]   # what `make bench` prints

design.md sizes the LGA's store at about 14,000 returns (every English
council, ten years of quarters). This makes that many real signed return
files: one demo council's return is signed the real way, then its
``return.json`` is re-addressed to each council and quarter and sealed with
that council's own Ed25519 key (the printed PDF is a small stand-in, so the
files fit on a laptop disk; verification hashes it all the same). Then it
times, beside baselines measured in the same run:

- ``consolidate`` of every file into a new programme file, beside
  ``verify_file`` of the same files alone (the checks every merge must make)
  and a plain copy of the bytes into a SQLite table (the cheapest store);
- consolidating the same folder again (everything already received);
- ``figures_for`` one quarter, and the CLI-sized ``returns_on_record``;
- the Board report for a quarter and for the financial year 2012/13 (its
  figures, then the XLSX and the PDF), over every return of that year
  (``--quarters 4`` makes exactly one year: 350 councils give 1,400 returns).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from interleave import HEADER, Ratio, interleaved, seconds  # noqa: E402

from lga_desktop.consolidation.figures import figures_for, returns_on_record  # noqa: E402
from lga_desktop.consolidation.merge import consolidate  # noqa: E402
from lga_desktop.consolidation.store import Programme  # noqa: E402
from lga_desktop.councils import all_councils  # noqa: E402
from lga_desktop.periods import Quarter  # noqa: E402
from lga_desktop.returns import keys  # noqa: E402
from lga_desktop.returns.canonical import canonical_bytes  # noqa: E402
from lga_desktop.returns.fileformat import seal  # noqa: E402
from lga_desktop.returns.verify import verify_file  # noqa: E402

TARGET = 1.4

STAND_IN_PDF = b"%PDF-1.4\n% the printed return is a stand-in in this benchmark\n%%EOF\n"


def template_return(folder: Path) -> dict:
    """A real return.json: the demo council's 2012/13 Q2 return, signed the real way."""
    from lga_desktop.consolidation.demo import _sign
    from lga_desktop.demo import create_demo_workspace

    saved = keys.SCRYPT_N
    keys.SCRYPT_N = 2**10  # the key's strength is not what is measured here
    try:
        ws_path = folder / "template.lgaws"
        with create_demo_workspace(ws_path) as ws:
            keys.create_key(ws, "demo passphrase, never a real one")
        signed = _sign(ws_path, "2012/13 Q2", folder, "template.lgareturn")
    finally:
        keys.SCRYPT_N = saved
    with zipfile.ZipFile(signed) as z:
        return json.loads(z.read("return.json"))


def make_returns(template: dict, councils: int, quarters: int, folder: Path):
    """One signed file per council and quarter; returns (files, {gss: fingerprint})."""
    chosen = list(all_councils())[:councils]  # 2012 councils too: ten years back
    inbox = folder / "inbox"
    inbox.mkdir()
    files, trusted = [], {}
    first = Quarter(2012, 1)
    for council in chosen:
        private = Ed25519PrivateKey.generate()
        pub = keys.public_key_hex(private)
        fp = keys.fingerprint(bytes.fromhex(pub))
        trusted[council.gss] = fp
        q = first
        for _ in range(quarters):
            doc = dict(template)
            doc["council"] = {"gss": council.gss, "name": council.official_name}
            doc["period"] = {
                "quarter": str(q),
                "key": q.key,
                "start": q.start.isoformat(),
                "end": q.end.isoformat(),
            }
            signed_on = date.fromordinal(q.end.toordinal() + 15)
            doc["signed_at"] = f"{signed_on.isoformat()}T10:30:00+00:00"
            doc["signing_key"] = {"algorithm": "Ed25519", "public_key": pub, "fingerprint": fp}
            sealed = seal(canonical_bytes(doc), STAND_IN_PDF, private)
            path = inbox / f"{council.gss}-{q.key}.lgareturn"
            path.write_bytes(sealed.file_bytes)
            files.append(path)
            q = q.next()
    return files, trusted


def board_reports(prog: Programme, folder: Path) -> list[tuple[str, float]]:
    """The Board report for 2012/13 Q2 and for the year 2012/13: figures, XLSX, PDF."""
    from lga_desktop.consolidation.reports import write_report

    out = []
    for period, name in (("2012/13 Q2", "quarter"), ("2012/13", "financial year")):
        fig, seconds = timed(lambda period=period: figures_for(prog, period))
        counted = len(fig.returns)
        out.append((f"Board report, {name}: figures ({counted:,} returns)", seconds))
        for suffix in (".xlsx", ".pdf"):
            path = folder / f"board {name}{suffix}"
            _, seconds = timed(lambda path=path, fig=fig: write_report(fig, path))
            pages = ""
            if suffix == ".pdf":
                from pypdf import PdfReader

                pages = f" ({len(PdfReader(path).pages)} pages)"
            out.append((f"Board report, {name}: {suffix[1:].upper()}{pages}", seconds))
    return out


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def measure(runs: int, councils: int = 100, quarters: int = 4) -> Ratio:
    """Consolidating fresh files into a new programme, beside verify_file on the same files."""
    folder = Path(tempfile.mkdtemp(prefix="lga-bench-consolidate-"))
    try:
        files, trusted = make_returns(template_return(folder), councils, quarters, folder)
        made = 0

        def merge_once() -> float:
            nonlocal made
            made += 1
            with Programme.create(folder / f"run{made}.lgaprog", "Benchmark programme") as prog:
                for gss, fp in trusted.items():
                    prog.trust_key(gss, fp)
                took = seconds(lambda: consolidate(prog, [folder / "inbox"]))
            (folder / f"run{made}.lgaprog").unlink()
            return took

        def verify_once() -> float:
            return seconds(lambda: [verify_file(f) for f in files])

        verify_once()  # warm the disk cache
        return interleaved(
            f"consolidate {len(files):,} returns",
            merge_once,
            "verify_file loop, same files",
            verify_once,
            target=TARGET,
            runs=runs,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=350)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the files and programme")
    parser.add_argument("--ratio", action="store_true", help="only the interleaved ratio")
    parser.add_argument("--runs", type=int, default=7, help="pairs of runs for --ratio")
    args = parser.parse_args()
    if args.ratio:
        print(HEADER)
        print(measure(args.runs).row())
        return
    folder = Path(tempfile.mkdtemp(prefix="lga-bench-consolidate-"))
    try:
        template = template_return(folder)
        (files, trusted), made = timed(
            lambda: make_returns(template, args.councils, args.quarters, folder)
        )
        size = sum(f.stat().st_size for f in files)
        n = len(files)
        print(
            f"Consolidation benchmark: {n:,} return files ({size / 1e6:,.0f} MB) "
            f"from {args.councils} councils x {args.quarters} quarters (made in {made:.1f} s)"
        )

        _, verify_s = timed(lambda: [verify_file(f) for f in files])

        def plain_copy():
            conn = sqlite3.connect(folder / "plain.sqlite")
            conn.execute("CREATE TABLE f (name TEXT, content BLOB)")
            with conn:
                conn.executemany(
                    "INSERT INTO f VALUES (?, ?)", ((p.name, p.read_bytes()) for p in files)
                )
            conn.close()

        _, copy_s = timed(plain_copy)
        with Programme.create(folder / "bench.lgaprog", "Benchmark programme") as prog:
            for gss, fp in trusted.items():
                prog.trust_key(gss, fp)
            report, merge_s = timed(lambda: consolidate(prog, [folder / "inbox"]))
            assert report.merged == n, report.summary()
            again, again_s = timed(lambda: consolidate(prog, [folder / "inbox"]))
            assert again.already == n
            quarter = Quarter(2012, 2)
            fig, figures_s = timed(lambda: figures_for(prog, quarter))
            assert len(fig.returns) == len(trusted)
            rows, record_s = timed(lambda: returns_on_record(prog))
            board = board_reports(prog, folder)
        prog_size = (folder / "bench.lgaprog").stat().st_size

        def line(label, seconds, note=""):
            print(f"  {label:<52}{seconds:>8.2f} s  {note}")

        line(
            "verify_file on every file (baseline: the checks)",
            verify_s,
            f"{n / verify_s:,.0f} files/s",
        )
        line("copy the bytes into a SQLite table (baseline)", copy_s, f"{n / copy_s:,.0f} files/s")
        line(
            "consolidate, every file merged",
            merge_s,
            f"{n / merge_s:,.0f} files/s, {merge_s / verify_s:.2f}x the checks alone",
        )
        line(
            "consolidate the same folder again (all already in)",
            again_s,
            f"{n / again_s:,.0f} files/s",
        )
        print(
            f"  {'figures_for one quarter (' + str(len(fig.returns)) + ' councils)':<52}"
            f"{figures_s * 1000:>8.0f} ms"
        )
        print(
            f"  {'every return on record (' + format(len(rows), ',') + ' rows)':<52}"
            f"{record_s * 1000:>8.0f} ms"
        )
        for label, seconds in board:
            line(label, seconds)
        print(f"  programme file {prog_size / 1e6:,.0f} MB (keeps every file received)")
    finally:
        if args.keep:
            print(f"  kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
