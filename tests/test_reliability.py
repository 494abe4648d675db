"""The fast slice of the reliability suite (``make reliability`` runs it all; docs/reliability.md).

kill -9 at every file-system step of ``init`` and of restoring a damaged
workspace, and at random moments of a spend import; then damaged inputs:
truncations, one byte of the schema, a future schema, a wrong id.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import reliability  # noqa: E402

from lga_desktop.cli import main  # noqa: E402
from lga_desktop.workspace import Workspace  # noqa: E402

OXFORD = "E07000178"


@pytest.mark.parametrize(
    ("name", "random_runs", "exact"),
    [("init", 2, True), ("restore damaged", 0, True), ("spend import", 4, False)],
)
def test_killed_anywhere_the_file_is_whole_and_a_rerun_gives_the_truth(
    tmp_path, name, random_runs, exact, monkeypatch
):
    if not exact:  # the random kills alone: no exact points for this slice
        monkeypatch.setattr(reliability, "count_steps", lambda argv: 0)
    results = reliability.suite([name], random_runs, tmp_path, seed=1)[name]
    assert results["runs"] >= random_runs + (3 if exact else 0)
    for figure in ("corrupt", "partial", "failed_reruns", "exit_3", "strays"):
        assert results[figure] == 0, results["problems"]


def test_two_writers_at_once_import_once(tmp_path):
    result = reliability.two_writers(tmp_path)
    assert result["ok"], result


def _sound_workspace(folder: Path) -> Path:
    path = folder / "oxford.lgaws"
    with Workspace.create(path, OXFORD) as ws:
        ws.set_meta("figure", 1)
        ws.backup()
    return path


@pytest.mark.parametrize(
    "how", ["truncated 100", "truncated half", "schema byte", "future", "wrong id"]
)
def test_damaged_inputs_are_one_sentence_and_restore_puts_the_backup_back(tmp_path, how, capsys):
    path = _sound_workspace(tmp_path)
    data = bytearray(path.read_bytes())
    if how == "truncated 100":
        path.write_bytes(bytes(data[:100]))
    elif how == "truncated half":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "schema byte":
        at = data.index(b"CREATE TABLE")
        data[at + 3] = 0x80
        path.write_bytes(bytes(data))
    elif how == "future":
        db = sqlite3.connect(path)
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('lga_desktop.workspace', '9999_from_the_future', 'x')"
        )
        db.commit()
        db.close()
    else:
        db = sqlite3.connect(path)
        db.execute("PRAGMA application_id = 7")
        db.commit()
        db.close()
    code = main(["info", str(path)])
    err = capsys.readouterr().err
    assert code in (1, 2) and err.count("\n") == 1 and "unexpected" not in err
    if how == "future":  # not damage: a newer version's file is never moved aside
        assert "newer version" in err
        assert main(["restore", str(path), "--newest"]) == 2
        assert not list(tmp_path.glob("*.damaged-*"))
        return
    assert main(["restore", str(path), "--newest"]) == 0, capsys.readouterr().err
    with Workspace.open(path) as ws:
        assert ws.get_meta("figure") == 1
    kept = [
        p for p in tmp_path.glob("oxford.lgaws.damaged-*") if not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(kept) == 1
    shutil.rmtree(tmp_path / "oxford backups")
