"""Failures are one sentence on stderr with exit 1 or 2, never 3: closed pipes, full disks, damaged files, refused imports."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lga_desktop.cli import main
from lga_desktop.workspace import Workspace

OXFORD = "E07000178"
SPEND = Path(__file__).parent / "data" / "spend" / "oxford"
CLI = [sys.executable, "-m", "lga_desktop"]


def one_sentence(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("lga-desktop: ") and "Traceback" not in err


def test_a_closed_pipe_is_one_line_and_not_exit_3(demo_workspace):
    path = str(demo_workspace.path)
    demo_workspace.close()
    reader = subprocess.Popen(
        [*CLI, "spend-summary", path, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    reader.stdout.close()  # `| head` that has read all it wanted
    err = reader.stderr.read().decode()
    code = reader.wait(120)
    assert code == 1, err
    assert one_sentence(err) and "closed the pipe" in err


@pytest.fixture
def small_disk(tmp_path):
    """A folder with about 1.5 MB free: a small tmpfs as root; else None (use a file-size limit)."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() == 0 and (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", folder]).returncode
        == 0
    ):
        yield folder, None
        subprocess.run(["umount", "-l", folder])
        return
    yield folder, 1536 * 1024  # RLIMIT_FSIZE: a write past it fails like a full disk


def run_limited(argv: list[str], limit: int | None) -> subprocess.CompletedProcess:
    def cap() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [*CLI, *argv], capture_output=True, text=True, timeout=300, preexec_fn=cap
    )


def test_a_full_disk_is_one_sentence_and_leaves_no_half_file(small_disk, tmp_path):
    folder, limit = small_disk
    big = tmp_path / "big.lgaws"
    from lga_desktop.demo import create_demo_workspace

    create_demo_workspace(big).close()
    # a workspace (here: a demo one) too big for the disk
    result = run_limited(["init", str(folder / "demo.lgaws"), "--council", OXFORD, "--demo"], limit)
    if result.returncode == 0:  # the demo fitted: fill the disk with spend instead
        result = run_limited(
            ["import-spend", str(folder / "demo.lgaws"), *map(str, sorted(SPEND.glob("*.csv")))],
            limit,
        )
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert "full" in result.stderr or "too large" in result.stderr.lower()
    for line in result.stderr.strip().splitlines():
        assert line.startswith("lga-desktop: ")
    visible = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
    assert all(not n.endswith((".partial", "-journal")) for n in visible)
    if (folder / "demo.lgaws").exists():  # whatever is there opens and is whole
        with Workspace.open(folder / "demo.lgaws", read_only=True) as ws:
            assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a register export onto the full disk: one sentence too, and no half workbook
    result = run_limited(
        ["export", str(big), "--register", "cap", "--out", str(folder / "cap.xlsx")], limit
    )
    assert result.returncode == 2 and one_sentence(result.stderr), result.stderr
    assert not (folder / "cap.xlsx").exists()


def test_a_missing_meta_table_is_damage_in_one_sentence(tmp_path, capsys):
    path = tmp_path / "ws.lgaws"
    Workspace.create(path, OXFORD).close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE meta")
    db.commit()
    db.close()
    code = main(["info", str(path)])
    err = capsys.readouterr().err
    assert code in (1, 2) and one_sentence(err)
    assert "damaged" in err and "meta table is missing" in err


def test_import_spend_exits_1_when_nothing_could_be_imported(tmp_path, capsys):
    path = tmp_path / "ws.lgaws"
    Workspace.create(path, OXFORD).close()
    spend = tmp_path / "refused.csv"
    spend.write_text(
        "Date,Supplier,Amount,Expense Type\n"
        + "".join(f"not a date {i},Acme Ltd,lots,Stationery\n" for i in range(50)),
        encoding="utf-8",
    )
    code = main(["import-spend", str(path), str(spend)])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert "nothing in refused.csv could be imported" in err
    code = main(["import-spend", str(path), str(spend), "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    json.loads(out)  # stdout stays pure JSON
    assert "nothing in refused.csv could be imported" in err  # and the error is on stderr too
