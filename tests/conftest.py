"""Shared fixtures: real workspace files on disk, Qt offscreen, tasks run inline."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from lga_desktop.workspace import Officer, Workspace

# the demo programme (real signed returns, consolidated) is built once per session
pytest_plugins = ["programme_support"]

DATA = Path(__file__).parent / "data"
OXFORD = "E07000178"


@pytest.fixture
def officer() -> Officer:
    return Officer("Alex Morgan", "Finance Business Partner", "alex.morgan@example.gov.uk")


@pytest.fixture
def workspace(tmp_path: Path, officer: Officer):
    """A new, empty workspace file for Oxford City Council."""
    ws = Workspace.create(tmp_path / "oxford.lgaws", OXFORD, officer)
    yield ws
    ws.close()


@pytest.fixture
def demo_workspace(tmp_path: Path):
    """The demo workspace, as `lga-desktop --demo` generates it."""
    from lga_desktop.demo import create_demo_workspace

    ws = create_demo_workspace(tmp_path / "demo.lgaws")
    yield ws
    ws.close()


@pytest.fixture
def immediate_tasks(monkeypatch):
    """Background tasks run on the calling thread, so a test sees their result at once."""
    from lga_desktop.ui import tasks

    monkeypatch.setattr(tasks, "RUNNER", tasks.ImmediateRunner())
    return tasks


@pytest.fixture
def settings(tmp_path):
    """QSettings in a file of the test's own, never the user's."""
    from lga_desktop.ui.qt import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def message_boxes(monkeypatch):
    """Message boxes answer at once and are recorded as (title, text) instead of blocking."""
    from lga_desktop.ui.qt import QMessageBox

    shown: list[tuple[str, str]] = []

    def exec_(box):
        shown.append((box.windowTitle(), box.text()))
        return QMessageBox.StandardButton.Ok

    def static(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((title, text))
            return (
                QMessageBox.StandardButton.Yes
                if kind == "question"
                else QMessageBox.StandardButton.Ok
            )

        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    for kind in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, static(kind))
    return shown


def run_window(tmp_path: Path, *args: str):
    """``lga-desktop ARGS --quit-after-show`` in a process of its own, offscreen, settings in tmp."""
    import subprocess
    import sys

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "TMPDIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "lga_desktop", *args, "--quit-after-show"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
