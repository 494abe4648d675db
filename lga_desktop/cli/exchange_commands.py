"""export-pack, import-pack, pack, export-receipts, open-receipt: the signed exchange both ways."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from lga_desktop.cli import print_json, quarter_arg
from lga_desktop.cli.return_commands import PASSPHRASE_ENV, _passphrase
from lga_desktop.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-pack",
        help="(LGA) write the signed programme pack councils import",
        description=(
            "Sign the programme pack with the LGA's key (unlocked with "
            f"{PASSPHRASE_ENV} or a prompt; create it with 'keygen --programme'): the "
            "programme's name and year, the LGA's key, the roster, due dates, workstream and "
            "category codes, thresholds for checks and a support contact. Options given are "
            "kept for later packs. Each pack is numbered; councils refuse an older one."
        ),
    )
    p.add_argument("programme", type=Path, metavar="PROGRAMME", help="the programme file")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the .lgapack to write")
    p.add_argument("--year", metavar="YEAR", help="the financial year, e.g. 2012/13")
    p.add_argument("--support-name", metavar="NAME", help="who councils contact for help")
    p.add_argument("--support-email", metavar="EMAIL", help="the support e-mail address")
    p.add_argument("--support-phone", metavar="PHONE", help="the support telephone number")
    p.add_argument(
        "--coverage", type=int, metavar="PERCENT", help="least classified-spend coverage (0-100)"
    )
    p.add_argument(
        "--variance", type=int, metavar="PERCENT", help="most change against last quarter"
    )
    p.add_argument("--json", action="store_true", help="print the pack's details as JSON")
    p.set_defaults(handler=cmd_export_pack)

    p = sub.add_parser(
        "import-pack",
        help="import the LGA's signed programme pack into a workspace",
        description=(
            "Verify a programme pack (.lgapack) and make it the workspace's: due dates, "
            "workstream and category codes, thresholds, support contact. The first time, "
            "confirm the LGA's key fingerprint with --fingerprint (ask the LGA); later packs "
            "must be signed by that key or one it endorsed, and be newer."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("file", type=Path, metavar="FILE", help="the programme pack (.lgapack)")
    p.add_argument("--fingerprint", metavar="FP", help="the LGA key's fingerprint, confirmed")
    p.add_argument("--json", action="store_true", help="print the pack as JSON")
    p.set_defaults(handler=cmd_import_pack)

    p = sub.add_parser(
        "pack",
        help="show the programme pack in force: due dates and days left, support contact",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_pack)

    p = sub.add_parser(
        "export-receipts",
        help="(LGA) write a signed receipt for each council's return for a quarter",
        description=(
            "Write one signed receipt (.lgareceipt) per council whose return counts for the "
            "quarter into DIR, named for e-mail: received (with the return hash and when), "
            "queried (with each comment, on the return or a figure) or accepted."
        ),
    )
    p.add_argument("programme", type=Path, metavar="PROGRAMME", help="the programme file")
    p.add_argument(
        "--period", required=True, type=quarter_arg, metavar="QUARTER", help='e.g. "2012/13 Q2"'
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write to")
    p.add_argument("--json", action="store_true", help="print the files written as JSON")
    p.set_defaults(handler=cmd_export_receipts)

    p = sub.add_parser(
        "open-receipt",
        help="open the LGA's receipt for a return: received, queried or accepted",
        description=(
            "Verify a receipt (.lgareceipt) against the LGA key of the programme pack and record "
            "it; 'lga-desktop returns WORKSPACE' then shows each return's LGA status."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("file", type=Path, metavar="FILE", help="the receipt (.lgareceipt)")
    p.add_argument("--json", action="store_true", help="print the receipt as JSON")
    p.set_defaults(handler=cmd_open_receipt)


def cmd_export_pack(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation.store import Programme
    from lga_desktop.exchange.lga import export_pack, set_pack_settings

    support = {
        k: v
        for k, v in (
            ("name", args.support_name),
            ("email", args.support_email),
            ("phone", args.support_phone),
        )
        if v is not None
    }
    thresholds = {
        k: v
        for k, v in (
            ("classified_coverage_percent", args.coverage),
            ("variance_percent", args.variance),
        )
        if v is not None
    }
    with Programme.open(args.programme) as prog:
        set_pack_settings(prog, year=args.year, thresholds=thresholds, support=support)
        done = export_pack(prog, _passphrase(PASSPHRASE_ENV, "LGA key passphrase: "), args.out)
    if args.json:
        print_json(
            {"path": str(done.path), "sequence": done.sequence, "fingerprint": done.fingerprint}
        )
    else:
        print(f"Programme pack number {done.sequence} written to {done.path}")
        print(f"Signed by the LGA key {done.fingerprint}: councils confirm this fingerprint once.")
    return 0


def _pack_json(ws: Workspace) -> dict:
    from lga_desktop.exchange.council import current_pack, due_dates

    pack = current_pack(ws)
    if pack is None:
        return {"pack": None, "due_dates": []}
    return {
        "sequence": pack.sequence,
        "issued_at": pack.issued_at,
        "imported_at": pack.imported_at,
        "lga_fingerprint": pack.fingerprint,
        "programme": pack.document["programme"],
        "support": pack.support,
        "thresholds": pack.document["thresholds"],
        "due_dates": due_dates(ws),
    }


def cmd_import_pack(args: argparse.Namespace) -> int:
    from lga_desktop.exchange.council import import_pack

    with Workspace.open(args.workspace) as ws:
        pack = import_pack(ws, args.file, confirmed=args.fingerprint)
        shown = _pack_json(ws)
    if args.json:
        print_json({**shown, "new": pack.new})
    else:
        doc = pack.document
        verb = "imported" if pack.new else "was already in force"
        print(
            f"Programme pack number {pack.sequence} for {doc['programme']['name']} "
            f"{doc['programme']['year']} {verb}."
        )
        print(f"LGA key: {pack.fingerprint}")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        shown = _pack_json(ws)
    if args.json:
        print_json(shown)
        return 0
    if "sequence" not in shown:
        print("No programme pack imported yet: lga-desktop import-pack WORKSPACE FILE")
        return 0
    print(f"{shown['programme']['name']} {shown['programme']['year']} (pack {shown['sequence']})")
    for d in shown["due_dates"]:
        left = d["days_left"]
        when = f"{left} days left" if left >= 0 else f"{-left} days ago"
        print(f"  {d['quarter']}: due {date.fromisoformat(d['due']):%d %B %Y} ({when})")
    s = shown["support"]
    print("Support: " + ", ".join(v for v in (s["name"], s["email"], s["phone"]) if v))
    return 0


def cmd_export_receipts(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation.store import Programme
    from lga_desktop.exchange.lga import export_receipts

    with Programme.open(args.programme) as prog:
        paths = export_receipts(
            prog, args.period, _passphrase(PASSPHRASE_ENV, "LGA key passphrase: "), args.out
        )
    if args.json:
        print_json([str(p) for p in paths])
    else:
        print(f"{len(paths)} receipts for {args.period} written to {args.out}:")
        for path in paths:
            print(f"  {path.name}")
    return 0


def cmd_open_receipt(args: argparse.Namespace) -> int:
    from lga_desktop.exchange.council import open_receipt

    with Workspace.open(args.workspace) as ws:
        doc = open_receipt(ws, args.file)
    if args.json:
        print_json(doc)
    else:
        ret = doc["return"]
        print(
            f"The LGA's receipt for the {ret['quarter']} return v{ret['version']}: {doc['status']}."
        )
        for c in doc["comments"]:
            about = f" (on {c['figure']})" if c["figure"] else ""
            print(f"  {c['action']}{about}: {c['comment']} — {c['by']}, {c['at']}")
    return 0
