"""Where the shipped reference data lives, in a checkout and in the frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Path:
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"the program's reference file {name} is missing from {path.parent}; reinstall lga-desktop"
        )
    return path
