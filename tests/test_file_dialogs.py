"""Every file dialog comes from ui/file_dialogs.py: it never opens the files it lists, and starts where the user looks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from lga_desktop.ui import file_dialogs
from lga_desktop.workspace import Workspace

OXFORD = "E07000178"
UI = Path(__file__).parent.parent / "lga_desktop" / "ui"

# SQLite's unix locks: readers hold a read lock on these bytes of the database file
SHARED_FIRST, SHARED_SIZE = 0x40000002, 510


def sqlite_lock_is_held(path: Path) -> bool:
    """True when some process holds SQLite's shared lock on ``path`` (asked from outside)."""
    script = textwrap.dedent(
        f"""
        import fcntl, os, sys
        fd = os.open({str(path)!r}, os.O_RDWR)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, {SHARED_SIZE}, {SHARED_FIRST})
        except OSError:
            sys.exit(1)
        sys.exit(0)
        """
    )
    return subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 1


def test_listing_the_folder_of_the_open_workspace_keeps_its_locks(qtbot, tmp_path):
    path = tmp_path / "oxford.lgaws"
    with Workspace.create(path, OXFORD) as ws:
        ws.set_meta("figure", 1)
        assert sqlite_lock_is_held(path)
        dialog = file_dialogs.make_dialog(
            None, "Open workspace", str(tmp_path), "Workspaces (*.lgaws);;All files (*)"
        )
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(1500)  # the folder is listed and every icon and type asked for
        assert dialog.iconProvider().type(dialog.directory().entryInfoList()[0]) in {
            "Folder",
            "LGAWS file",
            "File",
        }
        assert sqlite_lock_is_held(path)
        dialog.close()


def test_every_file_dialog_is_made_in_one_place():
    offenders = [
        str(p.relative_to(UI))
        for p in UI.rglob("*.py")
        if p.name not in {"file_dialogs.py", "qt.py"} and "QFileDialog" in p.read_text()
    ]
    assert offenders == []


def test_dialogs_start_in_the_open_files_folder_and_remember_per_kind(qtbot, tmp_path, settings):
    from lga_desktop.ui.qt import QWidget

    class Window(QWidget):
        def __init__(self, ws):
            super().__init__()
            self.settings = settings
            self.context = type("Context", (), {"workspace": ws})()

    folder = tmp_path / "council"
    with Workspace.create(folder / "oxford.lgaws", OXFORD) as ws:
        window = Window(ws)
        qtbot.addWidget(window)
        kind = file_dialogs.kind_of("Spend files (*.csv *.xlsx);;All files (*)", None)
        assert kind == "csv"
        # nothing remembered: the workspace's folder
        assert file_dialogs.start_folder(window, "", kind, saving=False) == str(folder)
        # signed returns: a Returns folder beside the workspace, the name kept
        start = file_dialogs.start_folder(window, "Q2.lgareturn", "lgareturn", saving=True)
        assert start == str(folder / "Returns" / "Q2.lgareturn")
        assert (folder / "Returns").is_dir()
        # the last folder used for a kind of file is where the next dialog starts
        elsewhere = tmp_path / "downloads"
        elsewhere.mkdir()
        file_dialogs.remember_folder(window, kind, str(elsewhere / "spend.csv"))
        assert file_dialogs.start_folder(window, "", kind, saving=False) == str(elsewhere)
        assert file_dialogs.start_folder(window, "", "lgaprog", saving=False) == str(folder)
        assert settings.value(file_dialogs.LAST_FOLDER_KEY + "csv") == str(elsewhere)
