"""The printed return from the command line: a draft to read before signing, the PDF of a signed one.

``preview-return`` prints the quarter's return as it stands, marked DRAFT –
NOT SIGNED on every page, without a key or passphrase. ``export-pdf`` takes
the PDF out of a signed ``.lgareturn`` after checking the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lga_desktop.cli import print_json
from lga_desktop.errors import NotValidError, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "preview-return",
        help="print a quarter's return as a draft PDF, to read before signing",
        description=(
            "Write the quarter's return exactly as it will print once signed, marked "
            "'DRAFT – NOT SIGNED' on every page. Needs no key or passphrase, and signs nothing. "
            "The declaration shows the names pre-filled from the last return."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument(
        "--period", required=True, metavar="QUARTER", help='the quarter, e.g. "2012/13 Q2"'
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF to write")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(handler=cmd_preview_return)

    p = sub.add_parser(
        "export-pdf",
        help="save the printable PDF of a signed return",
        description=(
            "Check a signed return file (.lgareturn) and write the PDF it carries. Exits 1 "
            "without writing anything when the file is not an intact, signed return."
        ),
    )
    p.add_argument("file", type=Path, metavar="RETURN", help="the signed return (.lgareturn)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF to write")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(handler=cmd_export_pdf)


def _pdf_path(out: Path) -> Path:
    if not out.parent.is_dir():
        raise UsageError(f"The folder {out.parent} does not exist; choose another --out")
    return out if out.suffix.lower() == ".pdf" else out.with_name(out.name + ".pdf")


def cmd_preview_return(args: argparse.Namespace) -> int:
    from lga_desktop.atomic_write import write_bytes
    from lga_desktop.periods import PeriodError, parse_quarter
    from lga_desktop.returns.build import assemble
    from lga_desktop.returns.pdf import draft_pdf
    from lga_desktop.workspace import Workspace

    try:
        quarter = parse_quarter(args.period)
    except PeriodError as exc:
        raise UsageError(str(exc)) from None
    out = _pdf_path(args.out)
    with Workspace.open(args.workspace) as ws:
        draft = assemble(ws, quarter)
        pdf = draft_pdf(ws, draft, notes=draft.notes, declaration=draft.declaration)
        problems = draft.problems(draft.notes, draft.declaration)
    write_bytes(out, pdf, what="The draft")
    if args.json:
        print_json(
            {
                "path": str(out),
                "period": str(quarter),
                "version": draft.version,
                "bytes": len(pdf),
                "ready_to_sign": not problems,
                "problems": problems,
            }
        )
    else:
        print(f"Draft of the {quarter} return (version {draft.version}), not signed: {out}")
        if problems:
            print(f"Before it can be signed ({len(problems)} to fix):")
            for problem in problems:
                print(f"  - {problem}")
    return 0


def cmd_export_pdf(args: argparse.Namespace) -> int:
    from lga_desktop.atomic_write import write_bytes
    from lga_desktop.returns.pdf import signed_pdf
    from lga_desktop.returns.verify import verify_file

    check = verify_file(args.file)
    if check.status == "missing":
        raise UsageError(f"{args.file}: {check.reason} Check the name of the return file")
    pdf = None
    if check.intact:
        check, pdf = signed_pdf(args.file.read_bytes(), path=str(args.file))
    if pdf is None:
        if args.json:
            print_json({"written": False, **check.to_json()})
        else:
            print(check.describe(), file=sys.stderr)
        raise NotValidError(
            f"{args.file.name} is not an intact signed return, so no PDF was written from it"
        )
    out = _pdf_path(args.out)
    write_bytes(out, pdf, what="The PDF")
    if args.json:
        print_json({"written": True, "path": str(out), "bytes": len(pdf), **check.to_json()})
    else:
        print(f"{check.council_name}, {check.period}, version {check.version}: {out}")
        print(f"Return hash: {check.return_hash} (printed on every page)")
    return 0
