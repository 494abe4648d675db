"""The LGA's programme file: its identity and its numbered migrations.

A programme file is where LGA staff consolidate the returns councils send. It
is a SQLite file like a workspace, but says it is a programme ("LGAP" in
``PRAGMA application_id``) and has its own migrations, numbered p0001 on.
The SQL is kept portable (standard types, no ``INSERT OR ...``, JSON kept as
text): if the LGA ever needs a shared store, this schema should move to
PostgreSQL without redesign.

Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MigrationSet

# "LGAP" as a big-endian 32-bit integer.
PROGRAMME_APPLICATION_ID = 0x4C474150

PROGRAMME_MIGRATIONS = MigrationSet("lga_desktop.programme")


def programme_migration_names() -> list[str]:
    return PROGRAMME_MIGRATIONS.names()


def migrate_programme(db: Database) -> int:
    PROGRAMME_MIGRATIONS.apply(db)
    version = len(PROGRAMME_MIGRATIONS.applied(db))
    db.execute(f"PRAGMA user_version = {version}")
    return version


@PROGRAMME_MIGRATIONS(name="p0001_programme")
def p0001_programme(db: Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    # The pilot councils in the programme: a council joins when its key is
    # trusted (or staff add it), and is then expected to send every quarter.
    db.execute(
        """
        CREATE TABLE member (
            gss TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            added_at TEXT NOT NULL
        )
        """
    )
    # The keys LGA staff have confirmed with each council (e.g. read out on the phone).
    db.execute(
        """
        CREATE TABLE trusted_key (
            gss TEXT NOT NULL REFERENCES member (gss),
            fingerprint TEXT NOT NULL,
            note TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (gss, fingerprint)
        )
        """
    )
    # Every distinct file ever dropped in, kept byte for byte: what was merged,
    # what was held aside and why, what waits for a key to be trusted.
    db.execute(
        """
        CREATE TABLE received_file (
            id INTEGER PRIMARY KEY,
            file_sha256 TEXT NOT NULL UNIQUE,
            file_name TEXT NOT NULL,
            received_at TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            content BLOB NOT NULL,
            outcome TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            council_gss TEXT,
            period_key TEXT,
            version INTEGER,
            return_hash TEXT,
            key_fingerprint TEXT
        )
        """
    )
    db.execute("CREATE INDEX received_file_outcome ON received_file (outcome)")
    # Each accepted return. For each council and quarter the highest version
    # counts (counts = 1); the others stay, superseded. Never deleted.
    db.execute(
        """
        CREATE TABLE council_return (
            id INTEGER PRIMARY KEY,
            received_id INTEGER NOT NULL REFERENCES received_file (id),
            return_hash TEXT NOT NULL UNIQUE,
            council_gss TEXT NOT NULL REFERENCES member (gss),
            council_name TEXT NOT NULL,
            period_key TEXT NOT NULL,
            period TEXT NOT NULL,
            version INTEGER NOT NULL,
            supersedes_hash TEXT,
            signed_at TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            signer_role TEXT NOT NULL,
            key_fingerprint TEXT NOT NULL,
            warnings INTEGER NOT NULL,
            counts INTEGER NOT NULL,
            merged_at TEXT NOT NULL,
            return_json TEXT NOT NULL,
            UNIQUE (council_gss, period_key, version)
        )
        """
    )
    db.execute("CREATE INDEX council_return_period ON council_return (period_key, counts)")
    # Facts read out of each return's sections when it is merged, so the
    # programme's figures are sums in SQL. Money in integer pence; days in
    # tenths; CAP outputs as decimal text (summed with Decimal).
    db.execute(
        """
        CREATE TABLE fact_savings (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            workstream TEXT NOT NULL,
            realised_pence INTEGER NOT NULL,
            target_pence INTEGER NOT NULL,
            realised_to_date_pence INTEGER NOT NULL,
            target_to_date_pence INTEGER NOT NULL,
            PRIMARY KEY (return_id, workstream)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_spend (
            return_id INTEGER PRIMARY KEY REFERENCES council_return (id),
            lines INTEGER NOT NULL,
            total_pence INTEGER NOT NULL,
            sme_pence INTEGER NOT NULL,
            vcse_pence INTEGER NOT NULL,
            local_pence INTEGER NOT NULL,
            unmapped_pence INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_spend_category (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            category TEXT NOT NULL,
            name TEXT NOT NULL,
            lines INTEGER NOT NULL,
            pence INTEGER NOT NULL,
            PRIMARY KEY (return_id, category)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_cap (
            return_id INTEGER PRIMARY KEY REFERENCES council_return (id),
            lga_investment_pence INTEGER NOT NULL,
            match_funding_pence INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_cap_output (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            output TEXT NOT NULL,
            unit TEXT NOT NULL,
            planned_year TEXT NOT NULL,
            planned_to_date TEXT NOT NULL,
            realised_period TEXT NOT NULL,
            realised_to_date TEXT NOT NULL,
            PRIMARY KEY (return_id, output)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_experts (
            return_id INTEGER PRIMARY KEY REFERENCES council_return (id),
            engagements INTEGER NOT NULL,
            days_agreed_tenths INTEGER NOT NULL,
            days_used_period_tenths INTEGER NOT NULL,
            days_used_to_date_tenths INTEGER NOT NULL,
            realised_saving_pence INTEGER NOT NULL
        )
        """
    )


@PROGRAMME_MIGRATIONS(name="p0002_revoked_keys")
def p0002_revoked_keys(db: Database) -> None:
    # A trusted key the LGA revoked: not valid for returns received after `after`
    # (an ISO date), for `reason`. The key stays trusted for what came before.
    db.execute(
        """
        CREATE TABLE revoked_key (
            fingerprint TEXT PRIMARY KEY,
            after TEXT NOT NULL,
            reason TEXT NOT NULL,
            revoked_at TEXT NOT NULL
        )
        """
    )


@PROGRAMME_MIGRATIONS(name="p0003_sme_basis")
def p0003_sme_basis(db: Database) -> None:
    # The SME share is of procurement spend (basis), shown with how much of it has
    # suppliers classified. A return signed before its council's software knew the
    # basis has basis = all its spend and nothing known about classification (NULL).
    db.execute("ALTER TABLE fact_spend ADD COLUMN basis_pence INTEGER")
    db.execute("ALTER TABLE fact_spend ADD COLUMN classified_pence INTEGER")
    db.execute("UPDATE fact_spend SET basis_pence = total_pence")


@PROGRAMME_MIGRATIONS(name="p0004_savings_kinds")
def p0004_savings_kinds(db: Database) -> None:
    # savings kept apart by cashable or not and revenue or capital, as returns state them
    db.execute(
        """
        CREATE TABLE fact_savings_kind (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            cashable TEXT NOT NULL,
            kind TEXT NOT NULL,
            realised_pence INTEGER NOT NULL,
            target_pence INTEGER NOT NULL,
            realised_to_date_pence INTEGER NOT NULL,
            target_to_date_pence INTEGER NOT NULL,
            PRIMARY KEY (return_id, cashable, kind)
        )
        """
    )


@PROGRAMME_MIGRATIONS(name="p0005_everything_a_return_carries")
def p0005_everything_a_return_carries(db: Database) -> None:
    # The rest of what a return carries, so the Board sees all of it: the procurement
    # pipeline (totals, and value by year, category and confidence), the 120-working-day
    # timelines, each CAP plan (status, funding), each savings line (cashable or not,
    # revenue or capital, recurring or one-off, annual target), each expert engagement,
    # and the warnings with the officer's notes. Returns merged before are read again.
    db.execute(
        """
        CREATE TABLE fact_pipeline (
            return_id INTEGER PRIMARY KEY REFERENCES council_return (id),
            entries INTEGER NOT NULL,
            value_pence INTEGER NOT NULL,
            sme_lots_pence INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_pipeline_split (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            dimension TEXT NOT NULL,
            key TEXT NOT NULL,
            value_pence INTEGER NOT NULL,
            PRIMARY KEY (return_id, dimension, key)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_timelines (
            return_id INTEGER PRIMARY KEY REFERENCES council_return (id),
            awarded INTEGER NOT NULL,
            within_120 INTEGER NOT NULL,
            days_to_award INTEGER NOT NULL,
            running INTEGER NOT NULL,
            running_past_120 INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_cap_plan (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            ref TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL,
            lga_investment_pence INTEGER NOT NULL,
            match_funding_pence INTEGER NOT NULL,
            PRIMARY KEY (return_id, ref)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_savings_line (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            ref TEXT NOT NULL,
            workstream TEXT NOT NULL,
            cashable TEXT NOT NULL,
            kind TEXT NOT NULL,
            recurrence TEXT NOT NULL,
            annual_target_pence INTEGER NOT NULL,
            realised_pence INTEGER NOT NULL,
            realised_to_date_pence INTEGER NOT NULL,
            PRIMARY KEY (return_id, ref)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_engagement (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            ref TEXT NOT NULL,
            specialism TEXT NOT NULL,
            days_agreed_tenths INTEGER NOT NULL,
            days_used_tenths INTEGER NOT NULL,
            expected_saving_pence INTEGER NOT NULL,
            realised_saving_pence INTEGER NOT NULL,
            PRIMARY KEY (return_id, ref)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE fact_warning (
            return_id INTEGER NOT NULL REFERENCES council_return (id),
            seq INTEGER NOT NULL,
            register TEXT NOT NULL,
            code TEXT NOT NULL,
            record TEXT NOT NULL,
            message TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (return_id, seq)
        )
        """
    )
    # The roster: the programme's councils by strand (category-management pilot, CAP wave,
    # ...), named by the LGA, with when each owes its return (days after a quarter's end,
    # NULL for the programme's due dates); and a due date per quarter.
    db.execute(
        """
        CREATE TABLE roster (
            gss TEXT NOT NULL,
            strand TEXT NOT NULL,
            pilot TEXT NOT NULL,
            due_days INTEGER,
            added_at TEXT NOT NULL,
            PRIMARY KEY (gss, strand)
        )
        """
    )
    db.execute("CREATE TABLE due_date (period_key TEXT PRIMARY KEY, due TEXT NOT NULL)")
    # The LGA's review of each return: queried, accepted, or a comment (on the return, or
    # on one figure of it), with who and when. A return with none is "received".
    db.execute(
        """
        CREATE TABLE review_event (
            id INTEGER PRIMARY KEY,
            return_hash TEXT NOT NULL,
            action TEXT NOT NULL,
            figure TEXT NOT NULL,
            comment TEXT NOT NULL,
            by_name TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX review_event_return ON review_event (return_hash)")
    # Each Board report exported: what it covered and which returns (by hash) it counted,
    # so the same snapshot can be written again and what changed since be shown.
    db.execute(
        """
        CREATE TABLE board_snapshot (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            made_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            return_hashes TEXT NOT NULL
        )
        """
    )
    # a council's returns by quarter: each council's latest return in a period
    db.execute(
        "CREATE INDEX council_return_council ON council_return (council_gss, period_key, counts)"
    )
    # Read the returns already merged again (a return whose new sections do not read
    # keeps its earlier facts and simply adds none of these).
    import json

    from lga_desktop.consolidation.facts import FactError, read_facts

    for return_id, text in db.execute("SELECT id, return_json FROM council_return").fetchall():
        try:
            rows = read_facts(json.loads(text)).more_rows()
        except (FactError, ValueError):
            continue
        for table, row in rows:
            columns = ["return_id", *row]
            db.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [return_id, *row.values()],
            )


@PROGRAMME_MIGRATIONS(name="p0006_lga_key")
def p0006_lga_key(db: Database) -> None:
    # The LGA's own Ed25519 key, which signs programme packs and receipts: the same
    # columns as a workspace's signing_keys, so the same code creates, locks, rotates
    # and prints it (lga_desktop.returns.keys).
    db.execute(
        """
        CREATE TABLE signing_keys (
            fingerprint TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            encrypted_private_key TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT '',
            retired_at TEXT,
            replaced_by TEXT,
            endorsement TEXT
        )
        """
    )
