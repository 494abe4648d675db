"""A signed return is recorded durably before its file is written; a re-run writes the same bytes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from returns_support import fast_keys  # noqa: F401  (fixture)

from lga_desktop.cli import main
from lga_desktop.returns.history import history
from lga_desktop.workspace import Workspace

PASSPHRASE = "durable passphrase"
QUARTER = "2012/13 Q2"

SIGN_AND_DIE = textwrap.dedent(
    f"""
    import os, sys
    sys.path.insert(0, {str(Path(__file__).parent)!r})
    from lga_desktop.returns import keys
    keys.SCRYPT_N = 2**10
    import lga_desktop.returns.sign as sign
    from lga_desktop.workspace import Workspace
    from returns_support import sign_q2

    path, out, when = sys.argv[1], sys.argv[2], sys.argv[3]
    real = sign.write_bytes

    def killed(target, data, what=""):
        if when == "after-writing":
            real(target, data, what)
        os._exit(9)  # kill -9 at the riskiest moment

    sign.write_bytes = killed
    with Workspace.open(path) as ws:
        sign_q2(ws, out=out, passphrase=os.environ["LGA_PASSPHRASE"], new_key=False)
    """
)


pytestmark = pytest.mark.usefixtures("fast_keys")


@pytest.fixture
def keyed_demo(demo_workspace):
    from lga_desktop.returns import keys

    keys.create_key(demo_workspace, PASSPHRASE)
    path = demo_workspace.path
    demo_workspace.close()
    return path


@pytest.mark.parametrize("when", ["before-writing", "after-writing"])
def test_a_kill_around_the_file_leaves_the_record_and_a_rerun_saves_the_same_bytes(
    keyed_demo, tmp_path, when, capsys, monkeypatch
):
    out = tmp_path / "Oxford Q2.lgareturn"
    monkeypatch.setenv("LGA_PASSPHRASE", PASSPHRASE)
    killed = subprocess.run(
        [sys.executable, "-c", SIGN_AND_DIE, str(keyed_demo), str(out), when, QUARTER],
        timeout=300,
    )
    assert killed.returncode == 9
    with Workspace.open(keyed_demo, read_only=True) as ws:
        records = history(ws)
        assert [r.version for r in records] == [1]  # recorded before the file was written
        recorded = ws.db.execute("SELECT file_bytes FROM signed_returns").fetchone()[0]
    argv = ["export-return", str(keyed_demo), "--period", QUARTER, "--out", str(out)]
    argv += ["--signer", "Jo Reed", "--role", "Head of Finance"]
    assert main(argv) == 0, capsys.readouterr().err
    assert "signed earlier, unchanged" in capsys.readouterr().out
    assert out.read_bytes() == recorded  # the very same file, not a second v1
    with Workspace.open(keyed_demo, read_only=True) as ws:
        assert [r.version for r in history(ws)] == [1]
