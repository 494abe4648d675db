"""Self-test step for consolidation: the signed return merged into a new programme file."""

from __future__ import annotations

import json
import zipfile

from lga_desktop.selftest import SelfTestContext, expect


def consolidate_signed_return(ctx: SelfTestContext) -> str:
    from lga_desktop.consolidation.figures import figures_for
    from lga_desktop.consolidation.merge import consolidate, retry_waiting
    from lga_desktop.consolidation.store import Programme
    from lga_desktop.returns.verify import verify_file

    signed = ctx.shared.get("signed_return")
    expect(signed is not None, "no signed return to consolidate (the signed-return step failed)")
    check = verify_file(signed)
    with Programme.create(ctx.folder / "self-test.lgaprog", "Self-test programme") as prog:
        first = consolidate(prog, [signed])
        expect(first.waiting == 1, "a return from a key not yet trusted was not held for its key")
        prog.trust_key(check.council_gss, check.key_fingerprint, "self-test")
        expect(
            retry_waiting(prog).merged == 1, "the return was not merged once its key was trusted"
        )
        expect(consolidate(prog, [signed]).merged == 0, "the same return was merged twice")
        fig = figures_for(prog, check.period)
    with zipfile.ZipFile(signed) as z:
        doc = json.loads(z.read("return.json"))
    savings = next(s["data"] for s in doc["sections"] if s["key"] == "savings")
    realised = sum(row["period"]["realised_pence"] for row in savings["by_workstream"])
    expect(
        fig.savings_total.realised_pence == realised,
        f"the programme total {fig.savings_total.realised_pence} is not the return's {realised}",
    )
    from lga_desktop.consolidation.reports import write_report

    sizes = []
    for suffix in (".pdf", ".xlsx", ".csv"):
        written = write_report(fig, ctx.folder / f"board-report{suffix}")
        sizes.append(f"{suffix[1:]} {written.stat().st_size:,} bytes")
    expect(
        (ctx.folder / "board-report.pdf").read_bytes().startswith(b"%PDF"),
        "the Board report is not a PDF",
    )
    return (
        f"1 return merged once, programme savings {realised:,} pence as in the return; "
        f"Board report {', '.join(sizes)}"
    )
