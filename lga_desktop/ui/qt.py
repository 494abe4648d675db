"""The one door Qt comes in by: every other ui module imports Qt names from here.

A PySide6 upgrade (or a move to another binding) is this file's work.

Names are looked up on first use (PEP 562 module ``__getattr__``): touching all
of them at import cost ~40 ms of start-up, for names most pages never need.
``from lga_desktop.ui.qt import QLabel`` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import PySide6.QtCore
import PySide6.QtGui
import PySide6.QtWidgets

_MODULES = {
    "QtCore": PySide6.QtCore,
    "QtGui": PySide6.QtGui,
    "QtWidgets": PySide6.QtWidgets,
}

# Which module each name comes from; add a name here before using it.
_NAMES: dict[str, tuple[str, ...]] = {
    "QtCore": (
        "QAbstractTableModel",
        "QByteArray",
        "QCoreApplication",
        "QDate",
        "QEvent",
        "QItemSelectionModel",
        "QMimeData",
        "QModelIndex",
        "QObject",
        "QPersistentModelIndex",
        "QPoint",
        "QPointF",
        "QRect",
        "QRectF",
        "QRunnable",
        "QSettings",
        "QSize",
        "QSortFilterProxyModel",
        "QStandardPaths",
        "QStringListModel",
        "Qt",
        "QThread",
        "QThreadPool",
        "QTimer",
        "QUrl",
        "Signal",
        "Slot",
        "qVersion",
    ),
    "QtGui": (
        "QAction",
        "QBrush",
        "QCloseEvent",
        "QColor",
        "QDesktopServices",
        "QDragEnterEvent",
        "QDropEvent",
        "QFont",
        "QFontMetrics",
        "QGuiApplication",
        "QIcon",
        "QImage",
        "QKeySequence",
        "QPainter",
        "QPainterPath",
        "QPalette",
        "QPen",
        "QPixmap",
        "QShortcut",
        "QStandardItem",
        "QStandardItemModel",
        "QUndoCommand",
        "QUndoStack",
        "QValidator",
    ),
    "QtPrintSupport": ("QPrintDialog", "QPrinter", "QPrinterInfo"),  # imported on first use
    "QtWidgets": (
        "QAbstractItemView",
        "QApplication",
        "QCheckBox",
        "QComboBox",
        "QCompleter",
        "QDateEdit",
        "QDialog",
        "QDialogButtonBox",
        "QDoubleSpinBox",
        "QFileDialog",
        "QFormLayout",
        "QFrame",
        "QGridLayout",
        "QGroupBox",
        "QHBoxLayout",
        "QHeaderView",
        "QInputDialog",
        "QLabel",
        "QLineEdit",
        "QListWidget",
        "QListWidgetItem",
        "QMainWindow",
        "QMenu",
        "QMessageBox",
        "QPlainTextEdit",
        "QProgressDialog",
        "QPushButton",
        "QRadioButton",
        "QScrollArea",
        "QSizePolicy",
        "QSpinBox",
        "QSplitter",
        "QStackedWidget",
        "QStatusBar",
        "QStyle",
        "QStyledItemDelegate",
        "QTableView",
        "QTableWidget",
        "QTableWidgetItem",
        "QTabWidget",
        "QTextBrowser",
        "QTextEdit",
        "QToolBar",
        "QToolButton",
        "QTreeWidget",
        "QTreeWidgetItem",
        "QVBoxLayout",
        "QWidget",
        "QWizard",
        "QWizardPage",
    ),
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    try:
        where = _WHERE[name]
    except KeyError:
        raise AttributeError(f"lga_desktop.ui.qt has no {name!r}; add it to _NAMES") from None
    module = _MODULES.get(where)
    if module is None:  # a module the window needs only now and then (printing)
        import importlib

        module = _MODULES[where] = importlib.import_module(f"PySide6.{where}")
    value = getattr(module, name)
    globals()[name] = value  # the next lookup is an ordinary global
    return value


if TYPE_CHECKING:  # for type checkers and editors: the names as plain imports
    from PySide6.QtCore import (  # noqa: F401
        QAbstractTableModel,
        QByteArray,
        QCoreApplication,
        QDate,
        QEvent,
        QItemSelectionModel,
        QMimeData,
        QModelIndex,
        QObject,
        QPersistentModelIndex,
        QPoint,
        QPointF,
        QRect,
        QRectF,
        QRunnable,
        QSettings,
        QSize,
        QSortFilterProxyModel,
        QStandardPaths,
        QStringListModel,
        Qt,
        QThread,
        QThreadPool,
        QTimer,
        QUrl,
        Signal,
        Slot,
        qVersion,
    )
    from PySide6.QtGui import (  # noqa: F401
        QAction,
        QBrush,
        QCloseEvent,
        QColor,
        QDesktopServices,
        QDragEnterEvent,
        QDropEvent,
        QFont,
        QFontMetrics,
        QGuiApplication,
        QIcon,
        QImage,
        QKeySequence,
        QPainter,
        QPainterPath,
        QPalette,
        QPen,
        QPixmap,
        QShortcut,
        QStandardItem,
        QStandardItemModel,
        QUndoCommand,
        QUndoStack,
        QValidator,
    )
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo  # noqa: F401
    from PySide6.QtWidgets import (  # noqa: F401
        QAbstractItemView,
        QApplication,
        QCheckBox,
        QComboBox,
        QCompleter,
        QDateEdit,
        QDialog,
        QDialogButtonBox,
        QDoubleSpinBox,
        QFileDialog,
        QFormLayout,
        QFrame,
        QGridLayout,
        QGroupBox,
        QHBoxLayout,
        QHeaderView,
        QInputDialog,
        QLabel,
        QLineEdit,
        QListWidget,
        QListWidgetItem,
        QMainWindow,
        QMenu,
        QMessageBox,
        QPlainTextEdit,
        QProgressDialog,
        QPushButton,
        QRadioButton,
        QScrollArea,
        QSizePolicy,
        QSpinBox,
        QSplitter,
        QStackedWidget,
        QStatusBar,
        QStyle,
        QStyledItemDelegate,
        QTableView,
        QTableWidget,
        QTableWidgetItem,
        QTabWidget,
        QTextBrowser,
        QTextEdit,
        QToolBar,
        QToolButton,
        QTreeWidget,
        QTreeWidgetItem,
        QVBoxLayout,
        QWidget,
        QWizard,
        QWizardPage,
    )
