"""The Board report for a financial year and for the programme to date.

Every figure of ``programme --period 2012/13|all --json`` (which carries every
table of the report) is worked out again here, independently, from the
return.json inside the signed .lgareturn files: figures *for the period* are
sums of each quarter's counted returns, figures *to date* (the pipeline, the
120-day timelines, CAP funding and plans, expert engagements, savings to date)
come from each council's latest counted return, to the penny.
"""

from __future__ import annotations

import json
import zipfile
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lga_desktop.cli import main
from lga_desktop.consolidation.figures import figures_for
from lga_desktop.consolidation.store import Programme

UNTRUSTED = "E07000177"
SUFFOLK = "E10000029"  # sends Q1 only
PERIODS = ("2012/13", "all")


def _counted(demo) -> dict[tuple[str, str], dict]:
    """(gss, quarter key) -> the highest intact, trusted version's return.json."""
    best: dict[tuple[str, str], dict] = {}
    for path in demo.return_files:
        with zipfile.ZipFile(path) as z:
            if z.testzip() is not None:
                continue
            doc = json.loads(z.read("return.json"))
        key = (doc["council"]["gss"], doc["period"]["key"])
        if key[0] == UNTRUSTED:
            continue
        if key not in best or doc["version"] > best[key]["version"]:
            best[key] = doc
    return best


def _section(doc: dict, key: str) -> dict:
    return next(s["data"] for s in doc["sections"] if s["key"] == key)


def _pounds(pence: int) -> str:
    return str((Decimal(pence) / 100).quantize(Decimal("0.01")))


def _latest(counted: dict, has=lambda doc: True) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for (gss, _q), doc in sorted(counted.items(), key=lambda kv: kv[0][1]):
        if has(doc):
            out[gss] = doc
    return out


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def reports(built_demo_programme, tmp_path_factory) -> dict[str, dict]:
    import shutil

    copy = tmp_path_factory.mktemp("periods") / built_demo_programme.path.name
    shutil.copy(built_demo_programme.path, copy)
    out = {}
    for period in PERIODS:
        import contextlib
        import io

        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["programme", str(copy), "--period", period, "--json"]) == 0
        out[period] = json.loads(buffer.getvalue())
    return out


def _table(report: dict, key: str) -> dict[str, dict]:
    """A table's rows by council (council tables) or item, values as exact text."""
    table = next(t for t in report["report"]["tables"] if t["key"] == key)
    return {(r["item"] or r["council"]): r["values"] for r in table["rows"]}


