"""Workspaces, programme files and backups (and so the signing keys inside them) are the owner's alone."""

from __future__ import annotations

import os
import stat

import pytest
from returns_support import fast_keys  # noqa: F401  (fixture)

from lga_desktop.consolidation.store import Programme
from lga_desktop.workspace import Workspace, list_backups_of, restore_damaged

pytestmark = pytest.mark.usefixtures("fast_keys")  # POSIX modes; Windows keeps the folder's ACL

OXFORD = "E07000178"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_file_holding_records_or_keys_is_0600(tmp_path):
    from lga_desktop.returns import keys

    old = os.umask(0o022)  # the usual: new files readable by everyone
    try:
        ws_path = tmp_path / "oxford.lgaws"
        with Workspace.create(ws_path, OXFORD) as ws:
            keys.create_key(ws, "a passphrase")  # the private key lives in the workspace
            backup = ws.backup(reason="before import of spend.csv")
        assert mode(ws_path) == 0o600
        assert mode(backup.path) == 0o600
        prog = tmp_path / "board.lgaprog"
        Programme.create(prog).close()
        assert mode(prog) == 0o600
        ws_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)  # damaged
        restore_damaged(ws_path, list_backups_of(ws_path)[0])
        assert mode(ws_path) == 0o600
        owner = ws_path.with_name(f".{ws_path.name}.owner")
        with Workspace.open(ws_path):
            assert mode(owner) == 0o600
    finally:
        os.umask(old)
