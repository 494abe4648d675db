"""Procurement as a feature: what `info` counts, the demo, the return's part, the checks."""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lga_desktop.features import Feature
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.procurement import derived
from lga_desktop.procurement.category_mapping import set_rule
from lga_desktop.validation import Finding, Severity
from lga_desktop.workspace import Workspace

KEY = "procurement"

# (supplier, sme, vcse, local, expenditure category, code, typical £, service area);
# sme None: nobody has classified the supplier yet
DEMO_SUPPLIERS = [
    (
        "Oxfordshire Mind",
        False,
        True,
        True,
        "Grants to Voluntary Organisations",
        "D3701",
        4_000,
        "Communities",
    ),
    ("Cherwell Packaging Ltd", True, False, True, "Materials", "D3021", 900, "Direct Services"),
    ("Instarmac Ltd", True, False, False, "Materials", "D3021", 1_400, "Direct Services"),
    ("Hanson Aggregates", False, False, False, "Materials", "D3021", 2_200, "Direct Services"),
    ("H Tuckwell & Sons Ltd", True, False, True, "Materials", "D3021", 700, "Direct Services"),
    (
        "Kier Construction Ltd",
        False,
        False,
        False,
        "Building Works",
        "B1101",
        25_000,
        "Housing and Property",
    ),
    (
        "Ridgeway Roofing Ltd",
        True,
        False,
        True,
        "Reactive Maintenance & Minor Repairs",
        "B1101",
        7_000,
        "Housing and Property",
    ),
    (
        "Thames Valley Electrical Ltd",
        True,
        False,
        True,
        "Reactive Maintenance & Minor Repairs",
        "B1101",
        6_000,
        "Housing and Property",
    ),
    (
        "SSE Energy Supply Ltd",
        False,
        False,
        False,
        "Electricity",
        "B2101",
        12_500,
        "Corporate Property",
    ),
    ("British Gas Business", False, False, False, "Gas", "B2201", 8_200, "Corporate Property"),
    (
        "Thames Water Utilities",
        False,
        False,
        False,
        "Water Services",
        "B2301",
        3_100,
        "Corporate Property",
    ),
    (
        "Capita Business Services Ltd",
        False,
        False,
        False,
        "Computer Software Maintenance",
        "D5121",
        12_000,
        "Business Improvement",
    ),
    (
        "Civica UK Ltd",
        False,
        False,
        False,
        "Computer Software Maintenance",
        "D5121",
        9_500,
        "Business Improvement",
    ),
    (
        "Oxford Web Design Co",
        True,
        False,
        True,
        "Computer Consultancy",
        "D5131",
        5_000,
        "Business Improvement",
    ),
    (
        "Hays Specialist Recruitment",
        False,
        False,
        False,
        "Agency Staff",
        "A0501",
        6_800,
        "Environmental Development",
    ),
    ("Oxford Temps Ltd", True, False, True, "Agency Staff", "A0501", 2_900, "Direct Services"),
    ("Bevan Brittan LLP", False, False, False, "Legal Fees", "D4101", 7_400, "Law and Governance"),
    (
        "Cottrill Stone Lawless",
        True,
        False,
        True,
        "Legal Fees",
        "D4101",
        3_100,
        "Law and Governance",
    ),
    (
        "Viridor Waste Management",
        False,
        False,
        False,
        "Waste Disposal",
        "D3301",
        18_000,
        "Direct Services",
    ),
    (
        "Oxford Wood Recycling",
        True,
        True,
        True,
        "Waste Disposal",
        "D3301",
        1_800,
        "Direct Services",
    ),
    (
        "Dennis Eagle Ltd",
        False,
        False,
        False,
        "Vehicle Purchase",
        "C1101",
        40_000,
        "Direct Services",
    ),
    (
        "Fleet Tyres Oxford",
        True,
        False,
        True,
        "Vehicle Repairs & Maintenance",
        "C1201",
        1_200,
        "Direct Services",
    ),
    (
        "Oxford Bus Company",
        False,
        False,
        True,
        "Passenger Transport",
        "C1301",
        4_400,
        "Communities",
    ),
    (
        "Fusion Lifestyle",
        False,
        True,
        False,
        "Leisure Management Fee",
        "D3901",
        30_000,
        "Leisure, Parks & Communities",
    ),
    (
        "Oxford Hub",
        False,
        True,
        True,
        "Grants to Voluntary Organisations",
        "D3701",
        2_500,
        "Communities",
    ),
    (
        "Elmore Community Services",
        False,
        True,
        True,
        "Homelessness Support",
        "D3702",
        6_300,
        "Housing Needs",
    ),
    (
        "Greenscape Grounds Ltd",
        None,
        False,
        True,
        "Grounds Maintenance",
        "B1401",
        8_000,
        "Leisure, Parks & Communities",
    ),
    ("Bidwells LLP", None, False, True, "Consultants Fees", "D4201", 5_200, "Regeneration"),
    ("Arcadis LLP", False, False, False, "Consultants Fees", "D4201", 14_000, "Regeneration"),
    ("Banner Group Ltd", False, False, False, "Stationery", "D1101", 650, "Financial Services"),
    ("Oxford Print Centre", True, False, True, "Printing", "D1201", 1_100, "Communications"),
    (
        "Redacted personal data",
        False,
        False,
        False,
        "Housing Benefit Overpayment Refunds",
        "Z400404",
        750,
        "Financial Services",
    ),
]
# remembered rules for the demo council's own categories (ProClass maps some by itself;
# grants and benefit refunds are recognised as not procurement without a rule)
DEMO_RULES = {
    "Materials": "CON",
    "Building Works": "CON",
    "Reactive Maintenance & Minor Repairs": "FM",
    "Electricity": "EU",
    "Gas": "EU",
    "Water Services": "EU",
    "Computer Software Maintenance": "ICT",
    "Computer Consultancy": "ICT",
    "Agency Staff": "AGY",
    "Legal Fees": "PS",
    "Waste Disposal": "WST",
    "Vehicle Purchase": "TF",
    "Vehicle Repairs & Maintenance": "TF",
    "Passenger Transport": "TF",
    "Leisure Management Fee": "FM",
    "Homelessness Support": "ASC",
    "Grounds Maintenance": "FM",
    "Consultants Fees": "PS",
    "Stationery": "OTH",
    "Printing": "OTH",
}
DEMO_YEARS = (FinancialYear(2012), FinancialYear(2013))


