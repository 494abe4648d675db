"""The dashboard: the council at a glance."""

from __future__ import annotations

from lga_desktop.ui.context import AppContext
from lga_desktop.ui.qt import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget
from lga_desktop.workspace import describe


class DashboardPage(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("dashboardPage")
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        self.heading = QLabel()
        layout.addWidget(self.heading)
        self.counts_box = QGroupBox("Registers")
        self.counts_form = QFormLayout(self.counts_box)
        layout.addWidget(self.counts_box)
        layout.addStretch(1)
        context.changed.connect(lambda _what: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        info = describe(self.context.workspace)
        council = info["council"]
        officer = info["officer"]
        who = f"<br>Kept by {officer['name']}, {officer['role']}" if officer else ""
        self.heading.setText(
            f"<h2>{council['name']}</h2><p>{council['type']} · {council['gss']}{who}</p>"
        )
        while self.counts_form.rowCount():
            self.counts_form.removeRow(0)
        counts = info["counts"]
        if not counts:
            self.counts_form.addRow(QLabel("No registers hold any records yet."))
        for label, n in counts.items():
            self.counts_form.addRow(f"{label}:", QLabel(f"{n:,}"))
