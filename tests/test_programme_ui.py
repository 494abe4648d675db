"""The consolidation window, driven as LGA staff would, on a real demo programme.

The programme, the councils' workspaces and their signed returns are real
files (``programme_support``); tasks run inline (``immediate_tasks``), so each
test sees what the worker did as soon as the call returns.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lga_desktop import cli
from lga_desktop.consolidation.demo import PASSPHRASE
from lga_desktop.consolidation.figures import figures_for
from lga_desktop.consolidation.store import Programme
from lga_desktop.money import format_money
from lga_desktop.periods import parse_quarter
from lga_desktop.returns.build import Declaration, Person, assemble
from lga_desktop.returns.sign import sign_return
from lga_desktop.ui.main_window import MainWindow
from lga_desktop.ui.programme.councils import CouncilsModel
from lga_desktop.ui.programme.held import HeldModel
from lga_desktop.ui.programme.returns_page import ReturnsModel
from lga_desktop.ui.programme.window import GEOMETRY_KEY, ProgrammeWindow
from lga_desktop.ui.qt import (
    QApplication,
    QDialog,
    QDragEnterEvent,
    QDropEvent,
    QMimeData,
    QPointF,
    Qt,
    QUrl,
)
from lga_desktop.workspace import Workspace

Q1, Q2 = "2012/13 Q1", "2012/13 Q2"
SUFFOLK, CHERWELL = "E10000029", "E07000177"

pytestmark = pytest.mark.usefixtures("immediate_tasks")


@pytest.fixture
def window(qtbot, demo_programme, settings):
    w = ProgrammeWindow(Programme.open(demo_programme.path), settings)
    qtbot.addWidget(w)
    w.show()
    return w


def folder_of(demo) -> Path:
    return demo.path.parent


def sign_suffolk_q2(demo, name: str = "Suffolk 2012-13 Q2 return v1.lgareturn") -> Path:
    """Suffolk's late Q2 return, assembled and signed the real way from its demo workspace."""
    quarter = parse_quarter(Q2)
    with Workspace.open(folder_of(demo) / f"{SUFFOLK}.lgaws") as ws:
        draft = assemble(ws, quarter, today=date(2012, 10, 20))
        people = Declaration(
            Person(ws.officer.name, ws.officer.role, ws.officer.email, "2012-10-20"),
            Person("Jo Reed", "Head of Finance", "jo.reed@example.gov.uk", "2012-10-20"),
        )
        signed = sign_return(
            ws,
            draft,
            notes={w.key: "Explained to the LGA." for w in draft.warnings},
            declaration=people,
            passphrase=PASSPHRASE,
            out_path=folder_of(demo) / name,
            now=datetime(2012, 10, 20, 9, 0, tzinfo=UTC),
        )
    return signed.path


