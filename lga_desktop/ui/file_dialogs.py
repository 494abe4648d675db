"""Every file dialog of both windows is made here.

Why one place: SQLite's locks on an open workspace or programme are POSIX
advisory locks, and closing *any* descriptor of that file in our process
drops them all. A file dialog that lists the folder holding the open file
and asks the system for each file's icon or type reads the file's first bytes
to guess its type (``QMimeDatabase``), opens and closes it, and so silently
unlocks the file we are writing (found in issue 10: a programme was emptied).
The dialogs made here are Qt's own (not the platform's, whose code we cannot
hold to this) with an icon provider that names files by their suffix alone
and never opens one. ``tests/test_owner_lock.py`` lists a folder with an open
workspace and checks that its lock is still held.

They also start where the user will look: the last folder used for that
kind of file (remembered per suffix in ``QSettings``), else the folder of the
open workspace or programme; signed returns go to a ``Returns`` folder
beside the workspace. The functions take the same arguments and give the
same results as ``QFileDialog``'s static ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from lga_desktop.ui.qt import (
    QAbstractFileIconProvider,
    QFileDialog,
    QFileIconProvider,
    QSettings,
    QWidget,
)

__all__ = [
    "get_open_file_name",
    "get_open_file_names",
    "get_save_file_name",
    "get_existing_directory",
    "make_dialog",
    "start_folder",
    "remember_folder",
    "kind_of",
    "returns_folder_of",
    "save_copy_dialog",
    "LAST_FOLDER_KEY",
]

LAST_FOLDER_KEY = "fileDialogs/lastFolder/"
RETURNS_FOLDER = "Returns"


class NamesOnlyIcons(QFileIconProvider):
    """Icons and type names from the file's suffix alone: never opens a file to guess."""

    def icon(self, what):  # type: ignore[override]
        if isinstance(what, QAbstractFileIconProvider.IconType):
            return super().icon(what)
        kind = (
            QAbstractFileIconProvider.IconType.Folder
            if what.isDir()
            else QAbstractFileIconProvider.IconType.File
        )
        return super().icon(kind)

    def type(self, info) -> str:  # type: ignore[override]
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_ICONS: NamesOnlyIcons | None = None  # one for the program: it must outlive every dialog


def _icons() -> NamesOnlyIcons:
    global _ICONS
    if _ICONS is None:
        _ICONS = NamesOnlyIcons()
    return _ICONS


def kind_of(filter_: str, kind: str | None) -> str:
    """The kind of file, for remembering its folder: the first suffix of the filter."""
    if kind:
        return kind
    found = re.search(r"\*\.([A-Za-z0-9]+)", filter_ or "")
    return found.group(1).lower() if found else "any"


def _settings(parent: QWidget | None) -> QSettings:
    widget = parent
    while widget is not None:
        settings = getattr(widget, "settings", None)
        if isinstance(settings, QSettings):
            return settings
        widget = widget.parentWidget()
    return QSettings()


def _open_file_of(parent: QWidget | None) -> Path | None:
    """The workspace or programme open in the parent's window, if any."""
    widget = parent
    while widget is not None:
        context = getattr(widget, "context", None)
        for name in ("workspace", "programme"):
            opened = getattr(context, name, None)
            if opened is not None and getattr(opened, "path", None) is not None:
                return Path(opened.path)
        widget = widget.parentWidget()
    return None


def returns_folder_of(workspace_path: Path) -> Path:
    """Where signed returns go by default: ``Returns`` beside the workspace."""
    return workspace_path.parent / RETURNS_FOLDER


def start_folder(parent: QWidget | None, given: str, kind: str, *, saving: bool) -> str:
    """The folder to start in (with ``given``'s file name kept when saving)."""
    given_path = Path(given) if given else None
    name = given_path.name if given_path is not None and saving and given_path.suffix else ""
    remembered = _settings(parent).value(LAST_FOLDER_KEY + kind, "")
    folder: Path | None = Path(remembered) if remembered and Path(remembered).is_dir() else None
    if folder is None:
        opened = _open_file_of(parent)
        if opened is not None and kind == "lgareturn" and saving:
            returns = returns_folder_of(opened)
            try:
                returns.mkdir(exist_ok=True)
                folder = returns
            except OSError:
                folder = opened.parent
        elif opened is not None:
            folder = opened.parent
    if folder is None and given_path is not None:
        folder = given_path if given_path.is_dir() else given_path.parent
    if folder is None:
        folder = Path.home()
    return str(folder / name) if name else str(folder)


def remember_folder(parent: QWidget | None, kind: str, chosen: str) -> None:
    if chosen:
        path = Path(chosen)
        _settings(parent).setValue(
            LAST_FOLDER_KEY + kind, str(path if path.is_dir() else path.parent)
        )


def make_dialog(parent: QWidget | None, title: str, start: str, filter_: str = "") -> QFileDialog:
    """A file dialog that never opens the files it lists (see the module's note)."""
    dialog = QFileDialog(parent, title, start, filter_)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setIconProvider(_icons())
    return dialog


def _ask(
    parent: QWidget | None,
    title: str,
    start: str,
    filter_: str,
    kind: str,
    mode: QFileDialog.FileMode,
    *,
    saving: bool = False,
) -> tuple[list[str], str]:
    """Run one dialog from the right folder; remember where the user went."""
    dialog = make_dialog(parent, title, start_folder(parent, start, kind, saving=saving), filter_)
    dialog.setFileMode(mode)
    if saving:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    remember_folder(parent, kind, chosen[0] if chosen else "")
    return chosen, dialog.selectedNameFilter()


def get_open_file_name(parent, title: str, start="", filter_="", *, kind=None) -> tuple[str, str]:
    chosen, used = _ask(
        parent, title, start, filter_, kind_of(filter_, kind), QFileDialog.FileMode.ExistingFile
    )
    return (chosen[0] if chosen else "", used)


def get_open_file_names(
    parent, title: str, start="", filter_="", *, kind=None
) -> tuple[list[str], str]:
    return _ask(
        parent, title, start, filter_, kind_of(filter_, kind), QFileDialog.FileMode.ExistingFiles
    )


def get_save_file_name(parent, title: str, start="", filter_="", *, kind=None) -> tuple[str, str]:
    chosen, used = _ask(
        parent,
        title,
        start,
        filter_,
        kind_of(filter_, kind),
        QFileDialog.FileMode.AnyFile,
        saving=True,
    )
    return (chosen[0] if chosen else "", used)


def get_existing_directory(
    parent: QWidget | None, title: str, start: str = "", *, kind: str = "folder"
) -> str:
    chosen, _ = _ask(parent, title, start, "", kind, QFileDialog.FileMode.Directory)
    return chosen[0] if chosen else ""


def save_copy_dialog(parent: QWidget, opened) -> Path | None:
    """File > Save a copy…: a sound copy of the open workspace or programme, to send or keep."""
    from lga_desktop.ui.tasks import show_error

    path = Path(opened.path)
    suffix = path.suffix
    chosen, _ = get_save_file_name(
        parent,
        "Save a copy",
        str(path.with_name(f"{path.stem} copy{suffix}")),
        f"{opened.KIND.capitalize()} (*{suffix})",
        kind=f"copy{suffix}",
    )
    if not chosen:
        return None
    out = Path(chosen)
    if out.suffix.lower() != suffix:
        out = out.with_name(out.name + suffix)
    try:
        return opened.save_copy(out)
    except Exception as exc:
        show_error(parent, "Save a copy", exc)
        return None
