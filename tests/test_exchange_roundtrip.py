"""The signed exchange both ways, end to end through the command line.

The LGA makes its key and exports a programme pack; the council imports it
(confirming the LGA's fingerprint), signs a return; the LGA consolidates it
and queries a figure; the council opens the receipt and sees the query beside
the figure, corrects and re-signs; the LGA accepts; the council sees
"accepted".
"""

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
from lga_desktop.consolidation.store import Programme

pytestmark = pytest.mark.usefixtures("fast_keys", "grants_feature")

Q2 = "2012/13 Q2"
OXFORD = "E07000178"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


@pytest.fixture
def both_sides(workspace, tmp_path, monkeypatch, capsys):
    """A council workspace with a key and a grant; a programme with the LGA's key and the
    council's key trusted; the pack exported and imported."""
    monkeypatch.setenv("LGA_PASSPHRASE", PASSPHRASE)
    add_grants(workspace, [("Hall roof", "2012-07-10", 1_250_000, False)])
    ws = workspace.path
    workspace.close()  # the commands below open it, as another process would
    prog = tmp_path / "programme.lgaprog"
    Programme.create(prog, "Productivity Programme").close()
    lga_fp = json.loads(ok(capsys, "keygen", "--programme", prog, "--json"))["fingerprint"]
    council_fp = json.loads(ok(capsys, "keygen", ws, "--json"))["fingerprint"]
    ok(capsys, "export-key", ws, "--out", tmp_path / "oxford.lgakey")
    ok(capsys, "trust-key", tmp_path / "oxford.lgakey", "--programme", prog, "--fingerprint",
       council_fp)  # fmt: skip
    pack = tmp_path / "pack.lgapack"
    out = ok(capsys, "export-pack", prog, "--out", pack, "--year", "2012/13",
             "--support-email", "productivity@local.gov.uk", "--json")  # fmt: skip
    assert json.loads(out)["sequence"] == 1
    return ws, prog, pack, lga_fp, council_fp


def _sign(capsys, ws, out, *extra):
    ok(capsys, "export-return", ws, "--period", Q2, "--signer", "Jo Reed", "--role",
       "Head of Finance", "--out", out, *extra)  # fmt: skip


def _receipt_for(capsys, prog, folder):
    folder.mkdir()
    files = json.loads(ok(capsys, "export-receipts", prog, "--period", Q2, "--out", folder,
                          "--json"))  # fmt: skip
    assert len(files) == 1
    return files[0]


def test_the_whole_round_trip_from_the_command_line(both_sides, tmp_path, capsys):
    ws, prog, pack, lga_fp, _ = both_sides
    # the council imports the pack, confirming the LGA's fingerprint once
    code, _, err = run(capsys, "import-pack", ws, pack)
    assert code == 2 and lga_fp in err and "--fingerprint" in err
    shown = json.loads(ok(capsys, "import-pack", ws, pack, "--fingerprint", lga_fp.lower(),
                          "--json"))  # fmt: skip
    assert shown["sequence"] == 1 and shown["support"]["email"] == "productivity@local.gov.uk"
    assert [d["quarter"] for d in shown["due_dates"]][1] == Q2
    assert shown["due_dates"][1]["due"] == "2012-10-30"  # 30 days after the quarter's end
    out = ok(capsys, "pack", ws)
    assert "Productivity Programme 2012/13 (pack 1)" in out and "30 October 2012" in out
    assert "Support: LGA Productivity Programme team, productivity@local.gov.uk" in out
    # it signs a return, the LGA consolidates it and queries one figure
    _sign(capsys, ws, tmp_path / "v1.lgareturn")
    ok(capsys, "consolidate", prog, tmp_path / "v1.lgareturn")
    ok(capsys, "review", prog, "--council", OXFORD, "--period", Q2, "--query",
       "The roof grant looks high", "--figure", "grants.total_pence", "--by", "Kim Lowe")  # fmt: skip
    receipt = _receipt_for(capsys, prog, tmp_path / "out1")
    assert receipt.endswith("Oxford 2012-13 Q2 v1 queried.lgareceipt")
    # the council opens it: the query shows on the return, beside its figure
    out = ok(capsys, "open-receipt", ws, receipt)
    assert "queried" in out and "(on grants.total_pence): The roof grant looks high" in out
    rows = json.loads(ok(capsys, "returns", ws, "--json"))
    assert rows[0]["lga_status"] == "queried"
    assert rows[0]["lga_comments"][0]["figure"] == "grants.total_pence"
    # it corrects and re-signs; the LGA merges the correction and accepts it
    from lga_desktop.workspace import Workspace

    with Workspace.open(ws) as w:
        add_grants(w, [("Hall roof, second invoice", "2012-07-11", 250_000, False)])
    _sign(capsys, ws, tmp_path / "v2.lgareturn")  # the reason links back to the query
    ok(capsys, "consolidate", prog, tmp_path / "v2.lgareturn")
    with Programme.open(prog) as p:
        (doc,) = p.db.execute("SELECT return_json FROM council_return WHERE version = 2").fetchone()
    assert json.loads(doc)["supersedes"]["reason"] == (
        "In answer to the LGA's query: The roof grant looks high (on grants.total_pence)"
    )
    ok(capsys, "review", prog, "--council", OXFORD, "--period", Q2, "--accept", "--by", "Kim Lowe")
    receipt = _receipt_for(capsys, prog, tmp_path / "out2")
    assert receipt.endswith("Oxford 2012-13 Q2 v2 accepted.lgareceipt")
    ok(capsys, "open-receipt", ws, receipt)
    rows = {r["version"]: r for r in json.loads(ok(capsys, "returns", ws, "--json"))}
    assert rows[2]["lga_status"] == "accepted" and rows[1]["lga_status"] == "queried"
    assert "LGA: accepted" in ok(capsys, "returns", ws)
