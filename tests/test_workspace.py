"""The workspace file: created, reopened, migrated, refused, backed up and restored."""

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from lga_desktop.db import (
    MIGRATIONS,
    WORKSPACE_APPLICATION_ID,
    connect,
    known_migration_names,
    migrate,
)
from lga_desktop.errors import UsageError
from lga_desktop.features import describe
from lga_desktop.workspace import (
    Officer,
    Workspace,
    WorkspaceDamagedError,
    WorkspaceError,
)

OXFORD = "E07000178"


def test_create_then_reopen(tmp_path, officer):
    path = tmp_path / "ws.lgaws"
    with Workspace.create(path, OXFORD, officer) as ws:
        assert ws.council.official_name == "Oxford City Council"
    with Workspace.open(path) as ws:
        assert ws.officer == officer
        assert ws.schema_version == len(known_migration_names())
        assert ws.db.execute("PRAGMA application_id").fetchone()[0] == WORKSPACE_APPLICATION_ID
        assert ws.db.execute("PRAGMA user_version").fetchone()[0] == ws.schema_version
        assert ws.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_create_refuses_to_overwrite_and_unknown_councils(tmp_path):
    path = tmp_path / "ws.lgaws"
    path.write_text("precious")
    with pytest.raises(UsageError, match="already exists"):
        Workspace.create(path, OXFORD)
    assert path.read_text() == "precious"
    with pytest.raises(UsageError, match="not the GSS code"):
        Workspace.create(tmp_path / "other.lgaws", "W06000015")  # Cardiff: not English
    assert not (tmp_path / "other.lgaws").exists()


def test_meta_round_trips_json(workspace):
    workspace.set_meta("things", {"a": [1, 2], "b": None})
    assert workspace.get_meta("things") == {"a": [1, 2], "b": None}
    assert workspace.get_meta("missing", 7) == 7


def _workspace_at(path, stop_before: str | None):
    """A workspace file migrated only up to (not including) ``stop_before``."""
    db = connect(path)
    db.execute(f"PRAGMA application_id = {WORKSPACE_APPLICATION_ID}")
    migrate(db, stop_before=stop_before)
    with db.atomic():
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('council_gss', ?), ('marker', '\"kept\"')",
            [f'"{OXFORD}"'],
        )
    db.close()


@pytest.mark.parametrize("stop_before", known_migration_names()[1:] + [None])
def test_migrates_from_every_earlier_version(tmp_path, stop_before):
    path = tmp_path / "old.lgaws"
    _workspace_at(path, stop_before)
    with Workspace.open(path) as ws:
        assert ws.schema_version == len(known_migration_names())
        assert not MIGRATIONS.pending(ws.db)
        assert ws.get_meta("marker") == "kept"
        if stop_before is not None:  # an upgrade keeps a copy of the file as it was
            assert any("before-upgrade" in b.path.name for b in ws.list_backups())


def test_from_an_empty_file_every_migration_applies(tmp_path):
    db = connect(tmp_path / "empty.lgaws")
    assert migrate(db) == len(known_migration_names())
    assert MIGRATIONS.applied(db) == known_migration_names()
    assert migrate(db) == len(known_migration_names())  # idempotent
    db.close()


def test_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.lgaws"
    path.write_text("Dear LGA,\n")
    with pytest.raises(WorkspaceError, match="not an lga-desktop workspace"):
        Workspace.open(path)
    empty = tmp_path / "empty.lgaws"
    empty.touch()
    with pytest.raises(WorkspaceDamagedError, match="empty, 0 bytes.*restore"):
        Workspace.open(empty)


def test_refuses_a_foreign_sqlite_file(tmp_path):
    path = tmp_path / "foreign.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="database, but not an lga-desktop workspace"):
        Workspace.open(path)
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


def test_refuses_the_lgas_programme_file_saying_what_it_is(tmp_path):
    from lga_desktop.consolidation.store import Programme

    Programme.create(tmp_path / "board.lgaprog").close()
    with pytest.raises(WorkspaceError, match="is the LGA's programme file, not a council's"):
        Workspace.open(tmp_path / "board.lgaprog")


def test_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "newer.lgaws"
    Workspace.create(path, OXFORD).close()
    db = connect(path)
    with db.atomic():
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, 'x')",
            [MIGRATIONS.name, "9999_from_the_future"],
        )
    db.close()
    with pytest.raises(WorkspaceError, match="newer version of lga-desktop"):
        Workspace.open(path)


def test_refuses_missing_and_folders(tmp_path):
    with pytest.raises(UsageError, match="no workspace"):
        Workspace.open(tmp_path / "nope.lgaws")
    with pytest.raises(UsageError, match="is a folder"):
        Workspace.open(tmp_path)


