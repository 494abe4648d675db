"""0005: the procurement pipeline and procurement timelines (120-working-day commitment).

The statements are what ``python -m lga_desktop.registers.schema pipeline
timelines`` printed for the declarations when this migration shipped.
"""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0005_pipeline")
def m0005_pipeline(db: Database) -> None:
    db.execute(
        """CREATE TABLE pipeline (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    title TEXT,
    category TEXT,
    estimated_value INTEGER,
    advert_date TEXT,
    contract_start TEXT,
    length_months INTEGER,
    confidence TEXT,
    sme_lots INTEGER,
    added_on TEXT,
    notes TEXT
)"""
    )
    db.execute(
        """CREATE TABLE procurement_timelines (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    title TEXT,
    category TEXT,
    procedure TEXT,
    ojeu_date TEXT,
    award_date TEXT,
    value INTEGER,
    justification TEXT,
    pipeline_entry INTEGER REFERENCES pipeline (id) ON DELETE SET NULL
)"""
    )
    db.execute(
        """CREATE INDEX procurement_timelines_pipeline_entry ON procurement_timelines (pipeline_entry)"""
    )
