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
    db.execute("DROP INDEX council_return_council")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'p0005_everything_a_return_carries'")
    db.commit()
    db.close()
    with Programme.open(copy) as prog:
        f = figures_for(prog, "all")
    assert f.pipeline_total is not None and f.pipeline_total.pence > 0
    assert f.timelines and f.cap_plans_by_status


def test_the_board_report_opens_with_headlines_and_charts_and_keeps_admin_in_an_annex(
    built_demo_programme, tmp_path
):
    import shutil

    copy = tmp_path / "p.lgaprog"
    shutil.copy(built_demo_programme.path, copy)
    assert main(["programme", str(copy), "--period", "all", "--out", str(tmp_path / "a.pdf")]) == 0
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "a.pdf").pages]
    first = pages[0]
    # the headline first, then the charts (reportlab graphics: their labels are text)
    assert first.index("Savings realised in programme to date") < first.index(
        "dark: realised · light: target"
    )
    assert (
        "SME share of procurement spend by council (%)" in first and "Savings by quarter" in first
    )
    assert "Files held aside" not in first  # an annex, at the end
    assert "Annex - files not counted" in pages[-1] or "Annex - files not counted" in pages[-2]
    text = " ".join(pages)
    assert "The five Capital" not in text  # six rows: the label names them instead
    assert "homes, public and private" in text


def test_small_shares_read_as_less_than_a_tenth_not_nothing():
    from lga_desktop.consolidation.report_tables import PERCENT, Cell, _share, display

    assert display(_share(0, 1_000_000)) == "0.0%"
    assert display(_share(400, 1_000_000)) == "<0.1%"  # 0.04%: something, not nothing
    assert display(_share(124_000, 1_000_000)) == "12.4%"
    assert display(Cell(Decimal("0.0"), PERCENT)) == "0.0%"


def test_drill_down_from_the_cli_gives_the_return_its_pdf_and_its_versions(
    built_demo_programme, tmp_path, capsys
):
    import shutil

    copy = tmp_path / "p.lgaprog"
    shutil.copy(built_demo_programme.path, copy)
    code = main(
        [
            "programme",
            str(copy),
            "--period",
            "2012/13 Q1",
            "--council",
            "E06000044",
            "--pdf",
            str(tmp_path / "r.pdf"),
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(v["version"], v["counts"]) for v in data["versions"]] == [(2, True), (1, False)]
    counted = _counted(built_demo_programme)[("E06000044", "2012Q1")]
    by_basis = _section(counted, "savings")["by_basis"]
    assert by_basis
    labels = {
        "cashable.revenue": "cashable revenue",
        "non_cashable.revenue": "non-cashable revenue",
    }
    labels |= {
        "cashable.capital": "cashable capital",
        "non_cashable.capital": "non-cashable capital",
    }
    for row in by_basis:
        pence = row["period"]["realised_pence"]
        figure = f"Savings realised in the quarter, {labels[row['key']]}"
        assert data["figures"][figure] == f"£{Decimal(pence) / 100:,.2f}"
    assert "Portsmouth" in PdfReader(tmp_path / "r.pdf").pages[0].extract_text()


def test_what_changed_between_versions_names_each_figure(built_demo_programme):
    from lga_desktop.consolidation.drill import differences

    counted = _counted(built_demo_programme)
    q1, q2 = counted[("E07000178", "2012Q1")], counted[("E07000178", "2012Q2")]
    changes = {where: (old, new) for where, old, new in differences(q1, q2)}
    realised = "sections.savings.by_basis[cashable.revenue].period.realised_pence"

    def cashable_revenue(doc):
        rows = _section(doc, "savings")["by_basis"]
        return str(
            next(r for r in rows if r["key"] == "cashable.revenue")["period"]["realised_pence"]
        )

    assert changes[realised] == (cashable_revenue(q1), cashable_revenue(q2))
    assert differences(q1, q1) == []


def test_warnings_and_their_notes_are_an_exceptions_annex(demo_programme):
    """Suffolk sends Q2 with a realised saving that has no evidence note: a warning, explained."""
    from lga_desktop.consolidation.demo import _sign
    from lga_desktop.consolidation.merge import consolidate
    from lga_desktop.consolidation.report_tables import report_content
    from lga_desktop.registers import store
    from lga_desktop.registers.catalog import register
    from lga_desktop.workspace import Workspace

    ws_path = demo_programme.path.parent / f"{SUFFOLK}.lgaws"
    realised = register("savings.realised")
    with Workspace.open(ws_path) as ws:
        q2 = [r for r in store.list_records(ws, realised) if r.get("quarter").key == "2012Q2"]
        store.update(ws, realised, q2[0].id, {"evidence": None})
    signed = _sign(ws_path, "2012/13 Q2", demo_programme.path.parent, "suffolk q2.lgareturn")
    with Programme.open(demo_programme.path) as prog:
        assert consolidate(prog, [signed]).merged == 1
        f = figures_for(prog, "all")
    assert f.last_known == {}  # Suffolk's Q2 now counts
    (warning,) = [w for w in f.warnings if w["gss"] == SUFFOLK]
    assert "no evidence note" in warning["message"]
    assert warning["note"] == "Explained to the LGA programme manager."
    annex = report_content(f).table("exceptions")
    (row,) = [r for r in annex.rows if r.council_gss == SUFFOLK]
    assert row.item == "2012/13 Q2" and row.cells[2].value == warning["note"]


def test_the_charts_fit_a_page_for_a_national_programme(built_demo_programme, tmp_path):
    """350 councils and ten years of quarters: SME share by region, the last 16 quarters."""
    import io
    import shutil
    from dataclasses import replace

    from lga_desktop.consolidation.report_pdf import report_pdf
    from lga_desktop.consolidation.report_tables import report_content

    copy = tmp_path / "p.lgaprog"
    shutil.copy(built_demo_programme.path, copy)
    with Programme.open(copy) as prog:
        content = report_content(figures_for(prog, "all"))
    sme = content.table("sme_share_by_council")
    sme.rows = [replace(sme.rows[0], council=f"Council {i}") for i in range(350)] + sme.rows
    by_quarter = content.table("savings_by_quarter")
    by_quarter.rows = [replace(by_quarter.rows[0], item=f"Q{i}") for i in range(40)]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(content))).pages)
    assert "SME share of procurement spend by region (%)" in text
    assert "Savings by quarter (the last 16)" in text
