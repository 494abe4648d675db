"""Whom a council trusts for packs and receipts: the LGA key it confirmed, its endorsed successors.

Refused, each with its reason and nothing recorded: a pack signed by a council
key, by another key, a replayed older pack; a receipt for another council's
return, one naming a hash the council never sent, one signed by a key other
than the pack's. A tampered pack is refused from the command line with exit 1.
"""

from __future__ import annotations

import json

import pytest
from exchange_vectors import LGA, key_of, pack_doc, receipt_doc
from returns_support import (  # noqa: F401  (fixtures)
    PASSPHRASE,
    add_grants,
    fast_keys,
    grants_feature,
    sign_quarter,
)

from lga_desktop.cli import main
from lga_desktop.consolidation.store import Programme
from lga_desktop.errors import UsageError
from lga_desktop.exchange.council import (
    TrustError,
    current_pack,
    import_pack,
    lga_statuses,
    open_receipt,
)
from lga_desktop.exchange.envelope import Refused, open_document, seal_document
from lga_desktop.exchange.formats import PACK, RECEIPT
from lga_desktop.exchange.lga import export_pack, pack_document
from lga_desktop.periods import parse_quarter
from lga_desktop.returns import keys

pytestmark = pytest.mark.usefixtures("fast_keys", "grants_feature")

OTHER = keys.Ed25519PrivateKey.from_private_bytes(bytes([0x43]) * 32)
LGA_FP = key_of(LGA)["fingerprint"]


def _write(path, kind, doc, private=LGA):
    path.write_bytes(seal_document(kind, doc, private))
    return path


@pytest.fixture
def council(workspace, tmp_path):
    """Oxford's workspace with a key, the first pack (number 2) imported, a signed Q2 return."""
    keys.create_key(workspace, PASSPHRASE)
    add_grants(workspace, [("Hall roof", "2012-07-10", 1_250_000, False)])
    import_pack(workspace, _write(tmp_path / "p2.lgapack", PACK, pack_doc(sequence=2)),
                confirmed=LGA_FP)  # fmt: skip
    signed = sign_quarter(workspace, parse_quarter("2012/13 Q2"), tmp_path)
    return workspace, signed


def _receipt(signed, **changes):
    doc = receipt_doc()
    doc["return"] = {**doc["return"], "return_hash": signed.return_hash, "version": 1}
    doc.update(changes)
    return doc


def test_the_first_pack_needs_the_confirmed_fingerprint(workspace, tmp_path):
    pack = _write(tmp_path / "p.lgapack", PACK, pack_doc())
    with pytest.raises(UsageError, match=LGA_FP):
        import_pack(workspace, pack)
    with pytest.raises(TrustError, match="not the LGA key you confirmed"):
        import_pack(workspace, pack, confirmed=key_of(OTHER)["fingerprint"])
    assert current_pack(workspace) is None
    assert import_pack(workspace, pack, confirmed=LGA_FP.replace(" ", "-")).sequence == 1


def test_a_pack_signed_by_the_councils_own_key_is_refused(council, tmp_path):
    ws, _ = council
    private, _key = keys.unlock(ws, PASSPHRASE)
    forged = _write(tmp_path / "f.lgapack", PACK, pack_doc(private, sequence=9), private)
    with pytest.raises(TrustError, match="this council's own key"):
        import_pack(ws, forged, confirmed=key_of(private)["fingerprint"])
    assert current_pack(ws).sequence == 2


def test_a_pack_from_another_key_is_refused_with_the_reason(council, tmp_path):
    ws, _ = council
    other = _write(tmp_path / "o.lgapack", PACK, pack_doc(OTHER, sequence=3), OTHER)
    with pytest.raises(TrustError, match=f"not the LGA's key \\({LGA_FP}\\)"):
        import_pack(ws, other)
    assert current_pack(ws).sequence == 2


def test_a_newer_pack_supersedes_and_a_replayed_older_one_is_refused(council, tmp_path):
    ws, _ = council
    newer = _write(tmp_path / "p3.lgapack", PACK, pack_doc(sequence=3, programme={
        "name": "Productivity Programme", "year": "2013/14"}))  # fmt: skip
    assert import_pack(ws, newer).sequence == 3
    assert current_pack(ws).document["programme"]["year"] == "2013/14"
    older = _write(tmp_path / "p1.lgapack", PACK, pack_doc(sequence=1))
    with pytest.raises(TrustError, match="older than the pack in force"):
        import_pack(ws, older)
    assert not import_pack(ws, newer).new  # the same file again changes nothing
    assert current_pack(ws).sequence == 3


