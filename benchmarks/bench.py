"""`make bench`: every speed gate, each beside its baseline interleaved, in one table.

Each ratio row is the median of the per-pair ratios (app / baseline, the two
run alternately in the same process) with the lowest and highest pair. The last
two rows are absolute guards, marked so: the spend page on 1,000,000 lines
(benchmarks/large_table.py; its workspace is built once, 1-2 minutes, and kept
in the temporary folder). CI never times anything; run this on the machine you
care about, three times.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench.py [--runs 9] [--no-large-table]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import consolidate  # noqa: E402
import import_gate  # noqa: E402
import large_table  # noqa: E402
import startup  # noqa: E402
from interleave import print_table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="pairs of runs per gate")
    parser.add_argument(
        "--no-large-table",
        action="store_true",
        help="skip the million-line spend page guards (and building their workspace)",
    )
    args = parser.parse_args()
    imports, memory = import_gate.measure(args.runs)
    rows = [startup.measure(args.runs), *imports, consolidate.measure(args.runs)]
    if not args.no_large_table:
        rows += large_table.measure(args.runs)
    return print_table(rows, memory)


if __name__ == "__main__":
    sys.exit(main())
