# Replaces PyInstaller's own hook for PySide6.QtGui (build.spec puts this folder
# on `hookspath`, which takes precedence) to leave out Qt plugins the window
# never loads. The filter runs before PyInstaller follows each plugin's library
# dependencies, so a dropped plugin's libraries (the GTK theme's cairo, pango,
# atk ...) stay out too. Everything else is the stock hook.

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# (plugin folder, file name stem) pairs to drop; a stem of "" drops the folder.
UNUSED_PLUGINS = {
    ("platforms", "libqeglfs"),  # embedded-device platforms
    ("platforms", "libqlinuxfb"),
    ("platforms", "libqminimalegl"),
    ("platforms", "libqvnc"),
    ("platforms", "libqvkkhrdisplay"),
    ("platforms", "qdirect2d"),
    ("egldeviceintegrations", ""),
    ("generic", ""),  # evdev / TUIO touch input for kiosks
    ("platformthemes", "libqgtk3"),  # pulls in half of GTK; the portal theme stays
    # we ship PNG/SVG/ICO icons only (PNG is built into QtGui); the PDF viewer's
    # pages come from PDFium as raw pixels, whatever images the PDF holds
    ("imageformats", "libqjpeg"),  # 540 KB with its libjpeg
    ("imageformats", "libqgif"),
    ("imageformats", "libqtiff"),
    ("imageformats", "libqwebp"),
    ("imageformats", "libqtga"),
    ("imageformats", "libqwbmp"),
    ("imageformats", "libqpdf"),
    ("imageformats", "qjpeg"),
    ("imageformats", "qgif"),
    ("imageformats", "qtiff"),
    ("imageformats", "qwebp"),
    ("imageformats", "qtga"),
    ("imageformats", "qwbmp"),
    ("imageformats", "qpdf"),
    ("wayland-shell-integration", "libfullscreen-shell-v1"),
    ("wayland-shell-integration", "libivi-shell"),
    ("wayland-shell-integration", "libqt-shell"),
    ("wayland-shell-integration", "libwl-shell-plugin"),
    # OpenGL glue the widgets never use (they paint with the raster engine); the
    # self-test passes without them, on X11 and Wayland
    ("xcbglintegrations", ""),
    ("wayland-graphics-integration-client", ""),
}


def _wanted(source: str, dest: str) -> bool:
    parts = dest.replace("\\", "/").split("/")
    if "plugins" not in parts or parts.index("plugins") + 1 >= len(parts):
        return True
    folder = parts[parts.index("plugins") + 1]
    stem = source.replace("\\", "/").rsplit("/", 1)[-1].split(".")[0]
    return (folder, "") not in UNUSED_PLUGINS and (folder, stem) not in UNUSED_PLUGINS


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if _wanted(source, dest)]
