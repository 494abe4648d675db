"""The Returns page and its wizard, driven as an officer would (offscreen)."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from returns_support import (  # noqa: F401  (fixtures)
    PASSPHRASE,
    add_grants,
    fast_keys,
    grants_feature,
)

from lga_desktop.returns import keys
from lga_desktop.returns.history import history
from lga_desktop.returns.trust import read_key_card
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.pages.returns import ReturnsPage
from lga_desktop.ui.pages.returns_dialogs import (
    NewReturnWizard,
    PassphraseDialog,
    VerificationDialog,
    quarter_choices,
)
from lga_desktop.ui.qt import QWizard

pytestmark = pytest.mark.usefixtures("fast_keys", "grants_feature", "immediate_tasks")

AFTER_Q2 = date(2012, 10, 15)


@pytest.fixture
def context(workspace, qtbot):
    return AppContext(workspace)


@pytest.fixture
def page(context, qtbot):
    widget = ReturnsPage(context)
    qtbot.addWidget(widget)
    return widget


def answers(current: str = "", new: str = "") -> SimpleNamespace:
    return SimpleNamespace(current=current, new=new)


def test_first_the_page_offers_to_create_a_key(page, workspace, monkeypatch):
    assert not page.new_button.isEnabled()
    assert "no signing key yet" in page.key_label.text()
    monkeypatch.setattr(page, "ask_passphrases", lambda *a, **k: answers(new=PASSPHRASE))
    page.create_key()
    key = keys.current_key(workspace)
    assert key is not None and key.fingerprint in page.key_label.text()
    assert page.new_button.isEnabled() and page.create_key_button.isHidden()


def test_passphrase_dialog_checks_what_was_typed(qtbot):
    dialog = PassphraseDialog(None, "Create", current=False, new=True)
    qtbot.addWidget(dialog)
    dialog.new_edit.setText("long enough passphrase")
    dialog.again_edit.setText("long enough passphrasE")
    dialog._accept()
    assert "differ" in dialog.error.text() and dialog.result() == 0
    dialog.again_edit.setText("long enough passphrase")
    dialog._accept()
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted


def test_change_passphrase_rotate_and_export_key_card(page, workspace, monkeypatch, tmp_path):
    keys.create_key(workspace, PASSPHRASE)
    page.refresh()
    monkeypatch.setattr(
        page, "ask_passphrases", lambda *a, **k: answers(PASSPHRASE, "second passphrase")
    )
    page.change_passphrase()
    assert "Passphrase changed" in page.status.text()
    keys.unlock(workspace, "second passphrase")
    monkeypatch.setattr(
        page, "ask_passphrases", lambda *a, **k: answers("second passphrase", "third passphrase")
    )
    page.rotate_key()
    new = keys.current_key(workspace)
    assert new.endorsement and new.fingerprint in page.key_label.text()
    assert "replaced 1 earlier key" in page.key_label.text()
    monkeypatch.setattr(page, "ask_save_path", lambda *a: str(tmp_path / "oxford"))
    page.export_key_card()
    assert read_key_card(tmp_path / "oxford.lgakey").fingerprint == new.fingerprint
    assert (tmp_path / "oxford (printable).pdf").read_bytes().startswith(b"%PDF")


def test_a_wrong_passphrase_on_change_is_shown_in_words(page, workspace, monkeypatch):
    keys.create_key(workspace, PASSPHRASE)
    page.refresh()
    shown = []
    monkeypatch.setattr(
        "lga_desktop.ui.tasks.show_error",
        lambda parent, title, exc, details="": shown.append(str(exc)),
    )
    monkeypatch.setattr(page, "ask_passphrases", lambda *a, **k: answers("wrong one!", "x" * 12))
    page.change_passphrase()
    assert shown and "does not unlock" in shown[0]


def start_wizard(context, qtbot, tmp_path) -> NewReturnWizard:
    wizard = NewReturnWizard(context, today=AFTER_Q2, save_folder=tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.quarter_page
    page.combo.setCurrentIndex(page.combo.findText("2012/13 Q2"))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.findings_page)
    return wizard


def test_the_wizard_goes_from_registers_to_a_signed_return(
    context, page, workspace, qtbot, tmp_path
):
    keys.create_key(workspace, PASSPHRASE)
    add_grants(
        workspace,
        [("Hall roof", "2012-07-10", 1_250_000, False), ("Odd one", "2012-08-02", 500, True)],
    )
    wizard = start_wizard(context, qtbot, tmp_path)
    findings = wizard.findings_page
    assert "Each warning needs a short note" in findings.summary.text()
    assert not findings.isComplete()
    (edit,) = findings.note_edits.values()
    edit.setPlainText("Approved by the grants panel.")
    assert findings.isComplete()
    wizard.next()
    decl = wizard.declaration_page
    assert wizard.currentPage() is decl
    assert decl.preparer.name.text() == "Alex Morgan"  # the workspace's officer
    assert not decl.isComplete() and "signer's name is missing" in decl.problems.text()
    decl.signer.name.setText("Alex Morgan")
    decl.signer.role.setText("Finance Business Partner")
    assert "same person" in decl.warning.text()
    decl.signer.name.setText("Jo Reed")
    decl.signer.role.setText("Head of Finance")
    decl.signer.email.setText("jo.reed@example.gov.uk")
    assert decl.isComplete() and decl.warning.text() == ""
    wizard.next()
    # the whole return, as it will print, before the passphrase
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(preview.viewer.data)).pages]
    assert pages and all("DRAFT – NOT SIGNED" in p for p in pages)
    assert "Jo Reed" in pages[0] and "Approved by the grants panel." in "".join(pages)
    assert preview.viewer.page_count == len(pages) and not preview.viewer.page.pixmap().isNull()
    assert not preview.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    preview.read.setChecked(True)
    assert preview.isComplete()
    wizard.next()
    sign = wizard.sign_page
    assert wizard.currentPage() is sign
    assert sign.path.text().endswith("Oxford 2012-13 Q2 return v1.lgareturn")
    sign.passphrase.setText("not the passphrase")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "does not unlock" in sign.error.text() and wizard.signed is None
    assert history(workspace) == []
    sign.passphrase.setText(PASSPHRASE)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.signed is not None and wizard.signed.path.exists()
    # the page heard about it and lists the return
    assert page.model.rowCount() == 1 and page.model.record(0).signer_name == "Jo Reed"
    page.report_signed(wizard)
    assert wizard.signed.return_hash in page.status.text()
    # opening the saved file says it is valid and signed with this workspace's key
    page.check_file(wizard.signed.path)
    assert page.last_result.valid and page.last_result.trust == "trusted"
    assert "Valid" in page.last_dialog.heading.text()


def test_errors_block_the_wizard(context, workspace, qtbot, tmp_path):
    keys.create_key(workspace, PASSPHRASE)
    add_grants(workspace, [("Bad refund", "2012-08-01", -100, False)])
    wizard = start_wizard(context, qtbot, tmp_path)
    findings = wizard.findings_page
    assert "must be put right in the registers" in findings.summary.text()
    assert not findings.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_notes_typed_in_the_wizard_survive_and_are_pre_filled(context, workspace, qtbot, tmp_path):
    keys.create_key(workspace, PASSPHRASE)
    add_grants(workspace, [("Odd one", "2012-08-02", 500, True)])
    wizard = start_wizard(context, qtbot, tmp_path)
    (edit,) = wizard.findings_page.note_edits.values()
    edit.setPlainText("Typed before lunch.")
    wizard.next()
    again = start_wizard(context, qtbot, tmp_path)
    (edit,) = again.findings_page.note_edits.values()
    assert edit.toPlainText() == "Typed before lunch."


def test_opening_a_damaged_file_says_why(page, workspace, qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "cut.lgareturn"
    bad.write_bytes(b"PK\x03\x04 not really")
    monkeypatch.setattr(page, "ask_open_path", lambda: str(bad))
    page.open_return()
    assert not page.last_result.valid
    dialog = page.last_dialog
    assert "Not valid" in dialog.heading.text() and dialog.reason.text().endswith(".")


def test_history_model_and_save_a_copy(
    page, context, workspace, qtbot, tmp_path, qtmodeltester, monkeypatch
):
    from lga_desktop.periods import parse_quarter
    from lga_desktop.returns.build import Declaration, Person, assemble
    from lga_desktop.returns.sign import sign_return

    keys.create_key(workspace, PASSPHRASE)
    add_grants(workspace, [])
    decl = Declaration(
        Person("A B", "Officer", "", "2012-10-15"), Person("C D", "Head", "", "2012-10-15")
    )
    q = parse_quarter("2012/13 Q2")
    first = sign_return(
        workspace,
        assemble(workspace, q, today=AFTER_Q2),
        notes={},
        declaration=decl,
        passphrase=PASSPHRASE,
        out_path=tmp_path / "v1",
    )
    draft = assemble(workspace, q, today=AFTER_Q2)
    sign_return(
        workspace,
        draft,
        notes={},
        declaration=decl,
        passphrase=PASSPHRASE,
        out_path=tmp_path / "v2",
        correction_reason="Fixes a typo.",
    )
    context.notify("returns")
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 2
    assert [page.model.data(page.model.index(r, 5)) for r in range(2)] == ["Current", "Superseded"]
    assert page.model.data(page.model.index(1, 4)).startswith(first.return_hash[:16])
    page.table.selectRow(1)
    monkeypatch.setattr(page, "ask_save_path", lambda *a: str(tmp_path / "copy.lgareturn"))
    page.save_copy()
    assert (tmp_path / "copy.lgareturn").read_bytes() == first.path.read_bytes()


def test_verification_dialog_for_an_intact_but_untrusted_file(qtbot):
    from returns_support import sealed_return

    from lga_desktop.returns.trust import TrustedKeys
    from lga_desktop.returns.verify import verify_bytes

    result = verify_bytes(sealed_return().file_bytes, trusted=TrustedKeys())
    dialog = VerificationDialog(None, result)
    qtbot.addWidget(dialog)
    assert "Intact, but not accepted" in dialog.heading.text()
    assert "no key is trusted yet" in dialog.reason.text()


def test_quarter_choices_run_newest_first():
    quarters = quarter_choices(date(2012, 10, 15))
    assert str(quarters[0]) == "2012/13 Q3" and str(quarters[-1]) == "2010/11 Q1"
