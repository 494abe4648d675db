"""The frozen program's entry point: PyInstaller starts here (see ``build.spec``).

It is ``lga-desktop`` exactly: the same ``lga_desktop.cli.main`` the installed
command runs, so the bundle takes the same sub-commands and flags
(``--self-test``, ``--demo``, ``--open``).
"""

import os
import sys

from lga_desktop.cli import main

if __name__ == "__main__":
    # The windowed Windows program has no console: sys.stdout is None there, and
    # a command that writes to it (say --json) would fail rather than print
    # nowhere. lga-desktop-cli.exe is the twin with a console.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  open for the process's life
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    sys.exit(main())
