"""The command line: init, info, exit codes and one-line errors."""

import json
import subprocess
import sys

import pytest

from lga_desktop import __version__
from lga_desktop.cli import build_parser, main


def test_init_then_info(tmp_path, capsys):
    path = tmp_path / "ox.lgaws"
    code = main(
        [
            "init",
            str(path),
            "--council",
            "E07000178",
            "--officer",
            "Jo Bloggs",
            "--role",
            "Officer",
            "--email",
            "jo@example.gov.uk",
        ]
    )
    assert code == 0
    assert "Oxford City Council" in capsys.readouterr().out
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["council"]["gss"] == "E07000178"
    assert info["officer"]["name"] == "Jo Bloggs"
    assert main(["info", str(path)]) == 0
    assert "Schema version" in capsys.readouterr().out


def test_init_demo(tmp_path, capsys):
    assert (
        main(["init", str(tmp_path / "d.lgaws"), "--council", "E08000035", "--demo", "--json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["council"]["name"] == "Leeds City Council"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["info", "{tmp}/missing.lgaws"], "there is no workspace"),
        (["init", "{tmp}/x.lgaws", "--council", "X123"], "not the GSS code"),
    ],
)
def test_errors_are_one_line_with_exit_2(tmp_path, capsys, argv, message):
    code = main([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_foreign_file_is_refused_in_words(tmp_path, capsys):
    path = tmp_path / "x.lgaws"
    path.write_bytes(b"\x00" * 100)
    assert main(["info", str(path)]) == 2
    assert "not an lga-desktop workspace" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["info"])
    assert exc.value.code == 2


def test_every_command_and_option_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices, "no sub-commands"
    for name, command in sub.choices.items():
        assert command.description or command.format_help(), name
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"
    for action in parser._actions:
        assert action.help, action.dest


def test_each_command_is_listed_with_the_module_that_registers_it():
    """A run imports only its command's module, found in this table: it must stay true."""
    import argparse
    import importlib

    from lga_desktop.cli import COMMANDS_BY_MODULE

    for module, commands in COMMANDS_BY_MODULE.items():
        sub = argparse.ArgumentParser().add_subparsers(dest="command")
        importlib.import_module(module).register(sub)
        assert tuple(sub.choices) == commands, module
    whole = next(a for a in build_parser()._actions if a.dest == "command")
    assert list(whole.choices) == [c for cs in COMMANDS_BY_MODULE.values() for c in cs]


def test_a_command_imports_only_its_own_module(tmp_path):
    """Running a command on an up-to-date workspace imports neither the other commands nor
    sqlite-utils (which only migrations need): each is start-up time on every run."""
    from lga_desktop.workspace import Workspace

    Workspace.create(tmp_path / "ox.lgaws", "E07000178").close()
    code = (
        "import sys\n"
        "from lga_desktop.cli import main\n"
        f"code = main(['info', {str(tmp_path / 'ox.lgaws')!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('lga_desktop.cli.')))\n"
        "print('sqlite_utils' in sys.modules, code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[-2] == "['lga_desktop.cli.workspace_commands']"
    assert out[-1] == "False 0"


def test_version_and_module_entry_in_a_subprocess():
    out = subprocess.run(
        [sys.executable, "-m", "lga_desktop", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"lga-desktop {__version__}"


def test_backup_list_and_restore(tmp_path, capsys):
    from lga_desktop.workspace import Workspace

    path = tmp_path / "ox.lgaws"
    assert main(["init", str(path), "--council", "E07000178"]) == 0
    with Workspace.open(path) as ws:
        ws.set_meta("figure", 1)
    assert main(["backup", str(path)]) == 0
    with Workspace.open(path) as ws:
        ws.set_meta("figure", 2)
    capsys.readouterr()
    assert main(["restore", str(path), "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) >= 1
    assert main(["restore", str(path), "--newest"]) == 0
    assert "previous_state" not in capsys.readouterr().err
    with Workspace.open(path) as ws:
        assert ws.get_meta("figure") == 1


def test_restore_a_workspace_too_damaged_to_open(tmp_path, capsys):
    from lga_desktop.workspace import Workspace

    path = tmp_path / "ox.lgaws"
    assert main(["init", str(path), "--council", "E07000178"]) == 0
    assert main(["backup", str(path)]) == 0
    path.write_bytes(b"garbage" * 100)
    assert main(["info", str(path)]) == 2
    capsys.readouterr()
    assert main(["restore", str(path), "--newest", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert ".damaged-" in result["damaged_file_kept_as"]
    with Workspace.open(path) as ws:
        assert ws.council.gss == "E07000178"


def test_restore_with_no_backups_says_so(tmp_path, capsys):
    path = tmp_path / "ox.lgaws"
    main(["init", str(path), "--council", "E07000178"])
    assert main(["restore", str(path), "--newest"]) == 2
    assert "has no backups" in capsys.readouterr().err
