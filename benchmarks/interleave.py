"""Timing a path beside its baseline on a busy machine: interleaved, as ratios.

Absolute times on a shared machine swing with whatever else runs; a ratio of
two figures taken moments apart does not. :func:`interleaved` times the
baseline and the app alternately (B A B A …) and reports the median of the
per-pair ratios with their spread (lowest and highest). A path with no
baseline (the spend page on a million lines) is an :class:`Absolute` row in
the same table, marked as such.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class Ratio:
    label: str
    baseline_label: str
    app_s: float  # medians, in seconds
    baseline_s: float
    ratio: float  # median of the per-pair ratios
    low: float
    high: float
    target: float
    runs: int

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target

    def row(self) -> str:
        return (
            f"{self.label:<34} {self.app_s * 1000:>8.0f} ms  {self.baseline_label:<34} "
            f"{self.baseline_s * 1000:>8.0f} ms  {self.ratio:>5.2f}x "
            f"({self.low:.2f}-{self.high:.2f}, n={self.runs})  <= {self.target:.2f}x  "
            f"{'ok' if self.ok else 'OVER'}"
        )


@dataclass
class Absolute:
    """A time held to an absolute target: a path with no baseline to run beside it.

    Judged on the fastest of its runs, as ``timeit`` advises: on a shared
    machine other work only ever adds to a time, so the fastest run is the
    one that measures the code; a real slow-down raises it too. The median
    and the slowest are printed beside it.
    """

    label: str
    best_s: float
    median_s: float
    slowest_s: float
    target: float  # seconds
    runs: int

    @property
    def ok(self) -> bool:
        return self.best_s <= self.target

    def row(self) -> str:
        spread = f"(median {self.median_s * 1000:.0f}, slowest {self.slowest_s * 1000:.0f})"
        return (
            f"{self.label:<34} {self.best_s * 1000:>8.0f} ms  {f'no baseline; fastest of {self.runs} runs':<34} "
            f"{'':>11}  {spread:<26} <= {self.target * 1000:.0f} ms absolute  "
            f"{'ok' if self.ok else 'OVER'}"
        )

    @classmethod
    def of(cls, label: str, times: list[float], target: float) -> Absolute:
        return cls(label, min(times), statistics.median(times), max(times), target, len(times))


HEADER = (
    f"{'path':<34} {'median':>11}  {'baseline':<34} {'median':>11}  "
    f"{'ratio (spread, runs)':<26} target"
)


def seconds(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(
    label: str,
    app: Callable[[], float],
    baseline_label: str,
    baseline: Callable[[], float],
    *,
    target: float,
    runs: int,
) -> Ratio:
    """``app`` and ``baseline`` each run once and return the seconds they measured."""
    apps, bases, ratios = [], [], []
    for _ in range(runs):
        b = baseline()
        a = app()
        bases.append(b)
        apps.append(a)
        ratios.append(a / b)
    return Ratio(
        label,
        baseline_label,
        statistics.median(apps),
        statistics.median(bases),
        statistics.median(ratios),
        min(ratios),
        max(ratios),
        target,
        runs,
    )


def print_table(rows: Sequence[Ratio | Absolute], memory: str = "") -> int:
    """Print the gates as one table (and a line on memory); 0 if every one is met, else 1."""
    print(HEADER)
    for row in rows:
        print(row.row())
    if memory:
        print(memory)
    return 0 if all(r.ok for r in rows) and not memory.endswith("OVER") else 1
