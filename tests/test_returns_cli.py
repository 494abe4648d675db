"""The returns commands: keygen, export-key, export-return, returns, verify, trust-key."""

from __future__ import annotations

import json

import pytest
from returns_support import (  # noqa: F401  (fixtures)
    PASSPHRASE,
    add_grants,
    fast_keys,
    grants_feature,
)

from lga_desktop.cli import main
from lga_desktop.returns import keys

pytestmark = pytest.mark.usefixtures("fast_keys", "grants_feature")


@pytest.fixture
def ws_path(workspace, monkeypatch):
    monkeypatch.setenv("LGA_PASSPHRASE", PASSPHRASE)
    add_grants(workspace, [("Hall roof", "2012-07-10", 1_250_000, False)])
    return str(workspace.path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_keygen_then_export_return_then_verify(ws_path, tmp_path, capsys):
    code, out, _ = run(capsys, "keygen", ws_path)
    assert code == 0 and "Fingerprint:" in out
    fp = out.split("Fingerprint: ")[1].splitlines()[0]
    out_file = str(tmp_path / "q2.lgareturn")
    code, out, err = run(
        capsys,
        "export-return",
        ws_path,
        "--period",
        "2012/13 Q2",
        "--signer",
        "Jo Reed",
        "--role",
        "Head of Finance",
        "--out",
        out_file,
    )
    assert code == 0, err
    assert "version 1" in out and fp in out
    code, out, _ = run(capsys, "verify", out_file)
    assert code == 0 and "VALID" in out and "Jo Reed" in out
    code, out, _ = run(capsys, "returns", ws_path)
    assert code == 0 and "2012/13 Q2" in out and "Jo Reed" in out
    code, out, _ = run(capsys, "returns", ws_path, "--json")
    assert json.loads(out)[0]["version"] == 1


def test_export_return_refuses_and_says_which_errors(ws_path, tmp_path, capsys):
    run(capsys, "keygen", ws_path)
    add_grants_path = ws_path
    from lga_desktop.workspace import Workspace

    with Workspace.open(add_grants_path) as ws:
        add_grants(
            ws, [("Bad refund", "2012-08-01", -100, False), ("Odd one", "2012-08-02", 5, True)]
        )
    code, _, err = run(
        capsys,
        "export-return",
        ws_path,
        "--period",
        "2012/13 Q2",
        "--signer",
        "Jo Reed",
        "--role",
        "Head of Finance",
        "--out",
        str(tmp_path / "x.lgareturn"),
    )
    assert code == 1
    assert "Error: Grant 'Bad refund' has a negative amount." in err
    assert "Warning without an explanation note (grants.flagged:" in err
    assert not (tmp_path / "x.lgareturn").exists()


def test_check_lists_keys_and_notes_make_it_ready(ws_path, tmp_path, capsys):
    from lga_desktop.workspace import Workspace

    run(capsys, "keygen", ws_path)
    with Workspace.open(ws_path) as ws:
        add_grants(ws, [("Odd one", "2012-08-02", 5, True)])
    code, out, _ = run(capsys, "export-return", ws_path, "--period", "2012/13 Q2", "--check")
    assert code == 1 and "[needs a note]" in out
    key = next(line.split()[1] for line in out.splitlines() if "grants.flagged" in line)
    code, out, _ = run(
        capsys,
        "export-return",
        ws_path,
        "--period",
        "2012/13 Q2",
        "--check",
        "--note",
        f"{key}=Approved by the panel",
    )
    assert code == 0 and "[explained]" in out and "Ready to sign." in out
    code, out, err = run(
        capsys,
        "export-return",
        ws_path,
        "--period",
        "2012/13 Q2",
        "--signer",
        "Alex Morgan",
        "--role",
        "Finance Business Partner",
        "--note",
        "grants.flagged=Approved by the panel",
        "--out",
        str(tmp_path / "q2.lgareturn"),
        "--json",
    )
    assert code == 0, err
    assert "same person" in err  # the workspace officer prepared it and signs it too
    assert json.loads(out)["signed"] is True


def test_wrong_passphrase_is_one_clear_line(ws_path, tmp_path, capsys, monkeypatch):
    run(capsys, "keygen", ws_path)
    monkeypatch.setenv("LGA_PASSPHRASE", "not the right one")
    code, _, err = run(
        capsys,
        "export-return",
        ws_path,
        "--period",
        "2012/13 Q2",
        "--signer",
        "Jo Reed",
        "--role",
        "Head of Finance",
        "--out",
        str(tmp_path / "q2.lgareturn"),
    )
    assert code == 2  # bad input, like any usage error
    assert err.strip().count("\n") == 0 and "passphrase does not unlock" in err


def test_no_passphrase_and_no_terminal_is_a_usage_error(ws_path, capsys, monkeypatch):
    monkeypatch.delenv("LGA_PASSPHRASE")
    code, _, err = run(capsys, "keygen", ws_path)
    assert code == 2 and "set LGA_PASSPHRASE" in err


def test_keygen_refuses_a_second_key_and_rotates(ws_path, capsys, monkeypatch):
    run(capsys, "keygen", ws_path)
    code, _, err = run(capsys, "keygen", ws_path)
    assert code == 2 and "--rotate" in err
    monkeypatch.setenv("LGA_NEW_PASSPHRASE", "a brand new passphrase")
    code, out, _ = run(capsys, "keygen", ws_path, "--rotate", "--json")
    assert code == 0 and json.loads(out)["replaces"]
    monkeypatch.setenv("LGA_PASSPHRASE", "a brand new passphrase")
    monkeypatch.setenv("LGA_NEW_PASSPHRASE", "and another passphrase")
    code, out, _ = run(capsys, "change-passphrase", ws_path)
    assert code == 0 and "the key" in out


def test_key_card_trust_and_verify_with_trusted_keys(ws_path, tmp_path, capsys):
    run(capsys, "keygen", ws_path)
    card, pdf = tmp_path / "oxford.lgakey", tmp_path / "oxford-key.pdf"
    code, out, _ = run(capsys, "export-key", ws_path, "--out", str(card), "--pdf", str(pdf))
    assert code == 0 and card.exists() and pdf.read_bytes().startswith(b"%PDF")
    fp = json.loads(card.read_text())["fingerprint"]
    trusted = tmp_path / "trusted.json"
    code, _, err = run(
        capsys,
        "trust-key",
        str(card),
        "--trusted-keys",
        str(trusted),
        "--fingerprint",
        "0000 0000 0000 0000 0000 0000 0000 0000",
    )
    assert code == 1 and "nothing was added" in err and not trusted.exists()
    code, out, _ = run(
        capsys,
        "trust-key",
        str(card),
        "--trusted-keys",
        str(trusted),
        "--fingerprint",
        fp.lower(),
        "--note",
        "phoned Alex 3 Oct",
    )
    assert code == 0 and "Trusted: Oxford City Council" in out
    out_file = str(tmp_path / "q2.lgareturn")
    run(
        capsys,
        "export-return",
        ws_path,
        "--period",
        "2012/13 Q2",
        "--signer",
        "Jo Reed",
        "--role",
        "Head of Finance",
        "--out",
        out_file,
    )
    code, out, _ = run(capsys, "verify", out_file, "--trusted-keys", str(trusted), "--json")
    (result,) = json.loads(out)
    assert code == 0 and result["trust"] == "trusted" and result["valid"]
    other = tmp_path / "other.csv"
    other.write_text(f"gss,fingerprint\nE07000178,{keys.fingerprint(bytes([9] * 32))}\n")
    code, out, _ = run(capsys, "verify", out_file, "--trusted-keys", str(other))
    assert code == 1 and "NOT the key trusted" in out


def test_verify_many_files_exits_1_when_any_is_bad(ws_path, tmp_path, capsys):
    run(capsys, "keygen", ws_path)
    good = tmp_path / "q2.lgareturn"
    run(
        capsys,
        "export-return",
        ws_path,
        "--period",
        "2012/13 Q2",
        "--signer",
        "Jo Reed",
        "--role",
        "Head of Finance",
        "--out",
        str(good),
    )
    bad = tmp_path / "cut.lgareturn"
    bad.write_bytes(good.read_bytes()[:500])
    code, out, err = run(capsys, "verify", str(good), str(bad), str(tmp_path / "missing"))
    assert code == 1 and err == ""
    assert "q2.lgareturn: VALID" in out and "cut.lgareturn: NOT VALID" in out
    assert "There is no such file." in out
    assert "Traceback" not in out


def test_every_returns_option_has_help(capsys):
    from lga_desktop.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in (
        "keygen",
        "change-passphrase",
        "export-key",
        "trust-key",
        "export-return",
        "returns",
        "verify",
    ):
        for action in sub.choices[name]._actions:
            assert action.help, f"{name} {action.dest} has no help"
