"""Procurement commands: import spend files, export and import the supplier list, summarise."""

from __future__ import annotations

import argparse
from pathlib import Path

from lga_desktop.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, fail, print_json, warn_signed
from lga_desktop.errors import LgaError, NotValidError, UsageError
from lga_desktop.money import format_money
from lga_desktop.procurement.headers import FIELD_LABELS
from lga_desktop.workspace import Workspace


def _field_map(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or field.strip() not in FIELD_LABELS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: write FIELD=COLUMN with FIELD one of {', '.join(FIELD_LABELS)}"
        )
    return field.strip(), header.strip().strip('"')


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import-spend",
        help="import 'spend over £500' files (CSV or XLSX) into a workspace",
        description=(
            "Import one or more 'spend over £500' transparency files. Each file is imported "
            "all or nothing; lines already in the workspace (same transaction reference and "
            "amount) are skipped and counted; rows that cannot be read are reported with their "
            "line number. A file whose body column names another body, or whose dates cannot "
            "be this council's, is refused unless --other-body is given. Exit 0 when every file "
            "imported, 1 when --strict refused a file, 2 when a file could not be read, its "
            "columns need mapping or it is not this council's."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="spend files to import")
    p.add_argument(
        "--map",
        dest="columns",
        action="append",
        type=_field_map,
        default=[],
        metavar="FIELD=COLUMN",
        help=(
            "say which column holds a field when it is not recognised, e.g. "
            f'--map date="When paid" (fields: {", ".join(FIELD_LABELS)}); remembered for '
            "later files with the same headers; COLUMN '-' leaves the field unread"
        ),
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse a whole file when any of its rows cannot be read (default: import the rest)",
    )
    p.add_argument(
        "--other-body",
        action="store_true",
        help="import a file even though its body column names another body, or its dates are "
        "not this council's (refused otherwise)",
    )
    p.add_argument(
        "--no-remember",
        action="store_true",
        help="do not remember the --map choices for later files",
    )
    p.add_argument("--json", action="store_true", help="print the import reports as JSON")
    p.set_defaults(handler=cmd_import_spend)

    p = sub.add_parser(
        "export-suppliers",
        help="write the supplier list with its SME, VCSE and local flags to CSV",
        description="Write every supplier with its flags, lines and spend to a CSV file.",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("file", type=Path, metavar="FILE", help="the CSV file to write")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(handler=cmd_export_suppliers)

    p = sub.add_parser(
        "import-suppliers",
        help="apply a supplier list's SME, VCSE and local flags to a workspace",
        description=(
            "Apply the flags of a supplier list (as export-suppliers writes it) to this "
            "workspace, matching suppliers by name; suppliers not yet seen are added so their "
            "flags apply when their spend arrives. All or nothing."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("file", type=Path, metavar="FILE", help="the supplier list (CSV or XLSX)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_import_suppliers)

    p = sub.add_parser(
        "spend-summary",
        help="spend by category by quarter, and the SME and VCSE share",
        description="Print spend by big-spend category by quarter and the SME/VCSE share of "
        "procurement spend, with how much of it is classified, by quarter and by financial "
        "year (the 25% aspiration shown as context).",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("--json", action="store_true", help="print as JSON (money in pence)")
    p.set_defaults(handler=cmd_spend_summary)

    p = sub.add_parser(
        "remove-import",
        help="list the spend imports, or take one back out (undo an import)",
        description="With --list, show the spend imports, newest first. Otherwise take import "
        "ID's lines back out of the workspace; a backup named 'before removing import ID' is "
        "taken first.",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("id", type=int, nargs="?", metavar="ID", help="the import to remove")
    p.add_argument("--list", action="store_true", help="list the imports, newest first")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_remove_import)


def cmd_import_spend(args: argparse.Namespace) -> int:
    from lga_desktop.procurement.spend_import import import_spend
    from lga_desktop.returns.changes import watch_signed

    columns = dict(args.columns) or None
    results: list[dict] = []
    code = EXIT_OK
    with Workspace.open(args.workspace) as ws, watch_signed(ws) as affected:
        ws.backup(reason=f"before import of {', '.join(p.name for p in args.files)}")
        for path in args.files:
            try:
                report = import_spend(
                    ws,
                    path,
                    columns=columns,
                    remember=not args.no_remember,
                    strict=args.strict,
                    other_body=args.other_body,
                )
            except NotValidError as exc:
                code = max(code, EXIT_INVALID)
                results.append({"file": path.name, "error": str(exc)})
                fail(str(exc))
                continue
            except LgaError as exc:
                code = EXIT_USAGE
                results.append({"file": path.name, "error": str(exc)})
                fail(str(exc))
                continue
            results.append(report.as_dict())
            if report.imported == 0 and report.duplicates == 0:
                code = max(code, EXIT_INVALID)
                fail(_nothing_imported(report))
            if not args.json:
                print(report.summary())
                for warning in report.warnings:
                    print(f"  note: {warning}")
                for line, reason in report.refused[:20]:
                    print(f"  line {line}: {reason}")
                if len(report.refused) > 20:
                    print(f"  ... and {len(report.refused) - 20:,} more refused rows (see --json)")
    warn_signed(affected)
    if args.json:
        print_json(results)
    return code


def _nothing_imported(report) -> str:
    if report.refused:
        line, reason = report.refused[0]
        return (
            f"nothing in {report.file} could be imported: all {len(report.refused):,} rows "
            f"were refused (line {line}: {reason}); check the file and its columns"
        )
    return f"nothing in {report.file} could be imported: it has no spending lines"


def cmd_export_suppliers(args: argparse.Namespace) -> int:
    from lga_desktop.procurement.suppliers import export_suppliers

    with Workspace.open(args.workspace, read_only=True) as ws:
        n = export_suppliers(ws, args.file)
    if args.json:
        print_json({"file": str(args.file), "suppliers": n})
    else:
        print(f"Wrote {n:,} suppliers to {args.file}")
    return EXIT_OK


def cmd_import_suppliers(args: argparse.Namespace) -> int:
    from lga_desktop.procurement.suppliers import import_suppliers
    from lga_desktop.returns.changes import watch_signed

    with Workspace.open(args.workspace) as ws, watch_signed(ws) as affected:
        ws.backup(reason=f"before supplier list {args.file.name}")
        report = import_suppliers(ws, args.file)
    warn_signed(affected)
    if args.json:
        print_json(report.as_dict())
    else:
        print(
            f"Applied {args.file.name}: {report.matched:,} suppliers updated, "
            f"{report.created:,} added"
        )
    return EXIT_OK


def cmd_spend_summary(args: argparse.Namespace) -> int:
    from lga_desktop.procurement import derived

    with Workspace.open(args.workspace, read_only=True) as ws:
        by_category = derived.spend_by_category(ws)
        quarters = derived.shares_by_quarter(ws)
        years = derived.shares_by_year(ws)
    if args.json:
        print_json(
            {
                "spend_by_category": [
                    {"quarter": q, "category": c, "name": n, "pence": p, "lines": lines}
                    for q, c, n, p, lines in by_category
                ],
                "shares_by_quarter": [s.as_dict() for s in quarters],
                "shares_by_year": [s.as_dict() for s in years],
                "sme_definition": derived.SME_DEFINITION,
                "sme_aspiration_percent": str(derived.SME_ASPIRATION),
                "sme_aspiration_context": derived.SME_ASPIRATION_WORDS,
            }
        )
        return EXIT_OK
    if not quarters:
        raise UsageError(f"{args.workspace.name} holds no spend yet; import a spend file first")

    def pct(d) -> str:
        return f"{d}%" if d is not None else "-"

    print("Shares are of procurement spend (grants, public bodies, benefits, refunds and")
    print("redacted payees left out), each with how much of it has suppliers classified.")
    print(
        f"{'Period':<14}{'All spend':>18}{'Procurement':>18}{'SME':>8}{'Classified':>12}{'VCSE':>8}"
    )
    for s in [*quarters, *years]:
        print(
            f"{s.period:<14}{format_money(s.total_pence):>18}{format_money(s.basis_pence):>18}"
            f"{pct(s.sme_percent):>8}{pct(s.classified_percent):>12}{pct(s.vcse_percent):>8}"
        )
    print(derived.SME_DEFINITION)
    print(f"Context: {derived.SME_ASPIRATION_WORDS}.")
    print()
    current = None
    for q, _code, name, pence, lines in by_category:
        if q != current:
            current = q
            print(next(s.period for s in quarters if s.key == q))
        print(f"  {name:<28}{format_money(pence):>18}{lines:>8,} lines")
    return EXIT_OK


def cmd_remove_import(args: argparse.Namespace) -> int:
    from lga_desktop.procurement.spend_import import list_imports, remove_import_with_backup

    if args.list or args.id is None:
        if not args.list:
            raise UsageError("name the import to remove (see --list), or use --list")
        with Workspace.open(args.workspace, read_only=True) as ws:
            imports = list_imports(ws)
        if args.json:
            print_json(imports)
        elif not imports:
            print(f"No spend imports in {args.workspace.name}.")
        for i in [] if args.json else imports:
            print(
                f"{i['id']:>5}  {i['imported_at'][:16]}  {i['file']}  "
                f"{i['imported']:,} lines, {format_money(i['total_pence'])}"
            )
        return EXIT_OK
    with Workspace.open(args.workspace) as ws:
        removed, backup = remove_import_with_backup(ws, args.id)
    if args.json:
        print_json({"import": args.id, "lines_removed": removed, "backup": str(backup.path)})
    else:
        print(f"Removed import {args.id}: {removed:,} lines. Before, kept as {backup.path.name}")
    return EXIT_OK