def test_a_damaged_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "damaged.lgaws"
    with Workspace.create(path, OXFORD) as ws:
        with ws.atomic():
            ws.db.execute("CREATE TABLE filler (x TEXT)")
            ws.db.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                "INSERT INTO filler SELECT printf('%0500d', i) FROM n"
            )
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ws.db.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 3, len(data) - page_size, page_size * 7):
        data[offset : offset + 64] = b"\xff" * 64  # scribble over b-tree page headers
    path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="(damaged|could not be read).*(Restore|restore)"):
        Workspace.open(path)


def test_backup_and_restore_round_trip(workspace):
    workspace.set_meta("figure", 1)
    first = workspace.backup()
    workspace.set_meta("figure", 2)
    assert first.path.exists() and first.path.parent == workspace.backups_dir
    with Workspace.open(first.path) as copy:  # a backup is itself a valid workspace
        assert copy.get_meta("figure") == 1

    safety = workspace.restore(first)
    assert workspace.get_meta("figure") == 1
    assert "before-restore" in safety.path.name
    workspace.restore(safety)  # and the restore can be undone
    assert workspace.get_meta("figure") == 2


def test_restore_refuses_another_councils_backup(tmp_path, workspace):
    other = Workspace.create(tmp_path / "leeds.lgaws", "E08000035")
    other_backup = other.backup()
    other.close()
    workspace.set_meta("figure", 5)
    with pytest.raises(WorkspaceError, match="backup of Leeds City Council"):
        workspace.restore(other_backup)
    assert workspace.get_meta("figure") == 5


def test_backups_roll(workspace):
    for _ in range(13):
        workspace.backup()
    backups = workspace.list_backups()
    assert len(backups) == 10
    assert backups == sorted(backups, key=lambda b: b.path.name, reverse=True)


def test_named_backups_do_not_push_out_the_routine_ones(workspace):
    for _ in range(3):
        workspace.backup()
    for n in range(12):
        workspace.backup(reason=f"before import of file {n}.csv")
    backups = workspace.list_backups()
    assert len([b for b in backups if not b.name]) == 3
    assert [b.name for b in backups if b.name][0] == "before import of file 11.csv"
    assert len([b for b in backups if b.name]) == 10


def test_auto_backup_once_a_day(workspace):
    assert workspace.auto_backup() is not None
    assert workspace.auto_backup() is None
    assert len(workspace.list_backups()) == 1


def test_a_killed_process_leaves_the_workspace_as_it_was(tmp_path):
    path = tmp_path / "ws.lgaws"
    with Workspace.create(path, OXFORD) as ws:
        ws.set_meta("figure", 1)
    script = textwrap.dedent(
        f"""
        import os
        from lga_desktop.workspace import Workspace
        ws = Workspace.open({str(path)!r})
        with ws.atomic():
            ws.set_meta("figure", 2)
            ws.set_meta("half", "done")
            os._exit(9)  # killed mid-transaction
        """
    )
    result = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert result.returncode == 9
    with Workspace.open(path) as ws:
        assert ws.get_meta("figure") == 1
        assert ws.get_meta("half") is None


def test_describe(workspace):
    info = describe(workspace)
    assert info["council"] == {
        "gss": OXFORD,
        "name": "Oxford City Council",
        "type": "Non-metropolitan district",
    }
    assert info["officer"]["name"] == "Alex Morgan"
    assert info["schema_version"] == len(known_migration_names())


def test_officer_can_change(workspace):
    workspace.set_officer(Officer("B", "C", "d@e.fg"))
    assert workspace.officer == Officer("B", "C", "d@e.fg")


def test_a_damaged_workspace_is_replaced_by_its_backup_and_kept_aside(tmp_path):
    from lga_desktop.workspace import list_backups_of, restore_damaged

    path = tmp_path / "ws.lgaws"
    with Workspace.create(path, OXFORD) as ws:
        ws.set_meta("figure", 1)
        ws.backup()
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)  # wrecked
    with pytest.raises(WorkspaceError):
        Workspace.open(path)
    backups = list_backups_of(path)
    assert len(backups) == 1
    backup_bytes = backups[0].path.read_bytes()
    moved = restore_damaged(path, backups[0])
    assert moved.exists() and moved.name.startswith("ws.lgaws.damaged-")
    assert backups[0].path.read_bytes() == backup_bytes  # the backup itself is untouched
    with Workspace.open(path) as ws:
        assert ws.get_meta("figure") == 1
