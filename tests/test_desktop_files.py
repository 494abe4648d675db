"""The program as the desktop sees it: icon, launcher, file types, a file given on the command line."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_window

from lga_desktop.cli import route_file_argument

ROOT = Path(__file__).resolve().parent.parent
MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"


def test_a_file_on_the_command_line_opens_the_window_it_is_for():
    assert route_file_argument(["oxford.lgaws"]) == ["--open", "oxford.lgaws"]
    assert route_file_argument(["Board.LGAPROG"]) == ["--programme", "Board.LGAPROG"]
    assert route_file_argument(["q2.lgareturn"]) == ["--check-return", "q2.lgareturn"]
    assert route_file_argument(["--debug", "a.lgaws"]) == ["--debug", "--open", "a.lgaws"]
    # commands and options keep their own file arguments
    assert route_file_argument(["info", "oxford.lgaws"]) == ["info", "oxford.lgaws"]
    assert route_file_argument(["--open", "oxford.lgaws"]) == ["--open", "oxford.lgaws"]
    assert route_file_argument(["notes.txt"]) == ["notes.txt"]


def test_double_clicking_a_workspace_opens_it(tmp_path, workspace):
    path = workspace.path
    workspace.close()
    result = run_window(tmp_path, str(path))
    assert result.returncode == 0, result.stderr
    assert "window shown" in result.stdout


def test_the_launcher_and_file_types_install_for_the_user(tmp_path):
    data = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    subprocess.run(
        [str(ROOT / "scripts" / "install_desktop.sh"), "/opt/lga-desktop/lga-desktop"],
        check=True,
        env=env,
        capture_output=True,
    )
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(data / "applications" / "lga-desktop.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == '"/opt/lga-desktop/lga-desktop" %f'
    assert desktop["Icon"] == "lga-desktop"
    types = set(filter(None, desktop["MimeType"].split(";")))
    xml = ET.parse(data / "mime" / "packages" / "lga-desktop.xml").getroot()
    globs = {
        m.get("type"): m.find(f"{MIME}glob").get("pattern") for m in xml.iter(f"{MIME}mime-type")
    }
    assert globs == {
        "application/x-lga-workspace": "*.lgaws",
        "application/x-lga-return": "*.lgareturn",
        "application/x-lga-programme": "*.lgaprog",
    }
    assert types == set(globs)
    for size in (16, 48, 256):
        assert (data / f"icons/hicolor/{size}x{size}/apps/lga-desktop.png").stat().st_size > 100
    if shutil.which("update-mime-database"):  # the cache a file manager reads
        cache = (data / "mime" / "globs2").read_text()
        assert "application/x-lga-return:*.lgareturn" in cache


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256])
def test_the_icon_is_shipped_at_every_size(qtbot, size):
    from lga_desktop.ui.app import app_icon
    from lga_desktop.ui.qt import QPixmap

    pixmap = QPixmap(str(ROOT / "resources" / "icons" / f"lga-desktop-{size}.png"))
    assert (pixmap.width(), pixmap.height()) == (size, size)
    assert size in {s.width() for s in app_icon().availableSizes()}
