"""The shipped reference data: councils and categories."""

import csv
import re

from lga_desktop.categories import category_for_proclass, default_categories, proclass_level1
from lga_desktop.councils import all_councils, council_by_gss, search_councils
from lga_desktop.resources import resource


def test_councils_are_english_principal_authorities():
    councils = all_councils()
    assert 300 < len(councils) < 450
    assert all(re.fullmatch(r"E(06|07|08|09|10)\d{6}", c.gss) for c in councils)
    assert len({c.gss for c in councils}) == len(councils)
    assert all(c.region for c in councils)
    types = {c.type for c in councils}
    assert types == {"NMD", "UA", "MD", "LBO", "CTY", "CC"}


def test_councils_include_those_that_existed_in_2012():
    allerdale = council_by_gss("E07000026")  # abolished 2023 into Cumberland
    assert allerdale.end == "2023-04-01" and not allerdale.current
    assert allerdale.region == "North West"
    bucks_county = council_by_gss("E10000002")  # abolished 2020
    assert bucks_county.region  # filled from its successor
    assert "abolished 2020" in bucks_county.label
    assert council_by_gss("e08000035").name == "Leeds"


def test_search_by_name_code_and_words():
    assert search_councils("E07000178")[0].name == "Oxford"
    assert search_councils("oxford")[0].name == "Oxford"  # names that start with it first
    assert search_councils("city of london")[0].name == "City of London"
    assert {c.region for c in search_councils("london")} == {"London"}
    assert search_councils("zzzz") == []


def test_every_proclass_heading_maps_to_one_default_category():
    codes = {c.code for c in default_categories()}
    assert len(codes) == 13  # 12 of procurement, and spend that is not procurement
    assert len(proclass_level1()) == 32
    for heading in proclass_level1():
        assert category_for_proclass(heading) is not None, heading
    children = "Social Community Care Supplies & Services - Children"
    assert category_for_proclass(children).name == "Children's social care"
    assert category_for_proclass("Information Communication Technology").code == "ICT"


def test_shipped_files_carry_their_attribution():
    readme = (resource("councils.csv").parent / "README.md").read_text()
    assert "mySociety" in readme and "CC BY 4.0" in readme and "Open Government Licence" in readme
    with resource("councils.csv").open() as f:
        assert set(csv.DictReader(f).fieldnames) >= {"gss", "name", "type", "region"}


def test_former_codes_and_names_find_the_council_and_the_return_names_both():
    from datetime import date

    from lga_desktop.councils import council_by_gss, search_councils
    from lga_desktop.periods import Quarter
    from lga_desktop.returns.build import council_in_period

    formers = {
        "E08000020": "E08000037",  # Gateshead
        "E06000048": "E06000057",  # Northumberland
        "E07000097": "E07000242",  # East Hertfordshire
        "E07000100": "E07000240",  # St Albans
        "E07000101": "E07000243",  # Stevenage
        "E07000104": "E07000241",  # Welwyn Hatfield
    }
    for old, new in formers.items():
        assert council_by_gss(old).gss == new
        assert search_councils(old)[0].gss == new
    shepway = search_councils("Shepway")[0]
    assert shepway.official_name == "Folkestone and Hythe District Council"
    assert shepway.identity_on(date(2012, 9, 30)) == ("E07000112", "Shepway District Council")
    gateshead = council_by_gss("E08000037")
    assert council_in_period(gateshead, Quarter(2012, 2))["data"] == {
        "gss_in_period": "E08000020",
        "name_in_period": "Gateshead Metropolitan Borough Council",
        "gss_now": "E08000037",
        "name_now": "Gateshead Metropolitan Borough Council",
    }
    assert council_in_period(gateshead, Quarter(2013, 1)) is None  # the code since April 2013
    shepway_then = council_in_period(shepway, Quarter(2017, 4))["data"]
    assert shepway_then["name_in_period"] == "Shepway District Council"
    assert council_in_period(shepway, Quarter(2018, 1)) is None


def test_a_spend_files_body_is_matched_to_the_council():
    from lga_desktop.councils import body_is_council, council_by_gss, search_councils

    oxford = council_by_gss("E07000178")
    for body in ("Oxford City Council", "OXFORD CITY COUNCIL - Housing", "E07000178", "OCC", ""):
        assert body_is_council(oxford, body), body
    for body in ("The Borough of Calderdale", "Oxfordshire County Council", "E08000033", "OCX"):
        assert not body_is_council(oxford, body), body
    folkestone = search_councils("Folkestone")[0]
    assert body_is_council(folkestone, "Shepway District Council")


def test_a_gateshead_2012_return_states_both_codes_and_verifies(tmp_path, monkeypatch):
    """Signed, written and verified the real way: the closed schema still accepts it."""
    from datetime import date

    from returns_support import sign_quarter

    from lga_desktop.periods import Quarter
    from lga_desktop.returns import keys
    from lga_desktop.returns.history import record_document
    from lga_desktop.returns.verify import verify_file
    from lga_desktop.workspace import Officer, Workspace

    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)
    with Workspace.create(tmp_path / "g.lgaws", "E08000020", Officer("A", "B", "")) as ws:
        assert ws.council.gss == "E08000037"  # found by its former code, kept by today's
        signed = sign_quarter(ws, Quarter(2012, 2), tmp_path, today=date(2012, 10, 15))
        doc = record_document(ws, signed.record)
    assert doc["council"] == {"gss": "E08000037", "name": "Gateshead Metropolitan Borough Council"}
    [section] = [s for s in doc["sections"] if s["key"] == "council_in_period"]
    assert section["data"]["gss_in_period"] == "E08000020"
    result = verify_file(signed.path)
    assert result.valid and result.status == "valid", result.reason
