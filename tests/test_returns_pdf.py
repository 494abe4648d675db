"""The printed return and key card, read back with pypdf."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from returns_support import fixed_key, small_document

from lga_desktop.printing import when
from lga_desktop.returns.keys import SigningKey, fingerprint, public_key_hex
from lga_desktop.returns.pdf import key_card_pdf, return_pdf
from lga_desktop.returns.presentation import humanise, label, quarter_text, value_text
from lga_desktop.returns.trust import key_card_for

HASH = "ab" * 32


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def format_value(key, value):
    return value_text(key, value)


def test_values_are_printed_as_an_officer_reads_them():
    assert humanise("sme_share_pence") == "SME share"
    assert label("days_used_period") == "Days used this quarter"
    assert format_value("realised_pence", 123456) == "£1,234.56"
    assert format_value("lines", 150000) == "150,000"
    assert format_value("local", True) == "Yes" and format_value("x", None) == "—"
    assert format_value("sme_percent", "8.3") == "8.3%"
    assert format_value("days_agreed", "20.0") == "20.0 days"
    assert format_value("quarter", "2026Q2") == quarter_text("2026Q2") == "2026/27 Q2"
    assert format_value("recurrence", "one_off") == "One-off"
    assert format_value("output", "capex_reduced") == "Capital-asset spend reduced"
    assert when("2012-10-15T10:30:00+01:00") == "15 October 2012 at 10:30 (UTC+01:00)"


def test_money_in_a_demo_return_is_printed_in_pounds(demo_workspace):
    """The registers' money reaches the printout as pounds: never pence read as pounds."""
    from lga_desktop.features import features
    from lga_desktop.periods import Quarter

    quarter = Quarter(2012, 2)
    sections = [
        {"key": f.key, "title": f.title, "data": f.snapshot(demo_workspace, quarter)}
        for f in features()
    ]
    joined = "\n".join(text_of(return_pdf(small_document(fixed_key(), sections=sections), HASH)))
    cap = next(s["data"] for s in sections if s["key"] == "cap")
    lga = cap["funding"]["lga_investment_pence"]
    assert re.search(rf"LGA investment\s+{re.escape(format_value('x_pence', lga))}", joined)
    capex = next(o for o in cap["outputs_against_plan"] if o["output"] == "capex_reduced")
    assert format_value("x_pence", capex["planned_year"]) in joined
    pipeline = next(s["data"] for s in sections if s["key"] == "pipeline")
    total = pipeline["pipeline_summary"]["total_value_pence"]
    assert re.search(rf"Total value\s+{re.escape(format_value('x_pence', total))}", joined)
    category, pence = next(iter(pipeline["pipeline_summary"]["by_category_pence"].items()))
    name = format_value("category", category)
    assert name != category  # the category's name, not its code
    assert re.search(rf"{name}\s+{re.escape(format_value('x_pence', pence))}", joined)


def test_a_long_list_is_printed_whole_and_every_page_is_numbered():
    private = fixed_key()
    rows = [{"ref": f"R{i}", "amount_pence": i * 100} for i in range(450)]
    doc = small_document(private, sections=[{"key": "big", "title": "Big", "data": {"rows": rows}}])
    pages = text_of(return_pdf(doc, HASH))
    assert len(pages) > 2
    joined = "\n".join(pages)
    assert "R0" in joined and "R449" in joined and "£448.00" in joined
    assert "not printed" not in joined and "rows are printed" not in joined
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page and HASH[:32] in page


def test_the_same_return_prints_to_the_same_bytes():
    doc = small_document(fixed_key())
    assert return_pdf(doc, HASH) == return_pdf(doc, HASH)


def test_same_person_and_correction_are_printed():
    doc = small_document(
        fixed_key(),
        version=2,
        supersedes={"version": 1, "return_hash": "cd" * 32, "reason": "Adds a late invoice."},
    )
    doc["declaration"]["same_person"] = True
    joined = "\n".join(text_of(return_pdf(doc, HASH)))
    assert "Adds a late invoice." in joined and "cdcdcdcd" in joined
    assert "the same person prepared and signed" in joined


