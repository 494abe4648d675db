"""One way to word counts, dates and sentences (issue 16)."""

from __future__ import annotations

from datetime import date

from lga_desktop.registers import cap
from lga_desktop.words import format_date, lower_title, plural, sentence


def test_plural_counts_words_as_people_do():
    assert plural(1, "asset") == "1 asset"
    assert plural(2, "asset") == "2 assets"
    assert plural(0, "engagement") == "0 engagements"
    assert plural(1, "expenditure category") == "1 expenditure category"
    assert plural(3, "expenditure category") == "3 expenditure categories"
    assert plural(1204, "line") == "1,204 lines"
    assert plural(2, "day log line") == "2 day log lines"
    assert plural(2, "pilot council") == "2 pilot councils"


def test_dates_read_the_british_way_everywhere():
    assert format_date(date(2012, 4, 1)) == "01/04/2012"
    assert format_date("2012-04-01") == "01/04/2012"
    assert format_date("2026-12-01T15:04:05+00:00") == "01/12/2026"
    assert format_date(None) == ""


def test_a_sentence_ends_once():
    assert sentence("is needed") == "Is needed."
    assert sentence("decimals or thousands written with a point?") == (
        "Decimals or thousands written with a point?"
    )
    assert sentence("done.") == "Done."


def test_titles_keep_their_acronyms_inside_a_sentence():
    assert lower_title("Savings lines") == "savings lines"
    assert lower_title(cap.PLAN.title).startswith("CAP")


def test_the_pages_word_their_counts(qtbot, workspace):
    from lga_desktop.registers import store
    from lga_desktop.ui.context import AppContext
    from lga_desktop.ui.pages.cap import CapPage
    from lga_desktop.ui.registers.form import RecordForm

    plan = store.create(
        workspace,
        cap.PLAN,
        dict(
            title="Estate",
            wave="2",
            status="approved",
            lga_investment=100,
            match_funding=100,
            start_date=date(2012, 4, 1),
            end_date=date(2013, 3, 31),
        ),
    )
    store.create(workspace, cap.ASSETS, dict(plan=plan.id, name="Town hall", action="dispose"))
    page = CapPage(AppContext(workspace))
    qtbot.addWidget(page)
    assert "1 plan;" in page.summary.text() and "1 asset with" in page.summary.text()
    assert page.main.filter_box.placeholderText() == f"Filter {cap.PLAN.title}…"
    form = RecordForm(cap.PLAN)
    qtbot.addWidget(form)
    form.editors["lga_investment"].setText("1.2345")
    form.check(reveal=True)
    assert form.note_text("lga_investment").endswith("written with a point?")
