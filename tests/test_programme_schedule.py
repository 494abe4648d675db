"""The roster, due dates and status; the LGA's review; Board reports as at a snapshot."""

from __future__ import annotations

import csv
import json

from openpyxl import Workbook

from lga_desktop.cli import main
from lga_desktop.consolidation.figures import figures_for
from lga_desktop.consolidation.merge import retry_waiting
from lga_desktop.consolidation.report_tables import report_content
from lga_desktop.consolidation.store import Programme
from lga_desktop.returns import keys
from lga_desktop.workspace import Workspace

Q1, Q2 = "2012/13 Q1", "2012/13 Q2"
WORCESTER = "E07000237"  # on the roster, never sent anything


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _roster_csv(path):
    path.write_text(
        "GSS,Strand,Pilot,Due\n"
        "E07000178,Category management,South East pilot,\n"
        "E06000044,Category management,South East pilot,\n"
        "E06000044,CAP wave 2,,\n"
        "E08000035,CAP wave 2,,45\n"
        "E10000029,Adult social care,,\n"
        f"{WORCESTER},Category management,West Midlands pilot,\n",
        encoding="utf-8",
    )
    return path


def test_a_roster_council_that_never_sent_anything_is_missing_and_late(
    demo_programme, tmp_path, capsys
):
    roster = _roster_csv(tmp_path / "roster.csv")
    code, out, err = run(capsys, "roster", demo_programme.path, "--import", roster)
    assert code == 0, err
    assert "6 rows, 5 councils" in out
    code, out, _ = run(
        capsys, "status", demo_programme.path, "--period", Q2, "--json", "--today", "2013-01-15"
    )
    assert code == 1  # someone is missing
    rows = {r["gss"]: r for r in json.loads(out)}
    assert set(rows) == {"E07000178", "E06000044", "E08000035", "E10000029", WORCESTER}
    assert rows[WORCESTER]["status"] == "missing" and rows[WORCESTER]["late"] is True
    assert rows["E10000029"]["status"] == "missing"  # Suffolk sent Q1 only
    assert rows["E07000178"]["status"] == "on time"  # signed 15 days after the quarter
    assert rows["E08000035"]["due"] == "2012-11-14"  # its own 45 days
    # a correction shows as such
    code, out, _ = run(capsys, "status", demo_programme.path, "--period", Q1, "--json")
    assert {r["gss"]: r["status"] for r in json.loads(out)}["E06000044"] == "corrected"
    # the roster's councils are the pilot councils now: Worcester is missing from the report
    with Programme.open(demo_programme.path) as prog:
        f = figures_for(prog, Q2)
    assert (WORCESTER, "Worcester City Council") in f.missing
    # the Board sees the programme by strand: e.g. category management, 2 pilots, 3 councils
    strands = {
        r.item: [c.value for c in r.cells]
        for r in report_content(f).table("programme_by_strand").rows
    }
    assert strands["Category management"] == [2, 3, 2]  # Worcester has sent nothing
    assert strands["CAP wave 2"] == [0, 2, 2]
    assert strands["All strands"] == [2, 5, 3]  # 5 councils, each once; Suffolk sent only Q1
    # a due date for the quarter makes on-time returns late
    code, _, _ = run(capsys, "roster", demo_programme.path, "--due", Q2, "2012-10-10")
    code, out, _ = run(capsys, "status", demo_programme.path, "--period", Q2, "--json")
    assert {r["gss"]: r["status"] for r in json.loads(out)}["E07000178"] == "late"
    # the chase list carries the contact from the council's latest return
    chase = tmp_path / "chase.csv"
    run(capsys, "status", demo_programme.path, "--period", Q2, "--chase", chase)
    rows = {r["gss"]: r for r in csv.DictReader(chase.read_text("utf-8-sig").splitlines())}
    assert rows["E10000029"]["contact_email"] == "sam.patel@example.gov.uk"
    assert rows[WORCESTER]["contact_email"] == ""  # never sent anything to take one from


def test_the_roster_reads_xlsx_with_headings_in_any_case_and_refuses_bad_rows(
    demo_programme, tmp_path, capsys
):
    book = Workbook()
    book.active.append(["gss", "STRAND"])
    book.active.append(["E07000178", "Category management"])
    book.save(tmp_path / "r.xlsx")
    code, out, _ = run(capsys, "roster", demo_programme.path, "--import", tmp_path / "r.xlsx")
    assert code == 0 and "1 row," in out
    bad = tmp_path / "bad.csv"
    bad.write_text("gss,strand\nE99999999,CAP\n", encoding="utf-8")
    code, _, err = run(capsys, "roster", demo_programme.path, "--import", bad)
    assert code == 2 and "bad.csv row 2" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "roster", demo_programme.path, "--json")
    assert [r["gss"] for r in json.loads(out)] == ["E07000178"]  # nothing of the bad file kept


def test_a_return_can_be_queried_and_accepted(demo_programme, capsys):
    p = demo_programme.path

    def review(*args):
        oxford = ("--council", "E07000178", "--period", Q2, "--by", "Kim Lowe")
        return run(capsys, "review", p, *oxford, *args)

    code, out, _ = review("--query", "The Q2 waste saving looks high", "--json")
    assert code == 0 and json.loads(out)["state"] == "queried"
    code, out, _ = run(capsys, "status", p, "--period", Q2, "--json")
    assert {r["gss"]: r["status"] for r in json.loads(out)}["E07000178"] == "queried"
    review("--comment", "Evidence seen", "--figure", "savings_realised")
    code, out, _ = review("--accept", "--json")
    data = json.loads(out)
    assert data["state"] == "accepted"
    assert [e["action"] for e in data["history"]] == ["queried", "comment", "accepted"]
    assert data["history"][1]["figure"] == "savings_realised"
    assert all(e["by_name"] == "Kim Lowe" and e["at"] for e in data["history"])
    code, _, err = run(capsys, "review", p, "--council", "E10000029", "--period", Q2, "--accept")
    assert code == 2 and "no return from E10000029 counts for 2012/13 Q2" in err


def test_a_board_report_re_exports_byte_for_byte_and_says_what_changed(
    demo_programme, tmp_path, capsys
):
    p = demo_programme.path
    for name in ("first.pdf", "first.xlsx"):
        code, out, _ = run(capsys, "programme", p, "--period", "2012/13", "--out", tmp_path / name)
        assert code == 0 and "recorded by hash" in out
    with Programme.open(p) as prog:  # Cherwell's key is confirmed: its returns now count
        with Workspace.open(p.parent / "E07000177.lgaws") as ws:
            fp = keys.current_key(ws).fingerprint
        prog.trust_key("E07000177", fp, "confirmed by phone")
        assert retry_waiting(prog).merged == 2
    for number, name in ((1, "again.pdf"), (2, "again.xlsx")):
        code, _, _ = run(capsys, "programme", p, "--snapshot", number, "--out", tmp_path / name)
        assert code == 0
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    assert (tmp_path / "again.xlsx").read_bytes() == (tmp_path / "first.xlsx").read_bytes()
    code, out, _ = run(capsys, "programme", p, "--snapshot", "1", "--json")
    changes = json.loads(out)
    assert sorted(changes["new_returns"]) == [
        "Cherwell District Council, 2012/13 Q1",
        "Cherwell District Council, 2012/13 Q2",
    ]
    assert any(f["figure"] == "Savings realised in year" for f in changes["figures"])
    code, out, _ = run(capsys, "programme", p, "--json")
    assert [b["number"] for b in json.loads(out)["board_reports"]] == [2, 1]