@pytest.mark.parametrize("period", PERIODS)
def test_every_figure_of_the_year_and_to_date_is_the_returns_own(
    built_demo_programme, reports, period
):
    counted = _counted(built_demo_programme)
    report = reports[period]
    assert report["period"] == ("2012/13" if period == "2012/13" else "Programme to date")
    latest = _latest(counted)
    names = {g: d["council"]["name"] for g, d in latest.items()}
    assert latest[SUFFOLK]["period"]["key"] == "2012Q1"  # its last known figures
    assert report["last_known"] == {SUFFOLK: "2012Q1"}

    # savings: realised in the period = every quarter's returns; to date = latest returns
    realised: dict[str, int] = defaultdict(int)
    target: dict[str, int] = defaultdict(int)
    by_quarter: dict[str, int] = defaultdict(int)
    for (_gss, q), doc in counted.items():
        for row in _section(doc, "savings")["by_workstream"]:
            realised[row["key"]] += row["period"]["realised_pence"]
            target[row["key"]] += row["period"]["target_pence"]
            by_quarter[q] += row["period"]["realised_pence"]
    to_date = sum(
        r["to_date"]["realised_pence"]
        for d in latest.values()
        for r in _section(d, "savings")["by_workstream"]
    )
    workstreams = _table(report, "savings_by_workstream")
    total = workstreams["Programme total"]
    assert total["realised"] == _pounds(sum(realised.values()))
    assert total["target"] == _pounds(sum(target.values()))
    assert total["realised_to_date"] == _pounds(to_date)
    assert workstreams["Category management"]["realised"] == _pounds(realised["category"])
    quarters = _table(report, "savings_by_quarter")
    assert quarters["2012/13 Q1"]["realised"] == _pounds(by_quarter["2012Q1"])
    assert quarters["2012/13 Q2"]["realised"] == _pounds(by_quarter["2012Q2"])
    assert quarters["Total"]["realised"] == total["realised"]  # the rows add up

    # SME share: the summed spend of every quarter's returns
    spend = sum(_section(d, "procurement")["share"]["total_pence"] for d in counted.values())
    sme = sum(_section(d, "procurement")["share"]["sme_pence"] for d in counted.values())
    shares = _table(report, "sme_share_by_council")
    assert shares["All pilot councils"]["spend"] == _pounds(spend)
    assert shares["All pilot councils"]["sme_spend"] == _pounds(sme)
    assert report["report"]["headlines"]["spend"] == _pounds(spend)

    # the pipeline: each council's latest return that carries one
    with_pipeline = _latest(counted, lambda d: _section(d, "pipeline")["carries_pipeline"])
    assert SUFFOLK not in with_pipeline and len(with_pipeline) == 3
    for dimension, table_key in (
        ("year", "pipeline_by_year"),
        ("confidence", "pipeline_by_confidence"),
    ):
        sums: dict[str, int] = defaultdict(int)
        for d in with_pipeline.values():
            for k, v in _section(d, "pipeline")["pipeline_summary"][
                f"by_{dimension}_pence"
            ].items():
                sums[k] += v
        table = _table(report, table_key)
        for k, v in sums.items():
            label = k if dimension == "year" else k.capitalize()
            assert table[label]["value"] == _pounds(v)
        assert table["Total"]["value"] == _pounds(sum(sums.values()))
    pipeline = _table(report, "pipeline_by_council")
    for gss, d in with_pipeline.items():
        summary = _section(d, "pipeline")["pipeline_summary"]
        assert pipeline[names[gss]]["value"] == _pounds(summary["total_value_pence"])
        assert pipeline[names[gss]]["sme_lots_value"] == _pounds(summary["sme_lots_value_pence"])
    categories = _table(report, "pipeline_by_category")
    by_category = sum(
        v
        for d in with_pipeline.values()
        for v in _section(d, "pipeline")["pipeline_summary"]["by_category_pence"].values()
    )
    assert categories["Total"]["value"] == _pounds(by_category)

    # 120 working days: the latest return's timelines, the mean from the days themselves
    timelines = _table(report, "procurement_120_days")
    awarded = within = running = 0
    days = 0
    for d in latest.values():
        data = _section(d, "pipeline")
        s = data["timeline_summary"]
        awarded += s["awarded"]
        within += s["within_120_working_days"]
        running += s["running"]
        days += sum(
            data["timeline_days"][t["ref"]] for t in data["timelines"] if t.get("award_date")
        )
    all_row = timelines["All pilot councils"]
    assert (all_row["awarded"], all_row["within_120"], all_row["running"]) == tuple(
        map(str, (awarded, within, running))
    )
    assert all_row["mean_days_to_award"] == str((Decimal(days) / awarded).quantize(Decimal("0.1")))

    # CAP funding and plans: each council's latest return, Suffolk's flagged as last known
    funding = _table(report, "cap_funding_by_council")
    lga = match = 0
    for gss, d in latest.items():
        f = _section(d, "cap")["funding"]
        lga += f["lga_investment_pence"]
        match += f["match_funding_pence"]
        assert funding[names[gss]]["lga_investment"] == _pounds(f["lga_investment_pence"])
    assert funding["All pilot councils"]["lga_investment"] == _pounds(lga)
    assert funding["All pilot councils"]["match_funding"] == _pounds(match)
    about = next(
        t["about"] for t in report["report"]["tables"] if t["key"] == "cap_funding_by_council"
    )
    assert "last known figures, flagged, for Suffolk County Council (as at 2012/13 Q1)" in about
    plans = [p for d in latest.values() for p in _section(d, "cap")["records"]["cap"]]
    status = _table(report, "cap_plans_by_status")
    assert status["Total"]["plans"] == str(len(plans))
    assert status["Total"]["lga_investment"] == _pounds(
        sum(p["lga_investment_pence"] for p in plans)
    )

    # savings by kind: the lines' annual targets and what they realised
    lines = [s for d in latest.values() for s in _section(d, "savings")["records"]["savings"]]
    kinds = _table(report, "savings_by_kind")
    assert kinds["Cashable or not: all lines"]["annual_target"] == _pounds(
        sum(s["target_pence"] for s in lines)
    )
    assert kinds["Cashable or not: all lines"]["realised"] == total["realised"]
    assert kinds["Cashable or not: Non-cashable"]["annual_target"] == _pounds(
        sum(s["target_pence"] for s in lines if s["cashable"] == "non_cashable")
    )

    # experts by specialism: engagements, expected and realised savings, savings per day
    specialism = {
        r["ref"]: r["specialism"]
        for d in latest.values()
        for r in _section(d, "experts")["records"]["experts"]
    }
    sums = defaultdict(lambda: [0, 0, 0])
    for d in latest.values():
        refs = {r["ref"]: r["specialism"] for r in _section(d, "experts")["records"]["experts"]}
        for e in _section(d, "experts")["engagements"]:
            s = sums[refs[e["ref"]]]
            s[0] += int(Decimal(e["days_used"]) * 10)
            s[1] += e["expected_saving_pence"]
            s[2] += e["realised_saving_pence"]
    assert specialism
    experts = _table(report, "experts_by_specialism")
    renegotiation = experts["Contract renegotiation"]
    tenths, expected, done = sums["renegotiation"]
    assert renegotiation["expected_saving"] == _pounds(expected)
    assert renegotiation["realised_saving"] == _pounds(done)
    assert renegotiation["saving_per_day"] == _pounds(done * 10 // tenths)


def test_the_year_report_files_carry_the_same_figures(built_demo_programme, tmp_path, reports):
    import shutil

    copy = tmp_path / "p.lgaprog"
    shutil.copy(built_demo_programme.path, copy)
    for suffix in (".xlsx", ".pdf"):
        assert (
            main(
                [
                    "programme",
                    str(copy),
                    "--period",
                    "2012/13",
                    "--out",
                    str(tmp_path / f"y{suffix}"),
                ]
            )
            == 0
        )
    book = load_workbook(tmp_path / "y.xlsx")
    funding = {r[1]: r for r in book["CAP funding by council"].iter_rows(values_only=True)}
    lga = reports["2012/13"]["report"]["headlines"]["cap_lga_investment"]
    assert Decimal(repr(funding["All pilot councils"][2])) == Decimal(lga)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "y.pdf").pages)
    assert "2012/13" in text and "120-day compliance" in text and "Pipeline by year" in text
    assert "last known figures, flagged, for Suffolk County Council" in text


def test_a_programme_file_made_before_these_facts_gets_them(built_demo_programme, tmp_path):
    """Existing programme files migrate: the returns already merged are read again."""
    import shutil
    import sqlite3

    copy = tmp_path / "old.lgaprog"
    shutil.copy(built_demo_programme.path, copy)
    db = sqlite3.connect(copy)
    for table in (
        "fact_pipeline",
        "fact_pipeline_split",
        "fact_timelines",
        "fact_cap_plan",
        "fact_savings_line",
        "fact_engagement",
        "fact_warning",
        "roster",
        "due_date",
        "review_event",
        "board_snapshot",
    ):
        db.execute(f"DROP TABLE {table}")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'p0004_everything_a_return_carries'")
    db.commit()
    db.close()
    with Programme.open(copy) as prog:
        f = figures_for(prog, "all")
    assert f.pipeline_total is not None and f.pipeline_total.pence > 0
    assert f.timelines and f.cap_plans_by_status
