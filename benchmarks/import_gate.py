"""The spend-import gates: import_spend, and the whole `import-spend` command.

Both beside the same baseline, interleaved in the same run: SQLite's own
``.import`` of the CSV followed by the five indexes the workspace keeps on
spend lines (the ``sqlite3`` command-line shell when it is installed, else
Python's sqlite3 module doing the equivalent; the row says which). The file
is a generated year the size of Calderdale's 2012/13 (55,965 lines; see
:func:`import_spend.generate`). Targets (issue 17): import alone <= 1.45x,
the whole command <= 1.7x; peak memory of the import under 60 MB.

    .venv/bin/python benchmarks/import_gate.py [--runs 9]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_spend import HEADER as COLUMNS  # noqa: E402
from import_spend import ROOT, child_import, generate  # noqa: E402
from interleave import Ratio, interleaved, print_table  # noqa: E402

LINES = 55_965  # Calderdale 2012/13
IMPORT_TARGET = 1.45
COMMAND_TARGET = 1.7
MEMORY_TARGET_MB = 60

# the workspace's unique index and four secondary indexes, on the file's own columns
INDEXES = (
    'CREATE UNIQUE INDEX i_ref ON spend ("Transaction Number", "Net Amount")',
    'CREATE INDEX i_date ON spend ("Payment Date")',
    'CREATE INDEX i_supplier ON spend ("Supplier ID", "Payment Date")',
    'CREATE INDEX i_name ON spend ("Supplier Name")',
    'CREATE INDEX i_amount ON spend ("Net Amount")',
)


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cli_baseline(exe: str, csv_path: Path, db: Path) -> float:
    _fresh(db)
    script = f".import --csv {csv_path} spend\nBEGIN;\n" + ";\n".join(INDEXES) + ";\nCOMMIT;\n"
    started = time.perf_counter()
    # stderr: the shell grumbles about the trailing blank rows, which it imports as NULLs
    subprocess.run([exe, str(db)], input=script, text=True, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def python_baseline(csv_path: Path, db: Path) -> float:
    """What ``.import`` does, with Python's sqlite3 and csv modules: no work per line."""
    _fresh(db)
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    with open(csv_path, newline="", encoding="cp1252") as f:
        rows = csv.reader(f)
        next(rows)
        conn.execute("CREATE TABLE spend (" + ", ".join(f'"{c}"' for c in COLUMNS) + ")")
        marks = ", ".join("?" * len(COLUMNS))
        conn.executemany(f"INSERT INTO spend VALUES ({marks})", (r for r in rows if r))
    for statement in INDEXES:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def measure(runs: int) -> tuple[list[Ratio], str]:
    """The two import ratios, and a line on peak memory."""
    from lga_desktop.procurement.spend_import import import_spend
    from lga_desktop.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="lga-import-gate-") as tmp:
        folder = Path(tmp)
        year = folder / "year.csv"
        good = generate(year, LINES)
        base_db = folder / "baseline.db"
        exe = shutil.which("sqlite3")
        if exe:
            label = "sqlite3 .import + 5 indexes (CLI)"

            def baseline() -> float:
                return cli_baseline(exe, year, base_db)
        else:
            label = ".import + 5 indexes (py sqlite3)"

            def baseline() -> float:
                return python_baseline(year, base_db)

        empty = folder / "empty.lgaws"
        Workspace.create(empty, "E10000016").close()
        ws_path = folder / "w.lgaws"

        def fresh_workspace() -> None:
            _fresh(ws_path)
            shutil.copyfile(empty, ws_path)

        def app() -> float:
            fresh_workspace()
            with Workspace.open(ws_path) as ws:
                started = time.perf_counter()
                report = import_spend(ws, year)
                elapsed = time.perf_counter() - started
            assert report.imported == good, (report.imported, good)
            return elapsed

        command = [sys.executable, "-m", "lga_desktop", "import-spend", str(ws_path), str(year)]
        # An installed program (and the bundle) runs from compiled .pyc files; a shell
        # that forbids writing them would time the compiler instead.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        def whole() -> float:
            fresh_workspace()
            started = time.perf_counter()
            subprocess.run(
                command,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
                env=env,
            )
            return time.perf_counter() - started

        baseline()  # warm the disk cache for every path
        app()
        whole()
        rows = [
            interleaved(
                "spend import alone (55,965 lines)",
                app,
                label,
                baseline,
                target=IMPORT_TARGET,
                runs=runs,
            ),
            interleaved(
                "whole import-spend command",
                whole,
                label,
                baseline,
                target=COMMAND_TARGET,
                runs=runs,
            ),
        ]
        peak = child_import(year, folder / "m.lgaws")["peak_mb"]
        memory = (
            f"peak memory importing the year: {peak:.0f} MB (target < {MEMORY_TARGET_MB} MB) "
            f"{'ok' if peak < MEMORY_TARGET_MB else 'OVER'}"
        )
        return rows, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="pairs of runs (median reported)")
    args = parser.parse_args()
    return print_table(*measure(args.runs))


if __name__ == "__main__":
    sys.exit(main())
