"""Rebuild resources/ from the public data in ../shared/data.

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
            }
        )
    out.sort(key=lambda c: c["name"])
    with (RESOURCES / "councils.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    return len(out)


def build_proclass() -> int:
    shutil.copyfile(SHARED / "proclass" / "proclass_17.csv", RESOURCES / "proclass_17.csv")
    return sum(1 for _ in (RESOURCES / "proclass_17.csv").open()) - 1


if __name__ == "__main__":
    if not SHARED.is_dir():
        sys.exit(f"no {SHARED}: this script needs the shared data beside the project")
    RESOURCES.mkdir(exist_ok=True)
    print("councils:", build_councils())
    print("proclass rows:", build_proclass())
