"""Demo data for the procurement pipeline and timelines: a plausible district's plans."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from lga_desktop.registers import pipeline
from lga_desktop.registers.store import create, find_by_ref

# title, category, value (pounds), advert, start, months, confidence, lots for SMEs
PLANNED = [
    (
        "Housing repairs and voids framework",
        "CON",
        14_500_000,
        date(2012, 11, 5),
        date(2013, 6, 1),
        60,
        "high",
        True,
    ),
    (
        "Corporate ICT managed service",
        "ICT",
        6_200_000,
        date(2013, 2, 4),
        date(2013, 10, 1),
        48,
        "medium",
        False,
    ),
    (
        "Street lighting energy supply",
        "EU",
        1_850_000,
        date(2013, 5, 13),
        date(2013, 10, 1),
        36,
        "high",
        False,
    ),
    (
        "Temporary agency staff",
        "AGY",
        3_400_000,
        date(2013, 1, 14),
        date(2013, 4, 1),
        24,
        "high",
        True,
    ),
    (
        "Grounds maintenance",
        "FM",
        2_750_000,
        date(2013, 9, 2),
        date(2014, 4, 1),
        84,
        "medium",
        True,
    ),
    ("Domiciliary care", "ASC", 9_800_000, date(2014, 1, 6), date(2014, 7, 1), 60, "low", True),
    (
        "Waste collection fleet replacement",
        "TF",
        4_100_000,
        date(2014, 6, 2),
        date(2015, 2, 1),
        96,
        "low",
        False,
    ),
    ("Legal services panel", "PS", 900_000, date(2013, 3, 4), date(2013, 7, 1), 36, "medium", True),
]

# title, category, procedure, notice, award (None while running), value (pounds), justification
TIMELINES = [
    (
        "Leisure centre refurbishment",
        "CON",
        "restricted",
        date(2012, 4, 16),
        date(2012, 9, 14),
        3_200_000,
        "",
    ),
    (
        "Parking enforcement contract",
        "HWY",
        "open",
        date(2012, 5, 8),
        date(2012, 8, 20),
        1_150_000,
        "",
    ),
    (
        "Customer contact platform",
        "ICT",
        "dialogue",
        date(2012, 6, 11),
        date(2013, 1, 21),
        2_400_000,
        "No supplier could be specified in advance; the solution had to be designed with bidders.",
    ),
    ("Building cleaning", "FM", "open", date(2012, 9, 3), date(2012, 12, 17), 780_000, ""),
]


def fill_pipeline(ws, rng: random.Random) -> None:
    for title, cat, pounds, advert, start, months, confidence, lots in PLANNED:
        create(
            ws,
            pipeline.PIPELINE,
            {
                "title": title,
                "category": cat,
                "estimated_value": pounds * 100,
                "advert_date": advert,
                "contract_start": start,
                "length_months": Decimal(months),
                "confidence": confidence,
                "sme_lots": lots,
                "added_on": date(2012, 9, 28),
            },
            source="Demo",
        )
    for title, cat, procedure, notice, award, pounds, why in TIMELINES:
        create(
            ws,
            pipeline.TIMELINE,
            {
                "title": title,
                "category": cat,
                "procedure": procedure,
                "ojeu_date": notice,
                "award_date": award,
                "value": pounds * 100,
                "justification": why or None,
            },
            source="Demo",
        )
    housing = find_by_ref(ws, pipeline.PIPELINE, "PIP-001")
    create(
        ws,
        pipeline.TIMELINE,
        {
            "title": "Housing repairs and voids framework",
            "category": "CON",
            "procedure": "restricted",
            "ojeu_date": date(2012, 11, 5),
            "value": 14_500_000 * 100,
            "pipeline_entry": housing.link() if housing else None,
        },
        source="Demo",
    )
