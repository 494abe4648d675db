"""With the LGA's programme pack in force the savings register offers the LGA's workstream
codes, by the LGA's names; without one, the program's own list. A line whose workstream is not
among the LGA's keeps it shown (with the checks' warning), so nothing is silently changed."""

from __future__ import annotations

from exchange_vectors import LGA, key_of, pack_doc

from lga_desktop.exchange.council import import_pack, pack_options
from lga_desktop.exchange.envelope import seal_document
from lga_desktop.exchange.formats import PACK
from lga_desktop.periods import Quarter
from lga_desktop.registers import savings, store
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.pages.savings import SavingsPage

WORKSTREAMS = [
    {"code": "waste", "name": "WST Waste and recycling"},
    {"code": "category", "name": "CAT Category management"},
]


def _offered(page) -> list[tuple[str, str]]:
    combo = page.main.dialog.form.editors["workstream"]
    return [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]


def _import(ws, tmp_path) -> None:
    path = tmp_path / "pack.lgapack"
    path.write_bytes(seal_document(PACK, pack_doc(workstreams=WORKSTREAMS), LGA))
    import_pack(ws, path, confirmed=key_of(LGA)["fingerprint"])


def test_the_savings_form_offers_the_lgas_workstream_codes_once_a_pack_is_in_force(
    qtbot, workspace, tmp_path
):
    store.create(workspace, savings.LINES, {"workstream": "cap", "title": "Depot sale",
                                            "target": "1,000", "start": "2012/13 Q1"})  # fmt: skip
    page = SavingsPage(AppContext(workspace))
    qtbot.addWidget(page)
    assert pack_options(workspace, savings.LINES) == {}
    page.main.add()
    assert len(_offered(page)) == len(savings.WORKSTREAMS)  # no pack: the built-in list
    page.main.dialog.reject()

    _import(workspace, tmp_path)
    assert pack_options(workspace, savings.LINES) == {
        "workstream": (
            ("waste", "WST Waste and recycling"),
            ("category", "CAT Category management"),
        )
    }
    page.main.add()
    assert _offered(page) == [
        ("waste", "WST Waste and recycling"),
        ("category", "CAT Category management"),
    ]
    page.main.dialog.reject()
    # an existing line outside the LGA's codes keeps its workstream, shown and warned about
    page.main.view.selectRow(0)
    page.main.edit()
    form = page.main.dialog.form
    assert form.editors["workstream"].value() == "cap"
    assert _offered(page)[-1] == ("cap", "Capital and assets (CAP)")
    found = savings.validate(workspace, Quarter(2012, 2))
    assert [f.record for f in found if f.code == "savings.workstream_not_lga"] == ["SAV-001"]
