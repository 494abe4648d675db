"""A slice of benchmarks/fuzz_returns.py in every test run: mutants never accepted, never a crash."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from fuzz_returns import report, run  # noqa: E402


def test_a_slice_of_the_fuzz_run_accepts_no_tampered_file_and_aborts_nothing():
    fig = run(300, batch_size=150, seed=20121015)
    assert fig.problems == [], report(fig)
    assert fig.total == 300 and fig.batches == 2
    assert sum(fig.outcomes.values()) == 300  # every file got an outcome
    assert set(fig.mutants) == {"byte", "zip", "re-signed"}
    assert fig.statuses["out-of-spec"] and fig.statuses["tampered"]  # the families reach deep
