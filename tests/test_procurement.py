"""Suppliers, category mapping, the derived figures, the feature's return part, the CLI."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from lga_desktop import features
from lga_desktop.cli import main
from lga_desktop.periods import Quarter
from lga_desktop.procurement import derived
from lga_desktop.procurement.category_mapping import (
    add_category,
    map_sources,
    proclass_category,
    restore_rules,
    source_categories,
)
from lga_desktop.procurement.feature import FEATURE, snapshot, validate
from lga_desktop.procurement.spend_import import import_spend
from lga_desktop.procurement.suppliers import (
    export_suppliers,
    flags_of,
    import_suppliers,
    list_suppliers,
    restore_flags,
    set_flags,
    supplier_key,
)
from lga_desktop.workspace import Workspace

OXFORD = Path(__file__).parent / "data" / "spend" / "oxford"
Q1_2017 = Quarter(2017, 1)


@pytest.fixture
def ws2017(workspace):
    import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2017.csv")
    return workspace


def supplier_id(ws, name_key: str) -> int:
    return ws.db.execute("SELECT id FROM supplier WHERE name_key = ?", [name_key]).fetchone()[0]


# ---- suppliers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("INSTARMAC LTD", "INSTARMAC"),
        ("Instarmac Limited", "INSTARMAC"),
        ("The Instarmac Ltd.", "INSTARMAC"),
        ("H Tuckwell & Sons Ltd", "H TUCKWELL AND SONS"),
        ("CgMs Ltd. ", "CGMS"),
        ("LTD", "LTD"),
        ("Café Services Ltd", "CAFE SERVICES"),
        ("CAFE SERVICES LIMITED", "CAFE SERVICES"),
    ],
)
def test_supplier_key(name, key):
    assert supplier_key(name) == key


def test_sme_flag_applies_to_every_line_and_later_imports(workspace):
    import_spend(workspace, OXFORD / "expenditure-over-500-jul-sep-2016.csv")
    sid = supplier_id(workspace, "INSTARMAC")
    set_flags(workspace, [sid], sme=True)
    import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2017.csv")
    lines, pence = workspace.db.execute(
        "SELECT COUNT(*), SUM(amount_pence) FROM spend_line WHERE supplier_id = ?", [sid]
    ).fetchone()
    sme = {s.key: s.sme_pence for s in derived.shares_by_quarter(workspace)}
    assert sum(sme.values()) == pence
    assert sme["2016Q2"] > 0 and sme["2017Q1"] > 0
    assert lines > 2


def test_bulk_flags_and_undo_state(ws2017):
    top = list_suppliers(ws2017)[:5]
    ids = [s.id for s in top]
    before = flags_of(ws2017, ids)
    assert set_flags(ws2017, ids, sme=True, local=True) == 5
    assert all(s.sme and s.local and not s.vcse for s in list_suppliers(ws2017)[:5])
    restore_flags(ws2017, before)
    assert flags_of(ws2017, ids) == before


def test_unknown_flag_is_refused(ws2017):
    from lga_desktop.errors import UsageError

    with pytest.raises(UsageError, match="not a supplier flag"):
        set_flags(ws2017, [2], big=True)


def test_supplier_list_round_trips_into_another_workspace(ws2017, tmp_path, officer):
    ids = [s.id for s in list_suppliers(ws2017) if s.name.startswith(("HANSON", "INSTARMAC"))]
    set_flags(ws2017, ids, sme=True)
    set_flags(ws2017, ids[:1], vcse=True)
    path = tmp_path / "suppliers.csv"
    n = export_suppliers(ws2017, path)
    assert n == len(list_suppliers(ws2017)) - 1  # not the "(no supplier named)" catch-all
    other = Workspace.create(tmp_path / "other.lgaws", "E07000178", officer)
    try:
        report = import_suppliers(other, path)
        assert report.created == n and report.matched == 0
        # the flags wait for the spend: importing it now gives the same SME share
        import_spend(other, OXFORD / "expenditure-over-500-apr-jun-2017.csv")
        assert derived.share_for(other, Q1_2017) == derived.share_for(ws2017, Q1_2017)
        assert derived.share_for(other, Q1_2017).sme_pence > 0
    finally:
        other.close()


def test_supplier_list_with_a_bad_flag_changes_nothing(ws2017, tmp_path):
    from lga_desktop.errors import UsageError

    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "sme"])
        w.writerow(["HANSON AGGREGATES", "yes"])
        w.writerow(["INSTARMAC LTD", "perhaps"])
    with pytest.raises(UsageError, match="line 3"):
        import_suppliers(ws2017, path)
    assert ws2017.db.execute("SELECT COUNT(*) FROM supplier WHERE sme = 1").fetchone() == (0,)


# ---- categories ------------------------------------------------------------------


def test_proclass_names_and_codes_map_by_default():
    assert proclass_category("Electricity", "") == "EU"
    assert proclass_category("", "101400") == "CON"  # Building Construction Materials
    assert proclass_category("Materials", "D3021") is None


def test_unmapped_spend_is_shown_as_unmapped(ws2017):
    rows = derived.spend_by_category(ws2017, Q1_2017)
    names = {name for _, _, name, _, _ in rows}
    assert "Unmapped" in names
    total = sum(p for *_, p, _ in rows)
    assert total == derived.share_for(ws2017, Q1_2017).total_pence


def test_mapping_rule_is_remembered_for_later_imports(workspace):
    import_spend(workspace, OXFORD / "expenditure-over-500-jul-sep-2016.csv")
    materials = [s for s in source_categories(workspace) if s.name == "Materials"]
    assert materials and materials[0].category_code is None
    before = map_sources(workspace, [materials[0].id], "CON")
    import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2017.csv")
    pence = workspace.db.execute(
        "SELECT SUM(amount_pence) FROM spend_line l JOIN spend_source_category c "
        "ON c.id = l.source_category_id WHERE c.name = 'Materials' AND l.quarter = '2017Q1'"
    ).fetchone()[0]
    by_cat = {(q, code): p for q, code, _, p, _ in derived.spend_by_category(workspace)}
    assert by_cat[("2017Q1", "CON")] >= pence > 0
    # undo: the rule is forgotten and Materials is unmapped again
    restore_rules(workspace, before)
    assert all(
        s.category_code is None for s in source_categories(workspace) if s.name == "Materials"
    )


def test_code_rules_win_over_name_rules(ws2017):
    grants = [s for s in source_categories(ws2017) if s.code == "D3701"]
    map_sources(ws2017, [g.id for g in grants], "OTH", match_on="name")
    map_sources(ws2017, [g.id for g in grants], "ASC", match_on="code")
    assert {s.category_code for s in source_categories(ws2017) if s.code == "D3701"} == {"ASC"}
    assert {s.mapped_by for s in source_categories(ws2017) if s.code == "D3701"} == {"code rule"}


def test_council_can_add_its_own_category(ws2017):
    add_category(ws2017, "hsg", "Housing repairs")
    grants = [s.id for s in source_categories(ws2017) if s.name.startswith("Reactive")]
    map_sources(ws2017, grants, "HSG")
    assert "Housing repairs" in {n for _, _, n, _, _ in derived.spend_by_category(ws2017)}


# ---- derived, snapshot, validation ------------------------------------------------------


def test_share_is_exact_and_of_procurement_spend():
    # 400 spent, 100 of it not procurement; 300 of procurement, 200 of it classified
    share = derived.Share("x", "2017Q1", 400, 100, 0, 0, 3, 300, 200)
    assert share.sme_percent == Decimal("33.3")
    assert share.classified_percent == Decimal("66.7")
    assert (share.not_sme_pence, share.unclassified_pence, share.excluded_pence) == (100, 100, 100)
    assert not hasattr(share, "meets_aspiration")  # context, never a pass or fail
    assert derived.empty_share("x", "k").sme_percent is None


def test_year_share_is_the_sum_of_its_quarters(workspace):
    import_spend(workspace, OXFORD / "expenditure-over-500-apr-jun-2015.csv")
    import_spend(workspace, OXFORD / "expenditure-over-500-jan-mar-2014.csv")
    years = {s.key: s for s in derived.shares_by_year(workspace)}
    quarters = {s.key: s for s in derived.shares_by_quarter(workspace)}
    assert years["2015"].total_pence == quarters["2015Q1"].total_pence
    assert years["2013"].total_pence == quarters["2013Q4"].total_pence
    # from quarters already read, the same years
    assert derived.shares_by_year(workspace, list(quarters.values())) == list(years.values())


def test_snapshot_is_int_pence_and_adds_up(ws2017):
    data = snapshot(ws2017, Q1_2017)
    json.dumps(data)  # JSON-ready
    assert data["total_pence"] == 1626488246
    assert sum(c["spend_pence"] for c in data["spend_by_category"]) == data["total_pence"]
    assert data["unmapped_pence"] == next(
        c["spend_pence"] for c in data["spend_by_category"] if c["category"] == ""
    )
    assert all(isinstance(c["spend_pence"], int) for c in data["spend_by_category"])
    assert data["share"]["sme_percent"] == "0.0"


def test_share_for_a_quarter_and_year_to_date_read_only_their_quarters(demo_workspace):
    every = {s.key: s for s in derived.shares_by_quarter(demo_workspace)}
    assert len(every) == 8  # the demo's two financial years
    for key, share in every.items():
        q = Quarter(int(key[:4]), int(key[-1]))
        assert derived.share_for(demo_workspace, q) == share
    assert derived.share_for(demo_workspace, Quarter(2020, 1)).lines == 0
    ytd = snapshot(demo_workspace, Quarter(2013, 2))["year_to_date"]
    assert ytd["total_pence"] == every["2013Q1"].total_pence + every["2013Q2"].total_pence
    assert ytd["lines"] == every["2013Q1"].lines + every["2013Q2"].lines


def test_validation_warns_but_never_errors(ws2017):
    codes = {f.code for f in validate(ws2017, Q1_2017)}
    assert codes == {"procurement.unmapped_spend", "procurement.sme_classification_low"}
    assert all(f.severity == "warning" for f in validate(ws2017, Q1_2017))
    assert {f.code for f in validate(ws2017, Quarter(2017, 2))} == {"procurement.no_spend"}


def test_low_sme_share_is_not_a_finding_but_low_classification_is(ws2017):
    everyone = [s.id for s in list_suppliers(ws2017)]
    set_flags(ws2017, everyone, sme=False)
    set_flags(ws2017, everyone[-1:], sme=True)
    share = derived.share_for(ws2017, Q1_2017)
    assert share.sme_percent < derived.SME_ASPIRATION
    assert share.classified_percent == 100
    assert "procurement.sme_classification_low" not in {f.code for f in validate(ws2017, Q1_2017)}
    set_flags(ws2017, everyone[: len(everyone) // 2], sme=None)
    [low] = [f for f in validate(ws2017, Q1_2017) if f.code == "procurement.sme_classification_low"]
    assert low.severity == "warning" and "not yet classified" in low.message


def test_demo_fills_spend_with_plausible_sme_share(demo_workspace):
    assert FEATURE.key == "procurement"
    counts = features.counts(demo_workspace)
    assert counts["Spend lines"] > 1000
    years = derived.shares_by_year(demo_workspace)
    assert len(years) == 2
    for year in years:
        assert Decimal(5) < year.sme_percent < Decimal(60)
    q = Quarter(2012, 2)
    assert validate(demo_workspace, q) == []
    assert derived.unmapped_for(demo_workspace, q)[0] == 0


# ---- the command line -------------------------------------------------------------


def test_cli_import_spend_json(workspace, capsys):
    path = workspace.path
    workspace.close()
    code = main(
        ["import-spend", str(path), str(OXFORD / "expenditure-over-500-jan-mar-2014.csv"), "--json"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["imported"] == 3859
    assert out[0]["refused"] == [
        {"line": 3861, "reason": "not a spend line: it has no date, amount or supplier"}
    ]
    assert out[0]["total"] == "£13,413,467.98"


def test_cli_mapping_needed_then_map(workspace, tmp_path, capsys):
    path = workspace.path
    workspace.close()
    spend = tmp_path / "odd.csv"
    spend.write_text("When,Who,How much\n01/04/2015,Acme Ltd,£1,200.00\n", encoding="utf-8")
    spend.write_text('When,Who,How much\n01/04/2015,Acme Ltd,"£1,200.00"\n', encoding="utf-8")
    assert main(["import-spend", str(path), str(spend)]) == 2
    assert "--map" in capsys.readouterr().err
    code = main(
        [
            "import-spend",
            str(path),
            str(spend),
            "--map",
            "date=When",
            "--map",
            "supplier_name=Who",
            "--map",
            "amount=How much",
        ]
    )
    assert code == 0
    assert "1 imported (£1,200.00)" in capsys.readouterr().out


def test_cli_strict_exit_1(workspace, tmp_path, capsys):
    path = workspace.path
    workspace.close()
    spend = tmp_path / "bad.csv"
    spend.write_text(
        "Date,Supplier,Amount\n01/04/2015,Acme,1\n31/04/2015,Acme,2\n", encoding="utf-8"
    )
    assert main(["import-spend", str(path), str(spend), "--strict"]) == 1
    assert "line 3" in capsys.readouterr().err


def test_cli_suppliers_and_summary(workspace, tmp_path, capsys):
    path = workspace.path
    workspace.close()
    assert (
        main(["import-spend", str(path), str(OXFORD / "expenditure-over-500-apr-jun-2017.csv")])
        == 0
    )
    listing = tmp_path / "s.csv"
    assert main(["export-suppliers", str(path), str(listing)]) == 0
    with open(listing, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    for r in rows[:3]:
        r["sme"] = "yes"
    with open(listing, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert main(["import-suppliers", str(path), str(listing), "--json"]) == 0
    capsys.readouterr()
    assert main(["spend-summary", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    share = out["shares_by_quarter"][0]
    assert share["period"] == "2017/18 Q1" and share["sme_pence"] > 0
    assert main(["spend-summary", str(path)]) == 0
    assert "2017/18 Q1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command", ["import-spend", "export-suppliers", "import-suppliers", "spend-summary"]
)
def test_every_option_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "--json" in text
    from lga_desktop.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    for action in sub._actions:
        assert action.help, f"{command} {action.dest} has no help"


# ---- the SME share's basis ----------------------------------------------------------


def test_not_yet_classified_is_a_third_state(ws2017, tmp_path):
    first, second, third = (s.id for s in list_suppliers(ws2017)[:3])
    assert list_suppliers(ws2017)[0].sme is None  # nobody has said yet
    set_flags(ws2017, [first], sme=True)
    set_flags(ws2017, [second], sme=False)
    by_id = {s.id: s for s in list_suppliers(ws2017)}
    assert (by_id[first].sme, by_id[second].sme, by_id[third].sme) == (True, False, None)
    share = derived.share_for(ws2017, Q1_2017)
    assert share.classified_pence == by_id[first].pence + by_id[second].pence
    assert share.sme_pence == by_id[first].pence
    # the supplier list keeps the three states through a file
    listing = tmp_path / "suppliers.csv"
    export_suppliers(ws2017, listing)
    with open(listing, encoding="utf-8-sig") as f:
        rows = {r["name"]: r["sme"] for r in csv.DictReader(f)}
    assert rows[by_id[third].name] == "not yet classified"
    assert rows[by_id[second].name] == "no"
    set_flags(ws2017, [first, second], sme=None)
    import_suppliers(ws2017, listing)
    again = {s.id: s.sme for s in list_suppliers(ws2017)}
    assert (again[first], again[second], again[third]) == (True, False, None)


def test_grants_benefits_refunds_and_redacted_payees_are_not_the_basis(demo_workspace):
    q = Quarter(2012, 2)
    share = derived.share_for(demo_workspace, q)
    data = snapshot(demo_workspace, q)
    mapping = {m["source"]: m for m in data["category_mapping"]}
    # recognised by default from the council's own names: the officer can see and change it
    for name in ("Grants to Voluntary Organisations", "Housing Benefit Overpayment Refunds"):
        assert mapping[name]["category"] == "NPR" and mapping[name]["procurement"] is False
    assert mapping["Computer Consultancy"]["procurement"] is True
    excluded = sum(m["spend_pence"] for m in mapping.values() if not m["procurement"])
    redacted = sum(s["spend_pence"] for s in data["supplier_flags"] if s["redacted"])
    assert share.excluded_pence == excluded > redacted > 0  # the redacted payee: benefit refunds
    assert share.basis_pence == share.total_pence - share.excluded_pence
    assert data["share"]["basis_pence"] == share.basis_pence
    assert "fewer than 250 staff" in data["sme_definition"]
    # the officer changes the mapping: grants count as procurement again, redacted payees not
    from lga_desktop.procurement.category_mapping import set_procurement

    set_procurement(demo_workspace, "NPR", True)
    assert derived.share_for(demo_workspace, q).basis_pence == share.total_pence - redacted


def test_proclass_grants_and_refunds_are_not_procurement():
    from lga_desktop.procurement.category_mapping import proclass_category, resolve

    assert proclass_category("", "201710") == "NPR"  # Financial Services > Grants > Charitable
    assert proclass_category("", "201900") == "NPR"  # Financial Services > Refund
    assert proclass_category("", "290000") == "OTH"
    assert resolve("Precepts to parish councils", "", {}) == ("NPR", "not procurement")
    assert resolve("Computer software", "", {})[0] != "NPR"
    # a remembered rule wins over the default
    assert resolve("Grants", "", {("name", "grants"): "OTH"}) == ("OTH", "name rule")


def test_the_return_freezes_the_flags_and_mapping_it_used(demo_workspace):
    q = Quarter(2012, 2)
    before = snapshot(demo_workspace, q)
    flags = {s["name"]: s["sme"] for s in before["supplier_flags"]}
    assert flags["Cherwell Packaging Ltd"] is True
    assert flags["Bidwells LLP"] is None and flags["Kier Construction Ltd"] is False
    assert sum(s["spend_pence"] for s in before["supplier_flags"]) == before["total_pence"]
    assert sum(m["spend_pence"] for m in before["category_mapping"]) == before["total_pence"]
