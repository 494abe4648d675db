"""The printed return and the printed key card (reportlab, loaded only when a PDF is made).

Page 1 is what a finance director reads before signing: the council, the
quarter, version and status, a headline figure per strand and the
declaration with a line for a wet signature. A correction then says what
changed since the version it supersedes. Then comes a section per feature
(``presentation.printed_sections``: the registers' own labels, pounds, %,
days, "2012/13 Q2"), every field of every record: registers too wide for a
table print as one card per record. Last, the warnings with their notes.

Every page carries what ties the paper to the file: the return hash (SHA-256
of ``return.json``), the signing key's fingerprint, a QR code of both, and
"Page x of y". A draft (no hash yet) says DRAFT – NOT SIGNED on every page
instead. PDFs are made with reportlab's *invariant* mode, so the same return
always prints to the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from lga_desktop.printing import (
    MONO,
    SANS,
    SANS_BOLD,
    column_needs,
    draw_qr,
    facts_table,
    fit_widths,
    numbered_canvas,
    para,
    styles,
    table,
    when,
)
from lga_desktop.returns.presentation import (
    NONE_RECORDED,
    Block,
    changes,
    headlines,
    printed_sections,
)

__all__ = ["return_pdf", "key_card_pdf", "qr_payload", "DRAFT_MARK"]

DRAFT_MARK = "DRAFT – NOT SIGNED"
MAX_TABLE_COLUMNS = 9  # a register with more prints one card per record
LONG_TEXT_COLUMNS = 6  # or with more beside a long text


def qr_payload(return_hash: str, fingerprint: str, council_gss: str, period_key: str) -> str:
    """What the QR code on each page says: enough to look the return up and check it."""
    fp = fingerprint.replace(" ", "")
    return f"LGARETURN:1;council={council_gss};period={period_key};hash={return_hash};key={fp}"


def _long_date(iso: str) -> str:
    from datetime import date

    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or "—"
    return f"{d.day} {d:%B %Y}"


# ---- page 1 -------------------------------------------------------------------------------


def _status(doc: dict[str, Any], draft: bool) -> str:
    signer = doc["declaration"]["signer"]
    if draft:
        return f"{DRAFT_MARK}: to be read and checked, then signed in lga-desktop"
    return f"Signed on {when(doc['signed_at'])} by {signer['name']}, {signer['role']}"


def _summary(doc: dict[str, Any], st: dict, width: float, draft: bool) -> list:
    council, period, v = doc["council"], doc["period"], doc["validation"]
    rows = [
        ("Council", f"{council['name']} ({council['gss']})"),
        (
            "Quarter",
            f"{period['quarter']}: {_long_date(period['start'])} to {_long_date(period['end'])}",
        ),
        ("Version", str(doc["version"])),
        ("Status", _status(doc, draft)),
        (
            "Validation",
            f"{v['errors']} errors, {v['warnings']} warnings"
            + (" (each explained at the end)" if v["warnings"] else ""),
        ),
        ("Prepared with", f"{doc['program']['name']} {doc['program']['version']}"),
    ]
    if doc.get("supersedes"):
        s = doc["supersedes"]
        rows.insert(
            3,
            (
                "Corrects",
                f"version {s['version']} (return hash {s['return_hash'][:16]}…): "
                f"{s['reason'] or '—'}",
            ),
        )
    return [facts_table(rows, st, width, 0.18)]


def _headlines(doc: dict[str, Any], st: dict, width: float) -> list:
    found = headlines(doc)
    if not found:
        return [para(NONE_RECORDED, st["body"])]
    rows = [[para(h, st["head"]) for h in ("Strand", "This return", "Detail")]]
    rows += [
        [para(h.strand, st["cell_b"]), para(h.figure, st["cell_b"]), para(h.detail, st["cell"])]
        for h in found
    ]
    return [table(rows, [width * 0.16, width * 0.38, width * 0.46])]


def _declaration(doc: dict[str, Any], st: dict, width: float, draft: bool) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    decl = doc["declaration"]
    prep, signer = decl["preparer"], decl["signer"]
    heads = ["", "Name", "Role", "E-mail", "Date"]
    texts = [
        [
            title,
            *(p.get(k) or "—" for k in ("name", "role", "email")),
            _long_date(p.get("date", "")),
        ]
        for title, p in (("Prepared by", prep), ("Signed by", signer))
    ]
    rows = [[para(h, st["head"]) for h in heads]]
    rows += [[para(t[0], st["cell_b"]), *(para(x, st["cell"]) for x in t[1:])] for t in texts]
    block = [
        para("Declaration", st["h1"]),
        para(decl["statement"], st["body"]),
        Spacer(1, 2 * mm),
        table(rows, fit_widths([[h, *(t[i] for t in texts)] for i, h in enumerate(heads)], width)),
    ]
    if decl.get("same_person"):
        block.append(para("Note: the same person prepared and signed this return.", st["body"]))
    block += [
        Spacer(1, 7 * mm),
        para(
            "Signature: ______________________________________    "
            "Date: ______ / ______ / __________",
            st["body"],
        ),
        para(
            (
                f"{signer['name']}, {signer.get('role') or '—'}"
                if signer.get("name")
                else "Name: ______________________________   Role: ______________________________"
            )
            + f", on behalf of {doc['council']['name']} (signature on the paper copy kept by "
            "the council)",
            st["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    if draft:
        block.append(
            para(
                "This draft is not signed. The signed return carries the council's electronic "
                "signature, its return hash and key fingerprint on every page.",
                st["small"],
            )
        )
    else:
        block.append(
            para(
                f"Signed electronically on {when(doc['signed_at'])} with the council's Ed25519 "
                f"key {doc['signing_key']['fingerprint']}. The file this page was printed from "
                "can be checked with 'lga-desktop verify'; its return hash must match the one "
                "below.",
                st["small"],
            )
        )
    return [KeepTogether(block)]


# ---- sections -------------------------------------------------------------------------------


def _block(b: Block, st: dict, width: float) -> list:
    story: list = [para(b.title, st["h2"])] if b.title else []
    if b.empty:
        return [*story, para(NONE_RECORDED, st["body"])]
    if b.kind == "figures":
        return [*story, facts_table(b.rows, st, width, 0.5)]
    texts = [[c] + [r[i] for r in b.rows] for i, c in enumerate(b.columns)]
    if b.kind == "records" and _too_wide(b, texts, width):
        return story + [_card(b, _linked(b, row), st, width) for row in b.rows]
    shown = [_linked(b, r) for r in b.rows] if len(b.columns) <= LONG_TEXT_COLUMNS else b.rows
    widths = fit_widths([[c] + [r[i] for r in shown] for i, c in enumerate(b.columns)], width)
    rows = [[para(c, st["head_num" if b.numeric[i] else "head"]) for i, c in enumerate(b.columns)]]
    rows += [
        [para(v, st["num" if b.numeric[i] else "cell"]) for i, v in enumerate(r)] for r in shown
    ]
    return [*story, table(rows, widths)]


def _linked(b: Block, row: list[str]) -> list[str]:
    """A record's row with each link followed by the linked record's title (no page to turn)."""
    return [
        f"{v} · {b.names[v]}" if i in b.links and b.names.get(v) else v for i, v in enumerate(row)
    ]


def _too_wide(b: Block, texts: list[list[str]], width: float) -> bool:
    """A register prints as cards when its long text or its many columns would not read well."""
    low, _high = column_needs(texts)
    columns = len(b.columns)
    return (
        columns > (LONG_TEXT_COLUMNS if any(b.long) else MAX_TABLE_COLUMNS)
        or sum(low) > width * 0.9
    )


def _card(b: Block, row: list[str], st: dict, width: float):
    """One record as label-value pairs, two pairs a line; long text takes a whole line."""
    from reportlab.lib import colors

    title = " · ".join([row[0], *(row[i] for i in b.titles if row[i] != "—")])
    rows: list[list] = [[para(title, st["cell_b"]), "", "", ""]]
    spans = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ef"))]
    pending: list = []
    for c, v, lg in zip(b.columns[1:], row[1:], b.long[1:], strict=True):
        cell = [para(c, st["label"]), para(v, st["cell"])]
        if lg:
            n = len(rows)
            rows.append([*cell, "", ""])
            spans.append(("SPAN", (1, n), (-1, n)))
        elif pending:
            rows.append(pending + cell)
            pending = []
        else:
            pending = cell
    if pending:
        rows.append([*pending, "", ""])
    # one record stays on one page (and a heading with its first card: see keepWithNext)
    spans.append(("NOSPLIT", (0, 0), (-1, -1)))
    card = table(rows, [width * 0.17, width * 0.33, width * 0.17, width * 0.33], False, spans)
    card.spaceAfter = 4
    return card


def _changes(doc: dict[str, Any], previous: dict[str, Any], st: dict, width: float) -> list:
    from reportlab.platypus import PageBreak

    found = changes(previous, doc)
    story: list = [
        PageBreak(),
        para(f"What changed since version {previous['version']}", st["h1"]),
        para(f"Reason given: {(doc.get('supersedes') or {}).get('reason') or '—'}", st["body"]),
    ]
    if not found:
        return [*story, para("No record or figure changed.", st["body"])]
    for what, heading in (
        ("Added", "Records added"),
        ("Removed", "Records removed"),
        ("Changed", "Records changed"),
        ("Figure", "Figures that moved"),
    ):
        items = [c for c in found if c.what == what]
        story.append(para(heading, st["h2"]))
        if not items:
            story.append(para(NONE_RECORDED, st["body"]))
        elif what in ("Added", "Removed"):
            rows = [[para(h, st["head"]) for h in ("Register", "Record")]]
            rows += [[para(c.where, st["cell"]), para(c.item, st["cell"])] for c in items]
            story.append(table(rows, [width * 0.35, width * 0.65]))
        else:
            heads = ("Where", "What", f"Version {previous['version']}", f"Version {doc['version']}")
            rows = [[para(h, st["head"]) for h in heads]]
            rows += [
                [para(x, st["cell"]) for x in (c.where, c.item, c.before, c.after)] for c in items
            ]
            story.append(table(rows, [width * 0.22, width * 0.3, width * 0.24, width * 0.24]))
    return story


def _findings(doc: dict[str, Any], st: dict, width: float) -> list:
    story: list = [para("Warnings and their explanation notes", st["h1"])]
    findings = doc["validation"]["findings"]
    if not findings:
        return [*story, para("None: every validation rule passed.", st["body"])]
    rows = [[para(h, st["head"]) for h in ("", "Finding", "Explanation note")]]
    for f in findings:
        rows.append(
            [
                para(f["severity"].capitalize(), st["cell_b"]),
                para(f["message"], st["cell"]),
                para(f.get("note") or "—", st["cell"]),
            ]
        )
    return [*story, table(rows, [width * 0.12, width * 0.48, width * 0.4])]


# ---- the document -----------------------------------------------------------------------------


def return_pdf(
    doc: dict[str, Any], return_hash: str | None, previous: dict[str, Any] | None = None
) -> bytes:
    """The printable return for ``return.json`` content ``doc`` whose hash is ``return_hash``.

    ``return_hash`` None prints the draft: marked DRAFT – NOT SIGNED on every page,
    with no hash, fingerprint or QR code. ``previous``: the ``return.json`` of the
    version a correction supersedes, for the page of what changed.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer

    st = styles()
    draft = return_hash is None
    council, period = doc["council"], doc["period"]
    signer = doc["declaration"]["signer"]
    page_w, page_h = A4
    margin = 16 * mm
    footer_h = 30 * mm
    width = page_w - 2 * margin
    heading = f"{council['name']} · {period['quarter']} quarterly return · version {doc['version']}"
    if draft:
        heading = f"{DRAFT_MARK} · {heading}"
        fp = ""
    else:
        fp = doc["signing_key"]["fingerprint"]
        payload = qr_payload(return_hash, fp, council["gss"], period["key"])

    def footer(canv, page: int, total: int) -> None:
        canv.saveState()
        canv.setFont(SANS_BOLD if draft else SANS, 8)
        canv.setFillGray(0.3)
        canv.drawString(margin, page_h - 10 * mm, heading)
        canv.drawRightString(page_w - margin, page_h - 10 * mm, f"Page {page} of {total}")
        canv.setStrokeGray(0.6)
        canv.line(margin, footer_h, page_w - margin, footer_h)
        canv.setFillGray(0)
        if draft:
            _draft_mark(canv, page_w, page_h)
            canv.setFont(SANS_BOLD, 11)
            canv.drawString(margin, footer_h - 8 * mm, DRAFT_MARK)
            canv.setFont(SANS, 8)
            canv.drawString(
                margin,
                footer_h - 14 * mm,
                "The return hash, the key fingerprint and the QR code are printed here once "
                "the return is signed.",
            )
        else:
            qr = 24 * mm
            draw_qr(canv, payload, page_w - margin - qr, 4 * mm, qr)
            canv.setFont(SANS_BOLD, 8)
            canv.drawString(margin, footer_h - 5 * mm, "Return hash (SHA-256 of return.json)")
            canv.setFont(MONO, 8)
            canv.drawString(margin, footer_h - 9 * mm, return_hash[:32])
            canv.drawString(margin, footer_h - 12.5 * mm, return_hash[32:])
            canv.setFont(SANS_BOLD, 8)
            canv.drawString(margin, footer_h - 18 * mm, "Signing key fingerprint")
            canv.setFont(MONO, 8)
            canv.drawString(margin, footer_h - 22 * mm, fp)
        canv.setFont(SANS, 8)
        canv.drawString(margin + 80 * mm, footer_h - 22 * mm, f"Page {page} of {total}")
        canv.restoreState()

    story: list = [
        para(f"Quarterly return: {council['name']}", st["title"]),
        para(
            f"Productivity programme · {period['quarter']} · version {doc['version']}"
            + (f" · {DRAFT_MARK}" if draft else ""),
            st["subtitle"],
        ),
        Spacer(1, 2 * mm),
        *_summary(doc, st, width, draft),
        para("Headline figures", st["h1"]),
        *_headlines(doc, st, width),
        *_declaration(doc, st, width, draft),
    ]
    if previous is not None:
        story += _changes(doc, previous, st, width)
    for i, section in enumerate(printed_sections(doc)):
        if i == 0:
            story.append(PageBreak())
        story.append(para(section.title, st["h1"]))
        if not section.blocks:
            story.append(para(NONE_RECORDED, st["body"]))
        for b in section.blocks:
            story += _block(b, st, width)
    story += _findings(doc, st, width)

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=footer_h + 4 * mm,
        title=f"{council['name']} {period['quarter']} quarterly return v{doc['version']}"
        + (" (draft, not signed)" if draft else ""),
        author=signer.get("name") or "",
        subject=DRAFT_MARK if draft else f"Return hash {return_hash}",
        creator="lga-desktop",
        invariant=1,
    )
    template.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def _draft_mark(canv, page_w: float, page_h: float) -> None:
    """DRAFT – NOT SIGNED across the page, light enough to read the return through."""
    canv.saveState()
    canv.setFillColorRGB(0.85, 0.2, 0.2, alpha=0.13)
    canv.setFont(SANS_BOLD, 54)
    canv.translate(page_w / 2, page_h / 2)
    canv.rotate(52)
    canv.drawCentredString(0, 0, DRAFT_MARK)
    canv.restoreState()


