"""The Board report as a printable A4 PDF (reportlab, imported only when one is made).

Title, headline figures, the tables, the councils whose return is missing,
and last the returns counted with their return hashes, the same hash that is
printed on every page of each council's signed return, so a Board member can
trace any figure to the signed files. Every page says "Page x of y" and the
day the report was made. Styles, tables and page numbering are the printed
return's own (``lga_desktop.printing``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from lga_desktop.consolidation.report_tables import (
    CODE,
    TEXT,
    WHEN,
    ReportContent,
    ReportTable,
    display,
)
from lga_desktop.printing import MONO, SANS, SANS_BOLD, numbered_canvas, para, styles, table
from lga_desktop.progress import Progress

__all__ = ["write_pdf", "report_pdf"]

HASH_LINE = 32  # a return hash is printed in two lines of 32, as on the return itself
FONT_SIZE = 8  # of the cells, as the "cell" and "num" styles say
CODE_SIZE = 7
PAD = 6  # a cell's left and right padding together
KEEP_ROWS = 15
CHART_ROWS = 16  # bars in one chart, so that it fits a page  # a council's rows in a table are kept on one page up to this many


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    st = styles()  # the printed return's: headings, cells, bold cells and figures
    st["about"] = ParagraphStyle("about", parent=st["small"], spaceAfter=3)
    st["code"] = ParagraphStyle(
        "cd", parent=st["mono"], fontSize=CODE_SIZE, leading=8.5, leftIndent=0
    )
    st["headline"] = ParagraphStyle("hl", parent=st["body"], fontSize=10, leading=13)
    st["headline_b"] = ParagraphStyle("hlb", parent=st["headline"], fontName=SANS_BOLD)
    return st


def _code_lines(text: str) -> list[str]:
    """A hash in lines of 32; a fingerprint (groups of four) in two lines of groups."""
    if " " not in text:
        return [text[i : i + HASH_LINE] for i in range(0, len(text), HASH_LINE)] or [""]
    groups = text.split()
    half = (len(groups) + 1) // 2
    return [" ".join(groups[:half]), " ".join(groups[half:])]


def _fit(heads: list[str], columns: list[list[tuple[str, str]]], width: float) -> list[float]:
    """Column widths that fill ``width``: numbers and codes never wrap, words never break.

    ``columns`` holds each column's cells as (kind, text). Where the page is
    too narrow for every text on one line, headings wrap first, then text
    cells (council names, outputs), each down to its longest word.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def w(text: str, font: str = SANS, size: float = FONT_SIZE) -> float:
        return stringWidth(text, font, size) + PAD

    least, middle, most = [], [], []  # all wrapped / headings wrapped / nothing wrapped
    for head, cells in zip(heads, columns, strict=True):
        low = max((w(word, SANS_BOLD) for word in head.split()), default=PAD)
        body = PAD
        for kind, text in cells:
            if kind == CODE:
                need = max(w(line, MONO, CODE_SIZE) for line in _code_lines(text))
                low, body = max(low, need), max(body, need)
            elif kind in (TEXT, WHEN):
                low = max(low, *(w(word) for word in text.split() or [""]))
                body = max(body, w(text))
            else:  # totals are bold: the widest a number gets
                low = body = max(low, body, w(text, SANS_BOLD))
        least.append(low)
        middle.append(max(low, body))
        most.append(max(low, body, w(head, SANS_BOLD)))
    for narrow, wide in ((middle, most), (least, middle)):
        if sum(wide) <= width:
            return [x * width / sum(wide) for x in wide]
        if sum(narrow) <= width:
            give = (width - sum(narrow)) / (sum(wide) - sum(narrow))
            return [lo + (hi - lo) * give for lo, hi in zip(narrow, wide, strict=True)]
    return [x * width / sum(least) for x in least]


def _keep(first: int, last: int) -> list[tuple]:
    """Rows kept on one page, when they are few enough to fit one."""
    return [("NOSPLIT", (0, first), (-1, last))] if last - first < KEEP_ROWS else []


KEEP_TABLE_ROWS = 150  # past this, a table may break inside a council's rows (reportlab's
# page-break search is quadratic in the ranges kept together: 2,100 rows took 10 s)


