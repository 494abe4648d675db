"""A real demo programme, built once per test session and copied for each test.

Built the product's own way (``lga_desktop.consolidation.demo``): demo
workspaces for five councils, keys, signed returns, a correction, a tampered
file, an untrusted key. Only the scrypt cost is lowered, as in the returns
tests (the stored parameters make this transparent).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lga_desktop.consolidation.demo import DemoProgramme, build_demo_programme
from lga_desktop.returns import keys


@pytest.fixture(scope="session")
def built_demo_programme(tmp_path_factory) -> DemoProgramme:
    folder = tmp_path_factory.mktemp("demo-programme")
    saved = keys.SCRYPT_N
    keys.SCRYPT_N = 2**10
    try:
        return build_demo_programme(folder)
    finally:
        keys.SCRYPT_N = saved


@pytest.fixture
def demo_programme(built_demo_programme: DemoProgramme, tmp_path: Path) -> DemoProgramme:
    """A private copy of the demo programme (and its return files) a test may change."""
    source = built_demo_programme.path.parent
    target = tmp_path / "programme"
    shutil.copytree(source, target)
    return DemoProgramme(
        target / built_demo_programme.path.name,
        [target / f.relative_to(source) for f in built_demo_programme.return_files],
        built_demo_programme.report,
    )
