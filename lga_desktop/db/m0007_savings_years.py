"""0007: how many years a recurring saving lasts, so its target stops when it ends.

A recurring line with no number of years keeps its old meaning (a target
every year from its start) and is warned about until the officer gives one.
"""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0007_savings_years")
def m0007_savings_years(db: Database) -> None:
    db.execute("ALTER TABLE savings_lines ADD COLUMN years INTEGER")
