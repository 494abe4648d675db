"""The large-table guards: the spend page on a workspace of 1,000,000 lines.

Absolute times, not ratios (a page has no baseline to run beside it): the real
spend tab (Qt, offscreen) built, shown and painted with its first rows in
<= 60 ms, and a supplier typed into its search answering (count, first window,
painted) in <= 50 ms (issue 17). Each row is the fastest of several fresh tabs,
with the median and slowest beside it (see :class:`interleave.Absolute`).

Building the million-line workspace (seven generated county files imported one
after another, :func:`build`) takes one to two minutes on two shared cores, so
it is kept in the temporary folder (``lga-bench-million-<key>``, about 260 MB)
under a key made of the generator's and this builder's code and the
workspace's schema version: it is built again only when one of them changes
(delete the folder to force it).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/large_table.py [--runs 9]
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_spend as generator  # noqa: E402
from interleave import Absolute, print_table  # noqa: E402

LINES = 1_000_000
PARTS = 7
OPEN_TARGET_S = 0.060
FILTER_TARGET_S = 0.050
SUPPLIER = "hanson"


def _schema_version() -> int:
    from lga_desktop.workspace import Workspace

    with (
        tempfile.TemporaryDirectory() as tmp,
        Workspace.create(Path(tmp) / "v.lgaws", "E10000016") as ws,
    ):
        return ws.db.execute("PRAGMA user_version").fetchone()[0]


def build(path: Path) -> None:
    """LINES generated lines, imported as PARTS county files one after another."""
    from lga_desktop.procurement.spend_import import import_spend
    from lga_desktop.workspace import Workspace

    with Workspace.create(path, "E10000016") as ws:
        for n in range(PARTS):
            part = path.parent / f"part{n}.csv"
            generator.generate(part, LINES // PARTS + 1, seed=10 + n, prefix=f"P{n}-")
            import_spend(ws, part)
            part.unlink()


def cached_workspace() -> Path:
    """The million-line workspace, built once per generator, builder and schema version."""
    source = inspect.getsource(generator.generate) + inspect.getsource(build)
    key = f"{source}\n{LINES}\n{PARTS}\n{_schema_version()}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"lga-bench-million-{digest}"
    path = folder / "million.lgaws"
    if path.exists():
        return path
    building = Path(tempfile.mkdtemp(prefix="lga-bench-building-"))
    started = time.perf_counter()
    print(f"building a {LINES:,}-line workspace in {folder} (once) ...", file=sys.stderr)
    try:
        build(building / "million.lgaws")
        shutil.rmtree(folder, ignore_errors=True)
        building.rename(folder)  # whole or not at all
    finally:
        shutil.rmtree(building, ignore_errors=True)
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def measure(runs: int) -> list[Absolute]:
    """The two guards, each over ``runs`` fresh spend tabs."""
    from lga_desktop.ui.procurement.spend_page import measure_open

    path = cached_workspace()
    measure_open(path, SUPPLIER)  # warm: Qt's first widget, fonts, the file cache
    opens, filters = [], []
    for _ in range(runs):
        opened, filtered = measure_open(path, SUPPLIER)
        opens.append(opened)
        filters.append(filtered)
    return [
        Absolute.of("spend page opens, 1,000,000 lines", opens, OPEN_TARGET_S),
        Absolute.of(f"supplier filter '{SUPPLIER}', 1M lines", filters, FILTER_TARGET_S),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="spend tabs opened")
    args = parser.parse_args()
    return print_table(measure(args.runs))


if __name__ == "__main__":
    sys.exit(main())
