"""The printed return and the printed key card (reportlab, loaded only when a PDF is made).

Every page of a return carries what ties the paper to the file: the return
hash (SHA-256 of ``return.json``), the signing key's fingerprint, a QR code of
both, and "Page x of y". Sections are printed from the return's own data,
whatever features it holds: amounts in fields ending ``_pence`` as pounds,
tables for lists of records (long lists are cut, with a note, since the file
holds them all). PDFs are made with reportlab's *invariant* mode, so the same
return always prints to the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from lga_desktop.money import format_money
from lga_desktop.printing import MONO, SANS, SANS_BOLD, numbered_canvas, para, styles, table, when

__all__ = ["return_pdf", "key_card_pdf", "qr_payload", "humanise"]

MAX_TABLE_ROWS = 200
MAX_TABLE_COLUMNS = 8


def qr_payload(return_hash: str, fingerprint: str, council_gss: str, period_key: str) -> str:
    """What the QR code on each page says: enough to look the return up and check it."""
    fp = fingerprint.replace(" ", "")
    return f"LGARETURN:1;council={council_gss};period={period_key};hash={return_hash};key={fp}"


def humanise(key: str) -> str:
    """``sme_share_pence`` -> ``SME share``; ``realised_pence`` -> ``Realised``."""
    words = key.removesuffix("_pence").replace("_", " ").strip()
    acronyms = {"sme", "vcse", "cap", "ict", "lga", "fte", "ojeu", "gss", "uprn", "co2e", "id"}
    parts = [w.upper() if w.lower() in acronyms else w for w in words.split()]
    text = " ".join(parts)
    return text[:1].upper() + text[1:] if text else key


def format_value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int) and key.endswith("_pence"):
        return format_money(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(format_value("", v) for v in value)
    if isinstance(value, dict):  # {"CON": 120000} under "by_category_pence" is money too
        money = key.endswith("_pence")
        return "; ".join(
            f"{humanise(k)}: {format_value(f'{k}_pence' if money else k, v)}"
            for k, v in value.items()
        )
    return str(value)


def _render_data(
    data: dict[str, Any], st: dict, width: float, depth: int = 0, money: bool = False
) -> list:
    """Flowables for a section's data: scalars as a two-column table, lists as tables.

    ``money``: the data sits under a ``_pence`` key (``by_category_pence``), so
    its numbers are pence even though its own keys (``CON``) do not say so.
    """
    story: list = []
    scalars = [
        (k, v)
        for k, v in data.items()
        if not isinstance(v, (dict, list))
        or (isinstance(v, list) and all(not isinstance(i, dict) for i in v))
    ]
    if scalars:
        rows = [
            [
                para(humanise(k), st["cell"]),
                para(format_value(f"{k}_pence" if money else k, v), st["cell"]),
            ]
            for k, v in scalars
        ]
        story.append(table(rows, [width * 0.45, width * 0.55], header=False))
    for k, v in data.items():
        if isinstance(v, dict):
            story.append(para(humanise(k), st["h2"]))
            story += _render_data(v, st, width, depth + 1, money or k.endswith("_pence"))
        elif isinstance(v, list) and any(isinstance(i, dict) for i in v):
            story.append(para(f"{humanise(k)} ({len(v):,})", st["h2"]))
            story += _render_records(k, v, st, width)
    return story


def _cell(key: str, value: Any, st: dict) -> Any:
    numeric = isinstance(value, int) and not isinstance(value, bool)
    return para(format_value(key, value), st["num" if numeric else "cell"])


def _render_records(name: str, records: list, st: dict, width: float) -> list:
    columns: list[str] = []
    for record in records[:MAX_TABLE_ROWS]:
        if isinstance(record, dict):
            columns += [c for c in record if c not in columns]
    shown_cols = columns[:MAX_TABLE_COLUMNS]
    rows = [[para(humanise(c), st["cell"]) for c in shown_cols]]
    for record in records[:MAX_TABLE_ROWS]:
        record = record if isinstance(record, dict) else {"value": record}
        money_row = record.get("unit") == "pence"  # a quantity row counted in money (CAP capex)
        rows.append(
            [
                _cell(f"{c}_pence" if money_row and c != "unit" else c, record.get(c), st)
                for c in shown_cols
            ]
        )
    story = [table(rows, [width / len(shown_cols)] * len(shown_cols))] if shown_cols else []
    cut = []
    if len(records) > MAX_TABLE_ROWS:
        cut.append(f"the first {MAX_TABLE_ROWS:,} of {len(records):,} rows are printed")
    if len(columns) > MAX_TABLE_COLUMNS:
        cut.append(f"{len(columns) - MAX_TABLE_COLUMNS} more columns are not printed")
    if cut:
        story.append(para(f"({'; '.join(cut)}: the return file holds them all.)", st["small"]))
    return story


def _draw_qr(canv, payload: str, x: float, y: float, size: float) -> None:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canv, x, y)


def return_pdf(doc: dict[str, Any], return_hash: str) -> bytes:
    """The printable return for ``return.json`` content ``doc`` whose hash is ``return_hash``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

    st = styles()
    council = doc["council"]
    period = doc["period"]
    fp = doc["signing_key"]["fingerprint"]
    decl = doc["declaration"]
    signer = decl["signer"]
    payload = qr_payload(return_hash, fp, council["gss"], period["key"])
    page_w, page_h = A4
    margin = 16 * mm
    footer_h = 30 * mm
    width = page_w - 2 * margin
    heading = f"{council['name']} · {period['quarter']} quarterly return · version {doc['version']}"

    def footer(canv, page: int, total: int) -> None:
        canv.saveState()
        canv.setFont(SANS, 8)
        canv.setFillGray(0.3)
        canv.drawString(margin, page_h - 10 * mm, heading)
        canv.drawRightString(page_w - margin, page_h - 10 * mm, f"Page {page} of {total}")
        canv.setStrokeGray(0.6)
        canv.line(margin, footer_h, page_w - margin, footer_h)
        canv.setFillGray(0)
        qr = 24 * mm
        _draw_qr(canv, payload, page_w - margin - qr, 4 * mm, qr)
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
            f"{period['quarter']} ({period['start']} to {period['end']}) · council code "
            f"{council['gss']} · version {doc['version']}",
            st["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    summary = [
        ["Council", f"{council['name']} ({council['gss']})"],
        ["Quarter", f"{period['quarter']}, {period['start']} to {period['end']}"],
        ["Version", str(doc["version"])],
        ["Signed", f"{when(doc['signed_at'])} by {signer['name']}, {signer['role']}"],
        [
            "Validation",
            f"{doc['validation']['errors']} errors, {doc['validation']['warnings']} warnings "
            "(each explained below)",
        ],
        ["Prepared with", f"{doc['program']['name']} {doc['program']['version']}"],
    ]
    if doc.get("supersedes"):
        s = doc["supersedes"]
        summary.insert(
            3,
            [
                "Supersedes",
                f"version {s['version']} (return hash {s['return_hash'][:16]}…). "
                f"Correction: {s['reason']}",
            ],
        )
    story.append(
        table(
            [[para(a, st["cell"]), para(b, st["cell"])] for a, b in summary],
            [width * 0.2, width * 0.8],
            header=False,
        )
    )
    for section in doc["sections"]:
        story.append(para(section["title"], st["h1"]))
        data = section["data"]
        story += _render_data(data, st, width) if data else [para("Nothing to report.", st["body"])]

    story.append(para("Validation report", st["h1"]))
    findings = doc["validation"]["findings"]
    if not findings:
        story.append(para("Every validation rule passed.", st["body"]))
    else:
        rows = [[para(h, st["cell"]) for h in ("", "Finding", "Explanation note")]]
        for f in findings:
            rows.append(
                [
                    para(f["severity"].capitalize(), st["cell"]),
                    para(f["message"], st["cell"]),
                    para(f.get("note") or "", st["cell"]),
                ]
            )
        story.append(table(rows, [width * 0.12, width * 0.48, width * 0.4]))

    prep = decl["preparer"]
    decl_rows = [
        [para(h, st["cell"]) for h in ("", "Name", "Role", "E-mail", "Date")],
        *[
            [para(label, st["cell"])]
            + [para(p[k], st["cell"]) for k in ("name", "role", "email", "date")]
            for label, p in (("Prepared by", prep), ("Signed by", signer))
        ],
    ]
    block = [
        para("Declaration", st["h1"]),
        para(decl["statement"], st["body"]),
        Spacer(1, 2 * mm),
        table(decl_rows, [width * 0.14, width * 0.22, width * 0.26, width * 0.26, width * 0.12]),
    ]
    if decl.get("same_person"):
        block.append(para("Note: the same person prepared and signed this return.", st["body"]))
    block += [
        Spacer(1, 2 * mm),
        para(
            f"Signed electronically on {when(doc['signed_at'])} with the council's Ed25519 key "
            f"{fp}. The file this page was printed from can be checked with "
            "'lga-desktop verify'; its return hash must match the one below.",
            st["small"],
        ),
    ]
    story.append(KeepTogether(block))

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=footer_h + 4 * mm,
        title=f"{council['name']} {period['quarter']} quarterly return v{doc['version']}",
        author=signer["name"],
        subject=f"Return hash {return_hash}",
        creator="lga-desktop",
        invariant=1,
    )
    template.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


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
        _draw_qr(canv, payload, (A4[0] - size) / 2, 40 * mm, size)
        canv.setFont(SANS, 8)
        canv.drawCentredString(A4[0] / 2, 35 * mm, "QR code: the council's code and public key")

    groups = fp.split()
    story = [
        para("Signing key card", st["title"]),
        para(f"{council['name']} ({council['gss']})", st["h1"]),
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
        table(
            [
                [para(a, st["cell"]), para(b, st["cell"])]
                for a, b in (
                    ("Algorithm", "Ed25519"),
                    ("Public key (hex)", card_json["public_key"]),
                    (
                        "Created",
                        f"{when(card_json['created_at'])} by {card_json['created_by'] or '—'}",
                    ),
                    (
                        "Replaces",
                        f"key {card_json['endorsement']['fingerprint']}, which vouched for this one"
                        if card_json.get("endorsement")
                        else "— (the council's first key)",
                    ),
                )
            ],
            [width * 0.25, width * 0.75],
            header=False,
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
