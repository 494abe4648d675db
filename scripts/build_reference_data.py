"""Rebuild resources/ from the public data in ../shared/data (and the ``holidays`` package).

Run by hand when the sources change; the outputs are committed so that the
program and its tests never need ../shared. ``python scripts/build_reference_data.py``
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
RESOURCES = ROOT / "resources"

# English principal councils: the bodies that can be pilots. Combined authorities
# and the GLA are left out; the City of London (CC) is in.
COUNCIL_TYPES = {"NMD", "UA", "MD", "LBO", "CTY", "CC"}
PROGRAMME_START = "2012-04-01"  # councils that existed when the programme ran

# When a council's GSS code changed (a boundary change gives a new code; ONS
# code history). The source lists the former codes but not when they ended.
CODE_CHANGED_ON = {
    "E08000020": "2013-04-01",  # Gateshead -> E08000037
    "E06000048": "2013-04-01",  # Northumberland -> E06000057
    "E07000097": "2020-04-01",  # East Hertfordshire -> E07000242
    "E07000100": "2020-04-01",  # St Albans -> E07000240
    "E07000101": "2020-04-01",  # Stevenage -> E07000243
    "E07000104": "2020-04-01",  # Welwyn Hatfield -> E07000241
}
# When a council was renamed, keeping its code: (former name, former official name, until)
RENAMED = {
    "E07000112": ("Shepway", "Shepway District Council", "2018-04-01"),
}


def former_identities(r: dict) -> str:
    """'GSS|name|official name|until' for each earlier identity, ';'-separated, oldest first."""
    out = []
    for code in filter(None, r["former-gss-codes"].replace(",", " ").split()):
        if code not in CODE_CHANGED_ON:
            sys.exit(f"{r['official-name']}: former code {code} has no date in CODE_CHANGED_ON")
        out.append((CODE_CHANGED_ON[code], code, r["nice-name"], r["official-name"]))
    if r["gss-code"] in RENAMED:
        name, official, until = RENAMED[r["gss-code"]]
        out.append((until, r["gss-code"], name, official))
    return ";".join(
        f"{code}|{name}|{official}|{until}" for until, code, name, official in sorted(out)
    )


def build_councils() -> int:
    rows = list(csv.DictReader((SHARED / "councils" / "uk_local_authorities_current.csv").open()))
    by_code = {r["local-authority-code"]: r for r in rows}
    out = []
    for r in rows:
        if r["nation"] != "England" or r["local-authority-type"] not in COUNCIL_TYPES:
            continue
        if r["end-date"] and r["end-date"] < PROGRAMME_START:
            continue
        region = r["region"]
        successor = r["replaced-by"]
        while not region and successor in by_code:  # a merged council: its successor's region
            region = by_code[successor]["region"]
            successor = by_code[successor]["replaced-by"]
        out.append(
            {
                "gss": r["gss-code"],
                "name": r["nice-name"],
                "official_name": r["official-name"],
                "type": r["local-authority-type"],
                "type_name": r["local-authority-type-name"],
                "region": region,
                "start": r["start-date"],
                "end": r["end-date"],
                "population": r["pop-2020"].split(".")[0],
                "former": former_identities(r),
            }
        )
    out.sort(key=lambda c: c["name"])
    with (RESOURCES / "councils.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    return len(out)


def build_bank_holidays() -> int:
    """England & Wales bank holidays on weekdays, from the ``holidays`` package (MIT).

    Shipped as data rather than imported at run time: the package's import
    loads every country it knows (about 0.1 s, on every first return built),
    and the bundle needs none of it. A weekend holiday (Christmas Day on a
    Saturday) is a non-working day anyway; the substitute weekday the package
    also lists is the one that counts. ``tests/test_periods.py`` checks the
    file against the installed package.
    """
    sys.path.insert(0, str(ROOT))
    import holidays

    from lga_desktop.periods import BANK_HOLIDAYS_FILE, FIRST_HOLIDAY_YEAR, LAST_HOLIDAY_YEAR

    calendar = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(FIRST_HOLIDAY_YEAR, LAST_HOLIDAY_YEAR + 1)
    )
    days = sorted((d, name) for d, name in calendar.items() if d.weekday() < 5)
    with open(RESOURCES / BANK_HOLIDAYS_FILE, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["date", "name"])
        w.writerows((d.isoformat(), name) for d, name in days)
    return len(days)


def build_proclass() -> int:
    shutil.copyfile(SHARED / "proclass" / "proclass_17.csv", RESOURCES / "proclass_17.csv")
    return sum(1 for _ in (RESOURCES / "proclass_17.csv").open()) - 1


if __name__ == "__main__":
    RESOURCES.mkdir(exist_ok=True)
    print("bank holidays:", build_bank_holidays())
    if not SHARED.is_dir():
        sys.exit(f"no {SHARED}: this script needs the shared data beside the project")
    RESOURCES.mkdir(exist_ok=True)
    print("councils:", build_councils())
    print("proclass rows:", build_proclass())
