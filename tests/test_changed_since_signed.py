"""A change inside a quarter already signed is named, and a correction is due."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from returns_support import fast_keys, sign_quarter  # noqa: F401  (fixture)

from lga_desktop.cli import main
from lga_desktop.periods import Quarter
from lga_desktop.procurement.suppliers import export_suppliers, set_flags
from lga_desktop.registers import experts, store
from lga_desktop.returns.changes import (
    changed_since_signed,
    newly_changed,
    warning_text,
    watch_signed,
)

pytestmark = pytest.mark.usefixtures("fast_keys")
Q2 = Quarter(2012, 2)


def _log_day(ws, ref: str, when: date):
    eng = store.find_by_ref(ws, experts.ENGAGEMENTS, ref)
    return store.create(
        ws, experts.DAYS, {"engagement": eng.link(), "date": when, "days": "0.5", "work": "Late"}
    )


@pytest.fixture
def signed_q2(demo_workspace, tmp_path):
    signed = sign_quarter(demo_workspace, Q2, tmp_path)
    return demo_workspace, signed


def test_a_signed_quarter_is_unchanged_until_something_inside_it_changes(signed_q2):
    ws, signed = signed_q2
    assert changed_since_signed(ws) == []
    # a day in October belongs to Q3: the Q2 return still says the same
    _log_day(ws, "EXP-001", date(2012, 10, 9))
    assert changed_since_signed(ws) == []
    with watch_signed(ws) as affected:
        _log_day(ws, "EXP-001", date(2012, 9, 3))
    assert [r.return_hash for r in affected] == [signed.return_hash]
    assert [r.period for r in changed_since_signed(ws)] == ["2012/13 Q2"]
    text = warning_text(affected)
    assert "the 2012/13 Q2 return (version 1, signed 15/10/2012)" in text
    assert "a correction is due" in text
    # already known as changed: a second change is not news
    before = changed_since_signed(ws)
    _log_day(ws, "EXP-001", date(2012, 9, 4))
    assert newly_changed(before, changed_since_signed(ws)) == []


def test_a_correction_clears_it(signed_q2, tmp_path):
    ws, _signed = signed_q2
    _log_day(ws, "EXP-001", date(2012, 9, 3))
    assert changed_since_signed(ws)
    (tmp_path / "v2").mkdir()
    sign_quarter(ws, Q2, tmp_path / "v2")
    assert changed_since_signed(ws) == []


def test_a_supplier_flag_changed_after_signing_is_caught(signed_q2):
    ws, _signed = signed_q2
    kier = ws.db.execute("SELECT id FROM supplier WHERE name = 'Kier Construction Ltd'").fetchone()
    with watch_signed(ws) as affected:
        set_flags(ws, [kier[0]], sme=True)
    assert [r.period for r in affected] == ["2012/13 Q2"]


def test_the_command_line_warns_on_stderr_naming_the_return(signed_q2, tmp_path, capsys):
    ws, _signed = signed_q2
    listing = tmp_path / "suppliers.csv"
    export_suppliers(ws, listing)
    with open(listing, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["name"] == "Kier Construction Ltd":
            row["sme"] = "yes"
    with open(listing, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    path = ws.path
    ws.close()
    code = main(["import-suppliers", str(path), str(listing)])
    out, err = capsys.readouterr()
    assert code == 0 and "updated" in out
    assert "warning:" in err and "the 2012/13 Q2 return (version 1, signed 15/10/2012)" in err
    # nothing more to change: no warning
    code = main(["import-suppliers", str(path), str(listing)])
    assert code == 0 and capsys.readouterr().err == ""


def test_the_window_warns_naming_the_return_and_the_pages_say_a_correction_is_due(
    qtbot, signed_q2, settings, message_boxes
):
    from lga_desktop.ui.main_window import MainWindow
    from lga_desktop.ui.pages.dashboard import DashboardPage
    from lga_desktop.ui.pages.returns import ReturnsPage

    ws, signed = signed_q2
    window = MainWindow(ws, settings)
    qtbot.addWidget(window)
    context = window.context
    dashboard, returns = DashboardPage(context), ReturnsPage(context)
    qtbot.addWidget(dashboard)
    qtbot.addWidget(returns)
    assert not dashboard.signed_banner.text() and not returns.signed_banner.text()
    assert returns.model.status(returns.model.record(0)) == "Current"

    _log_day(ws, "EXP-001", date(2012, 9, 3))
    context.notify("experts")
    [(title, text)] = message_boxes
    assert title == "Changed since signed"
    assert "the 2012/13 Q2 return (version 1, signed 15/10/2012)" in text
    expected = "2012/13 Q2 (version 1): changed since signed: a correction is due."
    assert dashboard.signed_banner.text() == expected
    assert returns.signed_banner.text() == expected
    assert returns.model.status(returns.model.record(0)) == (
        "Current, changed since signed: a correction is due"
    )
    assert returns.model.record(0).return_hash == signed.return_hash
    context.notify("experts")  # nothing new: no second warning
    assert len(message_boxes) == 1


def test_the_windows_watch_rebuilds_only_what_a_change_names_and_keeps_the_rest(signed_q2):
    from lga_desktop.returns.changes import SignedWatch

    ws, signed = signed_q2
    watch = SignedWatch(ws)
    assert watch.changed == []
    _log_day(ws, "EXP-001", date(2012, 9, 3))
    assert watch.update(frozenset({"procurement"})) == []  # the day log was not re-read
    assert [r.return_hash for r in watch.update(frozenset({"experts"}))] == [signed.return_hash]
    assert watch.differs[signed.return_hash] == {"experts"}
    assert watch.update(frozenset({"procurement"})) == []
    assert [r.period for r in watch.changed] == ["2012/13 Q2"]  # still due
