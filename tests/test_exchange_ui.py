"""The exchange in both windows: the LGA exports a pack and receipts from the programme window;
the council imports the pack and opens a receipt from File, and sees due dates on the dashboard,
the LGA's status and query on the Returns page, and the support contact in About."""

from __future__ import annotations

import pytest
from returns_support import (  # noqa: F401  (fixtures)
    PASSPHRASE,
    add_grants,
    fast_keys,
    grants_feature,
    sign_quarter,
)

from lga_desktop.consolidation.merge import consolidate
from lga_desktop.consolidation.roster import review
from lga_desktop.consolidation.store import Programme
from lga_desktop.periods import parse_quarter
from lga_desktop.returns import keys
from lga_desktop.ui.qt import QAction, Qt

pytestmark = pytest.mark.usefixtures("fast_keys", "grants_feature", "immediate_tasks")

Q2 = parse_quarter("2012/13 Q2")


@pytest.fixture
def queried(workspace, tmp_path):
    """Oxford signed its Q2 return; the LGA merged it and queried one figure."""
    add_grants(workspace, [("Hall roof", "2012-07-10", 1_250_000, False)])
    signed = sign_quarter(workspace, Q2, tmp_path)
    path = tmp_path / "programme.lgaprog"
    with Programme.create(path, "Productivity Programme") as prog:
        prog.trust_key("E07000178", signed.key_fingerprint, "by phone")
        consolidate(prog, [signed.path])
        review(prog, "E07000178", Q2, "queried", "The roof grant looks high", by="Kim Lowe",
               figure="grants.total_pence")  # fmt: skip
    return workspace, path


