"""0008: what the LGA sent: its programme packs and its receipts for this council's returns.

* ``programme_pack``: every pack imported, newest ``sequence`` in force. The
  LGA key of the first was confirmed by fingerprint; each later one is signed
  by that key or by a key it endorsed (``docs/exchange-format.md``).
* ``lga_receipt``: every receipt opened, for a return this workspace signed;
  the newest (by ``issued_at``) says the return's LGA status.
"""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0008_programme_pack")
def m0008_programme_pack(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE programme_pack (
            sequence INTEGER PRIMARY KEY,
            issued_at TEXT NOT NULL,
            lga_fingerprint TEXT NOT NULL,
            lga_public_key TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            pack_json TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE lga_receipt (
            id INTEGER PRIMARY KEY,
            return_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            lga_fingerprint TEXT NOT NULL,
            file_sha256 TEXT NOT NULL UNIQUE,
            receipt_json TEXT NOT NULL,
            opened_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX lga_receipt_return ON lga_receipt (return_hash, issued_at)")
