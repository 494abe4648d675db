"""Damaged is not busy: only a damaged file is moved aside; busy, read-only and unreachable are explained."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lga_desktop.cli import main
from lga_desktop.db import connection
from lga_desktop.errors import DamagedFileError, FileAccessError
from lga_desktop.workspace import (
    Workspace,
    WorkspaceDamagedError,
    list_backups_of,
    newest_sound_backup,
    restore_damaged,
)

OXFORD = "E07000178"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def make_workspace(folder: Path, figure: int = 1) -> Path:
    path = folder / "oxford.lgaws"
    with Workspace.create(path, OXFORD) as ws:
        ws.set_meta("figure", 0)
        ws.backup()
        ws.set_meta("figure", figure)
    return path


def damaged_files(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm", "-journal"))
    )


def figure(path: Path) -> int:
    with Workspace.open(path, read_only=True) as ws:
        return ws.get_meta("figure")


@pytest.fixture
def held_by_another_program(tmp_path, monkeypatch):
    """Another program (not ours) holds SQLite's exclusive lock on the workspace."""
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_SECONDS", 0.2)
    path = make_workspace(tmp_path, figure=7)
    script = textwrap.dedent(
        f"""
        import sqlite3, sys, time
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("BEGIN EXCLUSIVE")
        db.execute("UPDATE meta SET value = value WHERE key = 'figure'")
        print("holding", flush=True)
        time.sleep(60)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    yield path
    holder.kill()
    holder.wait(30)


def test_a_locked_workspace_is_busy_not_damaged(held_by_another_program, capsys):
    path = held_by_another_program
    code, _, err = run(capsys, "restore", path, "--newest")
    assert code == 2
    assert err.count("\n") == 1 and "busy" in err and "damaged" not in err
    assert damaged_files(path.parent) == []
    code, _, err = run(capsys, "info", path)
    assert code == 2 and "busy" in err and "unexpected" not in err


def test_a_locked_workspace_is_not_offered_a_restore_in_the_window(
    held_by_another_program, qtbot, message_boxes
):
    from lga_desktop.ui.main_window import open_or_offer_restore

    assert open_or_offer_restore(None, held_by_another_program) is None
    title, text = message_boxes[-1]
    assert "busy" in text and "Put back" not in text
    assert damaged_files(held_by_another_program.parent) == []


@pytest.fixture
def read_only_place(tmp_path):
    """A folder on a read-only file system (a tmpfs remounted read-only as root, else chmod)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mounted = (
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", folder]).returncode
            == 0
        )
    path = make_workspace(folder, figure=5)
    if mounted:
        assert subprocess.run(["mount", "-o", "remount,ro", folder]).returncode == 0
    else:
        for p in folder.rglob("*"):
            p.chmod(0o444 if p.is_file() else 0o555)
        folder.chmod(0o555)
    yield path
    if mounted:
        subprocess.run(["umount", "-l", folder])
    else:
        for p in [folder, *folder.rglob("*")]:
            p.chmod(0o755)


def test_a_read_only_place_is_said_so_and_nothing_moves(read_only_place, capsys):
    path = read_only_place
    code, _, err = run(capsys, "restore", path, "--newest")
    assert code == 2 and err.count("\n") == 1
    assert "cannot be changed where it is" in err or "read-only" in err
    assert damaged_files(path.parent) == []
    assert figure(path) == 5  # reading still works
    code, out, err = run(capsys, "info", path)
    assert code == 0, err


def test_damaged_schema_text_is_damage_and_restore_works(tmp_path, capsys):
    path = make_workspace(tmp_path)
    data = bytearray(path.read_bytes())
    at = data.index(b"CREATE TABLE meta")
    data[at + 7] = 0xFF  # one byte of the schema's text: no longer UTF-8
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, "info", path)
    assert code in (1, 2) and err.count("\n") == 1 and "damaged" in err
    assert "unexpected" not in err
    code, out, err = run(capsys, "restore", path, "--newest")
    assert code == 0, err
    assert figure(path) == 0
    assert len(damaged_files(tmp_path)) == 1


@pytest.mark.parametrize("how", ["empty", "our id, no tables"])
def test_empty_or_tableless_files_are_damaged_and_the_newest_backup_is_offered(
    tmp_path, how, qtbot, monkeypatch
):
    from lga_desktop.ui import main_window
    from lga_desktop.ui.qt import QMessageBox

    path = make_workspace(tmp_path)
    path.unlink()
    if how == "empty":
        path.touch()
    else:
        db = sqlite3.connect(path)
        db.execute("PRAGMA application_id = 1279738199")  # "LGAW"
        db.execute("CREATE TABLE other (x)")
        db.commit()
        db.close()
    with pytest.raises(WorkspaceDamagedError, match="damaged"):
        Workspace.open(path)
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    ws = main_window.open_or_offer_restore(None, path)
    assert ws is not None and "Put back the newest backup" in asked[0]
    with ws:
        assert ws.get_meta("figure") == 0
    assert len(damaged_files(tmp_path)) == 1


def test_only_a_path_that_does_not_exist_is_created(tmp_path):
    from lga_desktop.consolidation.store import Programme, ProgrammeDamagedError

    path = tmp_path / "board.lgaprog"
    path.touch()
    with pytest.raises(ProgrammeDamagedError, match="empty"):
        Programme.open_or_create(path)
    assert path.read_bytes() == b""  # not replaced by a fresh programme


def test_half_written_backups_are_never_listed_or_chosen(tmp_path, capsys):
    path = make_workspace(tmp_path)
    good = list_backups_of(path)
    assert len(good) == 1
    whole = good[0].path.read_bytes()
    folder = good[0].path.parent
    later = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() + 60))
    (folder / f"oxford-{later}-000001.lgaws").write_bytes(whole[: len(whole) // 2])
    (folder / f"oxford-{later}-000002.lgaws").write_bytes(b"")
    assert [b.path for b in list_backups_of(path)] == [good[0].path]
    assert newest_sound_backup(path).path == good[0].path
    code, out, _ = run(capsys, "restore", path, "--list")
    assert code == 0 and out.count("oxford-") == 1


def test_a_damaged_original_is_never_overwritten(tmp_path):
    path = make_workspace(tmp_path)
    backup = list_backups_of(path)[0]
    kept = []
    for n in range(3):  # three restores within one second
        path.write_bytes(b"SQLite format 3\x00" + bytes([n]) * 4000)
        kept.append(restore_damaged(path, backup))
    assert len(set(kept)) == 3
    assert [p.read_bytes()[16] for p in kept] == [0, 1, 2]
    assert figure(path) == 0


def test_a_restore_never_leaves_the_damaged_files_journal_beside_the_new_one(tmp_path):
    path = make_workspace(tmp_path)
    backup = list_backups_of(path)[0]
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    Path(f"{path}-wal").write_bytes(b"journal of the damaged file")
    moved = restore_damaged(path, backup)
    assert not Path(f"{path}-wal").exists()
    assert Path(f"{moved}-wal").read_bytes() == b"journal of the damaged file"
    assert figure(path) == 0


def test_an_unreadable_file_is_out_of_reach_not_damaged(tmp_path):
    if os.geteuid() == 0:  # root reads everything: a folder where the file should be instead
        path = tmp_path / "missing-drive.lgaws"
        os.symlink(tmp_path / "no such drive" / "oxford.lgaws", path)
        with pytest.raises(Exception) as caught:
            Workspace.open(path)
        assert not isinstance(caught.value, DamagedFileError)
        return
    path = make_workspace(tmp_path)
    path.chmod(0)
    with pytest.raises(FileAccessError, match="cannot be read"):
        Workspace.open(path)
