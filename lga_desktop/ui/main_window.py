"""The main window: navigation, the File menu, backups, About."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from lga_desktop import APP_NAME
from lga_desktop.errors import DamagedFileError
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.help import add_help_menu
from lga_desktop.ui.lazy_pages import show_lazily
from lga_desktop.ui.pages import pages
from lga_desktop.ui.qt import (
    QAction,
    QCloseEvent,
    QDialog,
    QDialogButtonBox,
    QDragEnterEvent,
    QDropEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSettings,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.tasks import show_error
from lga_desktop.workspace import (
    WORKSPACE_SUFFIX,
    Backup,
    Workspace,
    newest_sound_backup,
    restore_damaged,
    what_restoring_drops,
)

RECENT_KEY = "recentWorkspaces"
RECENT_MAX = 8


def recent_workspaces(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives back a lone string for a one-item list
        value = [value]
    return [p for p in (value or []) if Path(p).exists()]


def remember_workspace(settings: QSettings, path: Path) -> None:
    paths = [str(path)] + [p for p in recent_workspaces(settings) if p != str(path)]
    settings.setValue(RECENT_KEY, paths[:RECENT_MAX])


def open_or_offer_restore(parent: QWidget | None, path: Path) -> Workspace | None:
    """Open a workspace; if it is damaged and has a sound backup, offer to put it back.

    Only damage leads to the offer: a workspace that is busy (open elsewhere),
    read-only or out of reach is never moved, only explained.
    """
    try:
        return Workspace.open(path)
    except DamagedFileError as exc:
        newest = newest_sound_backup(path)
        if newest is None or not path.exists():
            show_error(parent, "Open workspace", exc)
            return None
        answer = QMessageBox.question(
            parent,
            "Open workspace",
            f"{exc}\n\nPut back the newest backup, from {newest.taken_at:%d %b %Y %H:%M}? "
            "The damaged file is kept beside it, renamed, so nothing is thrown away.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            restore_damaged(path, newest)
            return Workspace.open(path)
        except Exception as again:
            show_error(parent, "Restore from backup", again)
            return None
    except Exception as exc:
        show_error(parent, "Open workspace", exc)
        return None


class RestoreDialog(QDialog):
    """Pick one of the workspace's backups, newest first."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.resize(520, 360)
        self.backups = backups
        layout = QVBoxLayout(self)
        note = QLabel(
            "Choose the backup to go back to. Your workspace as it is now is backed up "
            "first, so a restore can itself be undone."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        self.list.setObjectName("backupList")
        for b in backups:
            self.list.addItem(QListWidgetItem(b.label))
        if backups:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def chosen(self) -> Backup | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None


class MainWindow(QMainWindow):
    """One window over one open workspace; File > Open swaps the workspace."""

    def __init__(
        self,
        workspace: Workspace,
        settings: QSettings,
        *,
        on_new_workspace: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.on_new_workspace = on_new_workspace
        self.context: AppContext | None = None
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setStyleSheet(
            "QListWidget#navigation { border: none; background: palette(base); font-size: 11pt; }"
            "QListWidget#navigation::item { padding: 9px 12px; }"
        )
        self.stack = QStackedWidget()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.council_label = QLabel()
        self.path_label = QLabel()
        self.statusBar().addWidget(self.council_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self._page_factories: list[tuple[str, str, Callable]] = []
        self._built: dict[int, QWidget] = {}
        self.nav.currentRowChanged.connect(self.show_page)
        self._build_menus()
        self.setAcceptDrops(True)  # the LGA's programme packs and receipts
        self.set_workspace(workspace)
        geometry = settings.value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        self.nav.setFocus()  # keys work from the start: Up/Down pick a page, Tab enters it

    # ---- workspace ---------------------------------------------------------

    def set_workspace(self, workspace: Workspace) -> None:
        if self.context is not None:
            self.context.workspace.close()
            self.context.deleteLater()
        self.context = AppContext(workspace, self)
        self.context.window_owns_undo_keys = True
        self.context.correction_due.connect(self._correction_due)
        self.undo_action_host.setStack(self.context.undo_group)
        council = workspace.council
        demo = " (demo)" if workspace.get_meta("demo") else ""
        self.setWindowTitle(f"{council.official_name}{demo} — {APP_NAME}")
        self.council_label.setText(f"{council.official_name} · {council.gss}{demo}")
        self.path_label.setText(str(workspace.path))
        if not workspace.get_meta("demo"):
            remember_workspace(self.settings, workspace.path)
        self._rebuild_recent_menu()
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self.nav.blockSignals(True)
        self.nav.clear()
        self._page_factories = pages()
        for _key, title, _factory in self._page_factories:
            self.nav.addItem(title)
            self.stack.addWidget(QWidget())  # built on first visit: start-up stays quick
        self.nav.blockSignals(False)
        self.nav.setCurrentRow(0)
        self.show_page(0)

    def _correction_due(self, records: list) -> None:
        from lga_desktop.returns.changes import warning_text

        QMessageBox.warning(self, "Changed since signed", warning_text(records))

    @property
    def workspace(self) -> Workspace:
        assert self.context is not None
        return self.context.workspace

    def show_page(self, row: int) -> None:
        if row < 0:
            return
        key, _title, factory = self._page_factories[row]
        assert self.context is not None
        self.context.show_page(key)  # before building: the page takes its own undo stack
        show_lazily(self.stack, self.nav, self._built, row, key, lambda: factory(self.context))

    def page(self, key: str) -> QWidget:
        """The page with that key, built if needed (tests and menu actions use this)."""
        for row, (k, _title, _factory) in enumerate(self._page_factories):
            if k == key:
                self.show_page(row)
                return self._built[row]
        raise KeyError(key)

    # ---- menus -------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(
            file, "&New workspace…", self.new_workspace, QKeySequence.StandardKey.New, "actionNew"
        )
        self._action(
            file, "&Open workspace…", self.open_dialog, QKeySequence.StandardKey.Open, "actionOpen"
        )
        self.recent_menu = file.addMenu("Open &recent")
        file.addSeparator()
        self._action(file, "&Import programme pack…", lambda: self.exchange.import_pack(), None,
                     "actionImportPack")  # fmt: skip
        self._action(file, "Open &receipt…", lambda: self.exchange.open_receipt(), None,
                     "actionOpenReceipt")  # fmt: skip
        file.addSeparator()
        self._action(
            file,
            "Open &programme (LGA)…",
            self.open_programme_dialog,
            None,
            "actionOpenProgramme",
        )
        file.addSeparator()
        self._action(file, "Save a &copy…", self.save_copy, None, "actionSaveCopy")
        self._action(file, "&Back up now", self.backup_now, "Ctrl+Shift+B", "actionBackup")
        self._action(file, "Restore from &backup…", self.restore_dialog, None, "actionRestore")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit, "actionQuit")

        edit = bar.addMenu("&Edit")
        # The undo stack changes with the workspace; this holder lets the actions follow it.
        self.undo_action_host = _UndoActions(self, edit)

        view = bar.addMenu("&Go")
        for i, (_key, title, _factory) in enumerate(pages()):
            self._action(view, title, lambda _=False, r=i: self.show_page(r), f"Ctrl+{i + 1}")

        add_help_menu(self, section="First steps")

    @cached_property
    def exchange(self):
        """Importing packs, opening receipts (built on first use: not at start-up)."""
        from lga_desktop.ui.pages.exchange import ExchangeActions

        return ExchangeActions(self, lambda: self.context)

    def save_copy(self) -> None:
        saved = file_dialogs.save_copy_dialog(self, self.workspace)
        if saved is not None:
            self.statusBar().showMessage(f"Saved a copy as {saved}", 10000)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = recent_workspaces(self.settings)
        for path in recent:
            self._action(self.recent_menu, path, lambda _=False, p=path: self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(recent))

    # ---- File actions ------------------------------------------------------

    def new_workspace(self) -> None:
        if self.on_new_workspace:
            self.on_new_workspace()

    def open_dialog(self) -> None:
        start = str(self.workspace.path.parent)
        chosen, _ = file_dialogs.get_open_file_name(
            self, "Open workspace", start, f"Workspaces (*{WORKSPACE_SUFFIX});;All files (*)"
        )
        if chosen:
            self.open_path(Path(chosen))

    def open_path(self, path: Path) -> bool:
        workspace = open_or_offer_restore(self, path)
        if workspace is None:
            return False
        workspace.auto_backup()
        self.set_workspace(workspace)
        return True

    def open_programme_dialog(self) -> None:
        from lga_desktop.ui.programme.start import ask_programme_path  # LGA staff only

        chosen = ask_programme_path(self, self.workspace.path.parent)
        if chosen:
            self.open_programme(Path(chosen))

    def open_programme(self, path: Path) -> QWidget | None:
        """The consolidation window on a programme file, beside this one (LGA staff)."""
        from lga_desktop.ui.programme.start import open_programme_window

        window = open_programme_window(path, self.settings, self)
        if window is not None:
            self.programme_window = window
        return window

    def backup_now(self) -> Backup | None:
        try:
            backup = self.workspace.backup()
        except Exception as exc:
            show_error(self, "Back up", exc)
            return None
        self.statusBar().showMessage(f"Backed up to {backup.path}", 8000)
        return backup

    def restore_dialog(self) -> None:
        backups = self.workspace.list_backups()
        if not backups:
            QMessageBox.information(
                self,
                "Restore from backup",
                f"There are no backups of this workspace yet. They are kept in "
                f"“{self.workspace.backups_dir}”; use File > Back up now to make one.",
            )
            return
        dialog = RestoreDialog(backups, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen:
            self.restore(dialog.chosen)

    def restore(self, backup: Backup) -> bool:
        try:
            drops = what_restoring_drops(self.workspace, backup.path)
        except Exception as exc:
            show_error(self, "Restore from backup", exc)
            return False
        if drops:
            answer = QMessageBox.question(
                self,
                "Restore from backup",
                "Restoring this backup would lose: " + "; ".join(drops) + ". Restore it anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            safety = self.workspace.restore(backup)
        except Exception as exc:
            show_error(self, "Restore from backup", exc)
            return False
        assert self.context is not None
        self.context.clear_undo()
        self.context.notify()
        self.statusBar().showMessage(
            f"Restored the backup of {backup.taken_at:%d %b %Y %H:%M}. "
            f"What you had before is kept as {safety.path.name}.",
            12000,
        )
        return True

    # ---- Help ------------------------------------------------------------

    # ---- dropping the LGA's files ----------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from lga_desktop.ui.pages.exchange import exchange_paths

        if self.context is not None and exchange_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        from lga_desktop.ui.pages.exchange import exchange_paths

        paths = exchange_paths(event.mimeData())
        if self.context is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.exchange.drop_paths(paths)

    def show_about(self) -> None:
        from lga_desktop.exchange.council import current_pack
        from lga_desktop.ui.help import show_about
        from lga_desktop.ui.pages.exchange import support_html

        pack = current_pack(self.workspace) if self.context is not None else None
        show_about(self, support_html(pack.support if pack else None))

    # ---- closing -----------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("mainWindow/geometry", self.saveGeometry())
        if self.context is not None:
            self.context.workspace.close()
        super().closeEvent(event)


def redo_keys() -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y, then the platform's own Redo keys, each once.

    A key listed twice on one action is two shortcuts for one key, and Qt then
    fires neither ("Ambiguous shortcut overload").
    """
    keys: list[QKeySequence] = []
    for seq in [
        QKeySequence("Ctrl+Shift+Z"),
        QKeySequence("Ctrl+Y"),
        *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
    ]:
        if seq.toString() not in {k.toString() for k in keys}:
            keys.append(seq)
    return keys


class _UndoActions:
    """Edit > Undo / Redo that follow the undo stack of the workspace and page shown."""

    def __init__(self, window: QMainWindow, menu) -> None:
        self.window = window
        self.menu = menu
        self.undo: QAction | None = None
        self.redo: QAction | None = None

    def setStack(self, stack) -> None:
        """``stack`` is a QUndoStack or a QUndoGroup (one stack per page)."""
        for action in (self.undo, self.redo):
            if action is not None:
                self.menu.removeAction(action)
                action.deleteLater()
        self.undo = stack.createUndoAction(self.window, "&Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo.setObjectName("actionUndo")
        self.redo = stack.createRedoAction(self.window, "&Redo")
        self.redo.setShortcuts(redo_keys())
        self.redo.setObjectName("actionRedo")
        self.menu.addAction(self.undo)
        self.menu.addAction(self.redo)
        self.window.addAction(self.undo)
        self.window.addAction(self.redo)
