"""`init` and `info`: create a council's workspace and describe one."""

from __future__ import annotations

import argparse
from pathlib import Path

from lga_desktop.cli import print_json
from lga_desktop.errors import DamagedFileError, LgaError, UsageError
from lga_desktop.features import describe
from lga_desktop.workspace import (
    Officer,
    Workspace,
    list_backups_of,
    newest_sound_backup,
    restore_damaged,
    what_restoring_drops,
)


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
    register_backups(sub)

    p = sub.add_parser(
        "copy",
        help="save a copy of a workspace or programme file, even while it is open",
        description=(
            "Save a consistent copy of a workspace (.lgaws) or programme file (.lgaprog) to OUT, "
            "for sending or keeping; works while the file is open in a window."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the workspace or programme file")
    p.add_argument("out", type=Path, metavar="OUT", help="where to save the copy")
    p.set_defaults(handler=cmd_copy)


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
    with Workspace.open(args.workspace, read_only=True) as ws:
        info = describe(ws)
    if args.json:
        print_json(info)
        return 0
    rows = [
        ("Workspace", info["path"]),
        (
            "Council",
            f"{info['council']['name']} ({info['council']['gss']}, {info['council']['type']})",
        ),
    ]
    if info["officer"]:
        o = info["officer"]
        rows.append(("Officer", f"{o['name']}, {o['role']} <{o['email']}>"))
    rows += [("Schema version", info["schema_version"]), ("Created", info["created_at"])]
    rows += [(label, f"{n:,}") for label, n in info["counts"].items()]
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label + ':':<{width}}{value}")
    return 0


def register_backups(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="back up a workspace now",
        description="Copy the workspace into the backups folder beside it (the newest ten are kept).",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="list a workspace's backups, or put one back",
        description=(
            "With --list, show the workspace's backups, newest first. Otherwise put a backup "
            "back: the current state is backed up first; a workspace too damaged to open is "
            "renamed aside (.damaged-<time>), never deleted."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--list", action="store_true", help="list the backups, newest first")
    which.add_argument("--newest", action="store_true", help="restore the newest backup")
    which.add_argument("--backup", type=Path, metavar="FILE", help="restore this backup file")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace, read_only=True) as ws:
        backup = ws.backup()
    print(f"Backed up to {backup.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    backups = list_backups_of(args.workspace)
    if args.list:
        drops = _drops(args.workspace, backups)
        rows = [
            {
                "file": str(b.path),
                "taken_at": b.taken_at.isoformat(),
                "bytes": b.size,
                "name": b.name,
                "restoring_drops": drops.get(b.path, []),
            }
            for b in backups
        ]
        if args.json:
            print_json(rows)
        elif not rows:
            print(f"No backups of {args.workspace.name} yet.")
        else:
            for i, b in enumerate(backups, 1):
                print(f"{i:>3}  {b.label}  {b.path.name}")
                for warning in drops.get(b.path, []):
                    print(f"       warning: {warning}")
        return 0
    if args.newest:
        newest = newest_sound_backup(args.workspace)
        if newest is None:
            raise UsageError(
                f"{args.workspace.name} has no backups to restore (none that is whole and opens)"
            )
        chosen: Path = newest.path
    else:
        chosen = args.backup
        if not chosen.exists():
            raise UsageError(f"there is no backup file at {chosen}")
    try:
        ws = Workspace.open(args.workspace)
    except DamagedFileError:  # only damage: busy, read-only or out of reach never move a file
        moved = restore_damaged(args.workspace, chosen)
        result = {"restored": str(chosen), "damaged_file_kept_as": str(moved)}
    else:
        with ws:
            safety = ws.restore(chosen)
        result = {"restored": str(chosen), "previous_state_backed_up_to": str(safety.path)}
    if args.json:
        print_json(result)
    else:
        print(f"Restored {chosen.name}.")
        kept = result.get("damaged_file_kept_as") or result.get("previous_state_backed_up_to")
        print(f"What was there before is kept as {kept}")
    return 0


def _drops(path: Path, backups: list) -> dict[Path, list[str]]:
    """For each backup, what restoring it would drop (nothing when the workspace will not open)."""
    try:
        current = Workspace.open(path, read_only=True)
    except LgaError:
        return {}
    with current:
        out = {}
        for b in backups:
            try:
                out[b.path] = what_restoring_drops(current, b.path)
            except LgaError:
                continue
        return out


def cmd_copy(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation.store import PROGRAMME_SUFFIX, Programme

    kind = Programme if args.file.suffix.lower() == PROGRAMME_SUFFIX else Workspace
    with kind.open(args.file, read_only=True) as opened:
        out = opened.save_copy(args.out)
    print(f"Saved a copy of {args.file.name} as {out}")
    return 0
