"""The programme file: one SQLite file where LGA staff consolidate the councils' returns.

It identifies itself (``PRAGMA application_id`` "LGAP"), is migrated like a
workspace (:mod:`lga_desktop.db.programme_schema`), and holds the pilot
councils, the keys confirmed for each, every file received (kept byte for
byte, whether merged or held aside) and every accepted return with the facts
read from it. A workspace is refused as a programme and the other way round,
each with a message that says which file to open.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from lga_desktop import __version__
from lga_desktop.councils import council_by_gss
from lga_desktop.db.connection import connect, is_sqlite_file
from lga_desktop.db.file import DatabaseFile
from lga_desktop.db.migrations import WORKSPACE_APPLICATION_ID
from lga_desktop.db.programme_schema import (
    PROGRAMME_APPLICATION_ID,
    PROGRAMME_MIGRATIONS,
    migrate_programme,
    programme_migration_names,
)
from lga_desktop.errors import LgaError, UsageError
from lga_desktop.returns.keys import normalise_fingerprint
from lga_desktop.returns.trust import Revocation, TrustedKeys, check_trustable

__all__ = ["PROGRAMME_SUFFIX", "Programme", "ProgrammeError", "Member"]

PROGRAMME_SUFFIX = ".lgaprog"
DEFAULT_NAME = "Productivity Programme"


class ProgrammeError(LgaError):
    """The file cannot be used as a programme file (and why)."""


def now_text() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Member:
    gss: str
    name: str
    added_at: str
    fingerprints: tuple[str, ...]


class Programme(DatabaseFile):
    """An open programme file. Use as a context manager or call :meth:`close`."""

    @classmethod
    def create(cls, path: Path | str, name: str = DEFAULT_NAME) -> Programme:
        """A new, empty programme file. Refuses to overwrite anything."""
        path = Path(path)
        if path.exists():
            raise UsageError(f"{path} already exists; open it instead, or choose another name")
        path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(path)
        try:
            db.execute(f"PRAGMA application_id = {PROGRAMME_APPLICATION_ID}")
            migrate_programme(db)
            prog = cls(path, db)
            with db.atomic():
                prog.set_meta("name", name.strip() or DEFAULT_NAME)
                prog.set_meta("created_at", now_text())
                prog.set_meta("created_by_version", __version__)
        except BaseException:
            db.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        return prog

    @classmethod
    def open(cls, path: Path | str) -> Programme:
        """Open a programme file, migrating it; :class:`ProgrammeError` saying what is wrong."""
        path = Path(path)
        if not path.exists():
            raise UsageError(f"there is no programme file at {path}")
        if path.is_dir():
            raise UsageError(f"{path} is a folder; choose a programme file ({PROGRAMME_SUFFIX})")
        if not is_sqlite_file(path):
            raise ProgrammeError(f"{path.name} is not an lga-desktop programme file")
        try:
            db = connect(path, wal=False)
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise ProgrammeError(f"{path.name} could not be read ({exc})") from exc
        try:
            if app_id == WORKSPACE_APPLICATION_ID:
                raise ProgrammeError(
                    f"{path.name} is a council's workspace, not a programme file; open it "
                    "with 'lga-desktop --open', or consolidate the returns it exported"
                )
            if app_id != PROGRAMME_APPLICATION_ID:
                raise ProgrammeError(
                    f"{path.name} is a database, but not an lga-desktop programme file"
                )
            unknown = [
                m.name
                for m in PROGRAMME_MIGRATIONS.applied(db)
                if m.name not in programme_migration_names()
            ]
            if unknown:
                raise ProgrammeError(
                    f"{path.name} was saved by a newer version of lga-desktop "
                    f"(it has schema change {unknown[-1]}); install the newer version to open it"
                )
            problems = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise ProgrammeError(f"{path.name} is damaged ({problems[0]})")
            migrate_programme(db)
            db.enable_wal()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise ProgrammeError(f"{path.name} could not be read ({exc})") from exc
        except BaseException:
            db.close()
            raise
        return cls(path, db)

    @classmethod
    def open_or_create(cls, path: Path | str, name: str = DEFAULT_NAME) -> tuple[Programme, bool]:
        path = Path(path)
        if path.exists():
            return cls.open(path), False
        return cls.create(path, name), True

    @property
    def name(self) -> str:
        return self.get_meta("name", DEFAULT_NAME)

    # ---- members and their keys --------------------------------------------

    def add_member(self, gss: str) -> bool:
        """Make a council a pilot council of the programme; False when it already was."""
        council = council_by_gss(gss)
        with self.db.atomic():
            if self.db.execute("SELECT 1 FROM member WHERE gss = ?", [council.gss]).fetchone():
                return False
            self.db.execute(
                "INSERT INTO member (gss, name, added_at) VALUES (?, ?, ?)",
                [council.gss, council.official_name, now_text()],
            )
        return True

    def trust_key(self, gss: str, fingerprint: str, note: str = "") -> bool:
        """Trust a key for a council (making it a member); False when it already was."""
        council = council_by_gss(gss)
        fp = check_trustable(fingerprint)
        with self.db.atomic():
            self.add_member(council.gss)
            known = self.db.execute(
                "SELECT 1 FROM trusted_key WHERE gss = ? AND fingerprint = ?", [council.gss, fp]
            ).fetchone()
            if known:
                return False
            self.db.execute(
                "INSERT INTO trusted_key (gss, fingerprint, note, added_at) VALUES (?, ?, ?, ?)",
                [council.gss, fp, note, now_text()],
            )
        return True

    def trust_all(self, trusted: TrustedKeys) -> int:
        """Add every key of a trusted-keys file, and its revocations; how many keys were new."""
        added = 0
        with self.db.atomic():
            for gss, keys in trusted.councils.items():
                for fp, note in keys.items():
                    added += self.trust_key(gss, fp, note)
            for fp, revocation in trusted.revoked.items():
                self.revoke_key(fp, revocation)
        return added

    def revoke_key(self, fingerprint: str, revocation: Revocation) -> list[str]:
        """Revoke a trusted key for returns received after a day; the councils that held it."""
        fp = normalise_fingerprint(fingerprint)
        holders = self.trusted_keys().revoke(fp, revocation)
        with self.db.atomic():
            self.db.execute("DELETE FROM revoked_key WHERE fingerprint = ?", [fp])
            self.db.execute(
                "INSERT INTO revoked_key (fingerprint, after, reason, revoked_at) "
                "VALUES (?, ?, ?, ?)",
                [fp, revocation.after.isoformat(), revocation.reason, now_text()],
            )
        return holders

    def trusted_keys(self) -> TrustedKeys:
        trusted = TrustedKeys()
        for gss, fp, note in self.db.execute(
            "SELECT gss, fingerprint, note FROM trusted_key ORDER BY gss, fingerprint"
        ):
            trusted.councils.setdefault(gss, {})[fp] = note
        for fp, after, reason in self.db.execute(
            "SELECT fingerprint, after, reason FROM revoked_key ORDER BY fingerprint"
        ):
            trusted.revoked[fp] = Revocation(date.fromisoformat(after), reason)
        return trusted

    def members(self) -> list[Member]:
        keys: dict[str, list[str]] = {}
        for gss, fp in self.db.execute(
            "SELECT gss, fingerprint FROM trusted_key ORDER BY added_at"
        ):
            keys.setdefault(gss, []).append(fp)
        return [
            Member(gss, name, added_at, tuple(keys.get(gss, ())))
            for gss, name, added_at in self.db.execute(
                "SELECT gss, name, added_at FROM member ORDER BY name"
            )
        ]

    def pilot_councils(self) -> list[tuple[str, str]]:
        """(gss, name) of the councils expected to send returns, by name.

        The roster's councils when the LGA has named them (``roster --import``);
        without a roster, the councils whose key is trusted.
        """
        rostered = [r[0] for r in self.db.execute("SELECT DISTINCT gss FROM roster")]
        if rostered:
            councils = [council_by_gss(g) for g in rostered]
            return sorted(((c.gss, c.official_name) for c in councils), key=lambda x: x[1])
        return [(m.gss, m.name) for m in self.members()]

    def counts(self) -> dict[str, int]:
        """How many members, returns counted and superseded, files held aside and waiting."""
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "members": one("SELECT COUNT(*) FROM member"),
            "returns_counted": one("SELECT COUNT(*) FROM council_return WHERE counts = 1"),
            "returns_superseded": one("SELECT COUNT(*) FROM council_return WHERE counts = 0"),
            "held_aside": one("SELECT COUNT(*) FROM received_file WHERE outcome = 'held'"),
            "waiting_for_key": one(
                "SELECT COUNT(*) FROM received_file WHERE outcome = 'waiting-key'"
            ),
        }
