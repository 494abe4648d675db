"""The first-run wizard: pick your council, say who you are, choose where the file lives.

It takes plain data (the council list, a default folder) and hands back a plain
answer (:class:`SetupAnswer`), so tests drive it without a workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lga_desktop.councils import Council, all_councils, search_councils
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.qt import (
    QEvent,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QPushButton,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from lga_desktop.workspace import WORKSPACE_SUFFIX, Officer

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

START_SETUP, START_DEMO, START_OPEN = "setup", "demo", "open"


@dataclass(frozen=True)
class SetupAnswer:
    choice: str  # START_SETUP, START_DEMO or START_OPEN
    council: Council | None = None
    officer: Officer | None = None
    path: Path | None = None  # the new workspace, or the existing one to open


class WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Welcome to lga-desktop")
        self.setSubTitle(
            "Keep your council's productivity-programme registers and send the LGA a "
            "signed return each quarter."
        )
        layout = QVBoxLayout(self)
        self.setup = QRadioButton("Set up a workspace for my council")
        self.demo = QRadioButton("Look around the demo council first (nothing is saved)")
        self.open = QRadioButton("Open a workspace I already have…")
        self.setup.setChecked(True)
        for button in (self.setup, self.demo, self.open):
            layout.addWidget(button)
        layout.addStretch(1)

    @property
    def choice(self) -> str:
        if self.demo.isChecked():
            return START_DEMO
        if self.open.isChecked():
            return START_OPEN
        return START_SETUP

    def nextId(self) -> int:
        return SetupWizard.COUNCIL if self.choice == START_SETUP else -1


class CouncilPage(QWizardPage):
    def __init__(self, councils: tuple[Council, ...]) -> None:
        super().__init__()
        self.setTitle("Your council")
        self.setSubTitle(
            "Type part of its name or its GSS code (E07…), then pick it from the list."
        )
        self.councils = councils
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("councilSearch")
        self.search.setPlaceholderText("e.g. Oxford, Leeds or E08000035")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("councilList")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        self.search.setAccessibleName("Council name or GSS code")
        self.list.setAccessibleName("Councils that match")
        self.search.installEventFilter(self)
        self.search.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(self._picked)
        self.list.itemDoubleClicked.connect(lambda _item: self.wizard().next())
        self._filter("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Down (or Page Down) in the filter goes into the list, on the first match."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            and self.list.count()
        ):
            if self.list.currentRow() < 0:
                self.list.setCurrentRow(0)
            self.list.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        self.list.clear()
        matches = search_councils(text) if text.strip() else list(self.councils)
        for council in matches:
            item = QListWidgetItem(council.label)
            item.setData(Qt.ItemDataRole.UserRole, council)
            self.list.addItem(item)
        if matches and text.strip():
            self.list.setCurrentRow(0)  # the best match is picked: Enter goes on with it
        self.completeChanged.emit()

    def _picked(self, *_args: object) -> None:
        council = self.council
        if council:
            pop = f", population {council.population:,}" if council.population else ""
            self.detail.setText(
                f"<b>{council.official_name}</b><br>{council.type_name}, {council.region}{pop}"
            )
        else:
            self.detail.clear()
        self.completeChanged.emit()

    @property
    def council(self) -> Council | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def isComplete(self) -> bool:
        return self.council is not None


class OfficerPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("About you")
        self.setSubTitle(
            "The officer who keeps the registers. This goes on every return you prepare."
        )
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("officerName")
        self.name.setAccessibleName("Full name")
        self.role = QLineEdit()
        self.role.setObjectName("officerRole")
        self.role.setAccessibleName("Role")
        self.role.setPlaceholderText("e.g. Procurement Manager")
        self.email = QLineEdit()
        self.email.setObjectName("officerEmail")
        self.email.setAccessibleName("E-mail")
        self.email.setPlaceholderText("name@council.gov.uk")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a61b1b")
        form.addRow("Full name:", self.name)
        form.addRow("Role:", self.role)
        form.addRow("E-mail:", self.email)
        form.addRow("", self.problem)
        for edit in (self.name, self.role, self.email):
            edit.textChanged.connect(self._check)

    def _check(self) -> None:
        email = self.email.text().strip()
        bad = email and not _EMAIL.match(email)
        self.problem.setText(
            "That e-mail address is not complete (name@council.gov.uk)." if bad else ""
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(
            self.name.text().strip()
            and self.role.text().strip()
            and _EMAIL.match(self.email.text().strip())
        )

    @property
    def officer(self) -> Officer:
        return Officer(
            self.name.text().strip(), self.role.text().strip(), self.email.text().strip()
        )


class LocationPage(QWizardPage):
    def __init__(self, default_dir: Path) -> None:
        super().__init__()
        self.setTitle("Where to keep the workspace")
        self.setSubTitle(
            "One file holds all your registers. Backups are kept in a folder beside it. "
            "Choose somewhere your council backs up."
        )
        self.default_dir = default_dir
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("workspacePath")
        self.path.setAccessibleName("Workspace file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a61b1b")
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.path.textChanged.connect(self._check)

    def initializePage(self) -> None:
        council = self.wizard().page(SetupWizard.COUNCIL).council
        if council and not self.path.text():
            self.path.setText(str(self.default_dir / f"{council.name}{WORKSPACE_SUFFIX}"))

    def _browse(self) -> None:
        chosen, _ = file_dialogs.get_save_file_name(
            self, "Workspace file", self.path.text(), f"Workspaces (*{WORKSPACE_SUFFIX})"
        )
        if chosen:
            if not chosen.endswith(WORKSPACE_SUFFIX):
                chosen += WORKSPACE_SUFFIX
            self.path.setText(chosen)

    def _check(self) -> None:
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def _problem(self) -> str:
        text = self.path.text().strip()
        if not text:
            return "Choose a file name."
        path = Path(text).expanduser()
        if path.exists():
            return f"{path.name} already exists there. Choose another name, or go back and open it."
        return ""

    def isComplete(self) -> bool:
        return not self._problem()

    @property
    def chosen_path(self) -> Path:
        path = Path(self.path.text().strip()).expanduser()
        return (
            path
            if path.suffix == WORKSPACE_SUFFIX
            else path.with_name(path.name + WORKSPACE_SUFFIX)
        )


class SetupWizard(QWizard):
    WELCOME, COUNCIL, OFFICER, LOCATION = range(4)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        default_dir: Path,
        councils: tuple[Council, ...] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up lga-desktop")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(620, 480)
        self.welcome = WelcomePage()
        self.council_page = CouncilPage(councils or all_councils())
        self.officer_page = OfficerPage()
        self.location_page = LocationPage(default_dir)
        self.setPage(self.WELCOME, self.welcome)
        self.setPage(self.COUNCIL, self.council_page)
        self.setPage(self.OFFICER, self.officer_page)
        self.setPage(self.LOCATION, self.location_page)
        self.setStartId(self.WELCOME)

    def answer(self) -> SetupAnswer:
        choice = self.welcome.choice
        if choice != START_SETUP:
            return SetupAnswer(choice)
        return SetupAnswer(
            START_SETUP,
            council=self.council_page.council,
            officer=self.officer_page.officer,
            path=self.location_page.chosen_path,
        )