def _table(t: ReportTable, st: dict, width: float) -> list:
    """A report table; a cell is a plain string (fast) unless its words must wrap."""
    if not t.rows:
        return [para(t.empty, st["body"])]
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    grouped = bool(t.council_heading and t.item_heading)  # print each council's name once
    heads = [h for h in (t.council_heading, t.item_heading) if h] + [c.heading for c in t.columns]
    texts: list[list[tuple[str, str]]] = [[] for _ in heads]
    for r in t.rows:
        dims = ([r.council] if t.council_heading else []) + ([r.item] if t.item_heading else [])
        for i, text in enumerate(dims):
            texts[i].append((TEXT, text))
        for i, c in enumerate(r.cells, start=len(dims)):
            texts[i].append((c.kind, str(c.value) if c.kind == CODE else display(c)))
    numeric = [all(kind not in (TEXT, CODE, WHEN) for kind, _ in col) for col in texts]
    widths = _fit(heads, texts, width)
    rows = [[para(h, st["head_num" if numeric[i] else "head"]) for i, h in enumerate(heads)]]
    extra: list[tuple] = [("FONT", (0, 1), (-1, -1), SANS, FONT_SIZE, 9.5)]
    extra += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, n in enumerate(numeric) if n]
    extra += [
        ("FONT", (i, 1), (i, -1), MONO, CODE_SIZE, 8.5)
        for i, col in enumerate(texts)
        if col and col[0][0] == CODE
    ]

    def cell(kind: str, text: str, column: int, bold: bool) -> Any:
        if kind == CODE:
            return "\n".join(_code_lines(text))
        font = SANS_BOLD if bold else SANS
        if stringWidth(text, font, FONT_SIZE) + PAD <= widths[column]:
            return text  # fits on one line: no paragraph to lay out
        style = ("cell" if kind in (TEXT, WHEN) else "num") + ("_b" if bold else "")
        return para(text, st[style])

    previous, first = None, 1
    for n, r in enumerate(t.rows, start=1):
        council = r.council
        if grouped:
            if r.council == previous:
                council = ""
            else:  # a council's rows stay on one page, under its name
                if previous is not None:
                    extra.append(("LINEABOVE", (0, n), (-1, n), 0.9, colors.HexColor("#5f6b7a")))
                    extra += _keep(first, n - 1)
                previous, first = r.council, n
        dims = ([council] if t.council_heading else []) + ([r.item] if t.item_heading else [])
        kinds = [(TEXT, x) for x in dims] + [
            (c.kind, str(c.value or "") if c.kind == CODE else display(c)) for c in r.cells
        ]
        rows.append([cell(k, x, i, r.total) for i, (k, x) in enumerate(kinds)])
        if r.total:
            extra.append(("BACKGROUND", (0, n), (-1, n), colors.HexColor("#f2f4f7")))
            extra.append(("FONT", (0, n), (-1, n), SANS_BOLD, FONT_SIZE, 9.5))
    if grouped:
        extra += _keep(first, len(t.rows))
    if len(t.rows) > KEEP_TABLE_ROWS:
        extra = [c for c in extra if c[0] != "NOSPLIT"]
    return [table(rows, widths, style=extra)]


def _money_rows(content: ReportContent, key: str) -> list[tuple[str, float, float]]:
    """(label, realised £, target £) of a savings table's rows, totals left out."""
    from lga_desktop.consolidation.report_tables import MONEY

    t = content.table(key)
    out = []
    for r in t.rows:
        if r.total:
            continue
        money = [c.value for c in r.cells if c.kind == MONEY]
        out.append((r.item or r.council, money[0] / 100, money[1] / 100))
    return out


def _bar_chart(
    title: str,
    rows: list[tuple[str, float, float]],
    width: float,
    st: dict,
    legend: str = "dark: realised · light: target",
):
    """Realised (dark) against target (light) for each row: reportlab graphics, in pounds."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    height = 30 + 22 * max(1, len(rows))
    d = Drawing(width, height)
    d.add(String(0, height - 10, title, fontName=SANS_BOLD, fontSize=9))
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 18
    chart.width, chart.height = width - 170, height - 36
    chart.data = [[r[2] for r in rows] or [0], [r[1] for r in rows] or [0]]
    chart.categoryAxis.categoryNames = [r[0] for r in rows] or [""]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.reverseDirection = 1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"£{v:,.0f}"
    chart.bars[0].fillColor = colors.HexColor("#c9d3df")
    chart.bars[1].fillColor = colors.HexColor("#1f5f8b")
    chart.barSpacing = 1
    d.add(chart)
    d.add(String(width, height - 10, legend, fontName=SANS, fontSize=7, textAnchor="end"))
    return d


def _charts(content: ReportContent, st: dict, width: float) -> list:
    """The headline charts: savings by workstream and by quarter, SME share by council."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from lga_desktop.consolidation.report_tables import PERCENT

    width -= 12  # the frame's own padding
    out: list = [Spacer(1, 4 * mm)]
    workstreams = _money_rows(content, "savings_by_workstream")
    if workstreams:
        out.append(_bar_chart("Savings by workstream", workstreams, width, st))
    quarters = _money_rows(content, "savings_by_quarter")
    if quarters:
        title = "Savings by quarter"
        if len(quarters) > CHART_ROWS:
            quarters = quarters[-CHART_ROWS:]
            title += f" (the last {CHART_ROWS})"
        out.append(_bar_chart(title, quarters, width, st))
    # by council while they fit a chart; by region (nine at most) for a national programme
    sme = content.table("sme_share_by_council")
    by, column = "council", 4
    if len(sme.rows) - 1 > CHART_ROWS:
        sme, by, column = content.table("by_region"), "region", 3
    shares = [
        (r.item or r.council, float(c.value), 100.0)
        for r in sme.rows
        for c in r.cells[column : column + 1]
        if c.kind == PERCENT and c.value is not None
    ]
    if shares:
        d = _bar_chart(
            f"SME share of procurement spend by {by} (%)",
            shares,
            width,
            st,
            "dark: SME share of 100%",
        )
        d.contents[1].valueAxis.labelTextFormat = lambda v: f"{v:,.0f}%"
        d.contents[1].valueAxis.valueMax = 100
        out.append(d)
    return out


