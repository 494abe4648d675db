"""Start-up: process start to main window shown, beside a bare Qt window.

Both are measured here, in the same run, interleaved (bare, app, bare, app …),
as wall time from spawning the process to the line it prints once the window
has shown and the event loop has run; the figure is the median of the
per-pair ratios, with its spread. Target (issue 17): at most 2.0 x the bare
figure.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/startup.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleave import HEADER, Ratio, interleaved  # noqa: E402

TARGET = 2.0

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1180, 760); w.show()
def done():
    print("window shown", flush=True); w.close()
QTimer.singleShot(0, done)
app.exec()
"""


def time_process(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "window shown" in line:
            elapsed = time.perf_counter() - start
            break
    else:
        raise SystemExit(f"{argv} never showed its window")
    proc.wait(timeout=60)
    return elapsed


def measure(runs: int) -> Ratio:
    """The start-up ratio: lga-desktop opening a demo workspace, beside a bare Qt window."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_CONFIG_HOME": tmp,
        }
        # An installed program (and the PyInstaller bundle) runs from compiled .pyc
        # files; a shell that forbids writing them would time the compiler instead.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        from lga_desktop.demo import create_demo_workspace

        ws_path = Path(tmp) / "demo.lgaws"
        create_demo_workspace(ws_path).close()
        bare_argv = [sys.executable, "-c", BARE]
        app_argv = [
            sys.executable,
            "-m",
            "lga_desktop",
            "--open",
            str(ws_path),
            "--quit-after-show",
        ]
        time_process(bare_argv, env)  # warm the disk cache (and write .pyc files) for both
        time_process(app_argv, env)
        return interleaved(
            "start-up to window shown",
            lambda: time_process(app_argv, env),
            "bare QApplication + QMainWindow",
            lambda: time_process(bare_argv, env),
            target=TARGET,
            runs=runs,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="pairs of runs (median reported)")
    args = parser.parse_args()
    print(HEADER)
    print(measure(args.runs).row())


if __name__ == "__main__":
    main()
