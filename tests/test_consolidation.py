"""Consolidation: real signed returns from demo councils merged into a real programme file.

Every programme figure must equal the sum of the councils' returns to the
penny; nothing is merged twice or half; anything wrong is held aside with
its reason, and a return from a key not yet trusted waits for it.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from returns_support import fixed_key, sealed_return

from lga_desktop.consolidation.figures import figures_for, held_files, returns_on_record
from lga_desktop.consolidation.merge import collect_files, consolidate, retry_waiting
from lga_desktop.consolidation.store import Programme, ProgrammeError
from lga_desktop.errors import UsageError
from lga_desktop.progress import Cancelled, Progress
from lga_desktop.returns import keys
from lga_desktop.returns.canonical import canonical_bytes
from lga_desktop.returns.fileformat import seal
from lga_desktop.workspace import Workspace

Q1, Q2 = "2012/13 Q1", "2012/13 Q2"


def doc_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("return.json"))


def section(doc: dict, key: str) -> dict:
    return next(s["data"] for s in doc["sections"] if s["key"] == key)


def counting_docs(demo, quarter: str) -> list[dict]:
    """The returns that should count for a quarter, read straight from the files."""
    best: dict[str, dict] = {}
    for path in demo.return_files:
        try:
            doc = doc_of(path)
        except (zipfile.BadZipFile, KeyError, ValueError):
            continue  # the tampered copy
        if doc["period"]["quarter"] != quarter or doc["council"]["gss"] == "E07000177":
            continue  # Cherwell's key is not trusted
        gss = doc["council"]["gss"]
        if gss not in best or doc["version"] > best[gss]["version"]:
            best[gss] = doc
    return list(best.values())


def snapshot(prog: Programme) -> list:
    return [
        prog.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
        for t in ("member", "trusted_key", "received_file", "council_return", "fact_savings")
    ]


# ---- the demo programme -------------------------------------------------------


def test_demo_programme_merges_what_is_good_and_holds_the_rest(demo_programme):
    report = demo_programme.report
    assert (report.merged, report.waiting, report.held, report.already) == (8, 2, 1, 0)
    held = [f for f in report.files if f.outcome == "held"]
    assert held[0].file.endswith("(forwarded).lgareturn")
    assert "changed or corrupted" in held[0].reason
    with Programme.open(demo_programme.path) as prog:
        assert prog.counts() == {
            "members": 4,
            "returns_counted": 7,
            "returns_superseded": 1,
            "held_aside": 1,
            "waiting_for_key": 2,
        }
        superseded = [r for r in returns_on_record(prog) if not r.counts]
        assert [(r.council_name, r.period, r.version) for r in superseded] == [
            ("Portsmouth City Council", Q1, 1)
        ]
        # every file received is kept byte for byte, merged or not
        for path in demo_programme.return_files:
            (content,) = prog.db.execute(
                "SELECT content FROM received_file WHERE file_name = ?", [path.name]
            ).fetchone()
            assert bytes(content) == path.read_bytes()


@pytest.mark.parametrize("quarter", [Q1, Q2])
def test_programme_totals_are_the_sum_of_the_returns_to_the_penny(demo_programme, quarter):
    docs = counting_docs(demo_programme, quarter)
    assert len(docs) == (4 if quarter == Q1 else 3)
    with Programme.open(demo_programme.path) as prog:
        fig = figures_for(prog, quarter)
    assert sorted(r.return_hash for r in fig.returns) == sorted(
        __import__("hashlib").sha256(canonical_bytes(d)).hexdigest() for d in docs
    )

    def savings_sums(rows: str) -> dict[str, list[int]]:
        """realised in the quarter, target for it, target to date: summed over the returns"""
        out: dict[str, list[int]] = {}
        for d in docs:
            for row in section(d, "savings")[rows]:
                sums = out.setdefault(row["key"], [0, 0, 0])
                sums[0] += row["period"]["realised_pence"]
                sums[1] += row["period"]["target_pence"]
                sums[2] += row["to_date"]["target_pence"]
        return out

    by_ws = {k: v[:2] for k, v in savings_sums("by_workstream").items()}
    assert {s.key: [s.realised_pence, s.target_pence] for s in fig.savings} == by_ws
    # cashable or not, revenue or capital: kept apart as the returns keep them
    by_kind = {k: [v[0], v[2]] for k, v in savings_sums("by_basis").items()}
    assert (
        by_kind
        and {s.key: [s.realised_pence, s.target_to_date_pence] for s in fig.savings_by_kind}
        == by_kind
    )
    assert {s.label for s in fig.savings_by_kind} <= {
        "Cashable revenue",
        "Cashable capital",
        "Non-cashable revenue",
        "Non-cashable capital",
    }
    assert fig.savings_total.realised_pence == sum(v[0] for v in by_ws.values())
    shares = [section(d, "procurement")["share"] for d in docs]
    assert fig.sme_total.total_pence == sum(s["total_pence"] for s in shares)
    assert fig.sme_total.sme_pence == sum(s["sme_pence"] for s in shares)
    # the share is of procurement spend, and shown with the part of it classified
    assert fig.sme_total.basis_pence == sum(s["basis_pence"] for s in shares)
    assert fig.sme_total.classified_pence == sum(s["classified_pence"] for s in shares)
    expected_percent = (
        Decimal(fig.sme_total.sme_pence) * 100 / Decimal(fig.sme_total.basis_pence)
    ).quantize(Decimal("0.1"))
    assert fig.sme_total.sme_percent == expected_percent
    days = sum(Decimal(section(d, "experts")["days"]["days_used_period"]) for d in docs)
    assert fig.experts_total.days_used_period == days
    jobs = sum(
        Decimal(str(o["realised_to_date"]))
        for d in docs
        for o in section(d, "cap")["outputs_against_plan"]
        if o["output"] == "jobs"
    )
    assert next(o for o in fig.outputs if o.output == "jobs").realised_to_date == jobs
    capex = sum(
        o["planned_to_date"]
        for d in docs
        for o in section(d, "cap")["outputs_against_plan"]
        if o["output"] == "capex_reduced"
    )
    assert next(o for o in fig.outputs if o.output == "capex_reduced").planned_to_date == capex
    categories = {}
    for d in docs:
        for c in section(d, "procurement")["spend_by_category"]:
            categories[c["category"]] = categories.get(c["category"], 0) + c["spend_pence"]
    assert {c[0]: c[2] for c in fig.spend_by_category} == categories


def test_missing_returns_name_the_pilot_councils_that_have_not_sent(demo_programme):
    with Programme.open(demo_programme.path) as prog:
        assert figures_for(prog, Q2).missing == [("E10000029", "Suffolk County Council")]
        assert figures_for(prog, Q1).missing == []


def test_the_correction_counts_and_the_original_stays_superseded(demo_programme):
    with Programme.open(demo_programme.path) as prog:
        portsmouth = [r for r in returns_on_record(prog) if r.council_gss == "E06000044"]
        q1 = {r.version: r.counts for r in portsmouth if r.period == Q1}
        assert q1 == {1: False, 2: True}
        fig = figures_for(prog, Q1)
        assert [r.version for r in fig.returns if r.council_gss == "E06000044"] == [2]


# ---- nothing merged twice ------------------------------------------------------------


def test_the_same_files_again_merge_nothing(demo_programme):
    with Programme.open(demo_programme.path) as prog:
        before = figures_for(prog, Q1)
        counts = prog.counts()
        report = consolidate(prog, demo_programme.return_files)
        assert report.merged == 0
        assert report.already == len(demo_programme.return_files) - 2  # the 2 still waiting
        assert report.waiting == 2
        assert prog.counts() == counts
        assert figures_for(prog, Q1).savings_total == before.savings_total


def test_each_merged_return_is_kept_as_signed_with_its_file_hash(demo_programme):
    """The stored return is the signed return.json itself, byte for byte, not a re-writing."""
    with Programme.open(demo_programme.path) as prog:
        rows = prog.db.execute(
            "SELECT r.return_hash, r.return_json, f.file_sha256, f.content "
            "FROM council_return AS r JOIN received_file AS f ON f.id = r.received_id"
        ).fetchall()
    assert rows
    for return_hash, text, file_sha, content in rows:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            signed = z.read("return.json")
        assert text.encode("utf-8") == signed
        assert hashlib.sha256(signed).hexdigest() == return_hash
        assert hashlib.sha256(content).hexdigest() == file_sha


def test_a_renamed_copy_is_recognised_by_its_bytes(demo_programme, tmp_path):
    copy = tmp_path / "from the e-mail.lgareturn"
    copy.write_bytes(demo_programme.return_files[0].read_bytes())
    with Programme.open(demo_programme.path) as prog:
        (outcome,) = consolidate(prog, [copy]).files
    assert outcome.outcome == "already-received"
    assert "received on" in outcome.reason


def test_the_same_return_in_a_different_file_is_not_merged_twice(demo_programme, tmp_path):
    original = demo_programme.return_files[0]  # Oxford Q1 v1
    with zipfile.ZipFile(original) as z:
        return_bytes = z.read("return.json")
    with Workspace.open(demo_programme.path.parent / "E07000178.lgaws") as ws:
        private, _ = keys.unlock(ws, "demo passphrase, never a real one")
    other = tmp_path / "re-exported.lgareturn"
    other.write_bytes(seal(return_bytes, b"%PDF-1.4 another printout", private).file_bytes)
    with Programme.open(demo_programme.path) as prog:
        counted = prog.counts()["returns_counted"]
        (outcome,) = consolidate(prog, [other]).files
        assert outcome.outcome == "same-return"
        assert prog.counts()["returns_counted"] == counted


def _resigned(demo, gss: str, file_index: int, out: Path, **changes) -> Path:
    doc = doc_of(demo.return_files[file_index])
    doc.update(changes)
    with Workspace.open(demo.path.parent / f"{gss}.lgaws") as ws:
        private, _ = keys.unlock(ws, "demo passphrase, never a real one")
    out.write_bytes(seal(canonical_bytes(doc), b"%PDF-1.4 x", private).file_bytes)
    return out


def test_a_second_different_version_1_is_held_aside_as_a_conflict(demo_programme, tmp_path):
    other = _resigned(
        demo_programme,
        "E07000178",
        0,
        tmp_path / "b.lgareturn",
        signed_at="2012-07-20T09:00:00+00:00",
    )
    with Programme.open(demo_programme.path) as prog:
        before = figures_for(prog, Q1).savings_total
        (outcome,) = consolidate(prog, [other]).files
        assert (outcome.outcome, outcome.status) == ("held", "conflict")
        assert "version 2" in outcome.reason
        assert figures_for(prog, Q1).savings_total == before


def test_a_late_earlier_version_is_merged_as_superseded(demo_programme, tmp_path):
    files = demo_programme.return_files
    v1, v2 = files[2], files[4]  # Portsmouth Q1 v1 and its correction
    assert doc_of(v1)["version"] == 1 and doc_of(v2)["version"] == 2
    fresh = tmp_path / "fresh.lgaprog"
    with Programme.open(demo_programme.path) as old, Programme.create(fresh) as prog:
        prog.trust_all(old.trusted_keys())
        first = consolidate(prog, [v2]).files[0]
        late = consolidate(prog, [v1]).files[0]
        assert first.outcome == "merged"
        assert late.outcome == "merged-superseded"
        assert "version 2" in late.reason
        assert [r.version for r in figures_for(prog, Q1).returns] == [2]


def test_a_return_signed_before_its_quarter_began_is_held_aside(tmp_path):
    sealed = sealed_return(signed_at="2012-06-30T23:00:00+00:00")  # a 2012/13 Q2 return
    path = tmp_path / "early.lgareturn"
    path.write_bytes(sealed.file_bytes)
    with Programme.create(tmp_path / "p.lgaprog") as prog:
        prog.trust_key("E07000178", sealed.key_fingerprint)
        (outcome,) = consolidate(prog, [path]).files
        assert (outcome.outcome, outcome.status) == ("held", "period")
        assert "before that quarter began" in outcome.reason


def test_figures_not_in_the_format_are_held_aside_not_guessed(tmp_path):
    bad_savings = {
        "key": "savings",
        "title": "Realised savings",
        "data": {
            "by_workstream": [
                {
                    "key": "waste",
                    "period": {"realised_pence": "12.5", "target_pence": 100},
                    "to_date": {"realised_pence": 0, "target_pence": 0},
                }
            ]
        },
    }
    sealed = sealed_return(sections=[bad_savings])
    path = tmp_path / "odd.lgareturn"
    path.write_bytes(sealed.file_bytes)
    with Programme.create(tmp_path / "p.lgaprog") as prog:
        prog.trust_key("E07000178", sealed.key_fingerprint)
        (outcome,) = consolidate(prog, [path]).files
        assert (outcome.outcome, outcome.status) == ("held", "figures")
        assert "waste realised is not a whole number of pence" in outcome.reason
        assert prog.counts()["returns_counted"] == 0


# ---- keys ------------------------------------------------------------------------------


def test_returns_wait_for_their_key_and_merge_once_it_is_trusted(demo_programme):
    with Programme.open(demo_programme.path) as prog:
        waiting = [f for f in held_files(prog) if f["outcome"] == "waiting-key"]
        assert {f["council_gss"] for f in waiting} == {"E07000177"}
        assert "no key is trusted yet for Cherwell District Council" in waiting[0]["reason"]
        with Workspace.open(demo_programme.path.parent / "E07000177.lgaws") as ws:
            fp = keys.current_key(ws).fingerprint
        assert prog.trust_key("E07000177", fp, "confirmed by phone")
        report = retry_waiting(prog)
        assert report.merged == 2
        assert prog.counts()["waiting_for_key"] == 0
        assert prog.counts()["members"] == 5
        assert "E07000177" in {r.council_gss for r in figures_for(prog, Q2).returns}


def test_a_known_council_signing_with_another_key_waits(demo_programme, tmp_path):
    other = tmp_path / "impostor.lgareturn"
    other.write_bytes(sealed_return(fixed_key()).file_bytes)  # says Oxford, 2012/13 Q2
    with Programme.open(demo_programme.path) as prog:
        (outcome,) = consolidate(prog, [other]).files
        assert (outcome.outcome, outcome.status) == ("waiting-key", "untrusted-key")
        assert "NOT the key trusted for Oxford City Council" in outcome.reason


# ---- hostile and unreadable files --------------------------------------------------------


def test_garbage_is_held_aside_kept_and_recognised_when_sent_again(tmp_path):
    junk = tmp_path / "junk.lgareturn"
    junk.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    text = tmp_path / "notes.lgareturn"
    text.write_text("not a return at all", "utf-8")
    missing = tmp_path / "gone.lgareturn"
    with Programme.create(tmp_path / "p.lgaprog") as prog:
        report = consolidate(prog, [junk, text, missing])
        assert [f.outcome for f in report.files] == ["held", "held", "not-read"]
        assert all(f.reason for f in report.files)
        assert report.held == 3 and not report.all_accepted
        again = consolidate(prog, [junk])
        assert again.files[0].outcome == "already-received"
        assert prog.counts()["held_aside"] == 2


def test_cancelling_leaves_the_programme_as_it_was(demo_programme, tmp_path):
    fresh = tmp_path / "fresh.lgaprog"
    with Programme.open(demo_programme.path) as old, Programme.create(fresh) as prog:
        prog.trust_all(old.trusted_keys())
        before = snapshot(prog)
        progress = Progress(lambda done, total, message: done >= 3 and progress.cancel())
        with pytest.raises(Cancelled):
            consolidate(prog, demo_programme.return_files, progress=progress)
        assert snapshot(prog) == before


def test_a_folder_brings_in_its_return_files(tmp_path, demo_programme):
    folder = demo_programme.return_files[0].parent
    (folder / "readme.txt").write_text("not a return")
    (folder / "UPPER.LGARETURN").write_bytes(demo_programme.return_files[0].read_bytes())
    found = collect_files([folder])
    assert folder / "readme.txt" not in found
    assert folder / "UPPER.LGARETURN" in found
    assert len(found) == len(demo_programme.return_files) + 1


# ---- the file itself ------------------------------------------------------------------------


def test_a_programme_file_reopens_with_everything(tmp_path, demo_programme):
    with Programme.open(demo_programme.path) as prog:
        assert prog.name == "Productivity Programme 2012/13 (demo)"
        assert len(prog.members()) == 4
        assert all(m.fingerprints for m in prog.members())


def test_a_workspace_is_not_a_programme_and_says_so(workspace):
    with pytest.raises(ProgrammeError, match="is a council's workspace, not a programme file"):
        Programme.open(workspace.path)


def test_foreign_and_newer_files_are_refused(tmp_path):
    other = tmp_path / "other.lgaprog"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(ProgrammeError, match="not an lga-desktop programme file"):
        Programme.open(other)
    text = tmp_path / "text.lgaprog"
    text.write_text("hello")
    with pytest.raises(ProgrammeError, match="not an lga-desktop programme file"):
        Programme.open(text)
    newer = tmp_path / "newer.lgaprog"
    Programme.create(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('lga_desktop.programme', 'p9999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(ProgrammeError, match="newer version of lga-desktop"):
        Programme.open(newer)
    with pytest.raises(UsageError, match="already exists"):
        Programme.create(newer)
    with pytest.raises(UsageError, match="no programme file"):
        Programme.open(tmp_path / "absent.lgaprog")
