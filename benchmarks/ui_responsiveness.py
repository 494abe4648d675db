"""Benchmark: does the window stay responsive while a county's year of spend imports? (issue 4)

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_responsiveness.py \
        [--lines 150000] [--switch-interval SECONDS] [--yield-on-progress] [--no-gc-freeze]

Builds the real main window, offscreen, on the demo workspace, with every page
visited once (so every page listens for changes, as after an officer has
looked around), shows the Procurement page, and starts
the import of a generated 150,000-line file (``benchmarks/import_spend.py``'s
generator) the way the window does: the import wizard's ``accept``, which
hands ``import_files`` (the core ``import_spend`` on its own connection) to
``lga_desktop.ui.tasks.run_task``. While it runs, on the UI thread:

- a ``QTimer`` asks to fire every 10 ms; the gaps between its ticks are the
  event loop's latency (median, 95th percentile, max, how many over 100 ms,
  the delay a user would feel);
- every 0.5 s the spend table scrolls somewhere new and is repainted
  (``view.grab()``), timed on its own (gaps that hold a repaint are left out
  of the timer's figures, in both runs).

Baselines in the same run: the same timer and repaints with nothing running,
and the same import run headless (no window) for its duration.
Remedies to try for a worker starving the UI thread of Python's GIL:
``--switch-interval`` sets ``sys.setswitchinterval`` first (CPython's
default is 0.005 s); ``--yield-on-progress`` makes every ``Progress.update``
(every 2,000 rows of the import) call ``time.sleep(0)``, which releases the
GIL. The window calls ``gc.freeze()`` once it is up
(``lga_desktop.ui.app.freeze_startup_objects``), so the cyclic garbage
collector's full passes, which hold the GIL (on the worker, mid-import, they
are the longest pauses), skip its long-lived objects; ``--no-gc-freeze``
measures without that.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_spend import generate  # noqa: E402 - the spend import benchmark's county year

from lga_desktop.demo import create_demo_workspace  # noqa: E402

COUNTY = "E10000016"  # Kent County Council: whose year the generated file is
from lga_desktop.procurement.spend_import import read_header  # noqa: E402
from lga_desktop.progress import Progress  # noqa: E402
from lga_desktop.ui.app import freeze_startup_objects  # noqa: E402
from lga_desktop.ui.main_window import MainWindow  # noqa: E402
from lga_desktop.ui.pages import pages  # noqa: E402
from lga_desktop.ui.procurement.import_wizard import (  # noqa: E402
    FileChoice,
    ImportWizard,
    import_files,
)
from lga_desktop.ui.procurement.page import ProcurementPage  # noqa: E402
from lga_desktop.ui.qt import QApplication, QSettings, Qt, QTimer  # noqa: E402

TICK_MS = 10
GRAB_EVERY_MS = 500
FELT_MS = 100  # a pause a user notices


@dataclass
class Probe:
    """Ticks of a 10 ms timer and timed repaints of the spend table, on the UI thread."""

    page: ProcurementPage
    ticks: list[float] = field(default_factory=list)
    grabs: list[tuple[float, float]] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(4))

    def tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def grab(self) -> None:
        table = self.page.spend.table
        model = table.model()
        t = time.perf_counter()
        # somewhere new, as an officer scrolling would: a fresh window of rows from SQLite
        table.scrollTo(model.index(self.rng.randrange(max(model.rowCount(), 1)), 0))
        table.grab()
        self.grabs.append((t, time.perf_counter()))

    def gaps(self) -> list[tuple[float, float]]:
        """(start, end) of the gaps between ticks, leaving out those holding our own repaints."""
        out, g = [], 0
        for a, b in zip(self.ticks, self.ticks[1:], strict=False):
            while g < len(self.grabs) and self.grabs[g][1] < a:
                g += 1
            if g < len(self.grabs) and self.grabs[g][0] < b:
                continue
            out.append((a, b))
        return out

    def gaps_ms(self) -> list[float]:
        return [(b - a) * 1000 for a, b in self.gaps()]

    def grab_ms(self) -> list[float]:
        return [(b - a) * 1000 for a, b in self.grabs]


def run_probe(app: QApplication, probe: Probe, *, seconds: float | None, start=None, done=None):
    """Run the event loop with the probe's timers until ``done()`` (or for ``seconds``)."""
    tick = QTimer()
    tick.setTimerType(Qt.TimerType.PreciseTimer)
    tick.setInterval(TICK_MS)
    tick.timeout.connect(probe.tick)
    grab = QTimer()
    grab.setInterval(GRAB_EVERY_MS)
    grab.timeout.connect(probe.grab)
    t0 = time.perf_counter()

    def check() -> None:
        if (seconds is not None and time.perf_counter() - t0 >= seconds) or (done and done()):
            app.exit(0)  # quit() would close the windows (Qt 6)

    watch = QTimer()
    watch.setInterval(TICK_MS)
    watch.timeout.connect(check)
    for timer in (tick, grab, watch):
        timer.start()
    if start is not None:
        QTimer.singleShot(0, start)
    app.exec()
    for timer in (tick, grab, watch):
        timer.stop()
    return time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def describe(label: str, probe: Probe) -> dict[str, float]:
    gaps, grabs = probe.gaps_ms(), probe.grab_ms()
    figures = {
        "median": statistics.median(gaps),
        "p95": pct(gaps, 95),
        "max": max(gaps),
        "felt": sum(g > FELT_MS for g in gaps),
        "grab": statistics.median(grabs) if grabs else 0.0,
        "grab_max": max(grabs) if grabs else 0.0,
    }
    print(
        f"  {label:<26}{figures['median']:>8.1f}{figures['p95']:>8.1f}{figures['max']:>9.1f}"
        f"{figures['felt']:>7}{len(gaps):>7}   {figures['grab']:>7.1f}{figures['grab_max']:>8.1f}"
        f"{len(grabs):>5}"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=150_000, help="lines in the imported year")
    parser.add_argument(
        "--switch-interval",
        type=float,
        default=None,
        help="sys.setswitchinterval(seconds) before anything runs (default: CPython's 0.005)",
    )
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="length of the baseline")
    parser.add_argument(
        "--yield-on-progress",
        action="store_true",
        help="time.sleep(0) in every Progress.update, releasing the GIL",
    )
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave out the gc.freeze() the window does once it is up (to measure without it)",
    )
    args = parser.parse_args()
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    if args.yield_on_progress:
        plain_update = Progress.update

        def update(self: Progress, done: int, total: int = 0, message: str = "") -> None:
            plain_update(self, done, total, message)
            time.sleep(0)

        Progress.update = update  # type: ignore[method-assign]
    folder = Path(tempfile.mkdtemp(prefix="lga-bench-ui-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    csv_path = folder / "county-year.csv"
    good = generate(csv_path, args.lines)
    print(
        f"UI responsiveness during a {args.lines:,}-line spend import "
        f"({os.cpu_count()} cores, switch interval {sys.getswitchinterval() * 1000:g} ms"
        + (", sleep(0) on progress" if args.yield_on_progress else "")
        + (", no gc.freeze()" if args.no_gc_freeze else "")
        + ")"
    )

    # the import's own time with no window, for comparison
    # the generated file is Kent's year: a Kent workspace, or the import is refused as another
    # body's spend (issue 13)
    headless = create_demo_workspace(folder / "headless.lgaws", council_gss=COUNTY)
    t = time.perf_counter()
    [report] = import_files(headless, [(csv_path, None)], False, Progress())
    t_headless = time.perf_counter() - t
    headless.close()
    assert not isinstance(report, tuple) and report.imported == good, report

    app = QApplication.instance() or QApplication([])
    ws = create_demo_workspace(folder / "demo.lgaws", council_gss=COUNTY)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ws, settings)
    window.resize(1280, 800)
    window.show()
    if not args.no_gc_freeze:
        freeze_startup_objects()  # as lga_desktop.ui.app.run does once the window is up
    for key, _title, _factory in pages():
        window.page(key)
        app.processEvents()
    page = window.page("procurement")
    assert isinstance(page, ProcurementPage)
    context = window.context
    assert context is not None
    app.processEvents()
    before = page.spend.model.rowCount()

    print(
        f"\n  {'event loop, 10 ms timer':<26}{'median':>8}{'p95':>8}{'max':>9}{'>100ms':>7}"
        f"{'gaps':>7}   {'repaint':>7}{'max':>8}{'n':>5}"
    )
    idle = Probe(page)
    run_probe(app, idle, seconds=args.idle_seconds)
    base = describe("nothing running (baseline)", idle)

    wizard = ImportWizard(context, window)
    wizard.files = [FileChoice(csv_path, mapping=read_header(csv_path, context.workspace))]
    busy = Probe(page)
    finished: list[float] = []

    def start() -> None:
        wizard.accept()  # exactly what the Import button does

    def done() -> bool:
        if wizard.results is not None and not finished:
            finished.append(time.perf_counter())
        return bool(finished)

    t = time.perf_counter()
    run_probe(app, busy, seconds=None, start=start, done=done)
    t_ui = finished[0] - t
    during = describe("importing", busy)
    results = wizard.results or []
    assert results and not isinstance(results[0], tuple), results
    assert results[0].imported == good
    after = page.spend.model.rowCount()
    assert after == before + good, (before, after, good)

    print(
        f"\n  import: {t_ui:.2f} s with the window, {t_headless:.2f} s headless "
        f"(x{t_ui / t_headless:.2f}); the table then shows {after:,} lines"
    )
    verdict = "no" if during["felt"] == 0 else f"{during['felt']}"
    print(
        f"  gaps over {FELT_MS} ms while importing: {verdict} (baseline {base['felt']}); "
        f"worst {during['max']:.0f} ms; repaint median {during['grab']:.0f} ms, "
        f"worst {during['grab_max']:.0f} ms (baseline {base['grab']:.0f} ms)"
    )
    window.close()


if __name__ == "__main__":
    main()
