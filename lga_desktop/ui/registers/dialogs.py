"""Dialogs every register page shares: a record's history, an import's report, confirming."""

from __future__ import annotations

from lga_desktop.registers.audit import ACTIONS, Change
from lga_desktop.registers.excel import ImportReport
from lga_desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["HistoryDialog", "ImportReportDialog", "confirm"]


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Delete") -> bool:
    """Ask before something destructive; tests replace this function."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    ok = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


class HistoryDialog(QDialog):
    """Every change to a record and the records under it: when, who, what, old and new."""

    def __init__(self, title: str, changes: list[Change], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(f"History of {title}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>History of {title}</b> (newest first)"))
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["When / field", "Who / before", "What / after", "How"])
        self.tree.setAlternatingRowColors(True)
        for change in changes:
            top = QTreeWidgetItem(
                [
                    f"{change.at:%d/%m/%Y %H:%M}",
                    change.who,
                    f"{ACTIONS.get(change.action, change.action)} {change.ref}"
                    + (f" ({change.register_title})" if "." in change.register else ""),
                    change.source or "In the window",
                ]
            )
            for item in change.items:
                top.addChild(
                    QTreeWidgetItem([f"  {item.label}", item.old or "—", item.new or "—", ""])
                )
            self.tree.addTopLevelItem(top)
            top.setExpanded(change.action == "changed")
        if not changes:
            self.tree.addTopLevelItem(QTreeWidgetItem(["No changes are recorded yet."]))
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 480)


class ImportReportDialog(QDialog):
    """What an import did, or every row it refused and why."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReportDialog")
        self.setWindowTitle("Import finished" if report.ok else "Nothing was imported")
        layout = QVBoxLayout(self)
        summary = QLabel(report.summary())
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.table = QTableWidget(len(report.refused), 4, self)
        self.table.setHorizontalHeaderLabels(["Sheet", "Row", "Column", "Why it was refused"])
        for i, problem in enumerate(report.refused):
            for j, text in enumerate(
                (problem.sheet, str(problem.row), problem.column, problem.message)
            ):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(report.refused))
        layout.addWidget(self.table, 1)
        for note in report.notes:
            label = QLabel(note)
            label.setWordWrap(True)
            layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(780 if report.refused else 460, 420 if report.refused else 160)
