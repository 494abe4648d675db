"""The frozen program's entry point: PyInstaller starts here (see ``build.spec``).

It is ``lga-desktop`` exactly: the same ``lga_desktop.cli.main`` the installed
command runs, so the bundle takes the same sub-commands and flags
(``--self-test``, ``--demo``, ``--open``).
"""

import sys

from lga_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
