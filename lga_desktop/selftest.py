"""The self-test: proof that this installation, or the frozen bundle, works.

``lga-desktop self-test`` (``--self-test`` on the frozen program) runs every
step of :data:`STEPS` in a temporary folder: it creates a workspace, reads every
shipped reference file, renders a PDF, signs and verifies, writes a workbook,
builds the main window... and prints ``ok <step>`` or ``FAILED <step>: <why>``
for each. It exits 0 only when every step passed. A step that fails does not
stop the others, so one run shows everything that is missing from a bundle.

Adding a step (each feature should, for what it ships):

1. Write ``def my_step(ctx: SelfTestContext) -> str | None`` in your feature's
   own module (or ``<feature>/selftest.py``). Do the real thing on real files
   in ``ctx.folder``; call :func:`expect` (or raise) when something is wrong;
   return a short note of what was checked (shown after ``ok``), or ``None``.
   ``ctx.workspace_path`` is the workspace the ``workspace-create`` step made;
   ``ctx.shared`` carries anything a later step needs from an earlier one.
2. Add one line ``("my-step", "lga_desktop.my_feature:my_step")`` to
   :data:`STEPS`, after the steps it builds on (spend import before signing a
   return, signing before consolidating it).

Steps are named by ``module:function`` strings and imported only when they run:
the core never imports Qt, yet a GUI step (under ``lga_desktop/ui/``) can sit
in the same list, and a module missing from a bundle is reported as that step's
failure instead of stopping the self-test. ``build.spec`` bundles every
``lga_desktop`` module, so a new step needs no change there.
"""

from __future__ import annotations

import importlib
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lga_desktop.errors import LgaError, UsageError

__all__ = [
    "STEPS",
    "SelfTestContext",
    "SelfTestFailure",
    "StepResult",
    "expect",
    "run_self_test",
    "step_names",
]

# (name, "module:function"), in the order they run. See the module docstring.
STEPS: list[tuple[str, str]] = [
    ("workspace-create", "lga_desktop.selftest:create_workspace"),
    ("workspace-reopen", "lga_desktop.selftest:reopen_and_migrate"),
    ("councils", "lga_desktop.selftest:read_councils"),
    ("proclass", "lga_desktop.selftest:read_proclass"),
    ("categories", "lga_desktop.selftest:read_categories"),
    ("money", "lga_desktop.selftest:money_sanity"),
    ("periods", "lga_desktop.selftest:period_sanity"),
    ("bank-holidays", "lga_desktop.selftest:bank_holiday_data"),
    ("backup-restore", "lga_desktop.selftest:backup_and_restore"),
    ("demo-workspace", "lga_desktop.selftest:build_demo_workspace"),
    ("pdf", "lga_desktop.selftest:render_pdf"),
    ("qr-code", "lga_desktop.selftest:make_qr_code"),
    ("signing", "lga_desktop.selftest:sign_and_verify"),
    ("xlsx", "lga_desktop.selftest:write_and_read_workbook"),
    ("spend-import", "lga_desktop.procurement.selftest:import_spend_file"),
    ("signed-return", "lga_desktop.returns.selftest:sign_and_verify_return"),
    ("consolidate", "lga_desktop.consolidation.selftest:consolidate_signed_return"),
    ("text-encoding", "lga_desktop.selftest:detect_encoding"),
    # the GUI steps: Qt lives under lga_desktop/ui/, imported only here
    ("main-window", "lga_desktop.ui.selftest_gui:build_main_window"),
    ("programme-window", "lga_desktop.ui.selftest_gui:build_programme_window"),
    ("return-viewer", "lga_desktop.ui.selftest_gui:view_signed_return"),
]

SELF_TEST_COUNCIL = "E07000178"  # Oxford City Council, as in the demo


class SelfTestFailure(Exception):
    """A step found something wrong; the message is its one-line report."""


def expect(condition: object, message: str) -> None:
    """Fail the running step with ``message`` unless ``condition`` holds.

    Used instead of ``assert``, which ``python -O`` would strip.
    """
    if not condition:
        raise SelfTestFailure(message)


@dataclass
class SelfTestContext:
    """What every step gets: a scratch folder, and what earlier steps left."""

    folder: Path
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def workspace_path(self) -> Path:
        """The workspace the ``workspace-create`` step makes and later steps use."""
        return self.folder / "self-test.lgaws"


