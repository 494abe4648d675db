"""The printed return of a full demo workspace, read back with pypdf as a finance director would.

One demo workspace is signed once for the module: version 1 of 2012/13 Q2, then
a correction (a savings line's target changed, an asset added), plus the draft
of that quarter printed before signing.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from returns_support import PASSPHRASE

from lga_desktop.money import format_money
from lga_desktop.periods import Quarter, parse_quarter
from lga_desktop.registers.catalog import all_registers
from lga_desktop.registers.fields import (
    Choice,
    Date,
    LongText,
    Money,
    MultiChoice,
    Quantity,
    QuarterType,
    Reference,
    Text,
    YesNo,
)
from lga_desktop.returns import keys
from lga_desktop.returns.build import Declaration, Person, assemble
from lga_desktop.returns.pdf import DRAFT_MARK, draft_pdf, return_pdf
from lga_desktop.returns.sign import sign_return

Q2 = parse_quarter("2012/13 Q2")
SIGNER = Person("Jo Reed", "Head of Finance (s151 officer)", "jo.reed@example.gov.uk", "2012-10-15")
PREPARER = Person("Sam Patel", "Programmes Officer", "sam.patel@example.gov.uk", "2012-10-12")
NOTE = "Explained to the LGA programme manager on 10 October."


def pages_of(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def words(text: str) -> list[str]:
    return text.split()


def printed(value: str, tokens: list[str]) -> bool:
    """``value``'s words appear in order in the printout, close together.

    Cells of one table row are extracted line by line across the row, so a
    wrapped value's lines may have a neighbouring cell's words between them.
    """
    want = words(value)
    if not want:
        return True
    for start in (i for i, t in enumerate(tokens) if t == want[0]):
        window = tokens[start : start + 4 * len(want) + 30]
        it = iter(window)
        if all(w in it for w in want):
            return True
    return False


def expected_text(f, value) -> str:
    """A field's value as the printed return must show it (the officers' words, not codes)."""
    t = f.type
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(t, MultiChoice):
        return "; ".join(t.label(v) for v in value)
    if isinstance(t, Choice):
        return t.label(value)
    if isinstance(t, Money):
        return format_money(value)
    if isinstance(t, YesNo):
        return "Yes" if value else "No"
    if isinstance(t, Date):
        d = date.fromisoformat(value)
        return f"{d.day} {d:%b %Y}"
    if isinstance(t, QuarterType):
        return str(Quarter(int(value[:4]), int(value[-1])))
    if isinstance(t, Quantity):
        whole, _, frac = value.partition(".")
        return f"{int(whole):,}" + (f".{frac}" if frac else "")
    assert isinstance(t, (Text, LongText, Reference)) or True
    return str(value)


def records_in(doc) -> list[tuple]:
    """(register, record) for every record of every register list in the return."""
    by_prefix = {r.ref_prefix: r for r in all_registers().values()}
    found = []

    def walk(data):
        if isinstance(data, dict):
            for v in data.values():
                walk(v)
        elif isinstance(data, list):
            for item in data:
                ref = item.get("ref") if isinstance(item, dict) else None
                reg = by_prefix.get(ref.split("-")[0]) if isinstance(ref, str) else None
                if reg and len(item) == len(reg.fields) + 1:
                    found.append((reg, item))
                walk(item)

    walk([s["data"] for s in doc["sections"]])
    return found


def json_key(f) -> str:
    return f"{f.name}_pence" if isinstance(f.type, Money) else f.name


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    from lga_desktop.demo import create_demo_workspace
    from lga_desktop.registers import store
    from lga_desktop.registers.cap import ASSETS, PLAN
    from lga_desktop.registers.savings import LINES
    from lga_desktop.returns.history import file_bytes, history, record_document

    folder = tmp_path_factory.mktemp("printout")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "SCRYPT_N", 2**10)
        ws = create_demo_workspace(folder / "demo.lgaws")
        keys.create_key(ws, PASSPHRASE)
        decl = Declaration(PREPARER, SIGNER)

        def sign(name, reason=""):
            draft = assemble(ws, Q2)
            notes = {w.key: NOTE for w in draft.warnings}
            preview = draft_pdf(ws, draft, notes=notes, declaration=decl, correction_reason=reason)
            sign_return(
                ws,
                draft,
                notes=notes,
                declaration=decl,
                passphrase=PASSPHRASE,
                out_path=folder / name,
                correction_reason=reason,
                now=datetime(2012, 10, 15, 9, 30, tzinfo=UTC),
            )
            return preview

        sign("v1.lgareturn")
        line = store.find_by_ref(ws, LINES, "SAV-001")
        old_target = line.values["target"]
        store.update(ws, LINES, line.id, {"target": old_target + 2_500_000})
        plan = store.list_records(ws, PLAN)[0]
        store.create(
            ws,
            ASSETS,
            {"plan": plan.ref, "name": "Town hall car park", "action": "dispose"},
        )
        draft_v2 = sign("v2.lgareturn", reason="Target of SAV-001 corrected; car park added.")
        v2, v1 = history(ws)
        out = {
            "ws": ws,
            "v1_doc": record_document(ws, v1),
            "v2_doc": record_document(ws, v2),
            "v1_file": file_bytes(ws, v1),
            "v2_file": file_bytes(ws, v2),
            "v1_hash": v1.return_hash,
            "v2_hash": v2.return_hash,
            "draft": draft_v2,
            "old_target": old_target,
        }
        yield out
        ws.close()


def pdf_in(file_bytes: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(file_bytes)) as zf:
        return zf.read("return.pdf")


def test_every_field_of_every_record_is_printed(signed):
    doc = signed["v1_doc"]
    tokens = words("\n".join(pages_of(pdf_in(signed["v1_file"]))))
    found = records_in(doc)
    assert {reg.key for reg, _ in found} >= {
        "cap",
        "cap.assets",
        "cap.planned",
        "cap.realised",
        "experts",
        "experts.days",
        "savings",
        "savings.realised",
        "pipeline",
    }
    missing = []
    for reg, rec in found:
        for f in reg.fields:
            text = expected_text(f, rec[json_key(f)])
            if not printed(text, tokens):
                missing.append(f"{rec['ref']} {f.label}: {text}")
        assert printed(rec["ref"], tokens)
    assert not missing, missing[:10]
    joined = " ".join(tokens)
    assert "not printed" not in joined and "rows are printed" not in joined
    assert "£2,750,000.00" in joined  # the depot's capital receipt reaches paper


def test_no_key_table_name_or_choice_code_is_printed(signed):
    text = "\n".join(pages_of(pdf_in(signed["v1_file"])))
    assert not re.findall(r"\b[a-z]+_[a-z0-9_]+\b", text), "snake_case keys printed"
    assert not re.findall(r"\b\d{4}Q[1-4]\b", text), "quarter keys printed"
    assert "pence" not in text.lower()
    regs = all_registers().values()
    for reg in regs:
        assert reg.key not in text or "." not in reg.key, reg.key
        if "_" in reg.table:
            assert reg.table not in text
    # a choice code may only appear where it is also an ordinary word of the return
    doc = signed["v1_doc"]
    prose = " ".join(
        [f.label for r in regs for f in r.fields]
        + [
            lbl
            for r in regs
            for f in r.fields
            if isinstance(f.type, Choice)
            for _, lbl in f.type.options
        ]
        + [
            str(rec[json_key(f)])
            for reg, rec in records_in(doc)
            for f in reg.fields
            if isinstance(f.type, (Text, LongText)) and rec[json_key(f)]
        ]
        + [f["message"] for f in doc["validation"]["findings"]]
        + [s["title"] for s in doc["sections"]]
    )
    prose_words = set(re.findall(r"[\w-]+", prose.lower()))
    codes = {
        code
        for r in regs
        for f in r.fields
        if isinstance(f.type, Choice)
        for code, lbl in f.type.options
        if code != lbl and code.lower() not in prose_words
    }
    assert codes, "the demo has choice codes to look for"
    printed_codes = [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]
    assert not printed_codes


TITLE = 18  # the title's size; the DRAFT mark across the page is larger still


def _pages_with_sizes(pdf: bytes) -> list[list[tuple[float, str]]]:
    """Each page's (font size, text), between its header and its footer, mark left out."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        parts: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size, parts=parts, height=height):
            y = cm[5] + tm[5] * cm[3] if cm else tm[5]
            scale = abs(tm[3] * (cm[3] if cm else 1)) or 1
            if text.strip() and 90 < y < height - 40 and size * scale <= TITLE:
                parts.append((round(size * scale, 1), text.strip()))

        page.extract_text(visitor_text=visit)
        out.append(parts)
    return out


