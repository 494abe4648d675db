"""0004: signing keys, signed returns (immutable) and draft explanation notes."""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0004_returns")
def m0004_returns(db: Database) -> None:
    # The council's Ed25519 keys. The private half is encrypted with the
    # officer's passphrase (scrypt + AES-GCM, see lga_desktop/returns/keys.py)
    # and erased when the key is retired by a rotation; the public half stays
    # so that returns signed with an old key can still be shown and checked.
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
    # Every return this workspace has signed: the file's exact bytes, so a lost
    # e-mail can be re-sent, and the facts the history shows. Never changed:
    # a correction is a new row with version n+1 naming the one it supersedes.
    db.execute(
        """
        CREATE TABLE signed_returns (
            id INTEGER PRIMARY KEY,
            period_key TEXT NOT NULL,
            period TEXT NOT NULL,
            version INTEGER NOT NULL,
            supersedes_hash TEXT,
            return_hash TEXT NOT NULL UNIQUE,
            file_sha256 TEXT NOT NULL,
            key_fingerprint TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            signer_role TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            error_count INTEGER NOT NULL,
            warning_count INTEGER NOT NULL,
            return_json TEXT NOT NULL,
            file_bytes BLOB NOT NULL,
            UNIQUE (period_key, version)
        )
        """
    )
    db.execute(
        """
        CREATE TRIGGER signed_returns_no_update BEFORE UPDATE ON signed_returns
        BEGIN
            SELECT RAISE(ABORT, 'a signed return is never changed; sign a correction instead');
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER signed_returns_no_delete BEFORE DELETE ON signed_returns
        BEGIN
            SELECT RAISE(ABORT, 'a signed return is never deleted; sign a correction instead');
        END
        """
    )
    # Explanation notes typed for a quarter's warnings before signing, so they
    # survive closing the window; keyed by the finding's stable key.
    db.execute(
        """
        CREATE TABLE return_notes (
            period_key TEXT NOT NULL,
            finding_key TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (period_key, finding_key)
        )
        """
    )