def demo(ws: Workspace, rng: random.Random) -> None:
    """Two financial years of plausible Oxford spend, imported through the real importer."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "oxford-spend-over-500-demo.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(
                [
                    "Body Name",
                    "Service Area",
                    "Expenditure Category",
                    "Expenditure Code",
                    "Paid Date",
                    "Trans No",
                    "Amount",
                    "Type",
                    "Supplier ID",
                    "Supplier Name",
                ]
            )
            serial = 46_270_000
            for year in DEMO_YEARS:
                day = year.start
                while day <= year.end:
                    if day.weekday() < 5:
                        for _ in range(rng.randint(2, 6)):
                            n = rng.randrange(len(DEMO_SUPPLIERS))
                            name, _sme, _vcse, _local, cat, code, typical, area = DEMO_SUPPLIERS[n]
                            pounds = Decimal(max(500, int(rng.lognormvariate(0, 0.6) * typical)))
                            pence = rng.randrange(100)
                            amount = f"{pounds}.{pence:02d}"
                            if rng.random() < 0.01:
                                amount = f"-{amount}"  # a credit note
                            kind = (
                                "Capital"
                                if code.startswith(("C1", "B11")) and rng.random() < 0.5
                                else "Revenue"
                            )
                            serial += 1
                            w.writerow(
                                [
                                    ws.council.official_name,
                                    area,
                                    cat,
                                    code,
                                    f"{day:%d/%m/%Y}",
                                    f"{serial}_1",
                                    amount,
                                    kind,
                                    f"2000{n:04d}",
                                    name,
                                ]
                            )
                    day += timedelta(days=1)
        for name, category in DEMO_RULES.items():
            set_rule(ws, "name", name, category)
        from lga_desktop.procurement.spend_import import import_spend  # the demo's alone

        import_spend(ws, path)
    from lga_desktop.procurement.suppliers import set_flags

    ids = dict(ws.db.execute("SELECT name, id FROM supplier").fetchall())
    for name, sme, vcse, local, *_ in DEMO_SUPPLIERS:
        set_flags(ws, [ids[name]], sme=sme, vcse=vcse, local=local)


def snapshot(ws: Workspace, quarter: Quarter) -> dict[str, Any]:
    """The return's procurement part: spend by category and the shares, money in int pence."""
    by_category = [
        {"category": code, "name": name, "spend_pence": pence, "lines": lines}
        for _q, code, name, pence, lines in derived.spend_by_category(ws, quarter)
    ]
    share = derived.share_for(ws, quarter)
    fy = quarter.year
    ytd = derived.empty_share(f"{fy} to {quarter}", str(fy.start_year))
    for s in derived.shares_by_quarter(ws, fy.quarters[0], quarter):
        ytd = ytd + s
    unmapped, unmapped_lines = derived.unmapped_for(ws, quarter)
    suppliers = ws.db.execute(
        "SELECT COUNT(DISTINCT supplier_id) FROM spend_summary WHERE quarter = ?", [quarter.key]
    ).fetchone()[0]
    return {
        "quarter": quarter.key,
        "lines": share.lines,
        "suppliers": suppliers,
        "total_pence": share.total_pence,
        "spend_by_category": by_category,
        "unmapped_pence": unmapped,
        "unmapped_lines": unmapped_lines,
        "share": share.as_dict(),
        "year_to_date": ytd.as_dict(),
        "sme_definition": derived.SME_DEFINITION,
        "sme_aspiration_percent": str(derived.SME_ASPIRATION),
        "sme_aspiration_context": derived.SME_ASPIRATION_WORDS,
        # what the figures were worked out with, frozen here: a flag or a mapping changed
        # after signing never changes what this quarter's return says
        "supplier_flags": frozen_suppliers(ws, quarter),
        "category_mapping": frozen_mapping(ws, quarter),
    }