@dataclass(frozen=True)
class StepResult:
    name: str
    ok: bool
    detail: str  # what was checked, or why it failed: one line
    seconds: float

    def line(self) -> str:
        if self.ok:
            return f"ok {self.name}" + (f"  ({self.detail})" if self.detail else "")
        return f"FAILED {self.name}: {self.detail}"


def step_names(steps: Sequence[tuple[str, str]] | None = None) -> list[str]:
    return [name for name, _ in (STEPS if steps is None else steps)]


def _resolve(target: str) -> Callable[[SelfTestContext], str | None]:
    module_name, _, function_name = target.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, LgaError | SelfTestFailure):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_step(name: str, target: str, ctx: SelfTestContext) -> StepResult:
    started = time.perf_counter()
    try:
        detail = _resolve(target)(ctx) or ""
    except Exception as exc:  # each failure is reported, and the next step runs
        return StepResult(name, False, _one_line(exc), time.perf_counter() - started)
    return StepResult(name, True, detail, time.perf_counter() - started)


def run_self_test(
    folder: Path | None = None,
    *,
    only: Sequence[str] | None = None,
    steps: Sequence[tuple[str, str]] | None = None,
    on_result: Callable[[StepResult], None] | None = None,
) -> list[StepResult]:
    """Run the steps (all of :data:`STEPS`, or those named in ``only``) in order.

    Works in ``folder`` and leaves its files there when given (it must be empty
    or not exist yet), else in a temporary folder removed afterwards.
    ``on_result`` sees each result as soon as its step ends.
    """
    chosen = list(STEPS if steps is None else steps)
    if only:
        unknown = [n for n in only if n not in step_names(chosen)]
        if unknown:
            raise UsageError(
                f"there is no self-test step {unknown[0]!r}; the steps are "
                + ", ".join(step_names(chosen))
            )
        chosen = [s for s in chosen if s[0] in only]
    if folder is not None:
        folder = Path(folder)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise UsageError(f"{folder} is not an empty folder; the self-test needs an empty one")
        folder.mkdir(parents=True, exist_ok=True)
        return _run_all(chosen, SelfTestContext(folder), on_result)
    with tempfile.TemporaryDirectory(prefix="lga-desktop-self-test-") as tmp:
        return _run_all(chosen, SelfTestContext(Path(tmp)), on_result)


def _run_all(
    chosen: list[tuple[str, str]],
    ctx: SelfTestContext,
    on_result: Callable[[StepResult], None] | None,
) -> list[StepResult]:
    results = []
    try:
        for name, target in chosen:
            result = run_step(name, target, ctx)
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        # steps may leave things open for later ones; close them before the
        # folder goes (Windows cannot delete an open file)
        for value in ctx.shared.values():
            close = getattr(value, "close", None)
            if callable(close):
                close()
    return results


# ---- the steps for what exists today ----------------------------------------
# Each does the real thing through the same core functions the window uses.


def create_workspace(ctx: SelfTestContext) -> str:
    from lga_desktop.db import known_migration_names
    from lga_desktop.workspace import Officer, Workspace

    officer = Officer("Self Test", "Installation check", "self-test@example.gov.uk")
    with Workspace.create(ctx.workspace_path, SELF_TEST_COUNCIL, officer) as ws:
        expect(ws.council.gss == SELF_TEST_COUNCIL, f"the workspace names {ws.council.gss}")
        expect(
            ws.schema_version == len(known_migration_names()),
            f"a new workspace is at schema version {ws.schema_version}, "
            f"expected {len(known_migration_names())}",
        )
        return f"{ws.council.official_name}, schema version {ws.schema_version}"


def reopen_and_migrate(ctx: SelfTestContext) -> str:
    from lga_desktop.db import WORKSPACE_APPLICATION_ID, connect, known_migration_names, migrate
    from lga_desktop.workspace import Workspace

    with Workspace.open(ctx.workspace_path) as ws:
        officer = ws.officer
        expect(officer is not None and officer.name == "Self Test", "the officer was not kept")
    # a file one schema version behind, as the previous release left it
    names = known_migration_names()
    old_path = ctx.folder / "previous-version.lgaws"
    db = connect(old_path)
    try:
        db.execute(f"PRAGMA application_id = {WORKSPACE_APPLICATION_ID}")
        old_version = migrate(db, stop_before=names[-1])
    finally:
        db.close()
    with Workspace.open(old_path) as ws:
        expect(
            ws.schema_version == len(names),
            f"upgrading left the file at version {ws.schema_version}, not {len(names)}",
        )
    return f"reopened; upgraded a version {old_version} file to {len(names)}"


