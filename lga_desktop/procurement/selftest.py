"""Self-test step for procurement: a messy 'spend over £500' file imported to the penny.

The file is written here, as councils publish them: Windows-1252, a byte-order
mark's absence, `£` and thousands separators, a negative in brackets, a
trailing blank row and a repeated line. It proves the bundle carries the
importer, the encoding fallback and the category mapping.
"""

from __future__ import annotations

from lga_desktop.selftest import SelfTestContext, expect

SPEND = (
    "Body Name,Service Area,Expenditure Category,Paid Date,Trans No,Amount,Supplier Name\r\n"
    'Oxford City Council,Housing,Repairs,07/04/2015,ST-1,"£1,054.11",Café Services Ltd\r\n'
    "Oxford City Council,ICT,Software,15/05/2015,ST-2,2500.00,Example Systems plc\r\n"
    "Oxford City Council,ICT,Software,15/05/2015,ST-3,(120.50),Example Systems plc\r\n"
    "Oxford City Council,ICT,Software,15/05/2015,ST-3,(120.50),Example Systems plc\r\n"
    ",,,,,,\r\n"
)
EXPECTED_PENCE = 105411 + 250000 - 12050


def import_spend_file(ctx: SelfTestContext) -> str:
    from lga_desktop.procurement.spend_import import import_spend
    from lga_desktop.workspace import Workspace

    path = ctx.folder / "spend-over-500.csv"
    path.write_bytes(SPEND.encode("cp1252"))
    with Workspace.open(ctx.workspace_path) as ws:
        report = import_spend(ws, path)
        again = import_spend(ws, path)
        suppliers = ws.db.execute("SELECT count(*) FROM supplier WHERE name_key != ''").fetchone()[
            0
        ]
    expect(
        report.total_pence == EXPECTED_PENCE,
        f"imported {report.total_pence} pence, not {EXPECTED_PENCE}",
    )
    expect(
        report.imported == 3 and report.duplicates == 1, f"unexpected counts: {report.summary()}"
    )
    expect(again.imported == 0, "importing the same file twice added lines")
    expect(suppliers == 2, f"{suppliers} suppliers, not 2")
    return f"{report.imported} lines, {report.encoding}, total to the penny, re-import skipped"
