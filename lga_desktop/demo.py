"""The demo workspace: a real council with plausible data in every register.

``lga-desktop --demo`` and ``make run`` open one, freshly generated, so a first
look is never empty. Each feature names its ``demo`` filler as
``"module:function"`` (``lga_desktop/features.py``), imported only here, so a
register never imports its own filler (which imports the register). A filler
takes the open workspace and a seeded ``random.Random``, so the demo is the
same every time.
"""

from __future__ import annotations

import importlib
import random
from pathlib import Path

from lga_desktop.features import features
from lga_desktop.workspace import Officer, Workspace

DEMO_COUNCIL = "E07000178"  # Oxford City Council: its real spend files ship with the tests
DEMO_OFFICER = Officer(
    "Sam Patel", "Procurement and Programmes Officer", "sam.patel@example.gov.uk"
)


def create_demo_workspace(
    path: Path | str,
    *,
    council_gss: str = DEMO_COUNCIL,
    officer: Officer | None = None,
    seed: int = 2012,
) -> Workspace:
    """Create a workspace at ``path`` and fill every register that exists."""
    ws = Workspace.create(path, council_gss, officer or DEMO_OFFICER)
    rng = random.Random(seed)
    ws.set_meta("demo", True)
    for feature in features():
        if feature.demo is not None:
            module, name = feature.demo.split(":")
            fill = getattr(importlib.import_module(module), name)
            with ws.atomic():
                fill(ws, rng)
    return ws


def fresh_demo_path() -> Path:
    """Where ``--demo`` puts its workspace: regenerated on every launch."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "lga-desktop-demo"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*"):
        if old.is_file():
            old.unlink()
    return folder / f"Oxford demo{'.lgaws'}"