def frozen_suppliers(ws: Workspace, quarter: Quarter) -> list[dict[str, Any]]:
    """Each supplier paid in the quarter, its flags as they stand, and its spend."""
    rows = ws.db.execute(
        "SELECT p.name, CASE WHEN p.sme_known = 1 THEN p.sme END, p.vcse, p.local, p.redacted, "
        "SUM(s.pence), SUM(s.lines) FROM spend_summary s JOIN supplier p ON p.id = s.supplier_id "
        "WHERE s.quarter = ? GROUP BY p.id ORDER BY SUM(s.pence) DESC, p.name",
        [quarter.key],
    ).fetchall()
    return [
        {
            "name": name,
            "sme": None if sme is None else bool(sme),
            "vcse": bool(vcse),
            "local": bool(local),
            "redacted": bool(redacted),
            "spend_pence": pence,
            "lines": lines,
        }
        for name, sme, vcse, local, redacted, pence, lines in rows
    ]


def frozen_mapping(ws: Workspace, quarter: Quarter) -> list[dict[str, Any]]:
    """Each expenditure category paid in the quarter and the big-spend category it counted in."""
    rows = ws.db.execute(
        "SELECT c.name, c.code, c.category_code, COALESCE(k.procurement, 1), c.mapped_by, "
        "SUM(s.pence) FROM spend_summary s "
        "JOIN spend_source_category c ON c.id = s.source_category_id "
        "LEFT JOIN spend_category k ON k.code = c.category_code "
        "WHERE s.quarter = ? GROUP BY c.id ORDER BY SUM(s.pence) DESC, c.name, c.code",
        [quarter.key],
    ).fetchall()
    return [
        {
            "source": name,
            "source_code": code,
            "category": category,
            "procurement": bool(procurement),
            "mapped_by": mapped_by,
            "spend_pence": pence,
        }
        for name, code, category, procurement, mapped_by, pence in rows
    ]


def validate(ws: Workspace, quarter: Quarter) -> list[Finding]:
    """Warnings only; the SME share itself is never judged against the 25% aspiration."""
    from lga_desktop.money import format_money

    findings = []
    share = derived.share_for(ws, quarter)
    if share.lines == 0:
        findings.append(
            Finding(
                Severity.WARNING,
                KEY,
                "procurement.no_spend",
                f"No spend has been imported for {quarter}; import the council's spend file "
                "for the quarter, or explain why there is none.",
            )
        )
        return findings
    unmapped, lines = derived.unmapped_for(ws, quarter)
    if lines:
        findings.append(
            Finding(
                Severity.WARNING,
                KEY,
                "procurement.unmapped_spend",
                f"{format_money(unmapped)} of spend in {quarter} ({lines:,} lines) has no "
                "big-spend category; map its expenditure categories on the Categories tab.",
            )
        )
    from lga_desktop.procurement.spend_import import other_bodies

    others = other_bodies(
        ws, "spend_date BETWEEN ? AND ?", [quarter.start.isoformat(), quarter.end.isoformat()]
    )
    if others:
        named = "; ".join(
            f"{body!r} ({lines:,} lines, {format_money(pence)})"
            for body, lines, pence in others[:3]
        )
        findings.append(
            Finding(
                Severity.WARNING,
                KEY,
                "procurement.other_body",
                f"Spend in {quarter} names another body than {ws.council.official_name}: "
                f"{named}; remove that import on the Spend tab if it is not this council's, "
                "or explain.",
            )
        )
    # the LGA's programme pack may set the coverage below which a return warns
    from lga_desktop.exchange.council import pack_threshold

    threshold = pack_threshold(ws, "classified_coverage_percent", derived.CLASSIFIED_THRESHOLD)
    if share.classified_percent is not None and share.classified_percent < threshold:
        findings.append(
            Finding(
                Severity.WARNING,
                KEY,
                "procurement.sme_classification_low",
                f"Suppliers are classified (SME or not) for only {share.classified_percent}% "
                f"of {quarter}'s procurement spend ({format_money(share.unclassified_pence)} "
                f"not yet classified), below {threshold}%: the SME share of "
                f"{share.sme_percent}% may be far from the truth; classify suppliers on the "
                "Suppliers tab, or explain.",
            )
        )
    return findings


FEATURE = Feature(
    key=KEY,
    title="Procurement",
    counted_tables={"Spend lines": "spend_line", "Spend imports": "spend_import"},
    demo="lga_desktop.procurement.feature:demo",
    snapshot=snapshot,
    validate=validate,
)
