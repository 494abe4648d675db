"""The command line: the window's twin, and how LGA staff batch their work.

``lga-desktop`` with no sub-command opens the window. Every sub-command has
``--help``, exits 0 on success, 1 when the thing checked is not valid and 2 on
a usage error, and prints errors as one clear line on stderr. The commands are
thin: each calls the same core functions the window does.

Each feature adds a module here with ``register(subparsers)``; list it in
:data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lga_desktop import APP_NAME, __version__
from lga_desktop.errors import LgaError, NotValidError, UsageError

if TYPE_CHECKING:
    from lga_desktop.periods import Quarter

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

COMMAND_MODULES = [
    "lga_desktop.cli.workspace_commands",
    "lga_desktop.cli.selftest_command",
    "lga_desktop.cli.return_commands",
    "lga_desktop.cli.spend_commands",
    "lga_desktop.cli.register_commands",
    "lga_desktop.cli.programme_commands",
    "lga_desktop.cli.exchange_commands",
]


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser; ``with_commands=False`` leaves the sub-commands out (opening the window)."""
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description=(
            "Productivity-programme registers, signed quarterly returns and their "
            "consolidation, for LGA pilot councils. With no command, opens the window."
        ),
        epilog="Run 'lga-desktop COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on a freshly generated demo workspace (Oxford City Council)",
    )
    parser.add_argument(
        "--open", metavar="WORKSPACE", help="open the window on this workspace file"
    )
    parser.add_argument(
        "--programme",
        metavar="FILE",
        help="(LGA) open the consolidation window on this programme file (.lgaprog)",
    )
    parser.add_argument(
        "--programme-demo",
        action="store_true",
        help="(LGA) open the consolidation window on a freshly built demo programme: "
        "five demo councils' signed returns, merged",
    )
    parser.add_argument(
        "--quit-after-show",
        action="store_true",
        help="open the window, print 'window shown' once it has painted, and quit "
        "(for start-up benchmarks and smoke tests)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of an unexpected error"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installation works, as 'lga-desktop self-test' does, and exit",
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        title="commands",
        help="what to do (default: open the window)",
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def quarter_arg(text: str) -> Quarter:
    """A ``--period`` that must name a quarter; anything else is a usage error (exit 2)."""
    from lga_desktop.periods import PeriodError, parse_quarter

    try:
        return parse_quarter(text)
    except PeriodError as exc:
        raise UsageError(f"--period: {exc}.") from None


def period_arg(text: str):
    """A ``--period`` naming a quarter or a financial year; anything else is a usage error."""
    from lga_desktop.periods import PeriodError, parse_period

    try:
        return parse_period(text)
    except PeriodError as exc:
        raise UsageError(f"--period: {exc}, or write all for the programme to date.") from None


def warn_signed(records: list) -> None:
    """Tell the officer on stderr that a change reached quarters already signed."""
    if records:
        from lga_desktop.returns.changes import warning_text

        print(f"{APP_NAME}: warning: {warning_text(records)}", file=sys.stderr)


def fail(message: str) -> None:
    print(f"{APP_NAME}: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Opening the window needs none of the sub-commands: skip importing them.
    window_only = build_parser(with_commands=False)
    known, rest = (
        window_only.parse_known_args(argv)
        if "-h" not in argv and "--help" not in argv
        else (None, argv)
    )
    if known is not None and not rest and not known.self_test:
        args = known
        parser = window_only
    else:
        parser = build_parser()
        args = parser.parse_args(argv)
    try:
        if args.command is None and args.self_test:  # the frozen program's flag
            args = parser.parse_args(["self-test"], namespace=args)
        if args.command is None:
            return _run_gui(args)
        return int(args.handler(args) or EXIT_OK)
    except NotValidError as exc:
        fail(str(exc))
        return EXIT_INVALID
    except LgaError as exc:
        fail(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        fail("stopped; nothing was changed by the interrupted step")
        return 130
    except Exception as exc:  # never a traceback in front of a user
        if args.debug or os.environ.get("LGA_DEBUG"):
            traceback.print_exc()
        fail(f"unexpected error: {exc} (run again with --debug for details)")
        return EXIT_INTERNAL


def _run_gui(args: argparse.Namespace) -> int:
    # Start-up builds objects that live until exit: collecting garbage among them
    # is wasted time. The window turns the collector back on once it is up
    # (lga_desktop.ui.app.freeze_startup_objects).
    import gc

    gc.disable()
    from lga_desktop.ui.app import run  # Qt only loads when the window is wanted

    return run(
        demo=args.demo,
        workspace=args.open,
        programme=args.programme,
        programme_demo=args.programme_demo,
        quit_after_show=args.quit_after_show,
    )