def key_card_pdf(card_json: dict[str, Any]) -> bytes:
    """A one-page printable key card: the fingerprint to read out, and where to confirm it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    st = styles()
    council = card_json["council"]
    fp = card_json["fingerprint"]
    margin = 20 * mm
    width = A4[0] - 2 * margin
    payload = f"LGAKEY:1;council={council['gss']};key={card_json['public_key']}"

    def qr_on_page(canv, _doc) -> None:
        size = 45 * mm
        draw_qr(canv, payload, (A4[0] - size) / 2, 40 * mm, size)
        canv.setFont(SANS, 8)
        canv.drawCentredString(A4[0] / 2, 35 * mm, "QR code: the council's code and public key")

    groups = fp.split()
    story = [
        para("Signing key card", st["title"]),
        para(f"{council['name']} ({council['gss']})", st["subtitle"]),
        para(
            "The council signs its quarterly returns with the key below. The LGA checks a "
            "return against this key only after confirming its fingerprint with the council.",
            st["body"],
        ),
        Spacer(1, 6 * mm),
        para("Key fingerprint", st["h2"]),
        para(" ".join(groups[:4]), st["big"]),
        para(" ".join(groups[4:]), st["big"]),
        Spacer(1, 4 * mm),
        facts_table(
            [
                ("Algorithm", "Ed25519"),
                ("Public key (hex)", card_json["public_key"]),
                ("Created", f"{when(card_json['created_at'])} by {card_json['created_by'] or '—'}"),
                (
                    "Replaces",
                    f"key {card_json['endorsement']['fingerprint']}, which vouched for this one"
                    if card_json.get("endorsement")
                    else "— (the council's first key)",
                ),
            ],
            st,
            width,
            0.25,
        ),
        Spacer(1, 6 * mm),
        para("To confirm (LGA staff)", st["h2"]),
        para(
            "Ring the council on a number you already hold (not one given with this card). Ask "
            "the officer to read the fingerprint from Returns > Signing key in lga-desktop, "
            "group by group, and tick each group above as it matches. Then add the key card "
            "file to the trusted keys ('lga-desktop trust-key').",
            st["body"],
        ),
        Spacer(1, 8 * mm),
        para("Confirmed by ____________________________   on ____ / ____ / ________", st["body"]),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"{council['name']} signing key card",
        creator="lga-desktop",
        invariant=1,
    ).build(story, onFirstPage=qr_on_page)
    return buffer.getvalue()


def draft_pdf(
    ws: Any,
    draft: Any,
    *,
    notes: dict[str, str],
    declaration: Any,
    correction_reason: str = "",
    now: Any = None,
) -> bytes:
    """The return exactly as it will print once signed, marked DRAFT – NOT SIGNED; no key needed.

    ``declaration`` may still be incomplete (None, or names left blank): the
    draft prints what is there, so the signer reads what they are about to sign.
    """
    from datetime import UTC, datetime

    from lga_desktop.returns.build import Declaration, Person, return_document
    from lga_desktop.returns.canonical import canonical_bytes, strict_loads
    from lga_desktop.returns.history import record_document

    if declaration is None:
        blank = Person("", "", "", "")
        declaration = Declaration(blank, blank)
    doc = return_document(
        draft,
        notes=notes,
        declaration=declaration,
        key=None,
        signed_at=(now or datetime.now(UTC)).astimezone(),
        correction_reason=correction_reason,
    )
    previous = record_document(ws, draft.supersedes) if draft.supersedes else None
    return return_pdf(strict_loads(canonical_bytes(doc)), None, previous)


def signed_pdf(
    data: bytes, *, path: str | None = None, trusted: Any = None
) -> tuple[Any, bytes | None]:
    """A signed return's verification and, when it is intact, the PDF it carries."""
    from lga_desktop.returns.container import read_entries
    from lga_desktop.returns.fileformat import PDF_PART
    from lga_desktop.returns.verify import verify_bytes

    check = verify_bytes(data, path=path, trusted=trusted)
    if not check.intact:
        return check, None
    return check, dict(read_entries(data)).get(PDF_PART)
