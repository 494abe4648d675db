"""Reading, printing and saving the printed return in the window (offscreen, demo workspace)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from returns_support import PASSPHRASE, fast_keys  # noqa: F401  (fixture)

from lga_desktop.periods import parse_quarter
from lga_desktop.returns import keys
from lga_desktop.returns.build import Declaration, Person, assemble
from lga_desktop.returns.history import history
from lga_desktop.returns.pdf import DRAFT_MARK
from lga_desktop.returns.sign import sign_return
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.pages.returns import ReturnsPage
from lga_desktop.ui.pages.returns_dialogs import NewReturnWizard
from lga_desktop.ui.pdf_viewer import PdfViewer
from lga_desktop.ui.qt import QPrinter, QWizard

pytestmark = pytest.mark.usefixtures("fast_keys", "immediate_tasks")

Q2 = parse_quarter("2012/13 Q2")
DECL = Declaration(
    Person("Sam Patel", "Programmes Officer", "", "2012-10-12"),
    Person("Jo Reed", "Head of Finance", "", "2012-10-15"),
)


def pages_of(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def signed(demo_workspace, tmp_path):
    keys.create_key(demo_workspace, PASSPHRASE)
    draft = assemble(demo_workspace, Q2)
    return sign_return(
        demo_workspace,
        draft,
        notes={w.key: "Explained." for w in draft.warnings},
        declaration=DECL,
        passphrase=PASSPHRASE,
        out_path=tmp_path / "q2.lgareturn",
        now=datetime(2012, 10, 15, 9, 30, tzinfo=UTC),
    )


@pytest.fixture
def page(demo_workspace, qtbot):
    widget = ReturnsPage(AppContext(demo_workspace))
    qtbot.addWidget(widget)
    return widget


def inner_pdf(path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read("return.pdf")


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_a_signed_return_opens_prints_and_saves_from_the_list(
    page, signed, qtbot, tmp_path, monkeypatch
):
    page.refresh()
    assert not page.view_button.isEnabled()  # nothing chosen yet
    page.table.selectRow(0)
    assert page.view_button.isEnabled() and page.print_button.isEnabled()
    expected = inner_pdf(signed.path)
    n = len(pages_of(expected))
    # Open: the PDF in the viewer, page by page
    page.view_selected()
    viewer = page.last_viewer.viewer
    assert viewer.data == expected and viewer.page_count == n
    assert viewer.page_label.text() == f"Page 1 of {n}" and not viewer.previous_button.isEnabled()
    viewer.next_button.click()
    assert viewer.index == 1 and viewer.page_label.text() == f"Page 2 of {n}"
    width = viewer.page.pixmap().width()
    viewer.zoom.setCurrentIndex(viewer.zoom.findText("200%"))
    assert viewer.page.pixmap().width() > width
    viewer.step_zoom(-1)
    assert viewer.zoom.currentText() == "150%"
    # Save PDF as…: the signed PDF, byte for byte
    monkeypatch.setattr(page, "ask_save_path", lambda *a: str(tmp_path / "saved"))
    page.save_selected_pdf()
    assert (tmp_path / "saved.pdf").read_bytes() == expected
    assert "saved.pdf" in page.status.text()
    # Print…: every page reaches the printer (a PDF printer here)
    monkeypatch.setattr(page, "ask_printer", lambda title: pdf_printer(tmp_path / "printed.pdf"))
    assert page.print_selected() == n
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == n
    monkeypatch.setattr(page, "ask_printer", lambda title: None)  # cancelled
    assert page.print_selected() == 0


def test_check_a_return_shows_the_figures_and_the_pdf(page, signed, tmp_path, monkeypatch):
    page.check_file(signed.path)
    dialog = page.last_dialog
    assert page.last_result.valid and "Valid" in dialog.heading.text()
    figures = dialog.figures.text()
    for strand in ("Savings", "CAP outputs", "SME share", "Expert days", "Pipeline"):
        assert strand in figures
    assert "of procurement spend with SMEs" in figures
    assert dialog.viewer.data == inner_pdf(signed.path) and dialog.viewer.page_count > 5
    monkeypatch.setattr(page, "ask_save_path", lambda *a: str(tmp_path / "checked.pdf"))
    dialog.save_button.click()
    assert (tmp_path / "checked.pdf").read_bytes() == inner_pdf(signed.path)


def test_a_damaged_return_shows_no_pdf(page, signed, tmp_path):
    data = bytearray(signed.path.read_bytes())
    data[len(data) // 2] ^= 1
    bad = tmp_path / "bad.lgareturn"
    bad.write_bytes(bytes(data))
    page.check_file(bad)
    assert "Not valid" in page.last_dialog.heading.text() and page.last_dialog.viewer is None


def test_the_wizard_shows_the_draft_and_waits_for_the_signer_to_read_it(
    demo_workspace, qtbot, tmp_path
):
    keys.create_key(demo_workspace, PASSPHRASE)
    context = AppContext(demo_workspace)
    wizard = NewReturnWizard(context, save_folder=tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.quarter_page.combo.setCurrentIndex(wizard.quarter_page.combo.findText(str(Q2)))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.findings_page)
    for edit in wizard.findings_page.note_edits.values():
        edit.setPlainText("Explained to the LGA.")
    wizard.next()
    decl = wizard.declaration_page
    decl.signer.name.setText("Jo Reed Jo Reed")  # the slip the issue tells of
    decl.signer.role.setText("Head of Finance")
    wizard.next()
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    first = pages_of(preview.viewer.data)
    assert all(DRAFT_MARK in p for p in first) and "Jo Reed Jo Reed" in first[0]
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    preview.read.setChecked(True)
    # the signer sees the slip, goes back and puts it right: the draft is printed again
    wizard.back()
    decl.signer.name.setText("Jo Reed")
    wizard.next()
    assert not preview.read.isChecked() and not preview.isComplete()
    again = pages_of(preview.viewer.data)
    assert "Jo Reed Jo Reed" not in again[0] and "Jo Reed" in again[0]
    preview.read.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.sign_page
    wizard.sign_page.passphrase.setText(PASSPHRASE)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.signed is not None)
    (record,) = history(demo_workspace)
    assert record.signer_name == "Jo Reed"
    # what was read is what was signed, bar the mark and the footer
    signed_pages = pages_of(inner_pdf(wizard.signed.path))
    assert len(signed_pages) == len(again)


def test_the_viewer_loads_pdfium_only_when_a_pdf_is_shown():
    import subprocess
    import sys

    code = (
        "import sys, lga_desktop.ui.app, lga_desktop.ui.main_window, lga_desktop.ui.pdf_viewer; "
        "print('pypdfium2' in sys.modules, 'PySide6.QtPrintSupport' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_viewer_prints_a_chosen_range(qtbot, tmp_path, signed):
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.set_pdf(inner_pdf(signed.path), "Q2")
    printer = pdf_printer(tmp_path / "two.pdf")
    printer.setFromTo(2, 3)
    viewer.ask_printer = lambda: printer
    assert viewer.print_document() == 2
    assert len(PdfReader(tmp_path / "two.pdf").pages) == 2


def test_open_in_pdf_reader_hands_the_same_pdf_to_the_system(qtbot, signed, monkeypatch):
    from lga_desktop.ui.qt import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.set_pdf(inner_pdf(signed.path), "Oxford 2012/13 Q2 v1")
    viewer.reader_button.click()
    (url,) = opened
    from pathlib import Path

    path = Path(url.toLocalFile())
    assert path.name == "Oxford 201213 Q2 v1.pdf" and path.read_bytes() == viewer.data
