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
import contextlib
import importlib
import json
import os
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lga_desktop import APP_NAME, __version__
from lga_desktop.errors import LgaError, NotValidError, UsageError

if TYPE_CHECKING:
    from lga_desktop.periods import Quarter

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

#: each command module, in the order ``--help`` lists them, with the commands it
#: registers: a command's run imports its own module only (``tests/test_cli.py``
#: checks this table against what the modules register)
COMMANDS_BY_MODULE: dict[str, tuple[str, ...]] = {
    "lga_desktop.cli.workspace_commands": ("init", "info", "backup", "restore", "copy"),
    "lga_desktop.cli.selftest_command": ("self-test",),
    "lga_desktop.cli.return_commands": (
        "keygen",
        "change-passphrase",
        "export-key",
        "trust-key",
        "revoke-key",
        "export-return",
        "returns",
        "verify",
    ),
    "lga_desktop.cli.print_commands": ("preview-return", "export-pdf"),
    "lga_desktop.cli.spend_commands": (
        "import-spend",
        "export-suppliers",
        "import-suppliers",
        "spend-summary",
        "remove-import",
    ),
    "lga_desktop.cli.register_commands": ("export", "import"),
    "lga_desktop.cli.programme_commands": (
        "consolidate",
        "programme",
        "roster",
        "status",
        "review",
    ),
    "lga_desktop.cli.exchange_commands": (
        "export-pack",
        "import-pack",
        "pack",
        "export-receipts",
        "open-receipt",
    ),
}
COMMAND_MODULES = list(COMMANDS_BY_MODULE)
MODULE_OF_COMMAND = {c: m for m, commands in COMMANDS_BY_MODULE.items() for c in commands}


def build_parser(
    *, with_commands: bool = True, modules: Sequence[str] = COMMAND_MODULES
) -> argparse.ArgumentParser:
    """The whole parser; ``with_commands=False`` leaves the sub-commands out (opening the window).

    ``modules`` limits the sub-commands to those modules' (running one command
    imports only its module: a tenth of a second saved on every run).
    """
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description=(
            "Productivity-programme registers, signed quarterly returns and their "
            "consolidation, for LGA pilot councils. With no command, opens the window; "
            "with a .lgaws, .lgaprog or .lgareturn file, opens the window that file is for."
        ),
        epilog="Run 'lga-desktop COMMAND --help' for a command's options.",
        # no abbreviations of the window's options: "export-return --check" is the
        # command's own --check, never "--check-return"
        allow_abbrev=False,
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
        "--check-return",
        metavar="FILE",
        help="open the window and check this return file (.lgareturn): intact, who signed it",
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
    for name in modules:
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


def open_or_create_programme(path, name: str | None, *, as_json: bool = False):
    """The programme file at ``path`` (created, and said so, when there is none yet)."""
    from lga_desktop.consolidation.store import DEFAULT_NAME, Programme

    prog, created = Programme.open_or_create(path, name or DEFAULT_NAME)
    if created:  # with --json, on stderr: stdout is the JSON alone
        print(f"Created the programme file {path}", file=sys.stderr if as_json else sys.stdout)
    return prog


def warn_signed(records: list) -> None:
    """Tell the officer on stderr that a change reached quarters already signed."""
    if records:
        from lga_desktop.returns.changes import warning_text

        print(f"{APP_NAME}: warning: {warning_text(records)}", file=sys.stderr)


def fail(message: str) -> None:
    """One sentence on stderr (also under ``--json``, where the JSON says it too)."""
    with contextlib.suppress(OSError):
        print(f"{APP_NAME}: {message}", file=sys.stderr)
    # what a failed write leaves to be cleaned up later (an open zip of a half-saved
    # workbook on a full disk) fails again in its __del__; the one sentence said it all
    sys.unraisablehook = lambda _unraisable: None


def file_flags() -> dict[str, str]:
    """The window option that opens each kind of file: what double-clicking one runs."""
    from lga_desktop.consolidation.store import PROGRAMME_SUFFIX
    from lga_desktop.returns.fileformat import SUFFIX as RETURN_SUFFIX
    from lga_desktop.workspace import WORKSPACE_SUFFIX

    return {
        WORKSPACE_SUFFIX: "--open",
        PROGRAMME_SUFFIX: "--programme",
        RETURN_SUFFIX: "--check-return",
    }


def route_file_argument(argv: list[str]) -> list[str]:
    """``lga-desktop FILE`` (a file manager's double-click) as the option for that kind of file.

    A workspace opens in the council window, a programme in the consolidation
    window, a return is checked in the council window. Anything else is left for
    the parser, which names the commands it knows.
    """
    switches = {"--quit-after-show", "--debug"}  # options that take no value
    bare = [
        i
        for i, a in enumerate(argv)
        if not a.startswith("-")
        and (i == 0 or not argv[i - 1].startswith("-") or argv[i - 1] in switches)
    ]
    if len(bare) != 1 or len(bare) != sum(not a.startswith("-") for a in argv):
        return argv
    i = bare[0]
    flag = file_flags().get(os.path.splitext(argv[i])[1].lower())
    if flag is None:
        return argv
    return [*argv[:i], flag, argv[i], *argv[i + 1 :]]


def main(argv: Sequence[str] | None = None) -> int:
    argv = route_file_argument(list(sys.argv[1:] if argv is None else argv))
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
        # a command's run needs only its own module; --help and mistakes get them all
        module = MODULE_OF_COMMAND.get(rest[0]) if known is not None and rest else None
        parser = build_parser(modules=[module] if module else COMMAND_MODULES)
        args = parser.parse_args(argv)
    try:
        if args.command is None and args.self_test:  # the frozen program's flag
            args = parser.parse_args(["self-test"], namespace=args)
        if args.command is None:
            return _run_gui(args)
        code = int(args.handler(args) or EXIT_OK)
        sys.stdout.flush()  # a closed pipe shows here, not after we have gone
        return code
    except NotValidError as exc:
        fail(str(exc))
        return EXIT_INVALID
    except LgaError as exc:
        fail(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        fail("stopped; nothing was changed by the interrupted step")
        return 130
    except BrokenPipeError:
        # the program reading our output (``| head``) stopped reading: not our failure
        _quiet_stdout()
        fail("the output was cut short: the program reading it closed the pipe")
        return EXIT_INVALID
    except (OSError, sqlite3.Error) as exc:  # a full disk, a read-only place, a locked file
        fail(str(file_failure(exc)))
        return EXIT_USAGE
    except Exception as exc:  # never a traceback in front of a user
        if args.debug or os.environ.get("LGA_DEBUG"):
            traceback.print_exc()
        fail(f"unexpected error: {exc} (run again with --debug for details)")
        return EXIT_INTERNAL


def file_failure(exc: BaseException) -> LgaError:
    """A file-system or SQLite error that escaped a command, as one sentence."""
    from lga_desktop.db.file import sqlite_failure
    from lga_desktop.errors import os_failure

    if isinstance(exc, OSError):
        return os_failure(exc, exc.filename and os.path.basename(str(exc.filename)) or "a file")
    return sqlite_failure(exc)


def _quiet_stdout() -> None:
    """After a closed pipe: send what is left to nowhere, so exiting prints no second error."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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
        check_return=args.check_return,
    )
