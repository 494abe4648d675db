"""A slice of benchmarks/fuzz_exchange.py in every test run: no mutant pack or receipt accepted
that must not be, no crash, none imported that a workspace must refuse."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from fuzz_exchange import report, run  # noqa: E402


def test_a_slice_of_the_exchange_fuzz_run_accepts_nothing_it_must_refuse_and_never_crashes():
    fig = run(240, seed=20121015)
    assert fig.problems == [], report(fig)
    assert fig.total == 480 and len(fig.mutants) == 6  # three families of each kind
    assert fig.statuses["out-of-spec"] and fig.statuses["tampered"] and fig.statuses["damaged"]
    assert fig.statuses["valid"]  # re-signed within the format: the LGA may sign such a file
