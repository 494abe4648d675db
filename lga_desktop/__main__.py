"""``python -m lga_desktop`` is the same as the ``lga-desktop`` command."""

import sys

from lga_desktop.cli import main

sys.exit(main())
