"""The officers' bundle: its size, and start-up of the frozen app to the main window.

Run after `make dist`:

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/frozen_startup.py [--runs 7]

Start-up is wall time from spawning the process to the line the app prints once
its main window has shown (``--quit-after-show``), on a demo workspace, timed
as in ``benchmarks/startup.py``. Cold start: on Linux the bundle's files are
first evicted from the OS file cache (``posix_fadvise(DONTNEED)``, no root
needed), so the launch reads them from disk as on a freshly booted laptop;
then the median of warm runs. The same app run from
source is measured in the same run as the baseline. Targets: bundle at most
140 MB (MiB of file sizes, symbolic links not counted; issue 17, with the PDF
viewer), frozen start under 2 s (issue 6).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import time_process  # noqa: E402  the same clock as the source benchmark

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "lga-desktop"
EXECUTABLE = BUNDLE / ("lga-desktop.exe" if sys.platform == "win32" else "lga-desktop")
MB = 1024 * 1024


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and file count under ``folder`` (what ``du`` sums, less block rounding)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def evict_from_cache(folder: Path) -> bool:
    """Drop the folder's files from the OS page cache; False where that is not possible."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fdatasync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def zipped_size(folder: Path, tmp: Path) -> int:
    """Size of the folder as a .zip: what an officer downloads or is e-mailed."""
    target = tmp / "lga-desktop.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                archive.write(path, path.relative_to(folder.parent))
    return target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="warm runs of each (median reported)")
    parser.add_argument("--no-zip", action="store_true", help="skip measuring the zipped size")
    args = parser.parse_args()
    if not EXECUTABLE.exists():
        raise SystemExit(f"no bundle at {BUNDLE}; run `make dist` first")

    size, count = folder_size(BUNDLE)
    largest = sorted(
        (
            (p.stat().st_size, p.relative_to(BUNDLE))
            for p in BUNDLE.rglob("*")
            if p.is_file() and not p.is_symlink()
        ),
        reverse=True,
    )[:5]

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_CONFIG_HOME": tmp_name,  # no recent-workspace list from a real user
        }
        from lga_desktop.demo import create_demo_workspace

        ws_path = tmp / "demo.lgaws"
        create_demo_workspace(ws_path).close()
        frozen_argv = [str(EXECUTABLE), "--open", str(ws_path), "--quit-after-show"]
        source_argv = [sys.executable, "-m", "lga_desktop", *frozen_argv[1:]]

        evicted = evict_from_cache(BUNDLE)
        cold = time_process(frozen_argv, env)
        time_process(source_argv, env)  # warm the source tree's files too
        frozen = [time_process(frozen_argv, env) for _ in range(args.runs)]
        source = [time_process(source_argv, env) for _ in range(args.runs)]
        zipped = None if args.no_zip else zipped_size(BUNDLE, tmp)

    f, s = statistics.median(frozen), statistics.median(source)
    print(f"{'bundle dist/lga-desktop':<58} {size / MB:8.1f} MB in {count:,} files (target <= 140)")
    if zipped is not None:
        print(f"{'  as a .zip':<58} {zipped / MB:8.1f} MB")
    for n, name in largest:
        print(f"{'  ' + str(name):<58} {n / MB:8.1f} MB")
    label = "cold (bundle not in file cache)" if evicted else "first launch (cache not dropped)"
    print(f"{'frozen start to window, ' + label:<58} {cold * 1000:8.0f} ms (target < 2000)")
    print(f"{'frozen start to window':<58} {f * 1000:8.0f} ms (median of {args.runs} warm)")
    print(f"{'from source (python -m lga_desktop)':<58} {s * 1000:8.0f} ms (median of {args.runs})")
    print(f"{'frozen / source':<58} {f / s:8.2f} x")


if __name__ == "__main__":
    main()
