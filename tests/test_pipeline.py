"""Procurement pipeline and timelines: the 120-working-day commitment, rules, exact totals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lga_desktop.periods import Quarter, add_working_days
from lga_desktop.registers import pipeline, store


def _planned(ws, **over):
    values = {
        "title": "Housing repairs",
        "category": "CON",
        "estimated_value": "£1.2m",
        "advert_date": "05/11/2012",
        "contract_start": "01/06/2013",
        "length_months": "60",
        "confidence": "High",
        "sme_lots": "Yes",
        "added_on": "28/09/2012",
    } | over
    return store.create(ws, pipeline.PIPELINE, values)


def _timeline(ws, **over):
    values = {
        "title": "Cleaning",
        "category": "FM",
        "procedure": "Open",
        "ojeu_date": "21/12/2012",
        "award_date": "02/01/2013",
        "value": "780,000",
    } | over
    return store.create(ws, pipeline.TIMELINE, values)


def _codes(findings):
    return sorted((f.code, f.record) for f in findings)


def test_working_days_skip_christmas_and_new_year(workspace):
    _timeline(workspace)
    [row] = pipeline.timeline_days(workspace)
    # Fri 21 Dec 2012 -> Wed 2 Jan 2013: 24, 27, 28, 31 Dec and 2 Jan (25, 26 Dec and 1 Jan are holidays)
    assert row.working_days == 5
    assert row.awarded and row.within_commitment


def test_the_120_day_commitment_boundary(workspace):
    notice = date(2012, 6, 11)
    on_time = add_working_days(notice, 120)
    _timeline(workspace, ojeu_date=notice, award_date=on_time)
    late = add_working_days(notice, 121)
    _timeline(workspace, title="Late", ojeu_date=notice, award_date=late)
    found = pipeline.validate(workspace, Quarter(2012, 4))
    assert _codes(found) == [("timelines.over_120_days", "PRC-002")]
    assert found[0].severity.value == "warning"
    assert "121 working days" in found[0].message
    days = {t.record.ref: t.working_days for t in pipeline.timeline_days(workspace)}
    assert days == {"PRC-001": 120, "PRC-002": 121}


def test_competitive_dialogue_needs_a_justification(workspace):
    _timeline(workspace, procedure="Competitive dialogue")
    found = pipeline.validate(workspace, Quarter(2012, 4))
    assert _codes(found) == [("timelines.dialogue_unjustified", "PRC-001")]
    assert found[0].severity.value == "error" and found[0].field == "justification"
    rec = store.find_by_ref(workspace, pipeline.TIMELINE, "PRC-001")
    store.update(workspace, pipeline.TIMELINE, rec.id, {"justification": "Novel solution needed."})
    assert pipeline.validate(workspace, Quarter(2012, 4)) == []


def test_award_before_notice_is_an_error(workspace):
    _timeline(workspace, award_date="20/12/2012")
    assert _codes(pipeline.validate(workspace, Quarter(2012, 4))) == [
        ("timelines.award_before_notice", "PRC-001")
    ]


def test_pipeline_rules(workspace):
    _planned(workspace, advert_date="01/07/2013")  # after the contract start
    _planned(workspace, title="Far off", advert_date="", contract_start="01/04/2019")
    _planned(workspace, title="Fine")
    found = pipeline.validate(workspace, Quarter(2012, 2))
    assert _codes(found) == [
        ("pipeline.advert_after_start", "PIP-001"),
        ("pipeline.beyond_horizon", "PIP-002"),
    ]
    assert all(f.severity.value == "error" for f in found)
    # the pipeline is only carried (and checked) in the Q2 and Q4 returns
    assert pipeline.validate(workspace, Quarter(2012, 3)) == []


def test_pipeline_totals_are_exact(workspace):
    _planned(workspace, estimated_value="£1,200,000.01")
    _planned(
        workspace,
        title="ICT",
        category="ICT",
        estimated_value="0.99",
        sme_lots="No",
        contract_start="01/04/2014",
        confidence="low",
    )
    _planned(workspace, title="More building", estimated_value="2.5m", confidence="medium")
    summary = pipeline.pipeline_summary(workspace)
    assert summary.entries == 3
    assert summary.total_value == 120_000_001 + 99 + 250_000_000
    assert summary.by_category == {"CON": 370_000_001, "ICT": 99}
    assert summary.by_year == {"2013/14": 370_000_001, "2014/15": 99}
    assert summary.by_confidence == {"high": 120_000_001, "low": 99, "medium": 250_000_000}
    assert summary.sme_lots_value == 370_000_001


def test_snapshot_carries_the_pipeline_in_q2_and_q4_only(workspace):
    _planned(workspace)
    _timeline(workspace)  # notice in 2012/13 Q3
    q2 = pipeline.snapshot(workspace, Quarter(2012, 2))
    assert q2["carries_pipeline"] and [p["ref"] for p in q2["pipeline"]] == ["PIP-001"]
    assert q2["pipeline"][0]["estimated_value_pence"] == 120_000_000
    assert q2["timelines"] == []  # the notice came after Q2
    q3 = pipeline.snapshot(workspace, Quarter(2012, 3))
    assert "pipeline" not in q3 and not q3["carries_pipeline"]
    assert [t["ref"] for t in q3["timelines"]] == ["PRC-001"]
    # at the end of Q3 the award (2 Jan) had not happened: running, 4 working days in (24-31 Dec)
    assert q3["timeline_days"] == {"PRC-001": 4}
    assert q3["timeline_summary"]["running"] == 1 and q3["timeline_summary"]["awarded"] == 0
    q4 = pipeline.snapshot(workspace, Quarter(2012, 4))
    assert q4["timeline_days"] == {"PRC-001": 5}
    assert q4["timeline_summary"]["within_120_working_days"] == 1


def test_running_procurements_past_the_commitment_are_counted(workspace):
    notice = date(2012, 4, 2)
    _timeline(workspace, ojeu_date=notice, award_date="")
    summary = pipeline.timeline_summary(workspace, Quarter(2012, 4))
    assert (summary.running, summary.running_over) == (1, 1)
    assert pipeline.timeline_summary(workspace, Quarter(2012, 1)).running_over == 0


def test_a_timeline_links_to_its_pipeline_entry_and_survives_its_deletion(workspace):
    planned = _planned(workspace)
    timeline = _timeline(workspace, pipeline_entry=planned.ref)
    assert (
        store.get_record(workspace, pipeline.TIMELINE, timeline.id)["pipeline_entry"].ref
        == "PIP-001"
    )
    store.delete(workspace, pipeline.PIPELINE, planned.id)
    assert store.get_record(workspace, pipeline.TIMELINE, timeline.id).get("pipeline_entry") is None


def test_dates_outside_the_bank_holiday_years_do_not_crash(workspace):
    _timeline(workspace, ojeu_date="01/12/2036", award_date="01/02/2037")
    [row] = pipeline.timeline_days(workspace)
    assert row.working_days is None and row.within_commitment is None


def test_demo_fills_both_registers(demo_workspace):
    assert store.count(demo_workspace, pipeline.PIPELINE) >= 5
    assert store.count(demo_workspace, pipeline.TIMELINE) >= 4
    found = pipeline.validate(demo_workspace, Quarter(2012, 4))
    assert [f.code for f in found] == ["timelines.over_120_days"]  # the demo's one late award
    assert not [f for f in found if f.severity.value == "error"]


@pytest.mark.parametrize("bad", ["Sometime", "Urgent"])
def test_unknown_choices_are_refused_in_words(workspace, bad):
    with pytest.raises(store.RecordError, match="not one of High, Medium, Low"):
        _planned(workspace, confidence=bad)


def test_one_day_more_or_less(workspace):
    notice = date(2013, 1, 7)
    _timeline(workspace, ojeu_date=notice, award_date=notice + timedelta(days=1))
    assert pipeline.timeline_days(workspace)[0].working_days == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_through_excel_and_csv_loses_nothing(
    demo_workspace, workspace, tmp_path, suffix
):
    from lga_desktop.registers.excel import export_family, import_family
    from lga_desktop.registers.family import records_json

    for key in ("pipeline", "timelines"):  # timelines name pipeline entries
        path = tmp_path / f"{key}{suffix}"
        export_family(demo_workspace, key, path)
        report = import_family(workspace, key, path)
        assert report.ok, report.refused
        assert records_json(workspace, key) == records_json(demo_workspace, key)
    assert pipeline.pipeline_summary(workspace) == pipeline.pipeline_summary(demo_workspace)


def test_cli_export_and_import_the_pipeline(demo_workspace, workspace, tmp_path, capsys):
    from lga_desktop.cli import main

    demo_workspace.close()
    workspace.close()
    out = tmp_path / "pipeline.xlsx"
    assert (
        main(["export", str(demo_workspace.path), "--register", "pipeline", "--out", str(out)]) == 0
    )
    assert main(["import", str(workspace.path), "--register", "pipeline", str(out)]) == 0
    assert "8" in capsys.readouterr().out


def test_an_import_with_a_bad_row_names_it_and_changes_nothing(workspace, tmp_path):
    from openpyxl import load_workbook

    from lga_desktop.registers.excel import export_family, import_family

    _planned(workspace)
    path = tmp_path / "pipeline.xlsx"
    export_family(workspace, "pipeline", path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    row[headings.index("Ref")] = None
    row[headings.index("Confidence")] = "Certain"
    sheet.append(row)
    book.save(path)
    report = import_family(workspace, "pipeline", path)
    assert not report.ok
    (problem,) = report.refused
    assert problem.row == 3 and "'Certain' is not one of High, Medium, Low" in problem.message
    assert store.count(workspace, pipeline.PIPELINE) == 1