def _headline_block(content: ReportContent, st: dict, width: float) -> list:
    by_key = {h.key: h for h in content.headlines}
    shown = [
        h
        for h in content.headlines
        if h.key not in {"programme", "quarter", "generated_on", "missing_councils"}
    ]
    half = (len(shown) + 1) // 2
    left, right = shown[:half], shown[half:]
    rows = []
    for i in range(half):
        row = []
        for side in (left, right):
            if i < len(side):
                h = side[i]
                row += [para(h.label, st["cell"]), para(display(h.cell), st["num_b"])]
            else:
                row += ["", ""]
        rows.append(row)
    story = [
        table(
            rows,
            [width * 0.3, width * 0.2, width * 0.3, width * 0.2],
            header=False,
        )
    ]
    missing = by_key["missing_councils"]
    if content.missing and " Q" in content.quarter:
        story.append(
            para(
                f"Not yet returned for {content.quarter}: {missing.cell.value}. Their figures "
                "are not in any total in this report.",
                st["headline_b"],
            )
        )
    elif content.missing:
        story.append(
            para(
                f"{missing.label}: {missing.cell.value}. They add nothing for that quarter; "
                "figures to date use their last known return, flagged in each table.",
                st["headline_b"],
            )
        )
    else:
        story.append(
            para(f"Every pilot council's return for {content.quarter} is counted.", st["headline"])
        )
    return story


def report_pdf(content: ReportContent, progress: Progress | None = None) -> bytes:
    """The Board report for ``content`` as PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer

    st = _styles()
    page_w, page_h = A4
    margin = 16 * mm
    width = page_w - 2 * margin
    made = f"{content.generated_on.day} {content.generated_on:%B %Y}"
    heading = f"{content.programme} · {content.quarter} · report for the Board"

    def footer(canv, page: int, total: int) -> None:
        canv.saveState()
        canv.setFont(SANS, 8)
        canv.setFillGray(0.3)
        canv.drawString(margin, page_h - 10 * mm, heading)
        canv.setStrokeGray(0.6)
        canv.line(margin, 14 * mm, page_w - margin, 14 * mm)
        canv.drawString(margin, 9 * mm, f"Made on {made} by lga-desktop from signed returns")
        canv.drawRightString(page_w - margin, 9 * mm, f"Page {page} of {total}")
        canv.restoreState()

    story: list = [
        para(f"{content.programme}: {content.quarter}", st["title"]),
        para(
            f"Programme report for the LGA Board · {content.period} · made on {made}",
            st["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    story += _headline_block(content, st, width)
    story += _charts(content, st, width)
    last = [t for t in content.tables if t.key == "returns_counted"]
    order = [t for t in content.tables if t.key != "returns_counted"] + last
    steps = len(order) + 1
    for i, t in enumerate(order, start=1):
        if progress is not None:
            progress.update(i, steps, f"Laying out {t.title}…")
        # a heading starts a page rather than end one; a table may then split, header repeated
        story += [CondPageBreak((50 if t.rows else 15) * mm), para(t.title, st["h1"])]
        if t.rows:
            story.append(para(t.about, st["about"]))
        story += _table(t, st, width)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=20 * mm,
        title=f"{content.programme}: {content.quarter} report for the Board",
        author="lga-desktop",
        subject=f"Programme report, {content.quarter}",
        creator="lga-desktop",
        invariant=True,  # no clock or random id: one report's content is one file
    ).build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def write_pdf(content: ReportContent, path: Path, progress: Progress) -> None:
    path.write_bytes(report_pdf(content, progress))
