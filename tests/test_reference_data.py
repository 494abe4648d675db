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
