"""The LGA's commands: consolidate, programme, trust-key --programme."""

from __future__ import annotations

import json
from decimal import Decimal

from lga_desktop.cli import main
from lga_desktop.consolidation.figures import figures_for
from lga_desktop.consolidation.store import Programme
from lga_desktop.money import format_money


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def key_card(capsys, demo, gss, tmp_path):
    card = tmp_path / f"{gss}.lgakey"
    code, _, err = run(capsys, "export-key", demo.path.parent / f"{gss}.lgaws", "--out", card)
    assert code == 0, err
    return card


def test_consolidate_creates_the_programme_and_waits_for_keys(demo_programme, tmp_path, capsys):
    prog = tmp_path / "new.lgaprog"
    inbox = demo_programme.return_files[0].parent
    code, out, _ = run(capsys, "consolidate", prog, inbox, "--name", "Pilot 2012")
    assert code == 1  # nothing trusted yet: everything waits, one file is damaged
    assert "Created the programme file" in out
    assert "0 merged" in out and "10 waiting" in out and "1 held aside" in out
    assert "lga-desktop trust-key CARD --programme" in out
    cards = [key_card(capsys, demo_programme, g, tmp_path) for g in ("E07000178", "E06000044")]
    code, out, _ = run(capsys, "trust-key", *cards, "--programme", prog)
    assert code == 0
    assert "Trusted: Oxford City Council (E07000178)" in out
    assert out.count("MERGED") == 5  # Oxford Q1, Q2; Portsmouth Q1 v1, v2, Q2
    assert "still wait for other councils' keys" in out
    with Programme.open(prog) as p:
        assert p.name == "Pilot 2012"
        assert p.counts()["returns_counted"] == 4


def test_consolidate_with_a_trusted_keys_file_exits_0_when_all_merge(
    demo_programme, tmp_path, capsys
):
    cards = [key_card(capsys, demo_programme, g, tmp_path) for g in ("E07000178", "E08000035")]
    trusted = tmp_path / "trusted.json"
    code, _, err = run(capsys, "trust-key", *cards, "--trusted-keys", trusted)
    assert code == 0, err
    good = [
        f
        for f in demo_programme.return_files
        if f.name.startswith(("Oxford 2012-13 Q1 return v1.", "Leeds"))
    ]
    prog = tmp_path / "p.lgaprog"
    code, out, err = run(capsys, "consolidate", prog, *good, "--trusted-keys", trusted, "--json")
    assert code == 0
    report = json.loads(out)  # stdout is the JSON alone; what happened besides goes to stderr
    assert "Created the programme file" in err and "Trusted 2 new keys" in err
    assert report["merged"] == 3 and report["held_aside"] == 0
    assert report["programme"]["members"] == 2
    code, out, _ = run(capsys, "consolidate", prog, *good)
    assert code == 0 and "0 merged, 3 already merged" in out


def test_programme_lists_returns_and_held_files(demo_programme, capsys):
    code, out, _ = run(capsys, "programme", demo_programme.path)
    assert code == 0
    assert "4 pilot councils" in out
    assert "v1 superseded" in out and "v2 counts" in out
    assert "(forwarded).lgareturn: The entry 'return.pdf' is damaged" in out
    code, out, _ = run(capsys, "programme", demo_programme.path, "--json")
    data = json.loads(out)
    assert data["counts"]["returns_counted"] == 7
    assert len(data["held_aside"]) == 3


def test_programme_period_shows_the_quarters_figures(demo_programme, capsys):
    with Programme.open(demo_programme.path) as p:
        fig = figures_for(p, "2012/13 Q2")
    code, out, _ = run(capsys, "programme", demo_programme.path, "--period", "2012/13 Q2")
    assert code == 0
    assert f"Savings realised {format_money(fig.savings_total.realised_pence)}" in out
    assert "No return yet from: Suffolk County Council" in out
    assert "Not counted: 2 returns waiting for a key, 1 file held aside" in out
    code, out, _ = run(capsys, "programme", demo_programme.path, "--period", "2012Q2", "--json")
    data = json.loads(out)
    assert data["savings_total"]["realised_pence"] == fig.savings_total.realised_pence
    assert data["missing"] == [{"gss": "E10000029", "name": "Suffolk County Council"}]


def test_programme_errors_are_one_line(tmp_path, workspace, capsys):
    code, _, err = run(capsys, "programme", tmp_path / "none.lgaprog")
    assert code == 2 and "no programme file" in err and "Traceback" not in err
    code, _, err = run(capsys, "programme", workspace.path)
    assert code == 2 and "council's workspace, not a programme file" in err
    code, _, err = run(capsys, "programme", workspace.path, "--period", "2012/13")
    assert code == 2 and err.count("\n") == 1


def test_programme_takes_a_whole_year_and_the_programme_to_date(demo_programme, capsys):
    for period in ("2012/13", "all"):
        code, out, err = run(capsys, "programme", demo_programme.path, "--period", period)
        assert code == 0 and err == ""
        assert "Last known figures (no return for 2012/13 Q2): Suffolk County Council" in out
    code, _, err = run(capsys, "programme", demo_programme.path, "--period", "2012/13 Q9")
    assert code == 2 and err.count("\n") == 1 and "all" in err


def test_programme_out_writes_the_board_report(demo_programme, tmp_path, capsys):
    import csv

    out = tmp_path / "board.csv"
    code, stdout, _ = run(
        capsys, "programme", demo_programme.path, "--period", "2012/13 Q2", "--out", out
    )
    assert code == 0 and "Wrote the Board report for 2012/13 Q2" in stdout
    with Programme.open(demo_programme.path) as p:
        realised = figures_for(p, "2012/13 Q2").savings_total.realised_pence
    rows = list(csv.DictReader(out.read_text("utf-8-sig").splitlines()))
    councils = [r for r in rows if r["table"] == "savings_by_council" and r["council_gss"]]
    assert councils, {r["table"] for r in rows}
    in_quarter = [r for r in councils if r["measure"] == "realised"]
    assert sum(int(Decimal(r["value"]) * 100) for r in in_quarter) == realised
    code, _, err = run(capsys, "programme", demo_programme.path, "--out", out)
    assert code == 2 and "--period" in err
    code, _, err = run(
        capsys, "programme", demo_programme.path, "--period", "2012Q2", "--out", tmp_path / "x.doc"
    )
    assert code == 2 and ".xlsx, .csv or .pdf" in err