def test_no_heading_is_left_without_content(signed):
    """Under every heading, on the same page, comes text: no empty heading, none orphaned."""
    for pdf in (pdf_in(signed["v1_file"]), pdf_in(signed["v2_file"]), signed["draft"]):
        pages = _pages_with_sizes(pdf)
        body = max(s for items in pages for s, _ in items if s < 11)  # the largest non-heading
        seen = 0
        for n, items in enumerate(pages, start=1):
            headings = [i for i, (s, _) in enumerate(items) if body < s < TITLE]
            seen += len(headings)
            for i in headings:
                # under a heading comes text, or a smaller heading that text follows in turn
                j = i + 1
                while j < len(items) and body < items[j][0] < items[i][0]:
                    j += 1
                assert j < len(items) and items[j][0] <= body, (
                    f"page {n}: heading {items[i][1]!r} has nothing under it"
                )
        assert seen > 10


def test_an_empty_register_says_none_recorded():
    from returns_support import fixed_key, small_document

    doc = small_document(
        fixed_key(),
        sections=[
            {
                "key": "experts",
                "title": "Productivity expert support",
                "data": {"records": {"experts": [], "experts.days": []}},
            },
            {"key": "savings", "title": "Realised savings", "data": {}},
        ],
    )
    text = "\n".join(pages_of(return_pdf(doc, "ab" * 32)))
    assert text.count("None recorded") >= 3
    assert "Expert engagements" in text and "Day log" in text


