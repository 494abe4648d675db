"""Time the register machinery on a large register, next to a baseline from the same run.

    .venv/bin/python benchmarks/registers.py [LINES]

Builds a workspace with one engagement and LINES day-log lines (default
5,000: more than any council would log), then times: adding them through the
store (validated and audited, one transaction), a plain executemany of the
same rows (the baseline), listing them, running every rule, and exporting and
re-importing the family as XLSX and CSV.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from lga_desktop.periods import Quarter
from lga_desktop.registers import experts, store
from lga_desktop.registers.family import validate_family
from lga_desktop.workspace import Workspace


def timed(label: str, fn, baseline: float | None = None):
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    ratio = f"   ({took / baseline:,.1f}x baseline)" if baseline else ""
    print(f"{label:<48}{took * 1000:>10,.0f} ms{ratio}")
    return result, took


def main(n: int = 5000) -> None:
    folder = Path(tempfile.mkdtemp())
    ws = Workspace.create(folder / "bench.lgaws", "E07000178")
    eng = store.create(
        ws,
        experts.ENGAGEMENTS,
        {
            "expert": "Bench",
            "specialism": "systems",
            "purpose": "Benchmark",
            "days_agreed": "10",
            "start_date": "01/04/2012",
            "expected_saving": "1m",
        },
    )
    days = [date(2012, 4, 2) + timedelta(days=i % 3000) for i in range(n)]

    def baseline() -> None:
        with ws.atomic():
            ws.db.conn.executemany(
                "INSERT INTO expert_days (ref, engagement, date, days, work) VALUES (?,?,?,?,?)",
                [(f"B-{i}", eng.id, d.isoformat(), 10, "work") for i, d in enumerate(days)],
            )
            ws.db.execute("DELETE FROM expert_days")

    _, base = timed(f"baseline: executemany {n:,} rows", baseline)

    def add() -> None:
        with ws.atomic():
            change = None
            links = store.Links(ws)
            for d in days:
                store.create(
                    ws,
                    experts.DAYS,
                    {"engagement": eng.link(), "date": d, "days": Decimal(1), "work": "work"},
                    change=change,
                    links=links,
                )

    timed(f"store.create {n:,} day-log lines (audited)", add, base)
    timed("list_records (typed)", lambda: store.list_records(ws, experts.DAYS), base)
    timed(
        "validate the experts family",
        lambda: validate_family(ws, "experts", Quarter(2020, 4)),
        base,
    )
    try:
        from lga_desktop.registers import excel
    except ImportError:  # before the Excel step
        return
    xlsx, csv = folder / "out.xlsx", folder / "out.csv"
    timed("export XLSX", lambda: excel.export_family(ws, "experts", xlsx), base)
    timed("export CSV", lambda: excel.export_family(ws, "experts", csv), base)
    timed(
        "import XLSX back (nothing changes)", lambda: excel.import_family(ws, "experts", xlsx), base
    )
    ws.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
