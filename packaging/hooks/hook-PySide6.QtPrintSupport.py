# Replaces PyInstaller's own hook for PySide6.QtPrintSupport (build.spec puts this
# folder on `hookspath`) to leave out the CUPS print plugin before its libraries
# are followed: libcups brings GnuTLS, Kerberos, Avahi and their friends, about
# 12 MB. Windows and macOS print through their own plugins, which stay; on Linux
# the window offers "Open in PDF reader", which prints from the system's reader.

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if "cupsprintersupport" not in source]
