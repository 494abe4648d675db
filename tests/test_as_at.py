"""A quarter's return says only what was true at the quarter's end.

A return built late, when later quarters' records exist, must equal the same
return built on time from a workspace that holds only what was known at the
quarter's end (what the officer would have had on 1 October 2012).
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from lga_desktop.periods import parse_quarter
from lga_desktop.returns.build import assemble
from lga_desktop.workspace import Workspace

Q2 = parse_quarter("2012/13 Q2")
TODAY = date(2026, 12, 1)


def _only_up_to(ws: Workspace, end: date, quarter_key: str) -> None:
    """Take out, in plain SQL, everything dated after ``end`` (independent of the code under test)."""
    e = end.isoformat()
    with ws.atomic():
        db = ws.db
        db.execute("DELETE FROM savings_realised WHERE quarter > ?", [quarter_key])
        db.execute(
            "DELETE FROM savings_realised WHERE saving IN "
            "(SELECT id FROM savings_lines WHERE start > ?)",
            [quarter_key],
        )
        db.execute("DELETE FROM savings_lines WHERE start > ?", [quarter_key])
        db.execute(
            "DELETE FROM expert_days WHERE date > ? OR engagement IN "
            "(SELECT id FROM expert_engagements WHERE start_date > ?)",
            [e, e],
        )
        db.execute("DELETE FROM expert_engagements WHERE start_date > ?", [e])
        db.execute("DELETE FROM procurement_timelines WHERE ojeu_date > ?", [e])
        db.execute("UPDATE procurement_timelines SET award_date = NULL WHERE award_date > ?", [e])
        db.execute("DELETE FROM pipeline WHERE added_on > ?", [e])
        db.execute("DELETE FROM cap_outputs_realised WHERE quarter > ?", [quarter_key])
        db.execute("DELETE FROM spend_line WHERE spend_date > ?", [e])
        db.execute("DELETE FROM spend_summary WHERE quarter > ?", [quarter_key])


def _comparable(draft) -> str:
    return json.dumps(
        {
            "sections": draft.sections,
            "findings": [(str(f.severity), f.code, f.message, f.record) for f in draft.findings],
        },
        sort_keys=True,
        default=str,
    )


@pytest.mark.parametrize("quarter", ["2012/13 Q1", "2012/13 Q2", "2012/13 Q3"])
def test_a_return_built_late_equals_the_return_built_on_time(demo_workspace, tmp_path, quarter):
    q = parse_quarter(quarter)
    late = assemble(demo_workspace, q, today=TODAY)
    copy = tmp_path / "on time.lgaws"
    demo_workspace.db.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(demo_workspace.path, copy)
    on_time_ws = Workspace.open(copy)
    try:
        _only_up_to(on_time_ws, q.end, q.key)
        on_time = assemble(on_time_ws, q, today=TODAY)
    finally:
        on_time_ws.close()
    assert _comparable(late) == _comparable(on_time)


def test_the_demo_q2_return_says_nothing_about_what_came_after_september(demo_workspace):
    draft = assemble(demo_workspace, Q2, today=TODAY)
    text = json.dumps(draft.sections, default=str) + " ".join(f.message for f in draft.findings)
    # EXP-004 starts on 1 October 2012; PRC-003 was awarded in January 2013
    assert "EXP-004" not in text
    assert "156 working days" not in text
    assert "16.5 days are logged" not in text
    experts = next(s for s in draft.sections if s["key"] == "experts")["data"]
    assert [e["ref"] for e in experts["engagements"]] == ["EXP-001", "EXP-002", "EXP-003"]
    timelines = next(s for s in draft.sections if s["key"] == "pipeline")["data"]
    prc3 = next(t for t in timelines["timelines"] if t["ref"] == "PRC-003")
    assert prc3["award_date"] is None  # still running at the quarter's end
    assert timelines["timeline_days"]["PRC-003"] == 78
    for key in ("date", "award_date", "start_date", "ojeu_date", "added_on"):
        for value in _values(draft.sections, key):
            assert value is None or value <= "2012-09-30", (key, value)


def _values(obj, key):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key and (v is None or isinstance(v, str)):
                yield v
            else:
                yield from _values(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from _values(v, key)
