"""A realistic 2012/13 in the three registers, for the demo workspace.

Illustrative data for a district council in CAP wave 2: the plan and its
assets, ten years of planned outputs with four quarters realised, four expert
engagements with their day logs, and a dozen savings lines realised quarter by
quarter. It is seeded, so every demo is the same, and carries a few findings
on purpose (days beyond those agreed, an output far above plan, a saving with
no evidence) so that a first look shows what validation does.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from lga_desktop.periods import FinancialYear, Quarter, is_working_day
from lga_desktop.registers import cap, experts, savings
from lga_desktop.registers.store import create
from lga_desktop.workspace import Workspace

SOURCE = "Demo data"
YEAR = FinancialYear(2012)


def _pounds(amount: int) -> int:
    return amount * 100


def fill_cap(ws: Workspace, rng: random.Random) -> None:
    council = ws.council.name
    plan = create(
        ws,
        cap.PLAN,
        {
            "title": f"{council} public estate: co-location and growth",
            "wave": "2",
            "status": "delivering",
            "summary": (
                "Bring council, health, police and Jobcentre Plus services together in fewer, "
                "better buildings; release the surplus sites for housing and employment; cut "
                "running costs and carbon. (Demo data: illustrative only.)"
            ),
            "partners": ("nhs", "police", "fire", "jcp", "central", "education"),
            "lga_investment": _pounds(50_000),
            "match_funding": _pounds(60_000),
            "start_date": date(2012, 4, 1),
            "end_date": date(2022, 3, 31),
        },
        source=SOURCE,
    )
    link = plan.link()
    assets = [
        (
            "Council offices annexe",
            "St Aldate's",
            "City council",
            "colocate",
            2400,
            310_000,
            120_000,
            0,
        ),
        ("Depot yard", "Marsh Road", "City council", "housing", 5600, 85_000, 0, 2_750_000),
        (
            "Former police office",
            "Cowley Road",
            "Thames Valley Police",
            "employment",
            850,
            64_000,
            12_000,
            0,
        ),
        (
            "Health centre",
            "Blackbird Leys",
            "NHS Oxfordshire",
            "colocate",
            1200,
            140_000,
            95_000,
            0,
        ),
        (
            "Jobcentre",
            "Templars Square",
            "Department for Work and Pensions",
            "dispose",
            700,
            58_000,
            0,
            900_000,
        ),
        (
            "Fire station",
            "Rewley Road",
            "Oxfordshire Fire and Rescue",
            "retain",
            1500,
            110_000,
            104_000,
            0,
        ),
    ]
    for name, street, owner, action, area, before, after, receipt in assets:
        create(
            ws,
            cap.ASSETS,
            {
                "plan": link,
                "name": name,
                "address": f"{street}, {council}",
                "owner": owner,
                "action": action,
                "floor_area": Decimal(area),
                "running_before": _pounds(before),
                "running_after": _pounds(after),
                "capital_receipt": _pounds(receipt),
            },
            source=SOURCE,
        )
    # ten years: slow to start, peaking as the released sites are built on
    shape = [1, 2, 4, 6, 8, 8, 7, 6, 5, 4]
    for i, weight in enumerate(shape):
        create(
            ws,
            cap.PLANNED,
            {
                "plan": link,
                "year": FinancialYear(YEAR.start_year + i),
                "jobs": Decimal(5 * weight),
                "homes_public": Decimal(6 * weight if i >= 1 else 0),
                "homes_private": Decimal(9 * weight if i >= 2 else 0),
                "space_reused": Decimal(150 * weight),
                "capex_reduced": _pounds(40_000 * weight),
                "carbon": Decimal(weight * 25) / 10,
            },
            source=SOURCE,
        )
    realised = [  # jobs, public homes, private homes, m², capex £, carbon t
        ("1.0", 0, 0, 0, 0, "0.8"),
        ("1.5", 0, 0, 60, 15_000, "1.9"),
        ("2.0", 0, 0, 90, 20_000, "2.2"),
        ("2.5", 0, 0, 0, 12_500, "1.4"),  # carbon runs far ahead of plan: a warning
    ]
    evidence = [
        "Partner board minutes; HR starter list for the co-located team.",
        "Lease surrender for the police office; first floor let to a local business.",
        "Second floor let; energy bills for the annexe (Q3).",
        "Quarterly energy returns from the partners' buildings.",
    ]
    for q, (jobs, hp, hpr, space, capex, carbon), note in zip(
        YEAR.quarters, realised, evidence, strict=True
    ):
        create(
            ws,
            cap.REALISED,
            {
                "plan": link,
                "quarter": q,
                "jobs": Decimal(jobs),
                "homes_public": Decimal(hp),
                "homes_private": Decimal(hpr),
                "space_reused": Decimal(space),
                "capex_reduced": _pounds(capex),
                "carbon": Decimal(carbon),
                "evidence": note,
            },
            source=SOURCE,
        )


_WORK = {
    "renegotiation": [
        "Reviewed the waste collection contract and its variation history",
        "Workshop with the contract manager on negotiation objectives",
        "Negotiation meeting with the leisure operator",
        "Prepared the facilities management renegotiation brief",
        "Benchmarked ICT support rates against regional contracts",
        "Coached officers on tactics for the second negotiation round",
        "Drafted heads of terms for the revised waste contract",
    ],
    "systems": [
        "Observed benefits claims handling end to end",
        "Demand analysis of customer contact centre calls",
        "Workshop with front-line staff on failure demand",
        "Redesign session for the housing repairs process",
        "Reviewed measures with the service managers",
    ],
    "assets": [
        "Site visits with the estates team",
        "Reviewed the partners' asset registers for co-location options",
        "Options appraisal for the depot site",
        "Met the NHS and police estates leads",
    ],
    "procurement": [
        "Analysed a year of placement spend by provider",
        "Market engagement event with care providers",
        "Drafted the category strategy for residential placements",
        "Reviewed the framework's pricing schedule",
    ],
}


def _working_days(start: date, end: date) -> list[date]:
    days, d = [], start
    while d <= end:
        if is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def fill_experts(ws: Workspace, rng: random.Random) -> None:
    engagements = [
        (
            "Helen Carter",
            "Cherwell District Council",
            "renegotiation",
            "Renegotiate the council's four largest contracts and train officers in contract renegotiation.",
            "20",
            date(2012, 5, 1),
            date(2013, 3, 29),
            1_000_000,
            "annual",
            Decimal("18.5"),
        ),
        (
            "David Okafor",
            "Portsmouth City Council",
            "systems",
            "Introduce systems thinking in benefits, customer contact and housing repairs.",
            "15",
            date(2012, 6, 4),
            date(2013, 3, 29),
            500_000,
            "one_off",
            Decimal("16.5"),
        ),
        (
            "Ruth Simmonds",
            "Local Partnerships",
            "assets",
            "Support the CAP asset review with the public-sector partners.",
            "10",
            date(2012, 7, 2),
            date(2013, 3, 29),
            250_000,
            "annual",
            Decimal("6"),
        ),
        (
            "Gareth Lewis",
            "Essex County Council",
            "procurement",
            "Category management for adult social care placements.",
            "12",
            date(2012, 10, 1),
            date(2013, 6, 28),
            300_000,
            "annual",
            Decimal("7.5"),
        ),
    ]
    for name, org, spec, purpose, agreed, start, end, saving, basis, to_log in engagements:
        eng = create(
            ws,
            experts.ENGAGEMENTS,
            {
                "expert": name,
                "organisation": org,
                "specialism": spec,
                "purpose": purpose,
                "days_agreed": Decimal(agreed),
                "start_date": start,
                "end_date": end,
                "expected_saving": _pounds(saving),
                "saving_basis": basis,
            },
            source=SOURCE,
        )
        candidates = _working_days(start, min(end, YEAR.end))
        logged = Decimal(0)
        chosen: list[tuple[date, Decimal]] = []
        while logged < to_log:
            step = (
                Decimal("0.5")
                if to_log - logged == Decimal("0.5") or rng.random() < 0.25
                else Decimal(1)
            )
            chosen.append((candidates.pop(rng.randrange(len(candidates))), step))
            logged += step
        for day, step in sorted(chosen):
            create(
                ws,
                experts.DAYS,
                {
                    "engagement": eng.link(),
                    "date": day,
                    "days": step,
                    "work": rng.choice(_WORK[spec]),
                },
                source=SOURCE,
            )


def fill_savings(ws: Workspace, rng: random.Random) -> None:
    from lga_desktop.registers.store import list_records

    eng = {e["specialism"]: e.link() for e in list_records(ws, experts.ENGAGEMENTS)}
    lines = [
        # workstream, title, cashable, kind, recurrence, baseline £, target £, start, engagement
        (
            "expert",
            "Waste collection contract renegotiated",
            "cashable",
            "revenue",
            "recurring",
            6_200_000,
            400_000,
            1,
            "renegotiation",
        ),
        (
            "expert",
            "Leisure management contract renegotiated",
            "cashable",
            "revenue",
            "recurring",
            2_900_000,
            250_000,
            2,
            "renegotiation",
        ),
        (
            "expert",
            "Benefits processing redesigned (systems thinking)",
            "cashable",
            "revenue",
            "one_off",
            3_100_000,
            500_000,
            2,
            "systems",
        ),
        (
            "category",
            "ICT support framework re-let",
            "cashable",
            "revenue",
            "recurring",
            1_800_000,
            180_000,
            1,
            None,
        ),
        (
            "category",
            "Agency staff through the regional framework",
            "cashable",
            "revenue",
            "recurring",
            2_400_000,
            210_000,
            1,
            None,
        ),
        (
            "category",
            "Residential care placements: banded prices",
            "cashable",
            "revenue",
            "recurring",
            9_500_000,
            300_000,
            3,
            "procurement",
        ),
        (
            "cap",
            "Annexe running costs after co-location",
            "cashable",
            "revenue",
            "recurring",
            310_000,
            190_000,
            3,
            "assets",
        ),
        (
            "cap",
            "Capital receipt avoided borrowing: depot",
            "non_cashable",
            "capital",
            "one_off",
            None,
            120_000,
            4,
            None,
        ),
        (
            "shared",
            "Shared legal service with the county",
            "cashable",
            "revenue",
            "recurring",
            1_200_000,
            150_000,
            1,
            None,
        ),
        (
            "waste",
            "Food waste collection rounds re-planned",
            "cashable",
            "revenue",
            "recurring",
            4_000_000,
            85_000,
            2,
            None,
        ),
        (
            "social_care",
            "Reablement before care packages",
            "non_cashable",
            "revenue",
            "recurring",
            7_800_000,
            220_000,
            1,
            None,
        ),
        (
            "troubled",
            "Troubled families: fewer repeat referrals",
            "non_cashable",
            "revenue",
            "recurring",
            None,
            60_000,
            3,
            None,
        ),
    ]
    evidence = [
        "Contract variation signed; invoices for the quarter show the new rates.",
        "Budget monitoring report to Cabinet.",
        "Finance system: cost centre outturn against baseline.",
        "Purchase orders under the new framework rates.",
        "Service manager's report, verified by the finance business partner.",
    ]
    for ws_key, title, cashable, kind, recurrence, baseline, target, start_q, eng_key in lines:
        line = create(
            ws,
            savings.LINES,
            {
                "workstream": ws_key,
                "title": title,
                "cashable": cashable,
                "kind": kind,
                "recurrence": recurrence,
                "baseline": None if baseline is None else _pounds(baseline),
                "target": _pounds(target),
                "start": Quarter(YEAR.start_year, start_q),
                "engagement": eng.get(eng_key) if eng_key else None,
                # a recurring saving lasts as long as the contract or change behind it
                "years": 5 if recurrence == "recurring" else None,
            },
            source=SOURCE,
        )
        for q in YEAR.quarters:
            expected = savings.quarter_target(line, q)
            if not expected:
                continue
            # a realistic spread: most lines near target, some slipping, a few ahead
            factor = Decimal(rng.choice([55, 70, 85, 90, 95, 100, 100, 105, 115])) / 100
            amount = int(expected * factor) // 10_000 * 10_000  # to the nearest £100 below
            if amount <= 0:
                continue
            note = rng.choice(evidence)
            if title.startswith("Agency staff") and q.q == 3:
                note = ""  # one missing evidence note, for the demo's warnings
            create(
                ws,
                savings.REALISED,
                {"saving": line.link(), "quarter": q, "amount": amount, "evidence": note or None},
                source=SOURCE,
            )
