"""The self-test (`lga-desktop self-test`, `--self-test`), run from the source tree.

Building the bundle and running its self-test is CI's `make dist-check`; it is
too slow for a test.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lga_desktop.cli import main
from lga_desktop.resources import resource, resources_dir
from lga_desktop.selftest import STEPS, _resolve, run_self_test, step_names

ROOT = Path(__file__).resolve().parent.parent


def test_every_step_passes_in_process(tmp_path, qapp):
    folder = tmp_path / "check"
    seen = []
    results = run_self_test(folder, on_result=seen.append)
    assert [r.line() for r in results if not r.ok] == []
    assert [r.name for r in results] == step_names() == [r.name for r in seen]
    # it did the real things, and left them in the folder it was given
    assert (folder / "self-test.pdf").read_bytes().startswith(b"%PDF-")
    assert (folder / "self-test.xlsx").stat().st_size > 0
    assert (folder / "self-test.lgaws").exists()
    assert (folder / "demo.lgaws").exists()


def test_the_frozen_flag_runs_every_step_in_a_fresh_process(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "TMPDIR": str(tmp_path)}
    if sys.platform.startswith("linux"):
        # no screen and no platform named: the GUI step must go offscreen by itself
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "lga_desktop", "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("ok ")] == step_names()
    assert lines[-1].startswith(f"self-test passed: {len(STEPS)} of {len(STEPS)} steps ok")
    # and it cleaned up its temporary folder
    assert not list(tmp_path.glob("lga-desktop-self-test-*"))


def test_a_failing_step_is_one_line_and_the_others_still_run(tmp_path):
    steps = [
        # without workspace-create before it, there is nothing to reopen
        ("workspace-reopen", "lga_desktop.selftest:reopen_and_migrate"),
        # what a bundle missing a module looks like
        ("missing-module", "lga_desktop.no_such_module:step"),
        ("money", "lga_desktop.selftest:money_sanity"),
    ]
    results = run_self_test(tmp_path / "check", steps=steps)
    assert [r.ok for r in results] == [False, False, True]
    assert results[0].line().startswith("FAILED workspace-reopen: there is no workspace at")
    assert results[1].line() == (
        "FAILED missing-module: ModuleNotFoundError: No module named 'lga_desktop.no_such_module'"
    )
    assert all("\n" not in r.line() for r in results)


def test_cli_exits_1_with_a_one_line_error_when_a_step_fails(tmp_path, capsys):
    code = main(["self-test", "--step", "workspace-reopen", "--folder", str(tmp_path / "c")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "FAILED workspace-reopen: there is no workspace at" in out
    assert "self-test FAILED: 0 of 1 steps ok" in out
    assert err.count("\n") == 1
    assert "1 self-test step(s) failed: workspace-reopen" in err


def test_cli_runs_chosen_steps_as_json(capsys):
    assert main(["self-test", "--step", "money", "--step", "bank-holidays", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True
    assert [s["name"] for s in report["steps"]] == ["money", "bank-holidays"]
    assert "England & Wales bank holidays" in report["steps"][1]["detail"]


def test_cli_lists_the_steps(capsys):
    assert main(["self-test", "--list", "--json"]) == 0
    assert [s["name"] for s in json.loads(capsys.readouterr().out)] == step_names()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["self-test", "--step", "no-such-step"], "there is no self-test step 'no-such-step'"),
        (["self-test", "--folder", "{full}"], "is not an empty folder"),
    ],
)
def test_cli_usage_errors_exit_2(tmp_path, capsys, argv, message):
    full = tmp_path / "full"
    full.mkdir()
    (full / "something.txt").write_text("x")
    code = main([a.format(full=full) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_every_registered_step_resolves_and_names_are_unique():
    names = step_names()
    assert len(names) == len(set(names))
    for _name, target in STEPS:
        assert callable(_resolve(target)), target


def test_resources_are_found_inside_a_frozen_bundle(monkeypatch, tmp_path):
    # PyInstaller sets sys._MEIPASS to the bundle's _internal folder
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "councils.csv").write_text("gss\n")
    assert resources_dir() == tmp_path / "resources"
    assert resource("councils.csv") == tmp_path / "resources" / "councils.csv"
    with pytest.raises(FileNotFoundError, match="reinstall lga-desktop"):
        resource("categories.csv")


def test_build_spec_is_plain_python():
    source = (ROOT / "build.spec").read_text()
    compile(source, "build.spec", "exec")
    compile((ROOT / "packaging" / "hooks" / "hook-PySide6.QtGui.py").read_text(), "hook", "exec")
