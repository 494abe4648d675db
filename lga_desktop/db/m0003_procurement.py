"""0003: procurement category management: spend lines, suppliers, categories.

Spend lines carry their date as ISO text and their quarter key (``2015Q1``)
so grouping by quarter never parses a date. ``spend_summary`` holds the sums
per quarter, source category and supplier, kept in step with ``spend_line``
by every write (import, removal), so the derived figures read a few thousand
rows instead of a county's million.
"""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0003_procurement")
def m0003_procurement(db: Database) -> None:
    from lga_desktop.categories import default_categories

    db.execute(
        """
        CREATE TABLE spend_category (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL
        )
        """
    )
    db.conn.executemany(
        "INSERT INTO spend_category (code, name, position) VALUES (?, ?, ?)",
        [(c.code, c.name, i) for i, c in enumerate(default_categories())],
    )
    # a supplier is keyed by its normalised name, so the same supplier written
    # "INSTARMAC LTD" in one file and "Instarmac Limited" in the next is one row
    db.execute(
        """
        CREATE TABLE supplier (
            id INTEGER PRIMARY KEY,
            name_key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            supplier_ref TEXT,
            company_number TEXT,
            sme INTEGER NOT NULL DEFAULT 0,
            vcse INTEGER NOT NULL DEFAULT 0,
            local INTEGER NOT NULL DEFAULT 0,
            redacted INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    # lines that name no supplier belong to this one, so every line has a supplier
    db.execute("INSERT INTO supplier (name_key, name) VALUES ('', '(no supplier named)')")
    # an expenditure category and code as a council's file writes them
    db.execute(
        """
        CREATE TABLE spend_source_category (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            code TEXT NOT NULL,
            category_code TEXT REFERENCES spend_category (code),
            mapped_by TEXT,
            UNIQUE (name, code)
        )
        """
    )
    # lines whose file has no category column belong to this one
    db.execute("INSERT INTO spend_source_category (name, code) VALUES ('', '')")
    # remembered mapping rules: an expenditure category name or code -> big-spend category
    db.execute(
        """
        CREATE TABLE spend_category_rule (
            id INTEGER PRIMARY KEY,
            match_on TEXT NOT NULL CHECK (match_on IN ('name', 'code')),
            match_value TEXT NOT NULL,
            category_code TEXT NOT NULL REFERENCES spend_category (code),
            UNIQUE (match_on, match_value)
        )
        """
    )
    # column mappings the officer confirmed, per header signature
    db.execute(
        """
        CREATE TABLE spend_column_mapping (
            signature TEXT PRIMARY KEY,
            headers TEXT NOT NULL,
            mapping TEXT NOT NULL,
            saved_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE spend_import (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            rows_read INTEGER NOT NULL,
            imported INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            refused INTEGER NOT NULL,
            total_pence INTEGER NOT NULL,
            -- an import's lines are one run of ids: removing it never scans the table
            first_line_id INTEGER,
            last_line_id INTEGER,
            report TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE spend_line (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES spend_import (id),
            line_no INTEGER NOT NULL,
            spend_date TEXT NOT NULL,
            quarter TEXT NOT NULL,
            amount_pence INTEGER NOT NULL,
            reference TEXT,
            supplier_id INTEGER NOT NULL REFERENCES supplier (id),
            supplier_name TEXT NOT NULL,
            supplier_ref TEXT,
            source_category_id INTEGER NOT NULL REFERENCES spend_source_category (id),
            service_area TEXT,
            body_name TEXT,
            cap_rev TEXT
        )
        """
    )
    # the duplicate rule: the same transaction reference and amount is one payment
    db.execute("CREATE UNIQUE INDEX spend_line_reference ON spend_line (reference, amount_pence)")
    for statement in SECONDARY_INDEXES:
        db.execute(statement)
    db.execute(
        """
        CREATE TABLE spend_summary (
            quarter TEXT NOT NULL,
            source_category_id INTEGER NOT NULL REFERENCES spend_source_category (id),
            supplier_id INTEGER NOT NULL REFERENCES supplier (id),
            pence INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            PRIMARY KEY (quarter, source_category_id, supplier_id)
        )
        """
    )


# What the spend table sorts and filters on. The importer drops and rebuilds
# these around an import that is large beside what the workspace already holds
# (a bulk index build is several times faster than row-by-row upkeep).
SECONDARY_INDEXES = (
    "CREATE INDEX spend_line_date ON spend_line (spend_date)",
    "CREATE INDEX spend_line_supplier ON spend_line (supplier_id, spend_date)",
    "CREATE INDEX spend_line_supplier_name ON spend_line (supplier_name)",
    "CREATE INDEX spend_line_amount ON spend_line (amount_pence)",
)
