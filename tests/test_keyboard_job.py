"""The main job, keyboard only, at 1024×700: set up, a record in each register, a spend
import, a signing key, a signed return.

Every step is a key sent to whichever widget has the focus (as a keyboard would), never
a click and never a call on a widget's method; the only stand-in is the operating
system's file chooser, which answers with the spend file as an officer would pick it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lga_desktop.registers import cap, experts, pipeline, savings, store
from lga_desktop.returns import keys
from lga_desktop.returns.history import history
from lga_desktop.ui.qt import QApplication, Qt, QTimer, QWidget, QWizard

SPEND = (
    Path(__file__).parent / "data" / "spend" / "oxford" / "expenditure-over-500-jul-sep-2016.csv"
)
PASSPHRASE = "correct horse battery staple"
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


class Keyboard:
    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
        self.qtbot.keyClick(self.focus, key, mods)
        # a button's Alt+letter (and Space) "animates" the click: it lands 100 ms later
        slow = mods & ALT or key == Qt.Key.Key_Space
        self.qtbot.wait(250 if slow else 10)

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus, text)

    def tab_to(self, wanted: Callable[[QWidget], bool], limit: int = 40) -> QWidget:
        """Press Tab until the focus is on what ``wanted`` recognises."""
        for _ in range(limit):
            if wanted(self.focus):
                return self.focus
            self.press(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached it; the focus is on {self.focus!r}")

    def tab_into(self, widget: QWidget, limit: int = 40) -> QWidget:
        return self.tab_to(lambda w: w is widget or widget.isAncestorOf(w), limit)

    def tab_to_button(self, text: str, limit: int = 40) -> QWidget:
        return self.tab_to(lambda w: getattr(w, "text", lambda: None)() == text, limit)

    def fill(self, form, values: dict[str, str]) -> None:
        """Type each value into its field, reached with Tab."""
        for name, text in values.items():
            self.tab_into(form.editors[name])
            self.type(text)


def when_modal(qtbot, script: Callable[[QWidget], None], failures: list) -> None:
    """Run ``script`` on the next modal dialog once it is up (it blocks in exec)."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            back_to(dialog)  # the new dialog has the keyboard before anything is typed
            script(dialog)
        except BaseException as exc:  # reported by the test, after the dialog is gone
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, run)


def back_to(window) -> None:
    """A closed dialog gives the keyboard back to the window (the window manager's part)."""

    def has_keyboard() -> bool:
        focus = QApplication.focusWidget()
        if QApplication.activeWindow() is window and (
            focus is window or window.isAncestorOf(focus)
        ):
            return True
        window.activateWindow()  # again, until the (loaded) machine has done it
        return False

    qtbot_wait_until(has_keyboard, timeout=15)


def qtbot_wait_until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    import time

    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        QApplication.processEvents()


@pytest.fixture
def fast_keys(monkeypatch):
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)


