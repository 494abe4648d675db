"""The programme file: one SQLite file where LGA staff consolidate the councils' returns.

It identifies itself (``PRAGMA application_id`` "LGAP"), is migrated like a
workspace (:mod:`lga_desktop.db.programme_schema`), and holds the pilot
councils, the keys confirmed for each, every file received (kept byte for
byte, whether merged or held aside) and every accepted return with the facts
read from it. A workspace is refused as a programme and the other way round,
each with a message that says which file to open.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from lga_desktop import __version__
from lga_desktop.councils import council_by_gss
from lga_desktop.db.file import DatabaseFile
from lga_desktop.db.migrations import WORKSPACE_APPLICATION_ID
from lga_desktop.db.programme_schema import (
    PROGRAMME_APPLICATION_ID,
    PROGRAMME_MIGRATIONS,
    migrate_programme,
    programme_migration_names,
)
from lga_desktop.errors import DamagedFileError, LgaError
from lga_desktop.returns.keys import normalise_fingerprint
from lga_desktop.returns.trust import Revocation, TrustedKeys, check_trustable

__all__ = ["PROGRAMME_SUFFIX", "Programme", "ProgrammeError", "ProgrammeDamagedError", "Member"]

PROGRAMME_SUFFIX = ".lgaprog"
DEFAULT_NAME = "Productivity Programme"


class ProgrammeError(LgaError):
    """The file cannot be used as a programme file (and why)."""


class ProgrammeDamagedError(ProgrammeError, DamagedFileError):
    """The programme file is damaged (SQLite says so, or our id without our tables)."""


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

    Damaged = ProgrammeDamagedError

    KIND = "programme file"
    SUFFIX = PROGRAMME_SUFFIX
    APPLICATION_ID = PROGRAMME_APPLICATION_ID
    DAMAGED_ADVICE = "open your latest copy of it, or ask for help before you go on"

    @classmethod
    def create(cls, path: Path | str, name: str = DEFAULT_NAME) -> Programme:
        """A new, empty programme file, opened. Refuses to overwrite anything.

        Built under a temporary name and renamed into place when complete (a
        killed or disk-full first ``consolidate`` leaves nothing in the way).
        """
        path = Path(path)

        def fill(prog: Programme) -> None:
            prog.db.execute(f"PRAGMA application_id = {PROGRAMME_APPLICATION_ID}")
            migrate_programme(prog.db)
            with prog.db.atomic():
                prog.set_meta("name", name.strip() or DEFAULT_NAME)
                prog.set_meta("created_at", now_text())
                prog.set_meta("created_by_version", __version__)

        cls._build_new(path, fill)
        return cls.open(path)

    @classmethod
    def _check_header_id(cls, path: Path, application_id: int) -> None:
        if application_id == WORKSPACE_APPLICATION_ID:
            raise ProgrammeError(
                f"{path.name} is a council's workspace, not a programme file; open it "
                "with 'lga-desktop --open', or consolidate the returns it exported"
            )

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Programme:
        """Open a programme file (its owner lock taken and migrated, unless ``read_only``).

        :class:`ProgrammeError` says what is wrong with a file that is not one;
        ``ProgrammeDamagedError`` when it is damaged; busy, read-only and out of
        reach each have their own error and never count as damage.
        """

        def prepare(prog: Programme) -> None:
            db = prog.db
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            cls._check_header_id(path, app_id)
            if app_id != PROGRAMME_APPLICATION_ID:
                raise ProgrammeDamagedError(
                    f"{path.name} is a database, but not an lga-desktop programme file"
                )
            prog._check_tables("meta", "_sqlite_migrations")
            unknown = [
                name
                for name in PROGRAMME_MIGRATIONS.applied(db)
                if name not in programme_migration_names()
            ]
            if unknown:
                raise ProgrammeError(
                    f"{path.name} was saved by a newer version of lga-desktop "
                    f"(it has schema change {unknown[-1]}); install the newer version to open it"
                )
            prog._quick_check()
            if not read_only:
                migrate_programme(db)
                db.enable_wal()

        path = Path(path)
        return cls._open_checked(path, read_only=read_only, prepare=prepare)

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
        # one statement, atomic by itself: inside a transaction (every merged return comes
        # this way) it needs no savepoint of its own
        with nullcontext() if self.db.conn.in_transaction else self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO member (gss, name, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (gss) DO NOTHING",
                [council.gss, council.official_name, now_text()],
            )
        return cursor.rowcount == 1

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
