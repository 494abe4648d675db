"""Shared fixtures: real workspace files on disk, Qt offscreen, tasks run inline."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from lga_desktop.workspace import Officer, Workspace

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