def drop(window, paths) -> bool:
    """Drag files over the window and drop them, through Qt's own events."""
    from lga_desktop.ui.qt import (
        QApplication,
        QDragEnterEvent,
        QDropEvent,
        QMimeData,
        QPointF,
        QUrl,
    )

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])

    def event(kind):
        return kind(QPointF(300, 300), Qt.DropAction.CopyAction, mime,
                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip

    enter = event(QDragEnterEvent)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(window, event(QDropEvent))
    return True


def _trigger(window, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def test_both_windows_carry_the_pack_and_the_receipt(
    qtbot, queried, tmp_path, settings, message_boxes
):
    from lga_desktop.ui.main_window import MainWindow
    from lga_desktop.ui.programme.window import ProgrammeWindow

    ws, prog_path = queried
    # the LGA: its key is made on first use, then the pack and the receipts are written
    lga = ProgrammeWindow(Programme.open(prog_path), settings)
    qtbot.addWidget(lga)
    lga.exchange.ask_passphrase = lambda *, new: PASSPHRASE
    lga.exchange.ask_pack_path = lambda: str(tmp_path / "pack")
    lga.exchange.ask_pack_settings = lambda settings: None  # cancelled: nothing written
    _trigger(lga, "actionExportPack")
    assert not (tmp_path / "pack.lgapack").exists()
    lga.exchange.ask_pack_settings = lambda settings: {}  # the defaults, as offered
    _trigger(lga, "actionExportPack")
    assert (tmp_path / "pack.lgapack").exists(), message_boxes
    lga_fp = keys.current_key(lga.programme).fingerprint
    assert any(lga_fp in text for _title, text in message_boxes)
    out = tmp_path / "receipts"
    out.mkdir()
    lga.exchange.ask_quarter = lambda quarters: quarters[-1]
    lga.exchange.ask_folder = lambda: str(out)
    _trigger(lga, "actionExportReceipts")
    receipt = out / "Oxford 2012-13 Q2 v1 queried.lgareceipt"
    assert receipt.exists(), lga.exchange.last_message

    # the council: File > Import programme pack…, confirming the fingerprint it was given
    window = MainWindow(ws, settings)
    qtbot.addWidget(window)
    window.exchange.ask_open_path = lambda title, suffix: str(tmp_path / "pack.lgapack")
    window.exchange.ask_fingerprint = lambda: "0000 " + lga_fp[5:]  # misread on the phone
    _trigger(window, "actionImportPack")
    assert "not the LGA key you confirmed" in window.exchange.last_message
    window.exchange.ask_fingerprint = lambda: lga_fp
    assert not drop(window, [tmp_path / "2012Q2.lgareturn"])  # not the LGA's: not taken
    _trigger(window, "actionImportPack")
    assert window.exchange.last_message.startswith("Pack number 1")
    dashboard = window.page("dashboard")
    assert "2012/13 Q2: 30 Oct 2012" in dashboard.due_label.text()
    # File > Open receipt…: the Returns page shows the LGA's status and the query by its figure
    returns = window.page("returns")
    assert returns.model.data(returns.model.index(0, 6)) == ""
    returns.table.selectRow(0)
    assert not returns.lga_comments.isVisibleTo(returns)  # nothing from the LGA yet
    assert drop(window, [receipt])  # dropped on the window, as File > Open receipt… does
    assert "On grants.total_pence: The roof grant looks high" in window.exchange.last_message
    assert returns.model.headerData(6, Qt.Orientation.Horizontal) == "LGA"
    assert returns.model.data(returns.model.index(0, 6)) == "Queried"
    returns.table.selectRow(0)
    assert returns.lga_comments.isVisibleTo(returns)
    assert "Queried (on grants.total_pence): The roof grant looks high" in (
        returns.lga_comments.text()
    )
    # Help > About names whom to ask
    window.show_about()
    assert "LGA Productivity Programme team" in message_boxes[-1][1]
    # a correction the LGA asked for says so: the wizard's reason names the query
    from datetime import date

    from lga_desktop.ui.pages.returns_dialogs import NewReturnWizard

    wizard = NewReturnWizard(window.context, today=date(2012, 11, 1), save_folder=tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.quarter_page.combo.setCurrentIndex(wizard.quarter_page.combo.findText("2012/13 Q2"))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.findings_page)
    wizard.next()
    assert wizard.currentPage() is wizard.declaration_page
    assert wizard.declaration_page.reason.toPlainText() == (
        "In answer to the LGA's query: The roof grant looks high (on grants.total_pence)"
    )


def test_export_pack_asks_for_year_support_and_thresholds_and_remembers_them(
    qtbot, queried, tmp_path, settings, message_boxes
):
    """The window's Export programme pack… sets what export-pack's options set, in a small
    dialog filled with what the programme file remembers."""
    from lga_desktop.exchange.envelope import open_document
    from lga_desktop.exchange.formats import PACK
    from lga_desktop.exchange.lga import pack_settings
    from lga_desktop.ui.programme.exchange import PackSettingsDialog
    from lga_desktop.ui.programme.window import ProgrammeWindow

    _ws, prog_path = queried
    lga = ProgrammeWindow(Programme.open(prog_path), settings)
    qtbot.addWidget(lga)
    lga.exchange.ask_passphrase = lambda *, new: PASSPHRASE
    lga.exchange.ask_pack_path = lambda: str(tmp_path / "pack")
    offered = []

    def answer(current):
        dialog = PackSettingsDialog(lga, current)
        qtbot.addWidget(dialog)
        offered.append(dialog.values())
        dialog.year.setText("2013/14")
        dialog.support["email"].setText("help@lga.example")
        dialog.thresholds["variance_percent"].setValue(40)
        return dialog.values()

    lga.exchange.ask_pack_settings = answer
    _trigger(lga, "actionExportPack")
    assert offered[0]["year"] == "2012/13"  # the year of the returns held
    assert offered[0]["thresholds"] == {"classified_coverage_percent": 80, "variance_percent": 25}
    doc = open_document(PACK, (tmp_path / "pack.lgapack").read_bytes()).document
    assert doc["programme"]["year"] == "2013/14"
    assert doc["support"]["email"] == "help@lga.example"
    assert doc["support"]["name"] == "LGA Productivity Programme team"
    assert doc["thresholds"]["variance_percent"] == 40
    # remembered in the programme file: the next dialog starts from them
    kept = pack_settings(lga.programme)
    dialog = PackSettingsDialog(lga, kept)
    qtbot.addWidget(dialog)
    assert dialog.year.text() == "2013/14"
    assert dialog.support["email"].text() == "help@lga.example"
    assert dialog.thresholds["variance_percent"].value() == 40
    # a quarter for a year is refused in words, and nothing is written
    (tmp_path / "pack.lgapack").unlink()
    lga.exchange.ask_pack_settings = lambda current: {**current, "year": "2012/13 Q2"}
    _trigger(lga, "actionExportPack")
    assert not (tmp_path / "pack.lgapack").exists()
    assert "financial year" in lga.exchange.last_message


def test_a_query_on_a_figure_shows_beside_that_figure_in_both_windows(
    qtbot, workspace, tmp_path, settings, message_boxes, capsys
):
    """The LGA names a figure by its key (``review --figure validation.warnings``) or by its
    label in the drill-down; both the drill-down and the council's Returns page show the
    comment on the figure's row, and a comment on the whole return apart."""
    from lga_desktop.exchange.council import open_receipt
    from lga_desktop.exchange.lga import export_pack, export_receipts
    from lga_desktop.ui.programme.board_tables import ReturnDialog
    from lga_desktop.ui.programme.context import ProgrammeContext

    add_grants(workspace, [("Hall roof", "2012-07-10", 1_250_000, False)])
    signed = sign_quarter(workspace, Q2, tmp_path)
    prog = Programme.create(tmp_path / "programme.lgaprog", "Productivity Programme")
    prog.trust_key("E07000178", signed.key_fingerprint, "by phone")
    consolidate(prog, [signed.path])
    review(prog, "E07000178", Q2, "queried", "Why no warning explained?", by="Kim Lowe",
           figure="validation.warnings")  # fmt: skip
    review(prog, "E07000178", Q2, "comment", "Thanks for sending it early", by="Kim Lowe")
    # the LGA's drill-down: the comment on the figure's row
    dialog = ReturnDialog(ProgrammeContext(prog), "E07000178", Q2)
    qtbot.addWidget(dialog)
    dialog.ask_figure = lambda: "Warnings explained"  # as the drill-down's chooser offers
    dialog.ask_text = lambda action: "None were needed"
    dialog.comment_button.click()
    row = dialog.summary.text().split("<tr>")
    [warnings_row] = [r for r in row if "Warnings explained" in r]
    assert "queried: Why no warning explained?" in warnings_row
    assert "comment: None were needed" in warnings_row
    assert "Thanks for sending it early" not in dialog.summary.text()  # the whole return's
    # the council: the receipt's comments beside the figures of the return it signed
    keys.create_key(prog, PASSPHRASE, created_by="LGA")
    export_pack(prog, PASSPHRASE, tmp_path / "pack.lgapack")
    from lga_desktop.exchange.council import import_pack

    import_pack(workspace, tmp_path / "pack.lgapack",
                confirmed=keys.current_key(prog).fingerprint)  # fmt: skip
    out = tmp_path / "receipts"
    out.mkdir()
    [receipt] = export_receipts(prog, Q2, PASSPHRASE, out)
    prog.close()
    open_receipt(workspace, receipt)
    from lga_desktop.ui.main_window import MainWindow

    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    returns = window.page("returns")
    returns.table.selectRow(0)
    lines = returns.lga_comments.text().splitlines()
    assert "  • Warnings explained 0 — Queried: Why no warning explained?" in lines
    assert "  • Warnings explained 0 — Comment: None were needed" in lines
    assert "  • Comment: Thanks for sending it early" in lines
    # the command line: each comment names its figure, as the return states it
    import json

    from lga_desktop.cli import main

    capsys.readouterr()
    assert main(["returns", str(workspace.path), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)[0]["lga_comments"]
    assert [(c["figure"], c["figure_label"], c["figure_value"]) for c in said] == [
        ("validation.warnings", "Warnings explained", "0"),
        ("", None, None),
        ("Warnings explained", "Warnings explained", "0"),
    ]


def test_the_packs_support_contact_is_escaped_in_about():
    """A pack is another party's file: its words never become markup in the About box."""
    from lga_desktop.ui.pages.exchange import support_html

    html = support_html({"name": "<img src='x'>Team", "email": "a'b@x.example", "phone": "1 & 2"})
    assert "<img" not in html and "&lt;img src=&#x27;x&#x27;&gt;Team" in html
    assert "mailto:a&#x27;b@x.example'" in html and "1 &amp; 2" in html
