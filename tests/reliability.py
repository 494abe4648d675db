"""The reliability suite: kill -9 at random moments and at every file-system step, then check.

Each *operation* is a real ``lga-desktop`` command run on a fresh copy of a
prepared folder. The command runs in a forked child (the parent has already
imported the program, so a run costs the operation, not a start-up) that is
killed with SIGKILL:

* at a random moment within the operation's own running time, or
* exactly at its N-th file-system step (``os.replace``, ``os.rename``,
  ``os.link``, ``os.unlink``, ``os.fsync``), for every N the operation takes.

After each kill: the file opens, ``PRAGMA integrity_check`` is ok, the
operation is wholly there or wholly absent (its state is one of the two
states a clean run starts and ends with), and if it is not wholly there a
re-run of the same command finishes with exit 0 and the very state a clean
run gives; afterwards no visible stray file (``.partial``, ``-journal``,
``-wal``) is left where a user looks. No run may exit 3.

``make reliability`` runs the whole suite (``--runs 200``); ``make test``
runs a fast slice (``tests/test_reliability.py``). Figures: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
SPEND = HERE / "data" / "spend" / "oxford"
OXFORD = "E07000178"
PASSPHRASE = "reliability passphrase"
NEW_PASSPHRASE = "reliability passphrase 2"
QUARTER = "2012/13 Q2"
FS_STEPS = ("replace", "rename", "link", "unlink", "fsync")


# ---- the operations ----------------------------------------------------------------


@dataclass
class Operation:
    name: str
    prepare: Callable[[Path], None]  # builds the template folder once
    argv: Callable[[Path], list[str]]  # the command, in a copy of the folder
    state: Callable[[Path], object]  # what the operation changes, comparable
    main_file: Callable[[Path], Path]  # the file that must open and be intact
    ok_codes: tuple[int, ...] = (0,)  # consolidate says 1 when some files are held aside


def _ws(folder: Path) -> Path:
    return folder / "oxford.lgaws"


def _open_state(path: Path, read: Callable) -> object:
    from lga_desktop.workspace import Workspace

    if not path.exists():
        return None
    with Workspace.open(path) as ws:  # as a user reopening it would
        return read(ws)


def _count(ws, table: str) -> int:
    return ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def prepare_workspace(folder: Path, *, demo: bool = False, key: bool = False) -> None:
    from lga_desktop.returns import keys
    from lga_desktop.workspace import Officer, Workspace

    if demo:
        from lga_desktop.demo import create_demo_workspace

        ws = create_demo_workspace(_ws(folder))
    else:
        ws = Workspace.create(_ws(folder), OXFORD, Officer("Sam Patel", "Officer", "s@x.gov.uk"))
    with ws:
        if key:
            saved = keys.SCRYPT_N
            keys.SCRYPT_N = 2**10  # the stored parameters make a cheap key transparent
            try:
                keys.create_key(ws, PASSPHRASE)
            finally:
                keys.SCRYPT_N = saved
        ws.set_meta("figure", 1)


def prepare_export(folder: Path) -> None:
    from datetime import date

    from lga_desktop.periods import parse_quarter
    from lga_desktop.returns.build import assemble, save_note
    from lga_desktop.workspace import Workspace

    prepare_workspace(folder, demo=True, key=True)
    with Workspace.open(_ws(folder)) as ws:
        quarter = parse_quarter(QUARTER)
        for w in assemble(ws, quarter, today=date(2012, 10, 15)).warnings:
            save_note(ws, quarter, w.key, "Explained for the reliability suite.")


def prepare_register_import(folder: Path) -> None:
    """The demo workspace with a year of spend; a savings sheet of new lines; a supplier list."""
    from openpyxl import load_workbook

    from lga_desktop.procurement.spend_import import import_spend
    from lga_desktop.procurement.suppliers import export_suppliers, list_suppliers, set_flags
    from lga_desktop.registers.excel import export_family
    from lga_desktop.workspace import Workspace

    prepare_workspace(folder, demo=True)
    with Workspace.open(_ws(folder)) as ws:
        export_family(ws, "savings", folder / "savings.xlsx")
        import_spend(ws, SPEND / "expenditure-over-500-jan-mar-2014.csv")
        ids = [s.id for s in list_suppliers(ws)[:40]]
        set_flags(ws, ids, sme=True, local=True)
        export_suppliers(ws, folder / "suppliers.csv")
        set_flags(ws, ids, sme=False, local=False)
    book = load_workbook(folder / "savings.xlsx")
    for extra in book.sheetnames[1:]:
        del book[extra]
    for row in book.worksheets[0].iter_rows(min_row=2):
        row[0].value = None  # no Ref: every row is a new savings line
    book.save(folder / "savings.xlsx")


def prepare_consolidation(folder: Path) -> None:
    from lga_desktop.consolidation.demo import build_demo_programme
    from lga_desktop.returns import keys

    saved = keys.SCRYPT_N
    keys.SCRYPT_N = 2**10
    try:
        demo = build_demo_programme(folder / "demo")
    finally:
        keys.SCRYPT_N = saved
    returns = folder / "returns"
    returns.mkdir()
    for f in demo.return_files:
        shutil.copy(f, returns / f.name)
    shutil.rmtree(folder / "demo")


def prepare_restore(folder: Path) -> None:
    from lga_desktop.workspace import Workspace

    prepare_workspace(folder, demo=True)
    with Workspace.open(_ws(folder)) as ws:
        ws.set_meta("figure", 0)
        backup = ws.backup(reason="the one to restore")
        ws.set_meta("figure", 2)
    shutil.copy(backup.path, folder / "chosen.lgaws")


def prepare_restore_damaged(folder: Path) -> None:
    prepare_restore(folder)
    path = _ws(folder)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page * 2, len(data) - page, page * 3):
        data[offset : offset + 48] = b"\xff" * 48
    path.write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def spend_state(ws) -> object:
    return (_count(ws, "spend_line"), _count(ws, "spend_import"))


def meta_figure(ws) -> object:
    return ws.get_meta("figure")


def restored_state(folder: Path) -> object:
    """The workspace's figure, or 'damaged' while the damaged original is still in place."""
    from lga_desktop.errors import DamagedFileError
    from lga_desktop.workspace import Workspace

    path = _ws(folder)
    if not path.exists():
        return "missing"
    try:
        with Workspace.open(path) as ws:
            return ws.get_meta("figure")
    except DamagedFileError:
        return "damaged"