def test_page_one_is_the_headline_and_the_declaration(signed):
    doc = signed["v1_doc"]
    first = pages_of(pdf_in(signed["v1_file"]))[0]
    flat = " ".join(first.split())
    savings = next(s["data"] for s in doc["sections"] if s["key"] == "savings")
    realised = sum(r["period"]["realised_pence"] for r in savings["by_basis"])
    assert format_money(realised) in flat and "all kinds together" in flat
    assert "cashable revenue" in flat  # each kind apart, never one unlabelled total
    share = next(s["data"] for s in doc["sections"] if s["key"] == "procurement")["share"]
    assert f"{share['sme_percent']}% of procurement spend with SMEs" in flat
    assert "aspiration for its own spend is 25%" in flat
    days = next(s["data"] for s in doc["sections"] if s["key"] == "experts")["days"]
    assert f"{days['days_used_to_date']} days used of {days['days_agreed']} days agreed" in flat
    assert "awarded within 120 working days" in flat and "planned procurements" in flat
    assert "outputs on or ahead of plan" in flat
    for text in ("Declaration", "Jo Reed", "Head of Finance (s151 officer)", "15 October 2012"):
        assert text in flat
    assert "Signature: ____" in flat and "Status Signed on 15 October 2012" in flat


def test_a_correction_says_what_changed(signed):
    pages = pages_of(pdf_in(signed["v2_file"]))
    text = " ".join(" ".join(pages).split())
    assert "What changed since version 1" in text
    assert "Target of SAV-001 corrected; car park added." in text
    assert "Records added" in text and "Town hall car park" in text
    old, new = signed["old_target"], signed["old_target"] + 2_500_000
    assert re.search(
        rf"Target saving {re.escape(format_money(old))} {re.escape(format_money(new))}", text
    )
    assert "Figures that moved" in text
    v1 = " ".join(" ".join(pages_of(pdf_in(signed["v1_file"]))).split())
    assert "What changed since" not in v1
    draft = " ".join(" ".join(pages_of(signed["draft"])).split())
    assert "What changed since version 1" in draft and "Town hall car park" in draft


