"""The consolidation window's dialogs: what a batch of files did, and trusting a key card.

Both take plain data (a :class:`MergeReport`, a :class:`KeyCard`), not the
programme, so tests build them directly.
"""

from __future__ import annotations

from datetime import date
from html import escape

from lga_desktop.consolidation.merge import (
    ALREADY,
    HELD,
    MERGED,
    NOT_READ,
    SAME_RETURN,
    SUPERSEDED,
    WAITING,
    FileOutcome,
    MergeReport,
)
from lga_desktop.councils import council_by_gss
from lga_desktop.errors import LgaError
from lga_desktop.returns.trust import KeyCard
from lga_desktop.ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.words import format_date, plural

__all__ = ["MergeReportDialog", "TrustKeyDialog", "OUTCOME_WORDS", "report_html", "report_summary"]

# what each outcome is called on screen; the core's words, as an LGA officer says them
OUTCOME_WORDS = {
    MERGED: "Merged",
    SUPERSEDED: "Merged, superseded by a later version",
    WAITING: "Waiting for its key",
    HELD: "Held aside",
    NOT_READ: "Held aside (not read)",
    ALREADY: "Already received",
    SAME_RETURN: "Already merged",
}

# groups in the order someone acting on the report needs them: problems first
_GROUPS = (
    ("Held aside", (HELD, NOT_READ), "#b00020"),
    ("Waiting for the council's key", (WAITING,), "#8a5a00"),
    ("Merged", (MERGED, SUPERSEDED), "#1b6e20"),
    ("Received before (nothing is counted twice)", (ALREADY, SAME_RETURN), "#5b6875"),
)


_plural = plural


def report_summary(report: MergeReport) -> str:
    """One sentence: how many files, and what happened to them."""
    if not report.files:
        return "No return files were found there (they end in .lgareturn)."
    parts = [f"{report.merged} merged"]
    if report.already:
        parts.append(f"{report.already} received before")
    if report.waiting:
        parts.append(f"{report.waiting} waiting for the council's key")
    if report.held:
        parts.append(f"{report.held} held aside")
    return f"{_plural(len(report.files), 'file')}: {', '.join(parts)}."


def _what(f: FileOutcome) -> str:
    if not f.council_name:
        return ""
    version = f", version {f.version}" if f.version is not None else ""
    return f"{escape(f.council_name)} · {escape(f.period or '')}{version}"


def report_html(report: MergeReport) -> str:
    out = [f"<p><b>{escape(report_summary(report))}</b></p>"]
    for title, outcomes, colour in _GROUPS:
        files = [f for f in report.files if f.outcome in outcomes]
        if not files:
            continue
        out.append(f"<h3 style='color:{colour}'>{escape(title)} ({len(files)})</h3>")
        for f in files:
            what = _what(f)
            word = OUTCOME_WORDS[f.outcome]
            out.append(
                f"<p><b>{escape(f.file)}</b>"
                + (f"<br>{what}" if what else "")
                + f"<br><i>{escape(word)}.</i> {escape(f.reason)}</p>"
            )
    if report.waiting:
        out.append(
            "<p>A return waiting for its key is kept in the programme and merged as soon as "
            "you trust the council's key card (Held aside &gt; Trust a council's key…).</p>"
        )
    if report.held:
        out.append(
            "<p>Files held aside stay on the Held aside page with the reason; nothing in "
            "them was counted. Ask the council to send the return again.</p>"
        )
    return "".join(out)


class MergeReportDialog(QDialog):
    """Every file of a batch with its outcome and the reason, in words."""

    def __init__(
        self, parent: QWidget | None, report: MergeReport, title: str, intro: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeReportDialog")
        self.setWindowTitle(title)
        self.resize(680, 520)
        self.report = report
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.browser = QTextBrowser()
        self.browser.setObjectName("reportText")
        self.browser.setHtml(report_html(report))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.browser.toPlainText()


class TrustKeyDialog(QDialog):
    """Shows a key card and trusts it only once the user says the fingerprint was checked."""

    def __init__(
        self,
        parent: QWidget | None,
        card: KeyCard,
        *,
        waiting: list[str],
        other_keys: list[str],
        already: bool,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trustKeyDialog")
        self.setWindowTitle("Trust a council's key")
        self.setMinimumWidth(640)
        self.card = card
        try:
            council = council_by_gss(card.council_gss).official_name
        except LgaError:
            council = card.council_name
        self.council = council
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{escape(council)}</h2><p>{escape(card.council_gss)}</p>")
        layout.addWidget(heading)
        layout.addWidget(QLabel("The fingerprint of the key on the card:"))
        self.fingerprint = QLabel(card.fingerprint)
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setStyleSheet(
            "font-family: monospace; font-size: 16pt; font-weight: bold; padding: 6px;"
        )
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fingerprint)
        form = QFormLayout()
        made = format_date(card.created_at) + (f" by {card.created_by}" if card.created_by else "")
        form.addRow("Key created:", _wrapped(made))
        if card.endorsed_by:
            form.addRow(
                "Replaces:",
                _wrapped(
                    f"the council's earlier key {card.endorsed_by}, which signed this card to "
                    "vouch for it"
                ),
            )
        layout.addLayout(form)
        if already:
            layout.addWidget(
                _wrapped(
                    "This key is already trusted for the council. Trusting it again changes "
                    "nothing, but checks the returns waiting for it once more.",
                    "color: #5b6875;",
                )
            )
        elif other_keys:
            layout.addWidget(
                _wrapped(
                    f"The programme already trusts another key for {council} "
                    f"({', '.join(other_keys)}). Trust this one as well only if the council "
                    "told you it has a new key.",
                    "color: #8a5a00;",
                )
            )
        self.waiting_label = _wrapped(
            f"{_plural(len(waiting), 'return')} signed with this key "
            f"{'is' if len(waiting) == 1 else 'are'} waiting and will be merged: "
            + "; ".join(waiting)
            + "."
            if waiting
            else "No return signed with this key has arrived yet."
        )
        self.waiting_label.setObjectName("waitingLabel")
        layout.addWidget(self.waiting_label)
        layout.addWidget(
            _wrapped(
                "Before you trust it, ring the council on a number you already know (not one "
                "given with the key card) and ask the officer to read out the fingerprint "
                "shown on their Returns page. Trust the key only if every group matches: "
                "anyone can send a key card, and a trusted key is what makes the council's "
                "returns count."
            )
        )
        self.confirm = QCheckBox(
            "I have checked this fingerprint with the council and every group matches"
        )
        self.confirm.setObjectName("confirmCheck")
        layout.addWidget(self.confirm)
        who = QFormLayout()
        self.who = QLineEdit()
        self.who.setObjectName("confirmedWith")
        self.who.setPlaceholderText("e.g. Sam Patel, by phone")
        who.addRow("Confirmed with:", self.who)
        layout.addLayout(who)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.trust_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.trust_button.setText("Trust this key")
        self.trust_button.setEnabled(False)
        self.confirm.toggled.connect(self.trust_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if self.confirm.isChecked():  # the button is disabled until then; Enter too
            super().accept()

    def note(self, today: date | None = None) -> str:
        """What the programme records beside the key: who confirmed it, and when."""
        day = f"{today or date.today():%d %b %Y}"
        who = self.who.text().strip()
        return f"fingerprint confirmed with {who}, {day}" if who else f"fingerprint confirmed {day}"


def _wrapped(text: str, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if style:
        label.setStyleSheet(style)
    return label
