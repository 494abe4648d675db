"""The Pipeline and Timelines tabs of the Procurement page, driven as an officer would."""

from __future__ import annotations

from datetime import date

import pytest

from lga_desktop.registers import pipeline, store
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.pages.pipeline import PipelinePage, TimelinesPage


@pytest.fixture
def demo_context(demo_workspace):
    return AppContext(demo_workspace)


def _show(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def test_the_procurement_page_has_pipeline_and_timeline_tabs(qtbot, demo_context):
    from lga_desktop.ui.procurement.page import ProcurementPage

    page = _show(qtbot, ProcurementPage(demo_context))
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles[-2:] == ["Pipeline", "Timelines (120 days)"]
    assert page.pipeline.main.model.rowCount() == store.count(
        demo_context.workspace, pipeline.PIPELINE
    )


def test_pipeline_summary_is_exact(qtbot, demo_context):
    page = _show(qtbot, PipelinePage(demo_context))
    text = page.summary.text()
    total = pipeline.pipeline_summary(demo_context.workspace).total_value
    assert "8 planned procurements worth <b>£43,500,000.00</b>" in text
    assert total == 4_350_000_000
    assert "<b>72%</b>" in text  # £31.35m of £43.5m in SME lots


def test_a_late_award_shows_its_working_days_and_the_warning(qtbot, demo_context):
    page = _show(qtbot, TimelinesPage(demo_context))
    late = store.find_by_ref(demo_context.workspace, pipeline.TIMELINE, "PRC-003")
    page.main.select_id(late.id)
    assert "156 working days after the notice" in page.record_label.text()
    assert [b.text for b in page.record_chart.bars] == ["156 of 120 working days"]
    messages = [page.checks.item(i).text() for i in range(page.checks.count())]
    assert any("156 working days" in m and "beyond the 120-day commitment" in m for m in messages)


def test_recording_the_award_updates_the_summary(qtbot, demo_context):
    page = _show(qtbot, TimelinesPage(demo_context))
    page._today = lambda: date(2013, 3, 31)  # the view as it stood at the end of 2012/13
    page.refresh()
    before = page.summary.text()
    assert "<b>3 of 4</b>" in before and "1 running" in before
    running = store.find_by_ref(demo_context.workspace, pipeline.TIMELINE, "PRC-005")
    store.update(
        demo_context.workspace, pipeline.TIMELINE, running.id, {"award_date": "04/03/2013"}
    )
    demo_context.notify(pipeline.KEY)
    assert "<b>4 of 5</b>" in page.summary.text()
    assert "0 running" in page.summary.text()


def test_the_form_offers_the_procedures_of_the_rules_on_the_notice_date(qtbot):
    from datetime import date

    from lga_desktop.registers import pipeline
    from lga_desktop.ui.registers.form import RecordForm

    form = RecordForm(pipeline.TIMELINE)
    qtbot.addWidget(form)

    def offered() -> list[str]:
        box = form.editors["procedure"]
        return [box.itemText(i) for i in range(box.count())]

    form.set_values({"title": "Cleaning", "category": "FM", "ojeu_date": date(2012, 7, 2)})
    assert offered() == [
        "Open",
        "Restricted",
        "Negotiated with a contract notice",
        "Negotiated without a notice",
        "Competitive dialogue",
    ]
    form.set_values({"title": "Cleaning", "category": "FM", "ojeu_date": date(2016, 7, 1)})
    assert "Competitive with negotiation" in offered()
    assert "Negotiated with a contract notice" not in offered()
    # a choice made under other rules stays visible, with the reason beside it
    form.set_values(
        {"title": "X", "category": "FM", "procedure": "negotiation", "ojeu_date": date(2012, 7, 2)}
    )
    assert offered()[-1] == "Competitive with negotiation"
    form.check(reveal=True)  # as on Save: messages wait for a field to be touched
    assert "was not a procedure under" in form.note_text("procedure")
