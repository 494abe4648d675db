"""0001: the workspace's own facts (council, officer, dates)."""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0001_foundation")
def m0001_foundation(db: Database) -> None:
    # key/value facts about the workspace: council, officer, created_at ...
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
