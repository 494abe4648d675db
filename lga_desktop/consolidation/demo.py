"""A demo programme: real signed returns from four demo councils, consolidated.

``lga-desktop --programme-demo`` and the self-test use it so that LGA staff
see the consolidation with something in it: returns for two quarters, one
corrected (version 2 superseding version 1), one council that has not sent
its second quarter, a tampered file held aside and a return whose key is not
yet trusted. Everything is made the real way: demo workspaces, keys locked
with a passphrase, returns assembled, signed and verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from lga_desktop.consolidation.merge import MergeReport, consolidate
from lga_desktop.consolidation.store import PROGRAMME_SUFFIX, Programme
from lga_desktop.periods import parse_quarter
from lga_desktop.progress import NO_PROGRESS, Progress
from lga_desktop.workspace import Officer

__all__ = ["DEMO_COUNCILS", "DemoProgramme", "build_demo_programme"]

# (GSS, seed): pilot councils of the demo programme, each with its own demo data
DEMO_COUNCILS = (("E07000178", 2012), ("E06000044", 44), ("E08000035", 35), ("E10000029", 29))
UNTRUSTED_COUNCIL = ("E07000177", 177)  # Cherwell: its key card has not been confirmed yet
PASSPHRASE = "demo passphrase, never a real one"


@dataclass
class DemoProgramme:
    path: Path
    return_files: list[Path]
    report: MergeReport


def build_demo_programme(folder: Path | str, *, progress: Progress = NO_PROGRESS) -> DemoProgramme:
    """Make the demo councils' workspaces and returns in ``folder`` and consolidate them."""
    from lga_desktop.demo import create_demo_workspace
    from lga_desktop.returns import keys
    from lga_desktop.returns.sign import default_file_name

    folder = Path(folder)
    inbox = folder / "returns received"
    inbox.mkdir(parents=True, exist_ok=True)
    councils = [*DEMO_COUNCILS, UNTRUSTED_COUNCIL]
    steps = len(councils) + 2
    files: list[Path] = []
    trusted: list[tuple[str, str]] = []
    for i, (gss, seed) in enumerate(councils):
        progress.update(
            i, steps, f"Preparing the returns of demo council {i + 1} of {len(councils)}…"
        )
        ws_path = folder / f"{gss}.lgaws"
        officer = Officer("Sam Patel", "Programme Officer", "sam.patel@example.gov.uk")
        with create_demo_workspace(ws_path, council_gss=gss, officer=officer, seed=seed) as ws:
            key = keys.create_key(ws, PASSPHRASE, created_by=officer.name)
            council = ws.council
        if (gss, seed) != UNTRUSTED_COUNCIL:
            trusted.append((gss, key.fingerprint))
        quarters = ["2012/13 Q1"] if gss == "E10000029" else ["2012/13 Q1", "2012/13 Q2"]
        for q in quarters:
            files.append(_sign(ws_path, q, inbox, default_file_name(council, parse_quarter(q), 1)))
        if gss == "E06000044":  # Portsmouth corrects its first quarter
            files.append(
                _sign(
                    ws_path,
                    "2012/13 Q1",
                    inbox,
                    default_file_name(council, parse_quarter("2012/13 Q1"), 2),
                    correction_reason="Q1 savings re-stated after audit.",
                )
            )
    # a copy of one return with a byte changed on the way
    tampered = bytearray(files[0].read_bytes())
    tampered[len(tampered) // 3] ^= 0x20
    bad = inbox / "Oxford 2012-13 Q1 return v1 (forwarded).lgareturn"
    bad.write_bytes(bytes(tampered))
    files.append(bad)
    progress.update(steps - 2, steps, "Consolidating…")
    prog_path = folder / f"Demo programme{PROGRAMME_SUFFIX}"
    with Programme.create(prog_path, "Productivity Programme 2012/13 (demo)") as prog:
        for gss, fp in trusted:
            prog.trust_key(gss, fp, "demo: confirmed by phone")
        report = consolidate(prog, files)
    progress.update(steps, steps, "")
    return DemoProgramme(prog_path, files, report)


def _sign(
    ws_path: Path, quarter: str, inbox: Path, name: str, *, correction_reason: str = ""
) -> Path:
    from lga_desktop.returns.build import Declaration, Person, assemble
    from lga_desktop.returns.sign import sign_return
    from lga_desktop.workspace import Workspace

    q = parse_quarter(quarter)
    signed_on = date.fromordinal(q.end.toordinal() + 15 + (0 if not correction_reason else 40))
    with Workspace.open(ws_path) as ws:
        officer = ws.officer
        draft = assemble(ws, q, today=signed_on)
        notes = {w.key: "Explained to the LGA programme manager." for w in draft.warnings}
        people = Declaration(
            Person(officer.name, officer.role, officer.email, signed_on.isoformat()),
            Person("Jo Reed", "Head of Finance", "jo.reed@example.gov.uk", signed_on.isoformat()),
        )
        signed = sign_return(
            ws,
            draft,
            notes=notes,
            declaration=people,
            passphrase=PASSPHRASE,
            out_path=inbox / name,
            correction_reason=correction_reason,
            now=datetime(signed_on.year, signed_on.month, signed_on.day, 10, 30, tzinfo=UTC),
        )
    return signed.path
