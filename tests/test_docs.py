"""The documentation keeps up with the program: every command is in the README."""

import re
from pathlib import Path

from lga_desktop.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return list(sub.choices)


def test_every_command_is_shown_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [c for c in _commands() if not re.search(rf"lga-desktop {re.escape(c)}\b", readme)]
    assert missing == [], f"README.md has no example of: {', '.join(missing)}"


def test_the_readme_opens_with_the_two_commands():
    first_block = (ROOT / "README.md").read_text().split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_architecture_names_every_core_module():
    text = (ROOT / "docs" / "architecture.md").read_text()
    package = ROOT / "lga_desktop"
    modules = [p.stem for p in package.glob("*.py") if p.stem not in {"__init__", "__main__"}]
    modules += [p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    missing = [m for m in modules if m not in text]
    assert missing == [], f"docs/architecture.md does not mention: {', '.join(missing)}"
