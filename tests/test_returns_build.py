"""Building and signing a quarter's return from the workspace's registers."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from returns_support import (  # noqa: F401  (fixtures)
    AFTER_Q2,
    PASSPHRASE,
    add_grants,
    fast_keys,
    grants_feature,
)

from lga_desktop.errors import UsageError
from lga_desktop.periods import parse_quarter
from lga_desktop.returns import keys
from lga_desktop.returns.build import Declaration, Person, assemble, save_note
from lga_desktop.returns.history import file_bytes, history, record_document
from lga_desktop.returns.sign import NotReady, default_file_name, sign_return
from lga_desktop.returns.trust import TrustedKeys
from lga_desktop.returns.verify import verify_file

pytestmark = pytest.mark.usefixtures("fast_keys", "grants_feature")

Q2 = parse_quarter("2012/13 Q2")
SIGNED_AT = datetime(2012, 10, 15, 9, 30, tzinfo=UTC)


def declaration(signer: str = "Jo Reed") -> Declaration:
    return Declaration(
        Person(
            "Alex Morgan", "Finance Business Partner", "alex.morgan@example.gov.uk", "2012-10-12"
        ),
        Person(signer, "Head of Finance", "jo.reed@example.gov.uk", "2012-10-15"),
    )


@pytest.fixture
def ready(workspace):
    keys.create_key(workspace, PASSPHRASE)
    add_grants(
        workspace,
        [
            ("Community hall roof", "2012-07-10", 1_250_000, False),
            ("Youth club", "2012-08-01", 99_950, True),
            ("Outside the quarter", "2012-06-30", 500, False),
        ],
    )
    return workspace


def sign(ws, tmp_path, draft, notes, **kw):
    return sign_return(
        ws,
        draft,
        notes=notes,
        declaration=kw.pop("decl", declaration()),
        passphrase=kw.pop("passphrase", PASSPHRASE),
        out_path=kw.pop("out", tmp_path / "q2.lgareturn"),
        now=SIGNED_AT,
        **kw,
    )


def test_the_snapshot_holds_the_quarters_records_and_the_findings(ready):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    (section,) = draft.sections
    assert section["key"] == "grants" and section["title"] == "Test grants"
    assert section["data"]["total_pence"] == 1_349_950
    assert [g["title"] for g in section["data"]["grants"]] == ["Community hall roof", "Youth club"]
    assert draft.errors == [] and [w.code for w in draft.warnings] == ["grants.flagged"]
    assert draft.version == 1 and draft.supersedes is None


def test_errors_block_and_are_named(ready, tmp_path):
    add_grants(ready, [("Refund gone wrong", "2012-09-01", -500, False)])
    draft = assemble(ready, Q2, today=AFTER_Q2)
    assert [e.code for e in draft.errors] == ["grants.negative"]
    with pytest.raises(NotReady, match="Refund gone wrong") as caught:
        sign(ready, tmp_path, draft, {w.key: "explained" for w in draft.warnings})
    assert len(caught.value.problems) == 1
    assert not (tmp_path / "q2.lgareturn").exists() and history(ready) == []


def test_warnings_need_a_note(ready, tmp_path):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    with pytest.raises(NotReady, match="without an explanation note"):
        sign(ready, tmp_path, draft, {})
    with pytest.raises(NotReady):
        sign(ready, tmp_path, draft, {draft.warnings[0].key: "   "})


def test_a_quarter_not_over_warns_and_one_not_started_blocks(ready):
    draft = assemble(ready, Q2, today=date(2012, 9, 1))
    assert "return.period_not_over" in [w.code for w in draft.warnings]
    draft = assemble(ready, parse_quarter("2012/13 Q4"), today=date(2012, 9, 1))
    assert [e.code for e in draft.errors] == ["return.period_not_started"]


def test_declaration_problems_and_same_person_warning():
    same = Declaration(
        Person("Jo Reed", "Head of Finance", "jo@example.gov.uk", "2012-10-15"),
        Person(" jo  reed", "Head of Finance", "other@example.gov.uk", "2012-10-15"),
    )
    assert same.same_person and "same person" in same.warnings()[0]
    assert declaration().warnings() == []
    broken = Declaration(Person("", "", "not-an-address", "31/02/2012"), declaration().signer)
    problems = broken.problems()
    assert "The preparer's name is missing." in problems
    assert any("not an address" in p for p in problems)
    assert any("not a real date" in p for p in problems)


def test_signing_writes_a_valid_file_and_an_immutable_record(ready, tmp_path):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    notes = {draft.warnings[0].key: "Reviewed by the grants panel on 3 September."}
    signed = sign(ready, tmp_path, draft, notes)
    key = keys.current_key(ready)
    result = verify_file(signed.path, trusted=TrustedKeys.from_keys("E07000178", [key]))
    assert result.valid and result.trust == "trusted"
    assert result.return_hash == signed.return_hash == signed.record.return_hash
    doc = result.document
    assert doc["signed_at"] == "2012-10-15T09:30:00+00:00" or doc["signed_at"].startswith(
        "2012-10-15"
    )
    assert doc["declaration"]["signer"]["name"] == "Jo Reed"
    assert doc["validation"]["findings"][0]["note"].startswith("Reviewed by the grants panel")
    assert doc["sections"][0]["data"]["total_pence"] == 1_349_950
    assert doc["program"]["name"] == "lga-desktop" and doc["format_version"] == 1
    (record,) = history(ready)
    assert record.version == 1 and record.signer_name == "Jo Reed"
    assert file_bytes(ready, record) == signed.path.read_bytes()
    assert record_document(ready, record) == doc
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        ready.db.execute("UPDATE signed_returns SET signer_name = 'Mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        ready.db.execute("DELETE FROM signed_returns")


def test_the_pdf_inside_shows_the_figures_hash_and_fingerprint(ready, tmp_path):
    import zipfile

    draft = assemble(ready, Q2, today=AFTER_Q2)
    signed = sign(ready, tmp_path, draft, {draft.warnings[0].key: "Panel reviewed it."})
    with zipfile.ZipFile(signed.path) as zf:
        pdf = PdfReader(io.BytesIO(zf.read("return.pdf")))
    pages = [p.extract_text() for p in pdf.pages]
    text = "\n".join(pages)
    assert "Oxford City Council" in text and "2012/13 Q2" in text
    assert "£13,499.50" in text and "£12,500.00" in text  # total and the hall roof
    assert "Panel reviewed it." in text and "Jo Reed" in text and "Head of Finance" in text
    for i, page in enumerate(pages, start=1):
        assert signed.return_hash[:32] in page and signed.return_hash[32:] in page
        assert signed.key_fingerprint in page
        assert f"Page {i} of {len(pages)}" in page


def test_a_second_return_for_the_quarter_is_a_correction(ready, tmp_path):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    note = {draft.warnings[0].key: "Panel reviewed it."}
    first = sign(ready, tmp_path, draft, note)
    add_grants(ready, [("Late invoice", "2012-09-28", 10_000, False)])
    again = assemble(ready, Q2, today=AFTER_Q2)
    assert again.version == 2 and again.supersedes.return_hash == first.return_hash
    assert again.notes == note  # pre-filled from version 1
    assert again.declaration.signer.name == "Jo Reed"  # pre-filled from the last return
    with pytest.raises(NotReady, match="say what it corrects"):
        sign(ready, tmp_path, again, again.notes, out=tmp_path / "v2.lgareturn")
    second = sign(
        ready,
        tmp_path,
        again,
        again.notes,
        out=tmp_path / "v2.lgareturn",
        correction_reason="Adds an invoice paid on 28 September.",
    )
    doc = verify_file(second.path).document
    assert doc["version"] == 2
    assert doc["supersedes"] == {
        "version": 1,
        "return_hash": first.return_hash,
        "reason": "Adds an invoice paid on 28 September.",
    }
    assert [r.version for r in history(ready)] == [2, 1]
    assert verify_file(first.path).valid  # the old file is untouched


def test_a_draft_overtaken_by_another_signing_is_refused(ready, tmp_path):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    notes = {draft.warnings[0].key: "ok"}
    stale = assemble(ready, Q2, today=AFTER_Q2)
    sign(ready, tmp_path, draft, notes)
    with pytest.raises(UsageError, match="signed while this one was being prepared"):
        sign(ready, tmp_path, stale, notes, out=tmp_path / "other.lgareturn")
    assert not (tmp_path / "other.lgareturn").exists()


def test_wrong_passphrase_signs_nothing(ready, tmp_path):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    with pytest.raises(keys.WrongPassphrase):
        sign(ready, tmp_path, draft, {draft.warnings[0].key: "ok"}, passphrase="guess guess guess")
    assert history(ready) == [] and not (tmp_path / "q2.lgareturn").exists()


def test_a_file_that_cannot_be_written_is_saved_by_a_rerun_unchanged(ready, tmp_path):
    from lga_desktop.returns.sign import save_pending_return

    draft = assemble(ready, Q2, today=AFTER_Q2)
    blocked = tmp_path / "taken.lgareturn"
    blocked.mkdir()  # a folder where the file should go
    with pytest.raises(UsageError, match="could not be saved.*signed and recorded"):
        sign(ready, tmp_path, draft, {draft.warnings[0].key: "ok"}, out=blocked)
    [record] = history(ready)  # recorded first, so a kill or a full disk cannot lose it
    elsewhere = tmp_path / "elsewhere.lgareturn"
    assert save_pending_return(ready, elsewhere) == elsewhere
    assert elsewhere.read_bytes() == file_bytes(ready, record)
    assert save_pending_return(ready) is None  # saved once: nothing waits any more


def test_saved_notes_are_pre_filled(ready):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    save_note(ready, Q2, draft.warnings[0].key, "typed yesterday")
    assert assemble(ready, Q2, today=AFTER_Q2).notes == {draft.warnings[0].key: "typed yesterday"}
    save_note(ready, Q2, draft.warnings[0].key, "")
    assert assemble(ready, Q2, today=AFTER_Q2).notes == {}


def test_the_declaration_is_pre_filled_from_the_workspace_officer(ready):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    assert draft.declaration.preparer.name == "Alex Morgan"
    assert draft.declaration.preparer.date == AFTER_Q2.isoformat()


def test_default_file_name(workspace):
    assert default_file_name(workspace.council, Q2, 2) == "Oxford 2012-13 Q2 return v2.lgareturn"


def test_a_return_with_no_registers_still_signs(workspace, tmp_path, monkeypatch):
    import lga_desktop.features

    monkeypatch.setattr(lga_desktop.features, "features", lambda: ())
    keys.create_key(workspace, PASSPHRASE)
    draft = assemble(workspace, Q2, today=AFTER_Q2)
    assert [w.code for w in draft.warnings] == ["return.no_registers"]
    signed = sign(workspace, tmp_path, draft, {draft.warnings[0].key: "Registers not kept yet."})
    assert verify_file(signed.path).valid


def test_returns_signed_with_a_rotated_key_stay_verifiable(ready, tmp_path):
    draft = assemble(ready, Q2, today=AFTER_Q2)
    old = sign(ready, tmp_path, draft, {draft.warnings[0].key: "ok"})
    keys.rotate_key(ready, PASSPHRASE, "the next passphrase")
    trusted = TrustedKeys.from_keys("E07000178", keys.all_keys(ready))
    result = verify_file(old.path, trusted=trusted)
    assert result.valid and result.trust == "trusted"
    assert result.key_fingerprint != keys.current_key(ready).fingerprint
    # and the new key signs the correction
    again = assemble(ready, Q2, today=AFTER_Q2)
    new = sign(
        ready,
        tmp_path,
        again,
        again.notes,
        passphrase="the next passphrase",
        out=tmp_path / "v2.lgareturn",
        correction_reason="Re-signed after rotation.",
    )
    assert (
        verify_file(new.path, trusted=trusted).key_fingerprint
        == keys.current_key(ready).fingerprint
    )
