"""Consolidation writes files in groups under one savepoint, and still holds a bad file alone.

A savepoint per file made SQLite copy aside every page each file touched (issue 17);
files are now written in groups (``merge.GROUP_FILES``), and a group that meets an
error nobody foresaw is undone and received again, each file in its own savepoint.
These tests use real returns (the demo's, re-issued for other quarters and versions
and sealed with a test key), real programme files and real failures of SQLite.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from returns_support import FAKE_PDF, fixed_key

from lga_desktop.consolidation import merge
from lga_desktop.consolidation.figures import figures_for
from lga_desktop.consolidation.merge import consolidate, retry_waiting
from lga_desktop.consolidation.store import Programme
from lga_desktop.periods import parse_quarter
from lga_desktop.progress import Cancelled, Progress
from lga_desktop.returns import keys
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.fileformat import seal

OXFORD = "E07000178"
QUARTERS = ["2012/13 Q1", "2012/13 Q2", "2012/13 Q3", "2012/13 Q4", "2013/14 Q1"]


@pytest.fixture(scope="module")
def template(built_demo_programme) -> dict:
    """Oxford's real 2012/13 Q1 return (every section, with figures), as a document."""
    path = next(p for p in built_demo_programme.return_files if p.name.startswith("Oxford"))
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("return.json"))


def reissued(template: dict, quarter: str, version: int = 1, corrects: bytes | None = None):
    """The template re-addressed to a quarter and version, signed with the test key.

    Returns (file bytes, return.json bytes). ``corrects`` is the return.json of the
    version this one corrects.
    """
    q = parse_quarter(quarter)
    private = fixed_key()
    pub = keys.public_key_hex(private)
    doc = copy.deepcopy(template)
    doc["period"] = {
        "quarter": str(q),
        "key": q.key,
        "start": q.start.isoformat(),
        "end": q.end.isoformat(),
    }
    signed_on = (q.end + timedelta(days=15 + version)).isoformat()
    doc["signed_at"] = f"{signed_on}T10:30:00+00:00"
    doc["declaration"]["signer"]["date"] = signed_on
    doc["declaration"]["signer"]["name"] = "Zoë Ó Briain"  # kept exactly, not re-encoded
    doc["version"] = version
    doc["supersedes"] = (
        None
        if corrects is None
        else {
            "version": version - 1,
            "return_hash": hashlib.sha256(corrects).hexdigest(),
            "reason": f"Version {version} re-states the figures.",
        }
    )
    doc["signing_key"] = {
        "algorithm": "Ed25519",
        "public_key": pub,
        "fingerprint": keys.fingerprint(bytes.fromhex(pub)),
    }
    text = canonical_bytes(doc)
    return seal(text, FAKE_PDF, private).file_bytes, text


def new_programme(path: Path) -> Programme:
    prog = Programme.create(path)
    prog.trust_key(OXFORD, keys.fingerprint(bytes.fromhex(keys.public_key_hex(fixed_key()))))
    return prog


def inbox_of(tmp_path: Path, template: dict) -> tuple[Path, dict[str, bytes]]:
    """Five returns, one per quarter, in a folder; and the return.json of each file."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    texts = {}
    for i, quarter in enumerate(QUARTERS):
        data, text = reissued(template, quarter)
        name = f"{i} {quarter.replace('/', '-')}.lgareturn"
        (inbox / name).write_bytes(data)
        texts[name] = text
    return inbox, texts


def fact_tables(prog: Programme) -> list[str]:
    tables = prog.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fact!_%' ESCAPE '!' "
        "ORDER BY name"
    ).fetchall()
    assert len(tables) >= 14  # every table a return's figures go to
    return [t[0] for t in tables]


def facts_by_return(prog: Programme) -> dict[str, list]:
    """Every fact row, keyed by its return's hash (not its id), in a fixed order."""
    out = {}
    for table in fact_tables(prog):
        cols = [c[1] for c in prog.db.execute(f"PRAGMA table_info({table})") if c[1] != "return_id"]
        out[table] = prog.db.execute(
            f"SELECT r.return_hash, {', '.join('f.' + c for c in cols)} FROM {table} AS f "
            "JOIN council_return AS r ON r.id = f.return_id ORDER BY 1, 2, 3"
        ).fetchall()
    return out


def orphans(prog: Programme) -> int:
    return sum(
        prog.db.execute(
            f"SELECT COUNT(*) FROM {t} WHERE return_id NOT IN (SELECT id FROM council_return)"
        ).fetchone()[0]
        for t in fact_tables(prog)
    )


class BadFacts:
    """The facts of one return with a figure SQLite cannot store, after the good ones:
    the merge fails midway, with its return and some of its fact tables already written."""

    def __init__(self, facts):
        self.facts = facts

    def rows(self):
        return [*self.facts.rows(), ("fact_warning", {"seq": 1, "message": object()})]