def test_the_draft_is_marked_on_every_page_and_the_signed_return_never(signed):
    draft = pages_of(signed["draft"])
    assert len(draft) > 5
    for page in draft:
        assert DRAFT_MARK in page
        assert signed["v2_hash"][:32] not in page
    signed_pages = pages_of(pdf_in(signed["v2_file"]))
    for i, page in enumerate(signed_pages, start=1):
        assert DRAFT_MARK not in page and "DRAFT" not in page
        assert signed["v2_hash"][:32] in page and f"Page {i} of {len(signed_pages)}" in page
    # the same return, page for page: the draft only adds its mark
    assert len(draft) == len(signed_pages)


def test_the_same_return_prints_to_the_same_bytes(signed):
    v1 = return_pdf(signed["v1_doc"], signed["v1_hash"])
    assert v1 == pdf_in(signed["v1_file"])
    v2 = return_pdf(signed["v2_doc"], signed["v2_hash"], signed["v1_doc"])
    assert v2 == pdf_in(signed["v2_file"])


# ---- the command line ---------------------------------------------------------------------


def run(capsys, *argv):
    from lga_desktop.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_preview_return_writes_the_draft_without_a_key(demo_workspace, tmp_path, capsys):
    path = demo_workspace.path
    demo_workspace.close()
    out = tmp_path / "draft.pdf"
    code, text, err = run(capsys, "preview-return", path, "--period", "2012/13 Q2", "--out", out)
    assert code == 0, err
    assert "not signed" in text and "Before it can be signed" in text
    pages = pages_of(out.read_bytes())
    assert len(pages) > 5 and all(DRAFT_MARK in p for p in pages)
    code, text, _ = run(
        capsys, "preview-return", path, "--period", "2012/13 Q2", "--out", out, "--json"
    )
    import json

    assert code == 0 and json.loads(text)["ready_to_sign"] is False
    code, _, err = run(capsys, "preview-return", path, "--period", "Q9", "--out", out)
    assert code == 2 and err
    code, _, err = run(
        capsys, "preview-return", path, "--period", "2012/13 Q2", "--out", tmp_path / "no" / "x.pdf"
    )
    assert code == 2 and "does not exist" in err


def test_export_pdf_takes_the_pdf_out_of_a_valid_return_only(signed, tmp_path, capsys):
    good = tmp_path / "q2.lgareturn"
    good.write_bytes(signed["v1_file"])
    out = tmp_path / "q2.pdf"
    code, text, err = run(capsys, "export-pdf", good, "--out", out)
    assert code == 0, err
    assert out.read_bytes() == pdf_in(signed["v1_file"]) and signed["v1_hash"] in text
    bad = bytearray(signed["v1_file"])
    bad[len(bad) // 2] ^= 0x01
    tampered = tmp_path / "tampered.lgareturn"
    tampered.write_bytes(bytes(bad))
    out2 = tmp_path / "tampered.pdf"
    code, _, err = run(capsys, "export-pdf", tampered, "--out", out2)
    assert code == 1 and "NOT VALID" in err and not out2.exists()
    code, _, err = run(capsys, "export-pdf", tmp_path / "missing.lgareturn", "--out", out2)
    assert code == 2 and err


def test_a_countys_supplier_list_prints_its_first_rows_and_says_the_rest_is_in_the_file():
    from lga_desktop.returns.presentation import LONG_TABLE_SHOWN, printed_sections

    flags = [
        {"name": f"Supplier {n:04d}", "sme": None, "spend_pence": 10_000 - n} for n in range(900)
    ]
    doc = {
        "sections": [
            {"key": "procurement", "title": "Procurement", "data": {"supplier_flags": flags}}
        ]
    }
    [section] = printed_sections(doc)
    [block] = [b for b in section.blocks if b.title.startswith("Suppliers paid")]
    assert len(block.rows) == LONG_TABLE_SHOWN
    assert block.rows[0][0] == "Supplier 0000"
    assert "first 50 of 900; every one is in the signed file" in block.title