#: a return recorded whose file the pending note will save (again) on a re-run: wholly there
RECORDED_FILE_WAITING = {(1, False, True), (1, True, True)}


def export_state(folder: Path) -> object:
    """(records, file saved with the recorded bytes or waiting in the pending note)."""
    from lga_desktop.returns.sign import PENDING_FILE_KEY

    def read(ws):
        rows = ws.db.execute("SELECT file_bytes FROM signed_returns").fetchall()
        out = folder / "return.lgareturn"
        saved = out.exists() and rows and out.read_bytes() == rows[-1][0]
        return (len(rows), bool(saved), ws.get_meta(PENDING_FILE_KEY) is not None)

    return _open_state(_ws(folder), read)


def backup_state(folder: Path) -> object:
    from lga_desktop.workspace import Workspace, list_backups_of

    backups = list_backups_of(_ws(folder))
    for b in backups:  # every listed backup opens and is intact
        with Workspace.open(b.path, read_only=True) as ws:
            assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return len(backups)


#: the first consolidate creates the programme (one whole step), then merges (another):
#: killed between the two, an empty programme is there and a re-run merges into it
PROGRAMME_CREATED = ("Board", 0, 0)


def programme_state(folder: Path) -> object:
    from lga_desktop.consolidation.store import Programme

    path = folder / "board.lgaprog"
    if not path.exists():
        return None
    with Programme.open(path) as prog:
        return (
            prog.name,
            _count(prog, "received_file"),
            _count(prog, "council_return"),
        )


def init_state(folder: Path) -> object:
    return _open_state(_ws(folder), lambda ws: (ws.council.gss, ws.officer and ws.officer.name))


