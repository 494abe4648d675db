"""Benchmark: exporting and verifying a signed return for a county-scale spend year.

The procurement registers are not on this branch, so the script declares a
synthetic "spend" feature over a real SQLite table of 150,000 spend lines (a
county's year) and snapshots it the way a return carries procurement: totals by
category, SME and VCSE shares, the top suppliers. A second run carries every
line of the quarter as well (about 37,500 rows), as a worst case.

Targets (issue 5): export under 2 s with the PDF aside; verification under 50 ms.
Each figure is printed next to a baseline measured in the same run.

    .venv/bin/python benchmarks/return_export.py
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import lga_desktop.features as feature_registry
import lga_desktop.returns.pdf as pdf_module
from lga_desktop.features import Feature
from lga_desktop.periods import Quarter, parse_quarter
from lga_desktop.returns import keys
from lga_desktop.returns.build import Declaration, Person, assemble, return_document
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.sign import sign_return
from lga_desktop.returns.verify import verify_file
from lga_desktop.workspace import Officer, Workspace

LINES = 150_000
SUPPLIERS = 4_000
CATEGORIES = [
    "Adult social care",
    "Children's social care",
    "Construction",
    "Energy and utilities",
    "Facilities management",
    "Highways",
    "ICT",
    "Professional services",
    "Transport and fleet",
    "Waste",
    "Agency staff",
    "Other",
]
QUARTER = parse_quarter("2012/13 Q2")
PASSPHRASE = "benchmark passphrase"
CARRY_LINES = False


def fill(ws: Workspace) -> None:
    rng = random.Random(2012)
    with ws.atomic():
        ws.db.execute(
            "CREATE TABLE bench_suppliers (id INTEGER PRIMARY KEY, name TEXT, sme INTEGER, "
            "vcse INTEGER)"
        )
        ws.db.execute(
            "CREATE TABLE bench_spend (id INTEGER PRIMARY KEY, paid_on TEXT, category TEXT, "
            "supplier_id INTEGER, amount_pence INTEGER, reference TEXT)"
        )
        ws.db.conn.executemany(
            "INSERT INTO bench_suppliers VALUES (?, ?, ?, ?)",
            [
                (i, f"Supplier {i} Ltd", rng.random() < 0.4, rng.random() < 0.05)
                for i in range(SUPPLIERS)
            ],
        )
        start = date(2012, 4, 1)
        ws.db.conn.executemany(
            "INSERT INTO bench_spend (paid_on, category, supplier_id, amount_pence, reference) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    (start + timedelta(days=rng.randrange(365))).isoformat(),
                    rng.choice(CATEGORIES),
                    int(rng.paretovariate(1.2)) % SUPPLIERS,
                    rng.randrange(50_000, 5_000_000),
                    f"TX{n:07d}",
                )
                for n in range(LINES)
            ],
        )
        ws.db.execute("CREATE INDEX bench_spend_paid_on ON bench_spend (paid_on)")


def snapshot(ws: Workspace, quarter: Quarter) -> dict[str, Any]:
    span = [quarter.start.isoformat(), quarter.end.isoformat()]
    by_category = ws.db.execute(
        "SELECT category, count(*), sum(amount_pence) FROM bench_spend "
        "WHERE paid_on BETWEEN ? AND ? GROUP BY category ORDER BY category",
        span,
    ).fetchall()
    shares = ws.db.execute(
        "SELECT sum(s.amount_pence), sum(CASE WHEN p.sme THEN s.amount_pence ELSE 0 END), "
        "sum(CASE WHEN p.vcse THEN s.amount_pence ELSE 0 END), count(*) FROM bench_spend s "
        "JOIN bench_suppliers p ON p.id = s.supplier_id WHERE s.paid_on BETWEEN ? AND ?",
        span,
    ).fetchone()
    top = ws.db.execute(
        "SELECT p.name, p.sme, sum(s.amount_pence) AS total FROM bench_spend s "
        "JOIN bench_suppliers p ON p.id = s.supplier_id WHERE s.paid_on BETWEEN ? AND ? "
        "GROUP BY p.id ORDER BY total DESC LIMIT 25",
        span,
    ).fetchall()
    total, sme, vcse, lines = shares
    data: dict[str, Any] = {
        "lines": lines,
        "total_pence": total,
        "sme_pence": sme,
        "vcse_pence": vcse,
        "sme_share_basis_points": sme * 10_000 // total,
        "by_category": [{"category": c, "lines": n, "spend_pence": p} for c, n, p in by_category],
        "top_suppliers": [{"supplier": n, "sme": bool(s), "spend_pence": p} for n, s, p in top],
    }
    if CARRY_LINES:
        data["spend_lines"] = [
            {"paid_on": d, "category": c, "supplier": s, "amount_pence": a, "reference": r}
            for d, c, s, a, r in ws.db.execute(
                "SELECT s.paid_on, s.category, p.name, s.amount_pence, s.reference "
                "FROM bench_spend s JOIN bench_suppliers p ON p.id = s.supplier_id "
                "WHERE s.paid_on BETWEEN ? AND ? ORDER BY s.paid_on, s.id",
                span,
            )
        ]
    return data


SPEND = Feature(key="spend", title="Procurement spend (synthetic)", snapshot=snapshot)


def timed(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def run(folder: Path, carry_lines: bool) -> None:
    global CARRY_LINES
    CARRY_LINES = carry_lines
    ws = Workspace.open(folder / "county.lgaws")
    decl = Declaration(
        Person("Alex Morgan", "Finance Business Partner", "a@example.gov.uk", "2012-10-12"),
        Person("Jo Reed", "Head of Finance", "j@example.gov.uk", "2012-10-15"),
    )
    label = "every line of the quarter" if carry_lines else "summaries"
    print(f"\n-- return carrying {label} --")

    t_raw, _ = timed(
        lambda: ws.db.execute("SELECT count(*), sum(amount_pence) FROM bench_spend").fetchone()
    )
    t_assemble, draft = timed(lambda: assemble(ws, QUARTER, today=date(2012, 10, 15)))
    key = keys.current_key(ws)
    doc = return_document(
        draft,
        notes={},
        declaration=decl,
        key=key,
        signed_at=__import__("datetime").datetime(2012, 10, 15, 10, 0).astimezone(),
    )
    t_json, body = timed(lambda: json.dumps(doc).encode())
    t_canon, body = timed(lambda: canonical_bytes(doc))
    t_unlock, _ = timed(lambda: keys.unlock(ws, PASSPHRASE), runs=1)
    real_pdf = pdf_module.return_pdf
    t_pdf, pdf = timed(lambda: real_pdf(doc, "0" * 64), runs=1)

    counter = iter(range(1000))

    def export(with_pdf: bool) -> Any:
        if not with_pdf:
            pdf_module.return_pdf = lambda d, h: b"%PDF-1.4\n%%EOF\n"
        try:
            d = assemble(ws, QUARTER, today=date(2012, 10, 15))
            return sign_return(
                ws,
                d,
                notes={},
                declaration=decl,
                passphrase=PASSPHRASE,
                out_path=folder / f"q2-{next(counter)}.lgareturn",
                correction_reason="benchmark",
            )
        finally:
            pdf_module.return_pdf = real_pdf

    t_export_no_pdf, _ = timed(lambda: export(False), runs=3)
    t_export, signed = timed(lambda: export(True), runs=1)
    size = signed.path.stat().st_size
    data = signed.path.read_bytes()
    t_sha, _ = timed(lambda: hashlib.sha256(data).hexdigest(), runs=20)
    t_verify, result = timed(lambda: verify_file(signed.path), runs=20)
    assert result.valid, result.reason
    ws.close()

    print(
        f"return.json {len(body) / 1024:,.0f} KiB; file {size / 1024:,.0f} KiB; "
        f"PDF {len(pdf) / 1024:,.0f} KiB"
    )
    print(
        f"assemble the quarter (snapshot + rules)   {ms(t_assemble)}"
        f"   baseline: one scan of {LINES:,} lines {ms(t_raw)}"
    )
    print(
        f"canonical JSON of the return              {ms(t_canon)}"
        f"   baseline: plain json.dumps {ms(t_json)}"
    )
    print(f"unlock the key (scrypt N=2^17)            {ms(t_unlock)}")
    print(f"print the PDF                             {ms(t_pdf)}")
    print(f"export, PDF aside (assemble..saved)       {ms(t_export_no_pdf)}   target < 2000 ms")
    print(f"export with the PDF                       {ms(t_export)}")
    print(
        f"verify the file                           {ms(t_verify)}   target < 50 ms"
        f"   baseline: SHA-256 of the file {ms(t_sha)}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feature_registry.features = lambda: (SPEND,)  # the benchmark's only register
        ws = Workspace.create(
            folder / "county.lgaws",
            "E10000025",
            Officer("Alex Morgan", "Finance", "a@example.gov.uk"),
        )
        t = time.perf_counter()
        fill(ws)
        print(
            f"synthetic county year: {LINES:,} spend lines, {SUPPLIERS:,} suppliers "
            f"({time.perf_counter() - t:.1f} s to generate)"
        )
        keys.create_key(ws, PASSPHRASE)
        ws.close()
        run(folder, carry_lines=False)
        run(folder, carry_lines=True)


if __name__ == "__main__":
    main()