def test_key_card_is_one_page_with_the_fingerprint_in_groups():
    pub = public_key_hex(fixed_key())
    key = SigningKey(
        fingerprint(bytes.fromhex(pub)),
        pub,
        "2012-09-03T09:00:00+01:00",
        "Alex Morgan",
        None,
        None,
        None,
        True,
    )
    card = key_card_for("E07000178", key).to_json()
    (page,) = text_of(key_card_pdf(card))
    groups = key.fingerprint.split()
    assert " ".join(groups[:4]) in page and " ".join(groups[4:]) in page
    assert "Oxford City Council (E07000178)" in page and pub in page
    assert "Alex Morgan" in page


NAMES = ["Łukasz Żółć", "Nguyễn Thị Hương", "Σοφία Παπαδοπούλου", "Дмитрий Иванов", "Zoë O'Brien"]


def test_names_in_any_european_script_print_as_written():
    """The declaration carries people's own names; none may print as black boxes."""
    doc = small_document(fixed_key())
    doc["declaration"]["signer"]["name"] = NAMES[0]
    doc["declaration"]["preparer"]["name"] = NAMES[1]
    doc["sections"][0]["data"]["contacts"] = NAMES[2:]
    joined = "\n".join(text_of(return_pdf(doc, HASH)))
    for name in NAMES:
        assert name in joined, name
    assert "\u25a0" not in joined  # the black box of a missing glyph
    card = key_card_for(
        "E07000178",
        SigningKey(
            fingerprint(bytes.fromhex(public_key_hex(fixed_key()))),
            public_key_hex(fixed_key()),
            "2012-10-01T09:00:00+01:00",
            NAMES[3],
            None,
            None,
            None,
            True,
        ),
    ).to_json()
    assert NAMES[3] in text_of(key_card_pdf(card))[0]


def test_reportlab_loads_only_when_a_pdf_is_made():
    import subprocess
    import sys

    code = (
        "import sys, lga_desktop.cli, lga_desktop.returns.sign, lga_desktop.returns.verify, "
        "lga_desktop.returns.pdf; lga_desktop.cli.build_parser(); "
        "print('reportlab' in sys.modules, 'PySide6' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_figure_no_label_was_written_for_prints_in_words_with_its_unit():
    """A feature may add figures (another issue adds some): they print, never as keys."""
    doc = small_document(
        fixed_key(),
        sections=[
            {
                "key": "procurement",
                "title": "Procurement",
                "data": {
                    "classified_share_percent": "62.5",
                    "savings_split": {"cashable_pence": 12345, "non_cashable_pence": 500},
                    "plan_to_date": [{"output": "jobs", "quarter": "2012Q3", "days": "4.5"}],
                },
            }
        ],
    )
    text = " ".join(" ".join(text_of(return_pdf(doc, HASH))).split())
    assert "Classified share 62.5%" in text
    assert "Savings split" in text and "Cashable £123.45" in text and "Non cashable £5.00" in text
    assert "Jobs created (FTE)" in text and "2012/13 Q3" in text and "4.5" in text
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text)


def test_what_an_officer_typed_prints_as_typed():
    """A UPRN is not a number to put commas in, nor a word like 'other' a choice's code."""
    from lga_desktop.registers.cap import ASSETS
    from lga_desktop.registers.fields import Money

    record = {"ref": "AST-001"}
    record.update(
        {f"{f.name}_pence" if isinstance(f.type, Money) else f.name: None for f in ASSETS.fields}
    )
    record.update(
        plan="CAP-01", name="Depot", address="100120123456", owner="other", action="dispose"
    )
    record["capital_receipt_pence"] = 275_000_000
    doc = small_document(
        fixed_key(),
        sections=[{"key": "cap", "title": "CAP", "data": {"records": {"cap.assets": [record]}}}],
    )
    text = " ".join(" ".join(text_of(return_pdf(doc, HASH))).split())
    assert "100120123456" in text and "100,120" not in text
    assert "Owning body other" in text and "Action Dispose" in text
    assert "Capital receipt £2,750,000.00" in text