def test_a_rotated_lga_key_is_accepted_only_with_the_old_keys_endorsement(council, tmp_path):
    ws, _ = council
    new_raw = bytes.fromhex(keys.public_key_hex(OTHER))
    endorsement = {
        "context": keys.ROTATION_CONTEXT,
        "fingerprint": LGA_FP,
        "public_key": keys.public_key_hex(LGA),
        "signature": LGA.sign(keys.endorsement_message(new_raw)).hex(),
        "new_public_key": new_raw.hex(),
    }
    forged = {**endorsement, "signature": OTHER.sign(keys.endorsement_message(new_raw)).hex()}
    bad = _write(tmp_path / "b.lgapack", PACK,
                 pack_doc(OTHER, sequence=3, endorsements=[forged]), OTHER)  # fmt: skip
    with pytest.raises(TrustError, match="nor a key it endorsed"):
        import_pack(ws, bad)
    good = _write(tmp_path / "g.lgapack", PACK,
                  pack_doc(OTHER, sequence=3, endorsements=[endorsement]), OTHER)  # fmt: skip
    assert import_pack(ws, good).fingerprint == key_of(OTHER)["fingerprint"]


def test_receipts_are_refused_unless_the_packs_key_signed_them_for_this_councils_return(
    council, tmp_path
):
    ws, signed = council
    other_council = _receipt(
        signed, council={"gss": "E07000177", "name": "Cherwell District Council"}
    )
    never_sent = _receipt(signed)
    never_sent["return"] = {**never_sent["return"], "return_hash": "ab" * 32}
    cases = [
        (_receipt(signed), OTHER, "not the LGA key of the programme pack"),
        (other_council, LGA, "another council's return"),
        (never_sent, LGA, "never signed"),
    ]
    for i, (doc, private, why) in enumerate(cases):
        if private is OTHER:
            doc = {**doc, "lga_key": key_of(OTHER)}
        with pytest.raises(TrustError, match=why):
            open_receipt(ws, _write(tmp_path / f"r{i}.lgareceipt", RECEIPT, doc, private))
    assert lga_statuses(ws) == {}
    open_receipt(ws, _write(tmp_path / "ok.lgareceipt", RECEIPT, _receipt(signed)))
    status = lga_statuses(ws)[signed.return_hash]
    assert status.status == "queried" and status.comments[0]["figure"] == "savings.realised_pence"


def test_a_receipt_before_any_pack_is_a_usage_error(workspace, tmp_path):
    keys.create_key(workspace, PASSPHRASE)
    with pytest.raises(UsageError, match="Import the LGA's programme pack first"):
        open_receipt(workspace, _write(tmp_path / "r.lgareceipt", RECEIPT, receipt_doc()))


def test_a_tampered_pack_is_refused_from_the_command_line_with_exit_1(workspace, tmp_path, capsys):
    data = bytearray(seal_document(PACK, pack_doc(), LGA))
    data[bytes(data).index(b"Productivity Programme team")] ^= 0x20
    path = tmp_path / "t.lgapack"
    path.write_bytes(bytes(data))
    workspace.close()  # the command opens it, as another process would
    code = main(["import-pack", str(workspace.path), str(path), "--fingerprint", LGA_FP])
    _, err = capsys.readouterr()
    assert code == 1 and "damaged" in err and err.count("\n") == 1
    assert main(["import-pack", str(workspace.path), str(tmp_path / "none.lgapack")]) == 2