def read_councils(ctx: SelfTestContext) -> str:
    from lga_desktop.councils import all_councils, council_by_gss, search_councils

    councils = all_councils()
    expect(len(councils) > 300, f"only {len(councils)} councils in councils.csv")
    oxford = council_by_gss(SELF_TEST_COUNCIL)
    expect(oxford.official_name == "Oxford City Council", f"{SELF_TEST_COUNCIL} is {oxford}")
    expect(search_councils("oxford")[:1] == [oxford], "searching 'oxford' does not find Oxford")
    return f"{len(councils)} councils, {sum(c.current for c in councils)} current"


def read_proclass(ctx: SelfTestContext) -> str:
    from lga_desktop.categories import proclass_level1

    headings = proclass_level1()
    expect(len(headings) >= 10, f"only {len(headings)} ProClass level-1 headings")
    return f"{len(headings)} ProClass level-1 headings"


def read_categories(ctx: SelfTestContext) -> str:
    from lga_desktop.categories import category_for_proclass, default_categories, proclass_level1

    categories = default_categories()
    codes = [c.code for c in categories]
    expect(len(categories) >= 10, f"only {len(categories)} default categories")
    expect(len(set(codes)) == len(codes), "two default categories share a code")
    mapped = sum(category_for_proclass(h) is not None for h in proclass_level1())
    expect(mapped > 0, "no ProClass heading maps to a default category")
    return f"{len(categories)} categories; {mapped} ProClass headings mapped"


def money_sanity(ctx: SelfTestContext) -> str:
    from lga_desktop.money import MoneyError, format_money, parse_money

    expect(parse_money("£1,234,567.89") == 123456789, "£1,234,567.89 did not read as pence")
    expect(parse_money("1.2m") == 120_000_000, "1.2m did not read as £1,200,000")
    expect(parse_money("(500)") == -50_000, "(500) did not read as -£500")
    expect(format_money(123456789) == "£1,234,567.89", "pence did not format as £1,234,567.89")
    try:
        parse_money("1,5")
    except MoneyError:
        pass
    else:
        raise SelfTestFailure("a decimal comma (1,5) was accepted")
    return "parse and format to the penny"


def period_sanity(ctx: SelfTestContext) -> str:
    from lga_desktop.periods import Quarter, parse_date, parse_period, quarter_of

    expect(parse_period("2012/13 Q2") == Quarter(2012, 2), "2012/13 Q2 did not parse")
    expect(quarter_of(date(2013, 1, 15)) == Quarter(2012, 4), "15/01/2013 is not in 2012/13 Q4")
    expect(parse_date("25/12/2012") == date(2012, 12, 25), "25/12/2012 did not parse")
    return "financial years and quarters"


def bank_holiday_data(ctx: SelfTestContext) -> str:
    from lga_desktop.periods import (
        FIRST_HOLIDAY_YEAR,
        LAST_HOLIDAY_YEAR,
        bank_holidays,
        working_days_between,
    )

    days = bank_holidays()
    years = LAST_HOLIDAY_YEAR - FIRST_HOLIDAY_YEAR + 1
    expect(len(days) >= 8 * years - 5, f"only {len(days)} bank holidays over {years} years")
    # the one-offs prove the data is the real calendar, not a rule of thumb
    expect(date(2012, 6, 5) in days, "the 2012 Diamond Jubilee holiday is missing")
    expect(date(2022, 9, 19) in days, "the 2022 state funeral holiday is missing")
    # Christmas 2012: 25, 26 Dec and 1 Jan are holidays; 27, 28, 31 Dec and 2 Jan are not
    counted = working_days_between(date(2012, 12, 24), date(2013, 1, 2))
    expect(counted == 4, f"24/12/2012 to 02/01/2013 counted {counted} working days, not 4")
    return f"{len(days)} England & Wales bank holidays {FIRST_HOLIDAY_YEAR}-{LAST_HOLIDAY_YEAR}"


def backup_and_restore(ctx: SelfTestContext) -> str:
    from lga_desktop.workspace import Workspace

    with Workspace.open(ctx.workspace_path) as ws:
        ws.set_meta("self_test_marker", "before backup")
        backup = ws.backup(reason="self-test")
        ws.set_meta("self_test_marker", "after backup")
        ws.restore(backup)
        marker = ws.get_meta("self_test_marker")
        expect(marker == "before backup", f"after restoring, the workspace says {marker!r}")
        kept = len(ws.list_backups())
    expect(kept >= 2, f"{kept} backup(s) kept; expected the backup and the pre-restore copy")
    return f"{kept} backups kept"


