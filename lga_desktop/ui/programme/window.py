"""The consolidation window: one programme file, its pages, its menus, files dropped on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from lga_desktop import APP_NAME
from lga_desktop.consolidation.figures import quarters_with_returns
from lga_desktop.consolidation.store import DEFAULT_NAME, PROGRAMME_SUFFIX, Programme
from lga_desktop.returns.trust import KEY_CARD_SUFFIX
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.help import add_help_menu, show_about
from lga_desktop.ui.lazy_pages import show_lazily
from lga_desktop.ui.programme.actions import ProgrammeActions
from lga_desktop.ui.programme.context import ProgrammeContext
from lga_desktop.ui.qt import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QHBoxLayout,
    QInputDialog,
    QKeySequence,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QMimeData,
    QSettings,
    QStackedWidget,
    QWidget,
)
from lga_desktop.ui.tasks import show_error
from lga_desktop.words import plural
from lga_desktop.workspace import WORKSPACE_SUFFIX

__all__ = ["ProgrammeWindow", "open_programme", "GEOMETRY_KEY"]

GEOMETRY_KEY = "programmeWindow/geometry"
PAGES = (
    ("overview", "Overview"),
    ("tables", "Board tables"),
    ("status", "Status"),
    ("returns", "Returns"),
    ("held", "Held aside"),
    ("councils", "Councils"),
)


def open_programme(parent: QWidget | None, path: Path | str) -> Programme | None:
    """Open a programme file, or say in words why it cannot be (a workspace, a damaged file…)."""
    try:
        return Programme.open(path)
    except Exception as exc:
        show_error(parent, "Open programme", exc)
        return None


class ProgrammeWindow(QMainWindow):
    """One window over one open programme; File > Open programme swaps it."""

    def __init__(
        self, programme: Programme, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("programmeWindow")
        self.settings = settings
        self.context: ProgrammeContext = None  # type: ignore[assignment]  # set_programme
        self.ops = ProgrammeActions(self)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setStyleSheet(
            "QListWidget#navigation { border: none; background: palette(base); font-size: 11pt; }"
            "QListWidget#navigation::item { padding: 9px 12px; }"
        )
        for _key, title in PAGES:
            self.nav.addItem(title)
        self.stack = QStackedWidget()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.path_label = QLabel()
        self.path_label.setObjectName("pathLabel")
        self.statusBar().addWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self._built: dict[int, QWidget] = {}
        self.nav.currentRowChanged.connect(self.show_page)
        self.setAcceptDrops(True)
        self._build_menus()
        self.set_programme(programme)
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1240, 820)

    # ---- the programme -----------------------------------------------------------------

    @property
    def programme(self) -> Programme:
        return self.context.programme

    def set_programme(self, programme: Programme) -> None:
        if self.context is not None:
            self.context.programme.close()
            self.context.deleteLater()
        self.context = ProgrammeContext(programme, self)
        self.context.changed.connect(self.refresh_status)
        self.setWindowTitle(f"{programme.name} — consolidation — {APP_NAME}")
        self.path_label.setText(str(programme.path))
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        for _page in PAGES:
            self.stack.addWidget(QWidget())  # each page is built on its first visit
        self.refresh_status()
        self.nav.setCurrentRow(0)
        self.show_page(0)

    def refresh_status(self) -> None:
        c = self.programme.counts()

        self.counts_label.setText(
            f"{plural(c['members'], 'pilot council')} · "
            f"{plural(c['returns_counted'], 'return')} counting, {c['returns_superseded']} superseded · "
            f"{c['held_aside']} held aside · {c['waiting_for_key']} waiting for a key"
        )
        waiting = c["held_aside"] + c["waiting_for_key"]
        held_row = [key for key, _title in PAGES].index("held")
        self.nav.item(held_row).setText(f"Held aside ({waiting})" if waiting else "Held aside")

    # ---- pages -------------------------------------------------------------------------

    def _make_page(self, key: str) -> QWidget:
        if key == "overview":
            from lga_desktop.ui.programme.overview import OverviewPage

            page = OverviewPage(self.context, export_report=self.export_report)
            page.export_button.setToolTip(
                "Write the report for the Board on the period shown: Excel, CSV or PDF"
            )
            return page
        if key == "tables":
            from lga_desktop.ui.programme.board_tables import BoardTablesPage

            return BoardTablesPage(self.context)
        if key == "status":
            from lga_desktop.ui.programme.status_page import StatusPage

            return StatusPage(self.context)
        if key == "returns":
            from lga_desktop.ui.programme.returns_page import ReturnsPage

            return ReturnsPage(self.context)
        if key == "held":
            from lga_desktop.ui.programme.held import HeldPage

            return HeldPage(self.context, trust_key=self.ops.choose_key_card)
        from lga_desktop.ui.programme.councils import CouncilsPage

        return CouncilsPage(
            self.context,
            trust_key=self.ops.choose_key_card,
            trust_file=self.ops.choose_trusted_keys_file,
        )

    def show_page(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row][0]
        show_lazily(self.stack, self.nav, self._built, row, key, lambda: self._make_page(key))

    def page(self, key: str) -> QWidget:
        """The page with that key, shown (and built if need be)."""
        row = [k for k, _title in PAGES].index(key)
        self.show_page(row)
        return self._built[row]

    # ---- menus -------------------------------------------------------------------------

    def _action(
        self, menu, text: str, slot: Callable[[], object], shortcut=None, name: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(
            file,
            "&Open programme…",
            self.open_dialog,
            QKeySequence.StandardKey.Open,
            "actionOpenProgramme",
        )
        self._action(
            file,
            "&New programme…",
            self.new_dialog,
            QKeySequence.StandardKey.New,
            "actionNewProgramme",
        )
        file.addSeparator()
        self._action(file, "&Add returns…", self.add_dialog, "Ctrl+Shift+O", "actionAddReturns")
        self._action(
            file,
            "Add a &folder of returns…",
            self.add_folder_dialog,
            "Ctrl+Shift+D",
            "actionAddFolder",
        )
        self._action(
            file, "&Trust a council's key…", self.ops.choose_key_card, None, "actionTrustKey"
        )
        file.addSeparator()
        self._action(file, "Save a &copy…", self.save_copy, None, "actionSaveCopy")
        self.export_action = self._action(
            file, "&Export report…", self.export_report, "Ctrl+E", "actionExportReport"
        )
        from lga_desktop.ui.programme.exchange import LgaExchangeActions

        self.exchange = LgaExchangeActions(self)
        self._action(file, "Export programme &pack…", self.exchange.export_pack, None,
                     "actionExportPack")  # fmt: skip
        self._action(file, "Export re&ceipts…", self.exchange.export_receipts, None,
                     "actionExportReceipts")  # fmt: skip
        file.addSeparator()
        self._action(file, "&Close", self.close, QKeySequence.StandardKey.Close, "actionClose")

        go = bar.addMenu("&Go")
        for i, (_key, title) in enumerate(PAGES):
            self._action(go, title, lambda r=i: self.show_page(r), f"Ctrl+{i + 1}")

        add_help_menu(self, section="The LGA side")

    # ---- file choosers (tests replace these) -------------------------------------------

    def ask_programme_path(self) -> str:
        chosen, _ = file_dialogs.get_open_file_name(
            self,
            "Open programme",
            str(self.programme.path.parent),
            f"Programme files (*{PROGRAMME_SUFFIX});;All files (*)",
        )
        return chosen

    def ask_new_programme(self) -> tuple[Path, str] | None:
        chosen, _ = file_dialogs.get_save_file_name(
            self,
            "New programme",
            str(self.programme.path.parent / f"{DEFAULT_NAME}{PROGRAMME_SUFFIX}"),
            f"Programme files (*{PROGRAMME_SUFFIX})",
        )
        if not chosen:
            return None
        name, ok = QInputDialog.getText(
            self,
            "New programme",
            "The programme's name, as its reports show it:",
            text=DEFAULT_NAME,
        )
        return (Path(chosen), name) if ok else None

    # ---- File actions ------------------------------------------------------------------

    def save_copy(self) -> None:
        saved = file_dialogs.save_copy_dialog(self, self.programme)
        if saved is not None:
            self.statusBar().showMessage(f"Saved a copy as {saved}", 10000)

    def open_dialog(self) -> None:
        chosen = self.ask_programme_path()
        if chosen:
            self.open_path(Path(chosen))

    def open_path(self, path: Path) -> bool:
        programme = open_programme(self, path)
        if programme is None:
            return False
        self.set_programme(programme)
        return True

    def new_dialog(self) -> None:
        answer = self.ask_new_programme()
        if answer is not None:
            self.create_programme(*answer)

    def create_programme(self, path: Path, name: str) -> bool:
        if path.suffix.lower() != PROGRAMME_SUFFIX:
            path = path.with_name(path.name + PROGRAMME_SUFFIX)
        try:
            programme = Programme.create(path, name)
        except Exception as exc:
            show_error(self, "New programme", exc)
            return False
        self.set_programme(programme)
        self.statusBar().showMessage(
            f"New programme {path.name}. Trust the pilot councils' key cards, then add "
            "their returns.",
            15000,
        )
        return True

    def add_dialog(self) -> None:
        self.ops.choose_returns()

    def add_folder_dialog(self) -> None:
        self.ops.choose_folder()

    def add_files(self, paths: Iterable[Path | str]) -> None:
        """Check and merge these return files (or folders of them): what a drop does too."""
        self.ops.add_paths(paths)

    def export_report(self) -> None:
        """The Board report for the quarter the Overview shows (else the latest)."""
        overview = self._built.get(0)
        if overview is not None:
            period = overview.period_key()  # type: ignore[attr-defined]
        else:
            latest = max(quarters_with_returns(self.programme), default=None)
            period = latest.key if latest else None
        self.ops.export_report(period)

    # ---- dropping files ----------------------------------------------------------------

    @staticmethod
    def dropped_paths(mime: QMimeData) -> list[Path]:
        if not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: ANN001  (QDragMoveEvent)
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self.dropped_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.drop_paths(paths)

    def drop_paths(self, paths: list[Path]) -> None:
        """Returns and folders are added; a key card alone is offered for trust; a programme opens."""
        suffixes = [p.suffix.lower() for p in paths]
        if len(paths) == 1 and suffixes[0] == PROGRAMME_SUFFIX:
            self.open_path(paths[0])
            return
        if len(paths) == 1 and suffixes[0] == KEY_CARD_SUFFIX:
            self.ops.trust_key_card(paths[0])
            return
        left_out = [
            p
            for p, s in zip(paths, suffixes, strict=True)
            if s in (KEY_CARD_SUFFIX, WORKSPACE_SUFFIX, PROGRAMME_SUFFIX)
        ]
        if left_out:
            QMessageBox.information(
                self,
                "Add returns",
                "Left out, as they are not returns: "
                + "; ".join(p.name for p in left_out)
                + f". A key card ({KEY_CARD_SUFFIX}) is trusted on its own: drop it alone. A "
                f"council's workspace ({WORKSPACE_SUFFIX}) is not sent to the LGA: the council "
                "signs a return from it and sends that.",
            )
        rest = [p for p in paths if p not in left_out]
        if rest:
            self.add_files(rest)

    # ---- Help --------------------------------------------------------------------------

    def show_about(self) -> None:
        show_about(self)

    # ---- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        if self.context is not None:
            self.context.programme.close()
        super().closeEvent(event)
