"""Render resources/icons/lga-desktop.svg to the PNG, ICO and ICNS files the app and installers use.

Run after changing the SVG: ``.venv/bin/python scripts/make_icons.py`` (offscreen is fine).
The PNGs are the window icon (every platform) and the Linux desktop icon; the
ICO is the Windows executable's icon (build.spec); the ICNS is for a macOS app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "lga-desktop.svg"))
    if not renderer.isValid():
        print("the SVG could not be read", file=sys.stderr)
        return 1
    for size in SIZES:
        render(renderer, size).save(str(ICONS / f"lga-desktop-{size}.png"))
    big = render(renderer, 256)
    render(renderer, 128).save(str(ICONS / "lga-desktop.ico"))  # BMP inside: 128 px keeps it small
    big.save(str(ICONS / "lga-desktop.icns"))
    print(f"wrote {len(SIZES)} PNGs, the ICO and the ICNS into {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