def build_demo_workspace(ctx: SelfTestContext) -> str:
    from lga_desktop.demo import create_demo_workspace
    from lga_desktop.features import counts as register_counts

    with create_demo_workspace(ctx.folder / "demo.lgaws") as ws:
        expect(ws.get_meta("demo") is True, "the demo workspace is not marked as a demo")
        counts = register_counts(ws)
    return f"{len(counts)} registers, {sum(counts.values()):,} records"


def render_pdf(ctx: SelfTestContext) -> str:
    from reportlab import Version as reportlab_version
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from lga_desktop.money import format_money

    path = ctx.folder / "self-test.pdf"
    styles = getSampleStyleSheet()
    qr = QrCodeWidget("lga-desktop self-test")
    drawing = Drawing(60, 60)
    drawing.add(qr)
    table = Table(
        [["Workstream", "Realised"], ["Procurement", format_money(123456789)]],
        style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]),
    )
    story = [
        Paragraph("lga-desktop self-test", styles["Title"]),
        Paragraph("A one-page check that PDFs can be written.", styles["Normal"]),
        table,
        drawing,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="lga-desktop self-test").build(story)
    data = path.read_bytes()
    expect(data.startswith(b"%PDF-"), "the PDF file does not start with %PDF-")
    expect(data.rstrip().endswith(b"%%EOF"), "the PDF file is cut short")
    expect(data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1, "the PDF has no page")
    return f"{len(data):,} bytes, reportlab {reportlab_version}"


def make_qr_code(ctx: SelfTestContext) -> str:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data("sha256:" + "0" * 64)
    code.make(fit=True)
    matrix = code.get_matrix()
    expect(len(matrix) >= 21 and any(any(row) for row in matrix), "the QR code is empty")
    return f"version {code.version}, {len(matrix)}x{len(matrix)} modules"


def sign_and_verify(ctx: SelfTestContext) -> str:
    import cryptography
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.backends.openssl import backend
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    message = b"lga-desktop self-test return"
    signature = key.sign(message)
    key.public_key().verify(signature, message)  # raises if wrong
    try:
        key.public_key().verify(signature, message + b" changed")
    except InvalidSignature:
        pass
    else:
        raise SelfTestFailure("a changed message still verified")
    # the private key is kept encrypted with the officer's passphrase
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"correct horse battery staple"),
    )
    reloaded = serialization.load_pem_private_key(pem, password=b"correct horse battery staple")
    expect(isinstance(reloaded, Ed25519PrivateKey), "the reloaded key is not Ed25519")
    reloaded.public_key().verify(signature, message)
    return f"Ed25519, cryptography {cryptography.__version__}, {backend.openssl_version_text()}"


def write_and_read_workbook(ctx: SelfTestContext) -> str:
    from decimal import Decimal

    import openpyxl

    path = ctx.folder / "self-test.xlsx"
    rows = [
        ["Supplier", "Date", "Amount"],
        ["Café Nero Ltd", date(2012, 12, 24), Decimal("1234.56")],
        ["Oxford Direct Services", date(2013, 1, 2), Decimal("-500.00")],
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Spend"
    for row in rows:
        sheet.append(row)
    book.save(path)
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        read = [list(r) for r in book["Spend"].iter_rows(values_only=True)]
    finally:
        book.close()
    expect(read[0] == rows[0], f"the header came back as {read[0]}")
    expect(read[1][0] == "Café Nero Ltd", f"the supplier came back as {read[1][0]!r}")
    expect(read[1][1].date() == date(2012, 12, 24), f"the date came back as {read[1][1]!r}")
    expect(Decimal(str(read[2][2])) == Decimal("-500"), f"the amount came back as {read[2][2]!r}")
    return f"openpyxl {openpyxl.__version__}"


def detect_encoding(ctx: SelfTestContext) -> str:
    import charset_normalizer

    text = (
        "Supplier,Amount,Description\r\n"
        "Café Nero Ltd,£500.00,Refreshments for the café meeting\r\n"
        "José Smith,£1,200.50,Consultancy – phase two\r\n"
    )
    best = charset_normalizer.from_bytes(text.encode("cp1252")).best()
    expect(best is not None, "no encoding was found for a Windows-1252 spend file")
    expect("£500.00" in str(best), f"a Windows-1252 file was read as {best.encoding}")
    return f"Windows-1252 recognised as {best.encoding}"
