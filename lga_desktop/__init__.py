"""lga-desktop: productivity-programme registers, signed returns and consolidation.

The core (this package, less ``lga_desktop.ui``) never imports Qt: the command
line, the tests and the window all call the same functions.
"""

__version__ = "0.1.0"
APP_NAME = "lga-desktop"
ORGANISATION = "Local Government Association"