def test_the_lgas_key_is_kept_locked_in_the_programme_file_and_signs_its_packs(tmp_path, capsys,
                                                                               monkeypatch):  # fmt: skip
    monkeypatch.setenv("LGA_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "p.lgaprog"
    Programme.create(path).close()
    assert main(["export-pack", str(path), "--out", str(tmp_path / "x.lgapack")]) == 2
    assert "keygen --programme" in capsys.readouterr()[1]
    assert main(["keygen", "--programme", str(path), "--json"]) == 0
    fp = json.loads(capsys.readouterr()[0])["fingerprint"]
    with Programme.open(path) as prog:
        row = prog.db.execute("SELECT encrypted_private_key FROM signing_keys").fetchone()
        assert json.loads(row[0])["kdf"] == "scrypt"  # locked, never the seed in clear
        with pytest.raises(keys.WrongPassphrase):
            export_pack(prog, "not the passphrase", tmp_path / "x.lgapack")
        done = export_pack(prog, PASSPHRASE, tmp_path / "x")
        assert done.path.name == "x.lgapack" and done.sequence == 1 and done.fingerprint == fp
        assert export_pack(prog, PASSPHRASE, tmp_path / "y.lgapack").sequence == 2
        assert pack_document(prog, keys.current_key(prog), 5)["non_procurement"] == ["NPR"]
    assert open_document(PACK, done.path.read_bytes()).fingerprint == fp
    monkeypatch.setenv("LGA_NEW_PASSPHRASE", PASSPHRASE + " again")
    assert main(["keygen", "--programme", str(path), "--rotate", "--json"]) == 0
    assert json.loads(capsys.readouterr()[0])["replaces"] == fp
    assert main(["keygen", "workspace-and", "--programme", str(path)]) == 2


def test_a_return_is_never_taken_for_a_pack(tmp_path):
    from returns_support import sealed_return

    with pytest.raises(Refused, match="a council's return") as caught:
        open_document(PACK, sealed_return().file_bytes)
    assert caught.value.status == "not-a-pack"


def test_the_packs_coverage_threshold_decides_the_classification_warning(workspace, tmp_path):
    from pathlib import Path

    from lga_desktop.periods import Quarter
    from lga_desktop.procurement.feature import validate
    from lga_desktop.procurement.spend_import import import_spend

    oxford = Path(__file__).parent / "data" / "spend" / "oxford"
    import_spend(workspace, oxford / "expenditure-over-500-apr-jun-2017.csv")
    q = Quarter(2017, 1)

    def warned() -> list[str]:
        return [f.message for f in validate(workspace, q) if f.code.endswith("classification_low")]

    assert warned() and "below 80%" in warned()[0]  # the program's own threshold
    low = {"classified_coverage_percent": 0, "variance_percent": 25}
    import_pack(workspace, _write(tmp_path / "a.lgapack", PACK, pack_doc(thresholds=low)),
                confirmed=LGA_FP)  # fmt: skip
    assert warned() == []
    high = {**low, "classified_coverage_percent": 100}
    import_pack(workspace, _write(tmp_path / "b.lgapack", PACK,
                                  pack_doc(sequence=2, thresholds=high)))  # fmt: skip
    assert "below 100%" in warned()[0]


def test_with_a_pack_a_savings_line_outside_the_lgas_workstreams_is_a_warning(workspace, tmp_path):
    from lga_desktop.periods import Quarter
    from lga_desktop.registers import savings, store

    for code in ("waste", "cap"):
        store.create(workspace, savings.LINES, {"workstream": code, "title": f"A {code} line",
                                                "target": "1,000", "start": "2012/13 Q1"})  # fmt: skip

    def codes() -> list[tuple[str, str | None]]:
        found = savings.validate(workspace, Quarter(2012, 2))
        return [(f.code, f.record) for f in found if f.code == "savings.workstream_not_lga"]

    assert codes() == []  # no pack: the program's own list
    import_pack(workspace, _write(tmp_path / "a.lgapack", PACK, pack_doc()), confirmed=LGA_FP)
    assert codes() == [("savings.workstream_not_lga", "SAV-002")]  # the pack has no "cap"


def test_with_a_pack_savings_changing_more_than_its_variance_are_a_warning(workspace, tmp_path):
    from lga_desktop.periods import Quarter
    from lga_desktop.registers import savings, store

    line = store.create(workspace, savings.LINES, {"workstream": "waste", "title": "Bins",
                                                   "target": "1,000", "start": "2012/13 Q1"})  # fmt: skip
    for quarter, amount in (("2012/13 Q1", "100"), ("2012/13 Q2", "130")):
        store.create(workspace, savings.REALISED, {"saving": line.link(), "quarter": quarter,
                                                   "amount": amount, "evidence": "Invoice"})  # fmt: skip

    def warned() -> list[str]:
        found = savings.validate(workspace, Quarter(2012, 2))
        return [f.message for f in found if f.code == "savings.variance_over_lga_threshold"]

    assert warned() == []  # no pack: no threshold
    import_pack(workspace, _write(tmp_path / "a.lgapack", PACK, pack_doc()), confirmed=LGA_FP)
    (message,) = warned()  # +30% against the pack's 25%
    assert "by 30.0%, more than the 25%" in message and "£100.00" in message
    lenient = {"classified_coverage_percent": 80, "variance_percent": 30}
    import_pack(workspace, _write(tmp_path / "b.lgapack", PACK,
                                  pack_doc(sequence=2, thresholds=lenient)))  # fmt: skip
    assert warned() == []  # exactly 30% is within 30%
    assert [f for f in savings.validate(workspace, Quarter(2012, 1))
            if f.code == "savings.variance_over_lga_threshold"] == []  # nothing before Q1  # fmt: skip
