"""House rule 1: the core never imports Qt."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from returns_support import fast_keys  # noqa: F401  (fixture)

PACKAGE = Path(__file__).resolve().parent.parent / "lga_desktop"
# The one door from the core to the window: `lga-desktop` with no command opens it.
ALLOWED = {("cli/__init__.py", "lga_desktop.ui.app")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_outside_ui_imports_qt():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts[:1]:
            continue
        rel = str(path.relative_to(PACKAGE))
        bad = {
            n
            for n in _imports(path)
            if (
                n.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
                or n.startswith("lga_desktop.ui")
            )
            and (rel, n) not in ALLOWED
        }
        if bad:
            offenders.append(f"{rel}: {sorted(bad)}")
    assert offenders == []


def test_only_qt_py_imports_pyside6_inside_ui():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in (PACKAGE / "ui").rglob("*.py")
        if p.name != "qt.py" and any(n.startswith("PySide6") for n in _imports(p))
    ]
    assert offenders == []


def test_the_core_loads_without_qt_or_reportlab():
    code = (
        "import sys, lga_desktop.cli, lga_desktop.workspace, lga_desktop.features;"
        "from lga_desktop.features import features; features();"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'reportlab'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("fast_keys")
def test_the_window_opens_without_what_it_does_not_show(tmp_path):
    """Start-up is a speed gate (issue 17): opening a workspace's window must not load
    sqlite-utils (only migrations need it), the commands, the user guide, the pack and
    receipt actions, or the record form; each was start-up time before. A council with a
    signed return has the dashboard check it for changes: that check must not load the
    holidays package (every country, 0.1 s) or cryptography (the return's file format)."""
    import subprocess
    import sys

    from returns_support import sign_q2

    from lga_desktop.demo import create_demo_workspace

    with create_demo_workspace(tmp_path / "demo.lgaws") as ws:
        sign_q2(ws, out=tmp_path / "q2.lgareturn")
    code = (
        "import sys\n"
        "from lga_desktop.ui.app import run\n"
        f"run(workspace={str(tmp_path / 'demo.lgaws')!r}, quit_after_show=True)\n"
        "late = ['sqlite_utils', 'lga_desktop.cli.spend_commands', 'lga_desktop.ui.user_guide',\n"
        "        'lga_desktop.ui.pages.exchange', 'lga_desktop.ui.registers.form', 'holidays',\n"
        "        'cryptography', 'lga_desktop.returns.fileformat']\n"
        "print('loaded:', [m for m in late if m in sys.modules])\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    ).stdout
    assert "window shown" in out
    assert "loaded: []" in out, out


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules ``path`` imports when it runs (type-checking imports left out)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    checking = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in node.body
        for n in ast.walk(inner)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in checking:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found & modules


def test_no_two_modules_import_each_other():
    """House note: import circles (cli programme <-> return commands, features <-> workspace,
    spend_import <-> spend_lines, registers <-> their demo fillers, ...) are untangled; a
    module imported inside a function counts too."""

    def name(path: Path) -> str:
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    paths = {name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: _runtime_imports(p, set(paths)) - {m} for m, p in paths.items()}
    mutual = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph[b]})
    assert mutual == []
