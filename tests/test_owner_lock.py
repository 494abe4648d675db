"""One owner per file: a lock that survives the POSIX close() trap, says who holds it, and dies with its owner.

Sequence 1 of issue 10: with a programme open in the window, something in the
same process opened and closed the file (a file dialog peeking at it), which
dropped every POSIX lock SQLite held; another process (``lga-desktop
programme FILE``) then took itself for the last user, checkpointed and
deleted the live journal, and what the window added next was lost.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest
from returns_support import fast_keys  # noqa: F401  (fixture)

from lga_desktop.consolidation.merge import consolidate
from lga_desktop.consolidation.store import Programme
from lga_desktop.errors import FileBusyError
from lga_desktop.workspace import Workspace

OXFORD = "E07000178"
CLI = [sys.executable, "-m", "lga_desktop"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def received(path) -> int:
    with Programme.open(path, read_only=True) as prog:
        return prog.db.execute("SELECT count(*) FROM received_file").fetchone()[0]


def add_returns(prog: Programme, files) -> None:
    """As the window adds returns: on a connection of its own, closed after."""
    own = prog.reopen()
    try:
        consolidate(own, files)
    finally:
        own.close()


def test_sequence_1_loses_no_record(tmp_path, demo_programme):
    """Programme open, the close() trap sprung, a second process reads it, more returns added."""
    files = demo_programme.return_files
    path = tmp_path / "board.lgaprog"
    prog = Programme.create(path, "Board")
    try:
        add_returns(prog, files[:4])
        for batch in (files[4:7], files[7:]):
            # a file dialog listing the folder opened and closed the file in this
            # process: every POSIX lock SQLite held on it is gone now
            with open(path, "rb") as peek:
                peek.read(100)
            result = run_cli("programme", str(path))
            assert result.returncode == 0, result.stderr
            add_returns(prog, batch)
        result = run_cli("info", str(path))  # the wrong kind of file: refused, nothing touched
        assert result.returncode == 2
        assert "programme file, not a council's workspace" in result.stderr
        expected = prog.db.execute("SELECT count(*) FROM received_file").fetchone()[0]
    finally:
        prog.close()
    assert expected == len({f.read_bytes() for f in files})
    assert received(path) == expected
    with Programme.open(path) as again:
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_read_only_commands_leave_the_owners_journal_alone(tmp_path, demo_programme):
    path = tmp_path / "board.lgaprog"
    with Programme.create(path, "Board") as prog:
        prog.db.execute("PRAGMA wal_autocheckpoint = 0")  # keep everything in the journal
        consolidate(prog, demo_programme.return_files[:3])
        wal = path.with_name(path.name + "-wal")
        before = wal.stat().st_size
        assert before > 0
        with open(path, "rb"):
            pass  # the close() trap
        assert run_cli("programme", str(path), "--json").returncode == 0
        assert wal.exists() and wal.stat().st_size == before


def test_two_openers_of_one_file_are_impossible(tmp_path):
    path = tmp_path / "ws.lgaws"
    with Workspace.create(path, OXFORD) as ws:
        with pytest.raises(FileBusyError, match="already open in another window"):
            Workspace.open(path)
        # another process is told who has it, since when, and what to do
        script = f"from lga_desktop.workspace import Workspace\nWorkspace.open({str(path)!r})\n"
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert result.returncode != 0
        last = result.stderr.strip().splitlines()[-1]
        assert f"open for writing by {getpass.getuser()} on {socket.gethostname()} since" in last
        assert "close the workspace there and try again" in last
        # a CLI writer gets the same one sentence, exit 2, and nothing changes
        result = run_cli("keygen", str(path))
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "open for writing by" in result.stderr
        # reading is still allowed
        assert run_cli("info", str(path)).returncode == 0
        ws.set_meta("still", "mine")
    with Workspace.open(path) as again:  # released on close
        assert again.get_meta("still") == "mine"


def test_a_crashed_owner_leaves_no_stuck_lock(tmp_path):
    path = tmp_path / "ws.lgaws"
    Workspace.create(path, OXFORD).close()
    script = textwrap.dedent(
        f"""
        import sys, time
        from lga_desktop.workspace import Workspace
        ws = Workspace.open({str(path)!r})
        print("open", flush=True)
        time.sleep(60)
        """
    )
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout.readline().strip() == "open"
        with pytest.raises(FileBusyError):
            Workspace.open(path)
        holder = json.loads(path.with_name(f".{path.name}.owner").read_text())
        assert holder["pid"] == owner.pid
    finally:
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(30)
    deadline = time.monotonic() + 10
    while True:
        try:
            with Workspace.open(path) as ws:
                assert ws.council.gss == OXFORD
            break
        except FileBusyError:
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_a_copy_of_an_open_programme_is_accepted(tmp_path, demo_programme):
    path = tmp_path / "board.lgaprog"
    with Programme.create(path, "Board") as prog:
        own = prog.reopen()  # the window writes through a connection of its own
        consolidate(own, demo_programme.return_files[:3])
        own.close()
        copy = tmp_path / "copy.lgaprog"
        shutil.copyfile(path, copy)  # the main file only, as Explorer or Finder copies it
        with Programme.open(copy) as copied:
            assert copied.name == "Board"
            n = copied.db.execute("SELECT count(*) FROM received_file").fetchone()[0]
        assert n == prog.db.execute("SELECT count(*) FROM received_file").fetchone()[0]


def test_a_second_window_on_the_same_workspace_is_refused_in_words(
    qtbot, tmp_path, settings, message_boxes
):
    from lga_desktop.ui.main_window import MainWindow, open_or_offer_restore

    path = tmp_path / "ws.lgaws"
    window = MainWindow(Workspace.create(path, OXFORD), settings)
    qtbot.addWidget(window)
    assert open_or_offer_restore(window, path) is None
    title, text = message_boxes[-1]
    assert "already open in another window of this program" in text
    assert "Put back" not in text


@pytest.mark.usefixtures("fast_keys")
def test_the_windows_restore_warns_before_dropping_signed_returns(
    qtbot, demo_workspace, settings, message_boxes
):
    from returns_support import sign_q2

    from lga_desktop.ui.main_window import MainWindow

    backup = demo_workspace.backup(reason="at the start")
    sign_q2(demo_workspace)
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    assert window.restore(backup)  # the recorder answers Yes
    asked = [text for title, text in message_boxes if "would lose" in text]
    assert asked and "1 signed return recorded" in asked[0]