@pytest.mark.parametrize("group", [1, 2, 3, 32])
def test_a_file_failing_mid_merge_is_held_alone_and_every_other_is_merged_once(
    tmp_path, template, monkeypatch, group
):
    inbox, texts = inbox_of(tmp_path, template)
    bad_name = sorted(texts)[2]  # the third file, Q3: inside a group, or starting one
    with new_programme(tmp_path / "clean.lgaprog") as clean:
        good = [inbox / n for n in sorted(texts) if n != bad_name]
        assert consolidate(clean, good).merged == 4
        expected = facts_by_return(clean)
    assert all(expected[t] for t in ("fact_savings", "fact_spend_category", "fact_cap_output"))

    monkeypatch.setattr(merge, "GROUP_FILES", group)
    real = merge.read_facts

    def read_facts(doc):
        facts = real(doc)
        return BadFacts(facts) if doc["period"]["quarter"] == "2012/13 Q3" else facts

    monkeypatch.setattr(merge, "read_facts", read_facts)
    with new_programme(tmp_path / "p.lgaprog") as prog:
        report = consolidate(prog, [inbox])
        outcomes = {f.file: (f.outcome, f.status) for f in report.files}
        assert outcomes.pop(bad_name) == ("held", "internal")
        assert set(outcomes.values()) == {("merged", "valid")} and len(outcomes) == 4
        (bad,) = [f for f in report.files if f.file == bad_name]
        assert "nothing of it was merged" in bad.reason
        assert prog.db.execute("SELECT COUNT(*) FROM council_return").fetchone()[0] == 4
        assert orphans(prog) == 0
        assert facts_by_return(prog) == expected  # the others' figures, each exactly once
        held = prog.db.execute(
            "SELECT outcome, status FROM received_file WHERE file_name = ?", [bad_name]
        ).fetchall()
        assert held == [("held", "internal")]
        # each stored return is the signed return.json itself, accents and all
        for name, text in texts.items():
            row = prog.db.execute(
                "SELECT r.return_json FROM council_return AS r "
                "JOIN received_file AS f ON f.id = r.received_id WHERE f.file_name = ?",
                [name],
            ).fetchone()
            assert (row is None) == (name == bad_name)
            if row:
                assert row[0].encode("utf-8") == text

        monkeypatch.setattr(merge, "read_facts", real)
        again = consolidate(prog, [inbox])
        assert again.count("already-received") == 5 and again.merged == 0
        assert prog.db.execute("SELECT COUNT(*) FROM council_return").fetchone()[0] == 4
        assert prog.db.execute("SELECT COUNT(*) FROM received_file").fetchone()[0] == 5
        assert facts_by_return(prog) == expected


def test_unreadable_and_waiting_files_in_a_group_keep_their_own_outcomes(
    tmp_path, template, monkeypatch
):
    monkeypatch.setattr(merge, "GROUP_FILES", 4)
    inbox, texts = inbox_of(tmp_path, template)
    files = [inbox / n for n in sorted(texts)]
    files[2:2] = [inbox / "gone.lgareturn"]  # not there: not read, in the middle of a group
    with Programme.create(tmp_path / "p.lgaprog") as prog:  # no key trusted yet: all wait
        report = consolidate(prog, files)
        assert [f.outcome for f in report.files] == ["waiting-key"] * 2 + ["not-read"] + [
            "waiting-key"
        ] * 3
        prog.trust_key(OXFORD, keys.fingerprint(bytes.fromhex(keys.public_key_hex(fixed_key()))))
        retried = retry_waiting(prog)
        assert [f.outcome for f in retried.files] == ["merged"] * 5
        assert consolidate(prog, files).count("already-received") == 5
        assert prog.db.execute("SELECT COUNT(*) FROM council_return").fetchone()[0] == 5


@pytest.mark.parametrize("order", list(itertools.permutations([1, 2, 3])))
def test_the_highest_version_counts_whatever_order_the_versions_arrive_in(
    tmp_path, template, order
):
    v1, t1 = reissued(template, "2012/13 Q2", 1)
    v2, t2 = reissued(template, "2012/13 Q2", 2, corrects=t1)
    v3, _ = reissued(template, "2012/13 Q2", 3, corrects=t2)
    files = {1: v1, 2: v2, 3: v3}
    paths = []
    for n in order:
        path = tmp_path / f"v{n}.lgareturn"
        path.write_bytes(files[n])
        paths.append(path)
    with new_programme(tmp_path / "p.lgaprog") as prog:
        report = consolidate(prog, paths)
        highest_so_far = 0
        for n, outcome in zip(order, report.files, strict=True):
            expected = "merged" if n > highest_so_far else "merged-superseded"
            assert outcome.outcome == expected, (order, n)
            if expected == "merged-superseded":
                assert f"version {highest_so_far} " in outcome.reason
            highest_so_far = max(highest_so_far, n)
        counted = prog.db.execute(
            "SELECT version, counts FROM council_return ORDER BY version"
        ).fetchall()
        assert counted == [(1, 0), (2, 0), (3, 1)]
        assert [r.version for r in figures_for(prog, "2012/13 Q2").returns] == [3]


def test_cancelling_after_a_group_was_written_leaves_the_programme_as_it_was(
    tmp_path, template, monkeypatch
):
    monkeypatch.setattr(merge, "GROUP_FILES", 2)
    inbox, _ = inbox_of(tmp_path, template)
    with new_programme(tmp_path / "p.lgaprog") as prog:
        progress = Progress(lambda done, total, message: done >= 3 and progress.cancel())
        with pytest.raises(Cancelled):
            consolidate(prog, [inbox], progress=progress)
        assert prog.db.execute("SELECT COUNT(*) FROM received_file").fetchone()[0] == 0
        assert prog.db.execute("SELECT COUNT(*) FROM council_return").fetchone()[0] == 0
        assert consolidate(prog, [inbox]).merged == 5  # nothing half-kept in the way


def test_adding_a_member_outside_a_transaction_is_kept_and_leaves_none_open(tmp_path):
    path = tmp_path / "p.lgaprog"
    with Programme.create(path) as prog:
        assert prog.add_member(OXFORD) is True
        assert prog.db.conn.in_transaction is False
        assert prog.add_member(OXFORD) is False
        assert prog.db.conn.in_transaction is False
    with Programme.open(path) as prog:
        assert [m.gss for m in prog.members()] == [OXFORD]