def _event(kind, mime: QMimeData):
    return kind(
        QPointF(300, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def drag_enter(window, mime: QMimeData) -> bool:
    enter = _event(QDragEnterEvent, mime)
    QApplication.sendEvent(window, enter)
    return enter.isAccepted()


def drop(window, paths: list[Path]) -> bool:
    """Drag files over the window and drop them, through Qt's own events."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    if not drag_enter(window, mime):
        return False
    QApplication.sendEvent(window, _event(QDropEvent, mime))
    return True


def texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


# ---- opening -----------------------------------------------------------------------------


def test_window_opens_on_the_demo_programme_with_its_counts(window, demo_programme):
    assert window.windowTitle().startswith("Productivity Programme 2012/13 (demo)")
    assert window.path_label.text() == str(demo_programme.path)
    assert window.counts_label.text() == (
        "4 pilot councils · 7 returns counting, 1 superseded · 1 held aside · 2 waiting for a key"
    )
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [
        "Overview",
        "Board tables",
        "Status",
        "Returns",
        "Held aside (3)",
        "Councils",
    ]
    returns = window.page("returns")
    assert returns.model.rowCount() == 8
    assert returns.count_label.text() == "8 returns: 7 counting, 1 superseded"
    held = window.page("held")
    assert texts(held.model, 2).count("Waiting for its key") == 2
    assert texts(held.model, 2).count("Held aside") == 1
    councils = window.page("councils")
    assert [r.name for r in councils.model.rows] == [
        "Leeds City Council",
        "Oxford City Council",
        "Portsmouth City Council",
        "Suffolk County Council",
        "Cherwell District Council",  # sent returns, key not trusted yet
    ]
    assert councils.model.index(4, 0).data() == "Cherwell District Council\nE07000177"
    assert texts(councils.model, 2) == ["2", "2", "2", "1", "0"]  # quarters sent
    assert texts(councils.model, 3) == ["0", "0", "1", "0", "0"]  # Portsmouth corrected Q1
    assert texts(councils.model, 4) == ["", "", "", "", "2"]  # waiting for its key
    assert councils.model.index(4, 1).data() == "No key trusted yet"


def test_every_model_passes_the_model_tester(window, qtmodeltester):
    for key in ("returns", "held", "councils"):
        page = window.page(key)
        qtmodeltester.check(page.model)
        qtmodeltester.check(page.proxy)
    # and empty ones
    for model in (ReturnsModel(), HeldModel(), CouncilsModel()):
        qtmodeltester.check(model)


def test_overview_shows_figures_for_and_who_is_missing(window, demo_programme):
    page = window.page("overview")
    quarters = [page.quarter_box.itemText(i) for i in range(page.quarter_box.count())]
    # newest first, then the financial year and the programme to date
    assert quarters == [Q2, Q1, "2012/13 (financial year)", "Programme to date"]
    assert str(page.quarter()) == Q2
    missing = [page.missing_list.item(i).text() for i in range(page.missing_list.count())]
    assert missing == ["Suffolk County Council (E10000029)"]
    assert "Missing returns for 2012/13 Q2" in page.missing_title.text()
    assert page.missing_list.isVisible()

    with Programme.open(demo_programme.path, read_only=True) as prog:
        f = figures_for(prog, Q2)
    assert page.figures == f
    s = f.savings_total
    assert page.savings_card.figure.text() == format_money(s.realised_pence) == "£2,434,100.00"
    assert f"of {format_money(s.target_pence)} target" in page.savings_card.against.text()
    assert page.sme_card.figure.text() == f"{f.sme_total.sme_percent}%"
    assert format_money(f.sme_total.basis_pence) in page.sme_card.against.text()
    assert f"classified for {f.sme_total.classified_percent}%" in page.sme_card.against.text()
    assert "meet the aspiration" not in page.sme_card.note.text()
    e = f.experts_total
    assert page.days_card.figure.text() == f"{e.days_used_to_date} of {e.days_agreed}"
    # each workstream, council and output line, as the charts say it
    for line in f.savings:
        if line.target_pence:
            assert (
                f"{line.label}: £{line.realised_pence // 100:,}" in page.workstream_chart.describe()
            )
    assert len(page.council_chart.bars) == len(f.savings_by_council) == 3
    assert sum(b.value for b in page.council_chart.bars) == s.realised_pence
    assert [b.value for b in page.sme_chart.bars] == [c.sme_percent for c in f.sme]
    assert [b.value for b in page.outputs_chart.bars] == [o.realised_to_date for o in f.outputs]

    page.set_quarter(Q1)
    assert page.missing_list.count() == 0 and not page.missing_list.isVisible()
    assert "No missing returns for 2012/13 Q1" in page.missing_title.text()


# ---- adding returns ----------------------------------------------------------------------


def test_adding_a_file_merges_it_and_refreshes_every_page(window, demo_programme):
    overview = window.page("overview")
    returns = window.page("returns")
    window.page("overview")  # the returns page is hidden while the file is added
    late = sign_suffolk_q2(demo_programme)

    window.add_files([late])

    report = window.ops.last_report
    assert (report.merged, report.held, report.waiting) == (1, 0, 0)
    dialog = window.ops.last_dialog
    assert dialog is not None and dialog.isVisible()
    assert "1 file: 1 merged." in dialog.text()
    assert "Suffolk County Council · 2012/13 Q2, version 1" in dialog.text()
    assert "8 returns counting" in window.counts_label.text()
    assert overview.missing_list.count() == 0  # Suffolk's Q2 is in
    with Programme.open(demo_programme.path, read_only=True) as prog:
        assert overview.figures == figures_for(prog, Q2)
    window.page("returns")  # a page refreshes when it is next shown
    assert returns.model.rowCount() == 9
    assert SUFFOLK in [r.council_gss for r in returns.model.rows if r.period == Q2]


def test_re_adding_a_file_says_it_was_already_merged(window, demo_programme):
    before = window.counts_label.text()
    window.add_files([demo_programme.return_files[0]])  # Oxford Q1, merged by the demo
    report = window.ops.last_report
    assert (report.merged, report.already) == (0, 1)
    text = window.ops.last_dialog.text()
    assert "Received before (nothing is counted twice) (1)" in text
    assert "1 file: 0 merged, 1 received before." in text
    assert "This exact file was received" in text
    assert window.counts_label.text() == before


def test_adding_a_folder_without_returns_says_so(window, tmp_path, message_boxes):
    (tmp_path / "empty").mkdir()
    window.add_files([tmp_path / "empty"])
    assert "no return files" in message_boxes[-1][1]
    assert window.ops.last_report is None


def test_dropping_a_tampered_file_holds_it_aside_with_its_reason(
    window,
    demo_programme,
):
    leeds_q2 = next(p for p in demo_programme.return_files if p.name.startswith("Leeds 2012-13 Q2"))
    data = bytearray(leeds_q2.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = folder_of(demo_programme) / "Leeds Q2 (re-sent).lgareturn"
    bad.write_bytes(bytes(data))

    assert drop(window, [bad])

    report = window.ops.last_report
    assert (report.merged, report.held) == (0, 1)
    reason = report.files[0].reason
    assert reason and "Held aside (1)" in window.ops.last_dialog.text()
    held = window.page("held")
    row = texts(held.model, 0).index(bad.name)
    assert held.model.index(row, 2).data() == "Held aside"
    assert held.model.index(row, 5).data() == reason  # the reason in full
    assert window.nav.item(4).text() == "Held aside (4)"


def test_dropping_something_that_is_not_a_file_is_refused(window):
    mime = QMimeData()
    mime.setText("not a file")
    assert not drag_enter(window, mime)


def test_a_workspace_dropped_with_returns_is_left_out_with_a_word(
    window,
    demo_programme,
    message_boxes,
):
    ws = folder_of(demo_programme) / f"{SUFFOLK}.lgaws"
    late = sign_suffolk_q2(demo_programme)
    assert drop(window, [ws, late])
    assert "Left out, as they are not returns: E10000029.lgaws" in message_boxes[-1][1]
    assert window.ops.last_report.merged == 1


# ---- trusting keys -----------------------------------------------------------------------


def cherwell_key_card(demo, tmp_path: Path) -> Path:
    card = tmp_path / "Cherwell signing key.lgakey"
    ws = folder_of(demo) / f"{CHERWELL}.lgaws"
    assert cli.main(["export-key", str(ws), "--out", str(card)]) == 0  # what Cherwell runs
    return card


def test_trusting_cherwells_key_card_merges_its_waiting_returns(
    window,
    demo_programme,
    tmp_path,
    qtbot,
):
    held = window.page("held")
    assert held.model.rowCount() == 3
    card = cherwell_key_card(demo_programme, tmp_path)

    dialog = window.ops.trust_key_card(card)

    assert dialog is not None and dialog.isVisible()
    assert dialog.council == "Cherwell District Council"
    fp = dialog.fingerprint.text()
    assert len(fp.split()) == 8
    assert not dialog.trust_button.isEnabled()  # not before the fingerprint is checked
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.who, "Sam Patel, by phone")
    dialog.confirm.setChecked(True)
    assert dialog.trust_button.isEnabled()
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)

    report = window.ops.last_report
    assert (report.merged, report.waiting) == (2, 0)
    text = window.ops.last_dialog.text()
    assert "Merged (2)" in text and "Cherwell 2012-13 Q1 return v1.lgareturn" in text
    with Programme.open(demo_programme.path, read_only=True) as prog:
        notes = prog.trusted_keys().councils[CHERWELL]
        assert notes[fp].startswith("fingerprint confirmed with Sam Patel, by phone")
        assert CHERWELL in {r.council_gss for r in figures_for(prog, Q2).returns}
    assert window.counts_label.text().startswith("5 pilot councils · 9 returns counting")
    window.page("held")
    assert held.model.rowCount() == 1  # only the tampered file is left
    councils = window.page("councils")
    row = [r.name for r in councils.model.rows].index("Cherwell District Council")
    assert councils.model.index(row, 1).data() == fp
    assert councils.model.index(row, 2).data() == "2"


def test_the_held_page_button_asks_for_a_key_card(window, demo_programme, tmp_path, monkeypatch):
    card = cherwell_key_card(demo_programme, tmp_path)
    monkeypatch.setattr(window.ops, "ask_key_card_path", lambda: str(card))
    held = window.page("held")
    held.trust_button.click()
    dialog = window.ops.last_trust_dialog
    assert dialog.isVisible()
    assert dialog.waiting_label.text().startswith("2 returns signed with this key are waiting")
    dialog.reject()
    assert window.counts_label.text().endswith("2 waiting for a key")  # nothing trusted


def test_a_file_that_is_not_a_key_card_is_explained(window, tmp_path, message_boxes):
    bad = tmp_path / "oxford.lgakey"
    bad.write_text("{}")
    assert window.ops.trust_key_card(bad) is None
    assert "is not a usable key card" in message_boxes[-1][1]


# ---- the returns table -------------------------------------------------------------------


def test_returns_table_filters_by_council_and_sorts_by_meaning(window, qtbot):
    page = window.page("returns")
    qtbot.keyClicks(page.search, "portsm")
    assert texts(page.proxy, 0) == ["Portsmouth City Council"] * 3
    assert page.count_label.text() == "3 shown of 8 returns: 7 counting, 1 superseded"
    assert texts(page.proxy, 3).count("Superseded") == 1
    page.search.clear()
    qtbot.keyClicks(page.search, "E10000029")  # by GSS code too
    assert texts(page.proxy, 0) == ["Suffolk County Council"]
    page.search.clear()
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # version, as a number
    assert texts(page.proxy, 2)[0] == "2"
    page.table.selectRow(0)
    r = page.selected()
    assert r.return_hash in page.details.text() and r.version == 2


# ---- files that are not programmes -------------------------------------------------------


def test_a_workspace_opened_as_a_programme_is_explained(window, demo_programme, message_boxes):
    before = window.programme
    assert not window.open_path(folder_of(demo_programme) / "E07000178.lgaws")
    assert "is a council's workspace, not a programme file" in message_boxes[-1][1]
    assert window.programme is before


def test_the_council_window_opens_a_programme_beside_it(
    qtbot,
    demo_workspace,
    demo_programme,
    settings,
    message_boxes,
):
    main = MainWindow(demo_workspace, settings)
    qtbot.addWidget(main)
    main.show()
    assert main.findChild(type(main.menuBar().actions()[0]), "actionOpenProgramme") is not None
    programme = main.open_programme(demo_programme.path)
    assert isinstance(programme, ProgrammeWindow) and programme.isVisible()
    assert "Productivity Programme 2012/13 (demo)" in programme.windowTitle()
    programme.close()
    # a workspace where a programme is expected, and the other way round: words, not a traceback
    assert main.open_programme(demo_workspace.path) is None
    assert "is a council's workspace, not a programme file" in message_boxes[-1][1]
    assert not main.open_path(demo_programme.path)
    assert "is the LGA's programme file, not a council's workspace" in message_boxes[-1][1]
    assert main.workspace is demo_workspace


# ---- new programmes, geometry ------------------------------------------------------------


def test_a_new_programme_starts_empty_and_holds_returns_until_keys_are_trusted(
    window,
    demo_programme,
    tmp_path,
):
    assert window.create_programme(tmp_path / "Board 2013", "Productivity Programme 2013/14")
    assert (tmp_path / "Board 2013.lgaprog").exists()
    assert window.windowTitle().startswith("Productivity Programme 2013/14")
    overview = window.page("overview")
    assert overview.empty.isVisible() and overview.quarter() is None
    window.add_files([folder_of(demo_programme) / "returns received"])
    report = window.ops.last_report
    assert report.merged == 0 and report.waiting == 10 and report.held == 1
    assert window.counts_label.text() == (
        "0 pilot councils · 0 returns counting, 0 superseded · 1 held aside · 10 waiting for a key"
    )


def test_geometry_is_remembered(qtbot, demo_programme, settings):
    w = ProgrammeWindow(Programme.open(demo_programme.path), settings)
    qtbot.addWidget(w)
    w.resize(760, 560)
    w.close()
    assert settings.value(GEOMETRY_KEY) is not None
    again = ProgrammeWindow(Programme.open(demo_programme.path), settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 560)


def test_about_is_the_programs_about(window, message_boxes):
    window.show_about()
    title, text = message_boxes[-1]
    assert "About" in title and "mySociety" in text


# ---- starting it -------------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "TMPDIR": str(tmp_path),
    }


def test_programme_flag_opens_the_consolidation_window(demo_programme, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lga_desktop",
            "--programme",
            str(demo_programme.path),
            "--quit-after-show",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "window shown" in result.stdout


def test_the_council_window_starts_without_the_consolidation_code(tmp_path):
    code = (
        "import sys; from lga_desktop.ui import app, main_window;"
        "print(sorted(m for m in sys.modules if m.startswith(('lga_desktop.ui.programme', "
        "'lga_desktop.consolidation'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path), check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_council_window_opens_without_the_importer_or_the_exchange_crypto(tmp_path):
    """Start-up (issue 17): the spend importer and the pack/receipt envelope (with its
    cryptography) load when used, not before the window shows; the window still shows."""
    from lga_desktop.demo import create_demo_workspace

    ws = tmp_path / "demo.lgaws"
    create_demo_workspace(ws).close()
    code = (
        "import sys; from lga_desktop.cli import main;"
        f"rc = main(['--open', {str(ws)!r}, '--quit-after-show']);"
        "print(rc, sorted(m for m in sys.modules if m in ('lga_desktop.procurement.spend_import', "
        "'lga_desktop.exchange.envelope', 'lga_desktop.returns.keys', 'cryptography')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path), check=True
    )
    assert "window shown" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_programme_demo_builds_then_opens_the_window(
    qtbot,
    built_demo_programme,
    settings,
    monkeypatch,
    tmp_path,
):
    """The window side of ``--programme-demo``; the demo itself is built by programme_support
    (building it again here would take as long as every other test of this file)."""
    import shutil

    from lga_desktop.ui.programme import start

    def built_here(folder, *, progress):
        progress.update(1, 2, "Preparing the returns…")
        shutil.copytree(built_demo_programme.path.parent, folder, dirs_exist_ok=True)
        return built_demo_programme.__class__(
            Path(folder) / built_demo_programme.path.name, [], built_demo_programme.report
        )

    monkeypatch.setattr(start.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(start, "build_demo_programme", built_here)
    opened = []
    start.open_demo_programme_window(settings, opened.append)
    assert len(opened) == 1
    window = opened[0]
    qtbot.addWidget(window)
    assert window.programme.path.parent == tmp_path / start.DEMO_FOLDER
    assert "4 pilot councils" in window.counts_label.text()
    assert QApplication.instance().quitOnLastWindowClosed()


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_export_report_writes_the_chosen_quarter(window, demo_programme, tmp_path, suffix):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    out = tmp_path / f"board{suffix}"
    window.ops.ask_report_path = lambda suggested: str(out)
    window.export_action.trigger()
    assert out.exists()
    with Programme.open(demo_programme.path, read_only=True) as prog:
        quarter = figures_for(prog, Q2).quarter  # the overview opens on the newest quarter
        total = figures_for(prog, quarter).savings_total.realised_pence
    if suffix == ".xlsx":
        rows = list(load_workbook(out)["Summary"].iter_rows(values_only=True))
        values = {r[0]: r[1] for r in rows if r[0]}
        assert values["Quarter"] == Q2
        assert round(values["Savings realised in quarter"] * 100) == total
    else:
        text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
        assert format_money(total) in text and "Suffolk County Council" in text


def test_the_window_exports_a_year_report_and_says_what_changed_since(
    window, demo_programme, tmp_path
):
    from openpyxl import load_workbook

    overview = window.page("overview")
    overview.set_quarter("2012/13")
    assert "last known figures for Suffolk County Council" in overview.heading.text()
    out = tmp_path / "year.xlsx"
    window.ops.ask_report_path = lambda suggested: str(out)
    window.export_action.trigger()
    values = {r[0]: r[1] for r in load_workbook(out)["Summary"].iter_rows(values_only=True)}
    with Programme.open(demo_programme.path, read_only=True) as prog:
        year = figures_for(prog, "2012/13")
    assert values["Period"] == "2012/13"
    assert round(values["Savings realised in year"] * 100) == year.savings_total.realised_pence
    assert "Board report 1" in overview.board_note.text()
    assert "nothing has changed" in overview.board_note.text()
    sign = sign_suffolk_q2(demo_programme)
    window.add_files([sign])
    assert "New return: Suffolk County Council, 2012/13 Q2" in overview.board_note.text()


def test_board_tables_drill_down_to_a_councils_return_and_review_it(window, qtbot):
    from pypdf import PdfReader

    page = window.page("tables")
    page.set_period("all")
    page.set_table("cap_funding_by_council")
    rows = {
        page.model.item(page.model.index(r, 0)).council: r for r in range(page.model.rowCount())
    }
    assert "Suffolk County Council" in rows and "All pilot councils" in rows
    assert "last known figures, flagged, for Suffolk County Council" in page.about.text()
    dialog = page.open_row(page.model.index(rows["Portsmouth City Council"], 0))
    qtbot.addWidget(dialog)
    assert dialog.quarter == parse_quarter(Q2)
    assert "Portsmouth City Council" in dialog.summary.text()
    pdf = dialog.pdf_path()
    assert "Portsmouth" in PdfReader(pdf).pages[0].extract_text()
    dialog.ask_text = lambda action: "Is the CAP match funding confirmed?"
    dialog.query_button.click()
    assert "Review: queried" in dialog.review.text()
    dialog.accept_button.click()
    assert "Review: accepted" in dialog.review.text()
    dialog.ask_figure = lambda: "CAP: match funding"
    dialog.ask_text = lambda action: "Matches the council's accounts"
    dialog.comment_button.click()
    assert "comment on CAP: match funding" in dialog.review.text()
    assert "Review: accepted" in dialog.review.text()  # a comment does not change the state
    # a corrected return shows its versions
    status = window.page("status")
    assert status.cell_text("E06000044", Q1) == "corrected"
    assert status.cell_text("E10000029", Q2).startswith("missing")
    versions = status.open_cell(
        [g for g, _n in status.councils].index("E06000044"),
        [q.key for q in status.quarters].index("2012Q1"),
    )
    qtbot.addWidget(versions)
    assert "version 2 counts" in versions.summary.text()
    assert "version 1 superseded" in versions.summary.text()


def test_the_status_page_imports_a_roster(window, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("gss,strand\nE07000178,CAP\nE07000237,CAP\n", encoding="utf-8")
    status = window.page("status")
    assert status.import_roster(roster)
    assert [g for g, _n in status.councils] == ["E07000178", "E07000237"]
    assert status.cell_text("E07000237", Q2).startswith("missing")
    assert "2 councils on the roster" in status.heading.text()
    assert status.cell_text("E07000178", Q2) == "on time"
    assert status.set_due_date(parse_quarter(Q2), "10/10/2012")  # before Oxford signed
    assert status.cell_text("E07000178", Q2) == "late"
    # edited in the window: a council added to a strand, another removed
    assert status.add_roster_row("E06000044", "Category management", "South East pilot")
    assert status.roster_table.rowCount() == 3
    assert [g for g, _n in status.councils] == ["E07000178", "E06000044", "E07000237"]
    status.roster_table.selectRow([r.gss for r in status.roster_rows].index("E07000237"))
    assert status.remove_selected()
    assert [g for g, _n in status.councils] == ["E07000178", "E06000044"]
