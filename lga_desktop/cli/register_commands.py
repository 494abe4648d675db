"""`import` and `export`: a register to or from an Excel workbook or CSV files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lga_desktop.cli import print_json, warn_signed
from lga_desktop.errors import NotValidError
from lga_desktop.registers.catalog import family, family_keys
from lga_desktop.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    keys = family_keys()
    choices = ", ".join(f"{k} ({family(k)[0].title})" for k in keys)

    p = sub.add_parser(
        "export",
        help="write a register to an Excel workbook or CSV files",
        description=(
            "Write a register and the records under it to an Excel workbook (one sheet each) "
            "or to CSV files (one file each, named after the first). The same layout imports back."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument(
        "--register",
        required=True,
        choices=keys,
        metavar="REGISTER",
        help=f"which register: {choices}",
    )
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE",
        help="the file to write, ending .xlsx or .csv (replaced if it exists)",
    )
    p.add_argument("--json", action="store_true", help="print the files written as JSON")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "import",
        help="read a register from an Excel workbook or CSV files, all or nothing",
        description=(
            "Read a register from a file laid out as 'export' writes it. A row whose Ref is "
            "in the workspace updates that record; a row with a new or blank Ref adds one. "
            "If any row is refused, nothing is imported and every problem is listed (exit 1)."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument(
        "--register",
        required=True,
        choices=keys,
        metavar="REGISTER",
        help=f"which register: {choices}",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the .xlsx or .csv file to read")
    p.add_argument(
        "--replace",
        action="store_true",
        help="also delete records that are not in the file (the file becomes the register)",
    )
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    p.set_defaults(handler=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    from lga_desktop.registers.excel import export_family

    with Workspace.open(args.workspace, read_only=True) as ws:
        written = export_family(ws, args.register, args.out)
    if args.json:
        print_json({"register": args.register, "files": [str(p) for p in written]})
    else:
        for path in written:
            print(f"Wrote {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from lga_desktop.registers.excel import import_family
    from lga_desktop.returns.changes import watch_signed

    with Workspace.open(args.workspace) as ws, watch_signed(ws) as affected:
        report = import_family(ws, args.register, args.file, replace=args.replace)
    warn_signed(affected)
    if args.json:
        print_json(report.to_json())
        return 0 if report.ok else 1
    for note in report.notes:
        print(f"Note: {note}")
    if not report.ok:
        for problem in report.refused:
            print(problem, file=sys.stderr)
        raise NotValidError(report.summary())
    print(report.summary())
    return 0
