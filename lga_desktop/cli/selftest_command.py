"""`self-test`: check that this installation (or the frozen bundle) works.

The frozen program's ``--self-test`` flag runs the same thing. The steps are
listed in :data:`lga_desktop.selftest.STEPS`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from lga_desktop import APP_NAME, __version__
from lga_desktop.cli import print_json
from lga_desktop.errors import NotValidError
from lga_desktop.selftest import STEPS, StepResult, run_self_test


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "self-test",
        help="check that this installation works: workspace, data, PDF, signing, window",
        description=(
            "Check that this installation works. In a temporary folder it creates a "
            "workspace, reads the shipped reference data, writes a PDF and a workbook, "
            "signs and verifies, and builds the main window offscreen. Prints 'ok' or "
            "'FAILED' for each step; exits 0 only when every step passed, else 1."
        ),
    )
    p.add_argument(
        "--folder",
        type=Path,
        metavar="DIR",
        help="work in this empty folder and keep the files it writes (default: a temporary one)",
    )
    p.add_argument(
        "--step",
        action="append",
        metavar="NAME",
        dest="steps",
        help="run only this step (repeat for several; see --list)",
    )
    p.add_argument("--list", action="store_true", help="list the steps without running them")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(handler=cmd_self_test)


def cmd_self_test(args: argparse.Namespace) -> int:
    if getattr(args, "list", False):
        if getattr(args, "json", False):
            print_json([{"name": name, "target": target} for name, target in STEPS])
        else:
            for name, target in STEPS:
                print(f"{name:<20}{target}")
        return 0
    as_json = getattr(args, "json", False)
    started = time.perf_counter()

    def show(result: StepResult) -> None:
        if not as_json:
            print(result.line(), flush=True)

    if not as_json:
        print(f"{APP_NAME} {__version__} self-test", flush=True)
    results = run_self_test(
        getattr(args, "folder", None), only=getattr(args, "steps", None), on_result=show
    )
    seconds = time.perf_counter() - started
    failed = [r.name for r in results if not r.ok]
    if as_json:
        print_json(
            {
                "version": __version__,
                "passed": not failed,
                "seconds": round(seconds, 3),
                "steps": [
                    {
                        "name": r.name,
                        "ok": r.ok,
                        "detail": r.detail,
                        "seconds": round(r.seconds, 3),
                    }
                    for r in results
                ],
            }
        )
    else:
        print(
            f"self-test {'passed' if not failed else 'FAILED'}: "
            f"{len(results) - len(failed)} of {len(results)} steps ok in {seconds:.1f} s"
        )
    if failed:
        raise NotValidError(
            f"{len(failed)} self-test step(s) failed: {', '.join(failed)}; "
            "this installation is incomplete, reinstall lga-desktop"
        )
    return 0