OPERATIONS = {
    op.name: op
    for op in [
        Operation(
            "spend import",
            lambda f: prepare_workspace(f),
            lambda f: [
                "import-spend",
                str(_ws(f)),
                str(SPEND / "expenditure-over-500-jan-mar-2014.csv"),
            ],
            lambda f: _open_state(_ws(f), spend_state),
            _ws,
        ),
        Operation(
            "register import",
            prepare_register_import,
            lambda f: ["import", str(_ws(f)), "--register", "savings", str(f / "savings.xlsx")],
            lambda f: _open_state(_ws(f), lambda ws: _count(ws, "savings_lines")),
            _ws,
        ),
        Operation(
            "supplier import",
            prepare_register_import,
            lambda f: ["import-suppliers", str(_ws(f)), str(f / "suppliers.csv")],
            lambda f: _open_state(
                _ws(f),
                lambda ws: ws.db.execute("SELECT sum(sme), sum(local) FROM supplier").fetchone(),
            ),
            _ws,
        ),
        Operation(
            "return export",
            prepare_export,
            lambda f: [
                "export-return",
                str(_ws(f)),
                "--period",
                QUARTER,
                "--signer",
                "Jo Reed",
                "--role",
                "Head of Finance",
                "--out",
                str(f / "return.lgareturn"),
            ],
            export_state,
            _ws,
        ),
        Operation(
            "key rotation",
            lambda f: prepare_workspace(f, key=True),
            lambda f: ["keygen", str(_ws(f)), "--rotate"],
            lambda f: _open_state(
                _ws(f),
                lambda ws: (
                    _count(ws, "signing_keys"),
                    ws.db.execute(
                        "SELECT count(*) FROM signing_keys WHERE retired_at IS NULL"
                    ).fetchone()[0],
                ),
            ),
            _ws,
        ),
        Operation(
            "consolidation",
            prepare_consolidation,
            lambda f: [
                "consolidate",
                str(f / "board.lgaprog"),
                str(f / "returns"),
                "--name",
                "Board",
            ],
            programme_state,
            lambda f: f / "board.lgaprog",
            (0, 1),
        ),
        Operation(
            "init",
            lambda f: None,
            lambda f: ["init", str(_ws(f)), "--council", OXFORD, "--officer", "Sam Patel"],
            init_state,
            _ws,
        ),
        Operation(
            "backup",
            lambda f: prepare_workspace(f, demo=True),
            lambda f: ["backup", str(_ws(f))],
            backup_state,
            _ws,
        ),
        Operation(
            "restore",
            prepare_restore,
            lambda f: ["restore", str(_ws(f)), "--backup", str(f / "chosen.lgaws")],
            restored_state,
            _ws,
        ),
        Operation(
            "restore damaged",
            prepare_restore_damaged,
            lambda f: ["restore", str(_ws(f)), "--backup", str(f / "chosen.lgaws")],
            restored_state,
            _ws,
        ),
    ]
}


# ---- running and killing ---------------------------------------------------------------


def _prepare_child(on_step: Callable[[int], None] | None) -> None:
    """In a forked child: the passphrases, no output, and a hook on every file-system step."""
    os.environ["LGA_PASSPHRASE"] = PASSPHRASE
    os.environ["LGA_NEW_PASSPHRASE"] = NEW_PASSPHRASE
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if on_step is None:
        return
    counter = [0]
    for name in FS_STEPS:
        real = getattr(os, name)

        def hooked(*args, _real=real, **kwargs):
            counter[0] += 1
            on_step(counter[0])
            return _real(*args, **kwargs)

        setattr(os, name, hooked)


def _child(argv: list[str], kill_at: tuple[str, int] | None) -> None:
    """In the forked child: run the command, killing ourselves at a file-system step if asked."""

    def kill(step: int) -> None:
        if kill_at is not None and step == kill_at[1]:
            os.kill(os.getpid(), signal.SIGKILL)

    _prepare_child(kill if kill_at is not None else None)
    from lga_desktop.cli import main

    os._exit(main(argv))


