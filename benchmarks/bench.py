"""`make bench`: every speed gate, each beside its baseline interleaved, in one table.

Each row is the median of the per-pair ratios (app / baseline, the two run
alternately in the same process) with the lowest and highest pair. CI never
times anything; run this on the machine you care about, three times.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench.py [--runs 9]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import consolidate  # noqa: E402
import import_gate  # noqa: E402
import startup  # noqa: E402
from interleave import print_table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="pairs of runs per gate")
    args = parser.parse_args()
    imports, memory = import_gate.measure(args.runs)
    rows = [startup.measure(args.runs), *imports, consolidate.measure(args.runs)]
    return print_table(rows, memory)


if __name__ == "__main__":
    sys.exit(main())