def test_the_main_job_by_keyboard_at_1024_by_700(
    qtbot, tmp_path, settings, immediate_tasks, fast_keys, monkeypatch
):
    from lga_desktop.ui.app import workspace_from_answer
    from lga_desktop.ui.main_window import MainWindow
    from lga_desktop.ui.wizard import SetupWizard

    kb = Keyboard(qtbot)
    failures: list = []

    # ---- the first-run wizard -------------------------------------------------------------
    wizard = SetupWizard(default_dir=tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    kb.press(Qt.Key.Key_N, ALT)  # "Set up a workspace for my council" is chosen: Next
    assert wizard.currentPage() is wizard.council_page
    kb.tab_into(wizard.council_page.search)
    kb.type("Oxford")
    kb.press(Qt.Key.Key_Down)  # into the list, on the first match
    assert wizard.council_page.council.name == "Oxford"
    kb.press(Qt.Key.Key_N, ALT)
    kb.tab_into(wizard.officer_page.name)
    kb.type("Alex Morgan")
    kb.press(Qt.Key.Key_Tab)
    kb.type("Finance Business Partner")
    kb.press(Qt.Key.Key_Tab)
    kb.type("alex.morgan@oxford.gov.uk")
    kb.press(Qt.Key.Key_N, ALT)
    assert wizard.location_page.path.text().endswith("Oxford.lgaws")
    kb.press(Qt.Key.Key_Return)  # Finish
    assert wizard.result() == wizard.DialogCode.Accepted
    workspace = workspace_from_answer(wizard.answer())  # what app.py does with the answer

    # ---- the window, at 1024×700 ----------------------------------------------------------
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.nav)

    def go_to(page_key: str, key: Qt.Key):
        back_to(window)
        kb.press(key, CTRL)  # Go > the page
        page = window.stack.currentWidget()
        assert page.property("pageKey") == page_key
        return page

    def add_record(page_key: str, go: Qt.Key, values: dict[str, str]) -> None:
        table = go_to(page_key, go).main
        kb.tab_into(table.view)
        kb.press(Qt.Key.Key_Insert)
        dialog = table.dialog
        qtbot.waitUntil(dialog.isVisible)
        kb.fill(dialog.form, values)
        kb.press(Qt.Key.Key_Return)  # Save, the dialog's default button
        assert not dialog.isVisible(), [dialog.form.note_text(n) for n in dialog.form.notes]

    # cap: title, wave, status, money, dates
    add_record(
        "cap",
        Qt.Key.Key_2,
        {
            "title": "Estate review",
            "wave": "2",
            "status": "Ap",
            "lga_investment": "50k",
            "match_funding": "50,000",
            "start_date": "1/10/16",
            "end_date": "31/3/2017",
        },
    )
    add_record(
        "experts",
        Qt.Key.Key_4,
        {
            "expert": "Helen Carter",
            "specialism": "P",
            "purpose": "Review of procurement",
            "days_agreed": "20",
            "start_date": "3/10/2016",
        },
    )
    add_record(
        "savings",
        Qt.Key.Key_5,
        {
            "workstream": "C",
            "title": "Shared HR service",
            "target": "10,000",
            "start": "2016",
        },
    )
    procurement = go_to("procurement", Qt.Key.Key_3)
    kb.tab_into(procurement.tabs.tabBar())
    for _ in range(procurement.tabs.indexOf(procurement.pipeline)):
        kb.press(Qt.Key.Key_Right)
    assert procurement.tabs.currentWidget() is procurement.pipeline
    kb.tab_into(procurement.pipeline.main.view)
    kb.press(Qt.Key.Key_Insert)
    dialog = procurement.pipeline.main.dialog
    qtbot.waitUntil(dialog.isVisible)
    kb.fill(
        dialog.form,
        {
            "title": "Waste collection contract",
            "category": "W",
            "estimated_value": "1.2m",
            "contract_start": "1/6/2017",
            "confidence": "H",
        },
    )
    kb.press(Qt.Key.Key_Return)
    assert not dialog.isVisible(), [dialog.form.note_text(n) for n in dialog.form.notes]
    for reg in (cap.PLAN, experts.ENGAGEMENTS, savings.LINES, pipeline.PIPELINE):
        assert store.count(workspace, reg) == 1, reg.key

    # ---- a spend import -------------------------------------------------------------------
    from lga_desktop.ui import file_dialogs

    monkeypatch.setattr(file_dialogs, "get_open_file_names", lambda *a, **k: ([str(SPEND)], ""))
    back_to(window)
    kb.tab_into(procurement.tabs.tabBar())
    while procurement.tabs.currentIndex() > 0:
        kb.press(Qt.Key.Key_Left)
    assert procurement.tabs.currentWidget() is procurement.spend
    kb.tab_to_button("Import spend files…")
    kb.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.findChild(QWizard, "spendImportWizard") is not None)
    importer = window.findChild(QWizard, "spendImportWizard")
    back_to(importer)  # the wizard has the keyboard once it is up
    kb.tab_to_button("Add files…")
    kb.press(Qt.Key.Key_Space)
    kb.press(Qt.Key.Key_N, ALT)
    kb.press(Qt.Key.Key_I, ALT)  # Import
    qtbot.waitUntil(lambda: not importer.isVisible())
    qtbot.waitUntil(lambda: importer.report_dialog is not None)
    back_to(importer.report_dialog)
    kb.press(Qt.Key.Key_Escape)  # the import's report
    back_to(window)
    lines = workspace.db.execute("SELECT COUNT(*) FROM spend_line").fetchone()[0]
    assert lines > 100

    # ---- a signing key and a signed return ------------------------------------------------
    returns = go_to("returns", Qt.Key.Key_6)

    def make_key(dialog) -> None:
        kb.type(PASSPHRASE)
        kb.press(Qt.Key.Key_Tab)
        kb.type(PASSPHRASE)
        kb.press(Qt.Key.Key_Return)

    kb.tab_to_button("Create signing key…")
    when_modal(qtbot, make_key, failures)
    kb.press(Qt.Key.Key_Space)
    assert not failures, failures
    assert keys.current_key(workspace) is not None

    def sign(wiz) -> None:
        from lga_desktop.periods import Quarter

        kb.tab_into(wiz.quarter_page.combo)
        while wiz.quarter_page.quarter != Quarter(2016, 2):
            kb.press(Qt.Key.Key_Down)
        kb.press(Qt.Key.Key_N, ALT)  # gathers the quarter, then shows the checks
        qtbot.waitUntil(lambda: wiz.currentPage() is wiz.findings_page)
        for _edit in wiz.findings_page.note_edits.values():
            qtbot.waitUntil(
                lambda: QApplication.focusWidget() in wiz.findings_page.note_edits.values()
            )
            kb.type("Explained for the test.")
            kb.press(Qt.Key.Key_Tab)
        kb.press(Qt.Key.Key_N, ALT)
        assert wiz.currentPage() is wiz.declaration_page, wiz.findings_page.summary.text()
        kb.tab_into(wiz.declaration_page.signer.name)
        kb.type("Sam Patel")
        kb.press(Qt.Key.Key_Tab)
        kb.type("Chief Finance Officer")
        kb.press(Qt.Key.Key_N, ALT)
        assert wiz.currentPage() is wiz.preview_page, wiz.declaration_page.problems.text()
        qtbot.waitUntil(wiz.preview_page.read.isEnabled)  # the draft is drawn: read it
        kb.tab_into(wiz.preview_page.read)
        kb.press(Qt.Key.Key_Space)  # "I have read the whole return"
        kb.press(Qt.Key.Key_N, ALT)
        assert wiz.currentPage() is wiz.sign_page
        qtbot.waitUntil(lambda: QApplication.focusWidget() is wiz.sign_page.passphrase)
        kb.type(PASSPHRASE)  # the cursor starts in the passphrase, not in "Save as"
        kb.press(Qt.Key.Key_S, ALT)  # Sign and save

    back_to(window)
    kb.tab_to_button("New return…")
    when_modal(qtbot, sign, failures)
    kb.press(Qt.Key.Key_Space)
    assert not failures, failures
    signed = history(workspace)
    assert len(signed) == 1 and str(signed[0].period) == "2016/17 Q2"
    assert Path(returns.last_wizard.signed.path).exists()

    # ---- and the window kept its size -------------------------------------------------------
    assert window.size().toTuple() == (1024, 700)
    for row in range(window.nav.count()):
        window.show_page(row)
        need = window.stack.currentWidget().minimumSizeHint()
        assert need.width() <= window.stack.width() and need.height() <= window.stack.height()