def _spawn(argv: list[str], kill_at=None) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            _child(argv, kill_at)
        finally:
            os._exit(99)
    return pid


def run(argv: list[str], *, kill_after: float | None = None, kill_at=None) -> int | str:
    """Run a command in a forked child; its exit code, or 'killed'."""
    pid = _spawn(argv, kill_at)
    if kill_after is not None:
        deadline = time.monotonic() + kill_after
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            time.sleep(min(0.002, max(0.0, deadline - time.monotonic())))
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return "killed" if code == -signal.SIGKILL else code


def count_steps(argv: list[str]) -> int:
    """How many file-system steps a clean run takes (kill_at beyond it never fires)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        seen = [0]
        _prepare_child(lambda step: seen.__setitem__(0, step))
        from lga_desktop.cli import main

        main(argv)
        os.write(w, str(seen[0]).encode())
        os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    data = os.read(r, 64)
    os.close(r)
    return int(data or b"0")


VISIBLE_STRAYS = (".partial", "-journal", "-wal", "-shm")


def strays(folder: Path) -> list[str]:
    """Files left where a user looks that are half-made or a journal (after the re-run)."""
    found = []
    for p in folder.rglob("*"):
        if p.name.startswith(".") or ".damaged-" in p.name:
            continue
        if p.name.endswith(VISIBLE_STRAYS):
            found.append(str(p.relative_to(folder)))
    return found


def intact(path: Path) -> bool:
    if not path.exists():
        return True  # "absent" is judged by the state
    try:
        from lga_desktop.errors import DamagedFileError

        conn = sqlite3.connect(str(path))
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    except DamagedFileError:  # pragma: no cover
        return False


@dataclass
class Figures:
    runs: int = 0
    killed: int = 0
    outcomes: Counter = field(default_factory=Counter)  # absent, complete, partial
    corrupt: int = 0
    failed_reruns: int = 0
    exit_3: int = 0
    strays: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "runs": self.runs,
            "killed": self.killed,
            "absent": self.outcomes["absent"],
            "complete": self.outcomes["complete"],
            "partial": self.outcomes["partial"],
            "corrupt": self.corrupt,
            "failed_reruns": self.failed_reruns,
            "exit_3": self.exit_3,
            "strays": self.strays,
            "problems": self.problems[:10],
        }


def one_run(
    op: Operation, template: Path, work: Path, before, after, figures: Figures, **kill
) -> None:
    folder = work / f"run-{figures.runs}"
    shutil.copytree(template, folder)
    try:
        result = run(op.argv(folder), **kill)
        figures.runs += 1
        figures.killed += result == "killed"
        if result == 3:
            figures.exit_3 += 1
        main_file = op.main_file(folder)
        still_the_damaged_original = (
            op.name == "restore damaged"
            and main_file.exists()
            and main_file.read_bytes() == op.main_file(template).read_bytes()
        )
        if not still_the_damaged_original and not intact(main_file):
            figures.corrupt += 1
            figures.problems.append(f"{op.name} {kill}: {main_file.name} not intact")
            return
        if op.name == "restore damaged" and not main_file.exists():
            figures.outcomes["partial"] += 1
            figures.problems.append(f"{op.name} {kill}: no workspace left")
            return
        state = op.state(folder)
        if state == after:
            figures.outcomes["complete"] += 1
        elif state == before or (op.name == "consolidation" and state == PROGRAMME_CREATED):
            figures.outcomes["absent"] += 1
        elif op.name == "return export" and state in RECORDED_FILE_WAITING:
            figures.outcomes["complete"] += 1
        else:
            figures.outcomes["partial"] += 1
            figures.problems.append(f"{op.name} {kill}: state {state!r}")
        if state != after:  # the user runs it again
            again = run(op.argv(folder))
            if again == 3:
                figures.exit_3 += 1
            final = op.state(folder)
            if again not in op.ok_codes or final != after:
                figures.failed_reruns += 1
                figures.problems.append(f"{op.name} {kill}: re-run {again}, state {final!r}")
        left = strays(folder)
        if left:
            figures.strays += 1
            figures.problems.append(f"{op.name} {kill}: stray {left}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def suite(names: list[str], runs: int, work: Path, seed: int = 10) -> dict[str, dict]:
    rng = random.Random(seed)
    results = {}
    for name in names:
        op = OPERATIONS[name]
        template = work / f"template-{name.replace(' ', '-')}"
        template.mkdir()
        op.prepare(template)
        before = op.state(template)
        clean = work / "clean"
        shutil.copytree(template, clean)
        started = time.monotonic()
        code = run(op.argv(clean))
        took = time.monotonic() - started
        assert code in op.ok_codes, f"{name}: a clean run exited {code}"
        after = op.state(clean)
        assert after != before, f"{name}: a clean run changed nothing"
        shutil.rmtree(clean)
        steps_folder = work / "steps"
        shutil.copytree(template, steps_folder)
        steps = count_steps(op.argv(steps_folder))
        shutil.rmtree(steps_folder)
        figures = Figures()
        for n in range(1, steps + 1):  # every file-system step, exactly
            one_run(op, template, work, before, after, figures, kill_at=("step", n))
        exact = figures.runs
        for _ in range(runs):  # random moments
            one_run(
                op, template, work, before, after, figures, kill_after=rng.uniform(0, took * 1.1)
            )
        results[name] = {
            **figures.as_dict(),
            "steps": steps,
            "seconds_clean": round(took, 2),
            "exact_point_runs": exact,
        }
        shutil.rmtree(template)
    return results


def two_writers(work: Path) -> dict:
    """Two spend imports at once into one workspace: one goes in, the other is told who has it."""
    folder = work / "two"
    folder.mkdir()
    prepare_workspace(folder)
    argv = ["import-spend", str(_ws(folder)), str(SPEND / "expenditure-over-500-jan-mar-2014.csv")]
    pids = [_spawn(argv) for _ in range(2)]
    codes = sorted(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids)
    lines, imports = _open_state(_ws(folder), spend_state)
    single = work / "single"
    single.mkdir()
    prepare_workspace(single)
    run(argv[:1] + [str(_ws(single))] + argv[2:])
    expected_lines = _open_state(_ws(single), spend_state)[0]
    shutil.rmtree(folder)
    shutil.rmtree(single)
    # the second waits for the first (or, if it waited too long, is refused with exit 2);
    # either way the lines are one import's, none twice
    return {
        "exit_codes": codes,
        "lines": lines,
        "one_import_lines": expected_lines,
        "ok": lines == expected_lines and all(c in (0, 2) for c in codes),
    }


def preload() -> None:
    """Import every command and what it uses once, in the parent: each forked run then
    starts at once, and runs the code as it was when the suite began."""
    import importlib

    import lga_desktop.cli as cli

    for name in cli.COMMAND_MODULES:
        importlib.import_module(name)
    for name in (
        "lga_desktop.procurement.spend_import",
        "lga_desktop.procurement.suppliers",
        "lga_desktop.registers.excel",
        "lga_desktop.returns.build",
        "lga_desktop.returns.sign",
        "lga_desktop.returns.pdf",
        "lga_desktop.returns.keys",
        "lga_desktop.consolidation.merge",
        "lga_desktop.consolidation.store",
        "lga_desktop.demo",
        "openpyxl",
        "reportlab.pdfgen.canvas",
    ):
        importlib.import_module(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per operation")
    parser.add_argument("--only", action="append", help="an operation (repeatable)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    names = args.only or list(OPERATIONS)
    preload()
    with tempfile.TemporaryDirectory(prefix="lga-reliability-") as tmp:
        work = Path(tmp)
        started = time.monotonic()
        results = suite(names, args.runs, work)
        results["two writers"] = two_writers(work)
        results["seconds"] = round(time.monotonic() - started)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    bad = [
        n
        for n, r in results.items()
        if isinstance(r, dict)
        and (
            any(r.get(k) for k in ("corrupt", "partial", "failed_reruns", "exit_3", "strays"))
            or r.get("ok") is False
        )
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
