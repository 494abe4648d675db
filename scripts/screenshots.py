"""Take docs/screenshots/: every page of both windows at 1024×700, and the main dialogs.

    .venv/bin/python scripts/screenshots.py [FOLDER]

Runs offscreen on the demo workspace and a freshly built demo programme (its
keys are made with a low scrypt cost: these files are thrown away). Each image
is reduced to 256 colours, which keeps a window's picture near 50 KB.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1024, 700)


def save(widget, folder: Path, name: str) -> None:
    from lga_desktop.ui.qt import QApplication

    for _ in range(5):
        QApplication.processEvents()
    image = widget.grab().toImage()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    small = image.convertToFormat(
        QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
    )
    small.save(str(folder / f"{name}.png"), "PNG", 9)
    print(folder / f"{name}.png")


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    from lga_desktop.ui.qt import QApplication, QSettings, QTabWidget

    app = QApplication(sys.argv[:1])
    from lga_desktop.ui.app import app_icon

    app.setWindowIcon(app_icon())
    tmp = Path(tempfile.mkdtemp(prefix="lga-screens-"))
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)

    from lga_desktop.demo import create_demo_workspace
    from lga_desktop.ui.main_window import MainWindow
    from lga_desktop.ui.wizard import SetupWizard

    wizard = SetupWizard(default_dir=tmp)
    wizard.resize(720, 520)
    wizard.show()
    wizard.next()
    wizard.council_page.search.setText("Oxford")
    save(wizard, folder, "wizard")
    wizard.close()

    window = MainWindow(create_demo_workspace(tmp / "demo.lgaws"), settings)
    window.resize(*SIZE)
    window.show()
    for row in range(window.nav.count()):
        window.show_page(row)
        page = window.stack.currentWidget()
        name = f"council-{row + 1}-{slug(window.nav.item(row).text())}"
        tabs = page.findChild(QTabWidget) if page.property("pageKey") == "procurement" else None
        if tabs is None:
            save(window, folder, name)
            continue
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            save(window, folder, f"{name}-{slug(tabs.tabText(i).split('(')[0])}")
        tabs.setCurrentIndex(0)
    cap = window.page("cap")
    cap.main.edit()
    save(cap.main.dialog, folder, "council-record-dialog")
    cap.main.dialog.close()
    window.findChild(type(window.menuBar().actions()[0]), "actionGuide").trigger()
    save(window.user_guide, folder, "user-guide")
    window.user_guide.close()

    from lga_desktop.consolidation.demo import build_demo_programme
    from lga_desktop.consolidation.store import Programme
    from lga_desktop.returns import keys
    from lga_desktop.ui.programme.window import ProgrammeWindow

    keys.SCRYPT_N = 2**10
    demo = build_demo_programme(tmp / "programme")
    programme = ProgrammeWindow(Programme.open(demo.path), settings)
    programme.resize(*SIZE)
    programme.show()
    for row in range(programme.nav.count()):
        programme.show_page(row)
        text = programme.nav.item(row).text().split("(")[0]
        save(programme, folder, f"programme-{row + 1}-{slug(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
