"""`init` and `info`: create a council's workspace and describe one."""

from __future__ import annotations

import argparse
from pathlib import Path

from lga_desktop.cli import print_json
from lga_desktop.workspace import Officer, Workspace, describe


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="create a new workspace for a council",
        description="Create a new, empty workspace file for a council (refuses to overwrite).",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the file to create (.lgaws)")
    p.add_argument(
        "--council", required=True, metavar="GSS", help="the council's GSS code, e.g. E07000178"
    )
    p.add_argument("--officer", metavar="NAME", help="the officer who keeps the registers")
    p.add_argument("--role", default="", help="the officer's role")
    p.add_argument("--email", default="", help="the officer's e-mail")
    p.add_argument("--demo", action="store_true", help="fill it with plausible demo data")
    p.add_argument("--json", action="store_true", help="print what was created as JSON")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "info",
        help="describe a workspace: council, schema version, rows per register",
        description="Describe a workspace: its council, schema version and rows per register.",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_info)


def cmd_init(args: argparse.Namespace) -> int:
    officer = Officer(args.officer, args.role, args.email) if args.officer else None
    if args.demo:
        from lga_desktop.demo import create_demo_workspace

        ws = create_demo_workspace(args.workspace, council_gss=args.council, officer=officer)
    else:
        ws = Workspace.create(args.workspace, args.council, officer)
    with ws:
        info = describe(ws)
    if args.json:
        print_json(info)
    else:
        print(f"Created {info['path']} for {info['council']['name']} ({info['council']['gss']})")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        info = describe(ws)
    if args.json:
        print_json(info)
        return 0
    print(f"Workspace:      {info['path']}")
    print(
        f"Council:        {info['council']['name']} ({info['council']['gss']}, {info['council']['type']})"
    )
    if info["officer"]:
        o = info["officer"]
        print(f"Officer:        {o['name']}, {o['role']} <{o['email']}>")
    print(f"Schema version: {info['schema_version']}")
    print(f"Created:        {info['created_at']}")
    for label, n in info["counts"].items():
        print(f"{label + ':':<16}{n:,}")
    return 0
