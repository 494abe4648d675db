"""What LGA staff do to a programme: add councils' returns, trust their keys, export the report.

Each write runs off the UI thread (:func:`lga_desktop.ui.tasks.run_task`) on
its own connection (``programme.reopen()``), in one transaction: Cancel leaves
the programme as it was. When it has committed, the pages are told
(``context.notify()``) and a dialog lists what happened to every file, with
the reason in words.

File choosers are methods (``ask_*``) so that tests can answer them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lga_desktop.consolidation.figures import held_files
from lga_desktop.consolidation.merge import WAITING, MergeReport, collect_files, consolidate
from lga_desktop.consolidation.merge import retry_waiting as retry_waiting_files
from lga_desktop.errors import LgaError
from lga_desktop.periods import Quarter
from lga_desktop.progress import Progress
from lga_desktop.returns.fileformat import SUFFIX as RETURN_SUFFIX
from lga_desktop.returns.keys import normalise_fingerprint
from lga_desktop.returns.trust import KEY_CARD_SUFFIX, KeyCard, load_trusted_keys, read_key_card
from lga_desktop.ui import file_dialogs
from lga_desktop.ui.programme.dialogs import MergeReportDialog, TrustKeyDialog, report_summary
from lga_desktop.ui.qt import QMessageBox, Qt
from lga_desktop.ui.tasks import run_task, show_error
from lga_desktop.words import plural

if TYPE_CHECKING:
    from lga_desktop.ui.programme.context import ProgrammeContext
    from lga_desktop.ui.programme.window import ProgrammeWindow

__all__ = ["ProgrammeActions"]

REPORT_FILTERS = "Excel workbook (*.xlsx);;CSV (*.csv);;PDF for printing (*.pdf)"


class ProgrammeActions:
    """The consolidation's writes, for one window (whatever programme it has open)."""

    def __init__(self, window: ProgrammeWindow) -> None:
        self.window = window
        self.last_dialog: MergeReportDialog | None = None
        self.last_trust_dialog: TrustKeyDialog | None = None
        self.last_report: MergeReport | None = None

    @property
    def context(self) -> ProgrammeContext:
        return self.window.context

    def say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    # ---- file choosers (tests replace these) -----------------------------------------

    def _start_dir(self) -> str:
        return str(self.context.programme.path.parent)

    def ask_return_paths(self) -> list[str]:
        chosen, _ = file_dialogs.get_open_file_names(
            self.window,
            "Add returns",
            self._start_dir(),
            f"Returns (*{RETURN_SUFFIX});;All files (*)",
        )
        return chosen

    def ask_folder(self) -> str:
        return file_dialogs.get_existing_directory(
            self.window, "Add a folder of returns", self._start_dir()
        )

    def ask_key_card_path(self) -> str:
        chosen, _ = file_dialogs.get_open_file_name(
            self.window,
            "Trust a council's key",
            self._start_dir(),
            f"Key cards (*{KEY_CARD_SUFFIX});;All files (*)",
        )
        return chosen

    def ask_trusted_keys_path(self) -> str:
        chosen, _ = file_dialogs.get_open_file_name(
            self.window,
            "Add keys from a trusted-keys file",
            self._start_dir(),
            "Trusted-keys files (*.json *.csv);;All files (*)",
        )
        return chosen

    def ask_report_path(self, suggested: str) -> str:
        chosen, _ = file_dialogs.get_save_file_name(
            self.window,
            "Export the Board report",
            str(Path(self._start_dir()) / suggested),
            REPORT_FILTERS,
        )
        return chosen

    # ---- adding returns ------------------------------------------------------------------

    def choose_returns(self) -> None:
        paths = self.ask_return_paths()
        if paths:
            self.add_paths(paths)

    def choose_folder(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.add_paths([folder])

    def add_paths(self, paths: Iterable[Path | str]) -> None:
        """Check and merge return files (and folders of them), then say what happened to each."""
        paths = [Path(p) for p in paths]
        if not paths:
            return
        if not collect_files(paths):
            QMessageBox.information(
                self.window,
                "Add returns",
                f"There are no return files (ending {RETURN_SUFFIX}) in "
                f"{', '.join(p.name or str(p) for p in paths)}; nothing was added.",
            )
            return
        context = self.context  # the programme the batch was started on
        prog = context.programme

        def work(progress: Progress) -> MergeReport:
            own = prog.reopen()
            try:
                return consolidate(own, paths, progress=progress)
            finally:
                own.close()

        def done(report: MergeReport) -> None:
            context.notify()
            self.show_report(report, "Returns added")

        run_task(
            self.window,
            "Adding returns",
            work,
            done,
            on_cancel=lambda: self.say("Adding returns cancelled: the programme is as it was."),
        )

    def show_report(self, report: MergeReport, title: str, intro: str = "") -> None:
        self.last_report = report
        self.say(report_summary(report))
        dialog = MergeReportDialog(self.window, report, title, intro)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._forget_dialog)
        self.last_dialog = dialog
        dialog.show()

    def _forget_dialog(self) -> None:
        self.last_dialog = None

    # ---- trusting keys -------------------------------------------------------------------

    def choose_key_card(self) -> None:
        path = self.ask_key_card_path()
        if path:
            self.trust_key_card(Path(path))

    def trust_key_card(self, path: Path) -> TrustKeyDialog | None:
        """Show the key card; once the user confirms the fingerprint, trust it and merge."""
        try:
            card = read_key_card(path)
        except LgaError as exc:
            show_error(self.window, "Trust a council's key", exc)
            return None
        prog = self.context.programme
        fp = normalise_fingerprint(card.fingerprint)
        trusted = prog.trusted_keys().fingerprints_for(card.council_gss)
        waiting = [
            f["file_name"]
            for f in held_files(prog)
            if f["outcome"] == WAITING
            and f["key_fingerprint"]
            and normalise_fingerprint(f["key_fingerprint"]) == fp
        ]
        dialog = TrustKeyDialog(
            self.window,
            card,
            waiting=waiting,
            other_keys=sorted(trusted - {fp}),
            already=fp in trusted,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.trust(card, dialog.note(), dialog.council))
        self.last_trust_dialog = dialog
        dialog.open()
        return dialog

    def trust(self, card: KeyCard, note: str, council: str) -> None:
        context = self.context
        prog = context.programme

        def work(progress: Progress) -> tuple[bool, MergeReport]:
            own = prog.reopen()
            try:
                own.backup(reason=f"before trusting {card.council_gss}'s key")
                with own.atomic():  # trusted and merged together, or neither
                    added = own.trust_key(card.council_gss, card.fingerprint, note)
                    return added, retry_waiting_files(own, progress=progress)
            finally:
                own.close()

        def done(result: tuple[bool, MergeReport]) -> None:
            added, report = result
            context.notify()
            first = (
                f"{council}'s key {card.fingerprint} is now trusted"
                if added
                else f"{council}'s key {card.fingerprint} was already trusted"
            )
            self.show_report(
                report,
                f"Key trusted: {council}",
                f"{first}; {council} is a pilot council of the programme. "
                + (
                    "The returns that were waiting for a key were checked again:"
                    if report.files
                    else "No returns were waiting for a key."
                ),
            )

        run_task(
            self.window,
            "Trusting the key",
            work,
            done,
            on_cancel=lambda: self.say("Cancelled: the key was not trusted."),
        )

    def choose_trusted_keys_file(self) -> None:
        path = self.ask_trusted_keys_path()
        if path:
            self.add_trusted_keys_file(Path(path))

    def add_trusted_keys_file(self, path: Path) -> None:
        """Trust every key of a trusted-keys file (``lga-desktop trust-key`` writes them)."""
        try:
            trusted = load_trusted_keys(path)
        except LgaError as exc:
            show_error(self.window, "Add keys from a trusted-keys file", exc)
            return
        keys = sum(len(k) for k in trusted.councils.values())
        answer = QMessageBox.question(
            self.window,
            "Add keys from a trusted-keys file",
            f"{path.name} lists {plural(keys, 'key')} for {plural(len(trusted.councils), 'council')}. Trust "
            "them all? Do this only if each fingerprint was confirmed with its council.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        context = self.context
        prog = context.programme

        def work(progress: Progress) -> tuple[int, MergeReport]:
            own = prog.reopen()
            try:
                own.backup(reason="before trusting keys from a trusted-keys file")
                with own.atomic():
                    added = own.trust_all(trusted)
                    return added, retry_waiting_files(own, progress=progress)
            finally:
                own.close()

        def done(result: tuple[int, MergeReport]) -> None:
            added, report = result
            context.notify()
            self.show_report(
                report,
                "Trusted keys added",
                f"{plural(added, 'new key')} trusted from {path.name}. "
                + ("Returns waiting for a key were checked again:" if report.files else ""),
            )

        run_task(self.window, "Adding trusted keys", work, done)

    # ---- the Board report -------------------------------------------------------------

    def export_report(self, period: Quarter | str | None) -> None:
        """Write the Board report for a period (XLSX, CSV or PDF, by the file's ending).

        ``period``: a quarter, or what ``--period`` takes ("2012Q2", "2012/13", "all").
        """
        if period is None:
            QMessageBox.information(
                self.window, "Export report", "There are no merged returns to report on yet."
            )
            return
        prog = self.context.programme
        from lga_desktop.consolidation.figures import programme_period

        chosen_period = programme_period(prog, period if isinstance(period, str) else period.key)
        name = f"{prog.name} {chosen_period}".replace("/", "-")
        chosen = self.ask_report_path(f"{name}.xlsx")
        if not chosen:
            return
        path = Path(chosen)

        def work(progress: Progress) -> Path:
            from lga_desktop.consolidation.snapshots import export_board_report

            own = prog.reopen()
            try:  # records which returns (by hash) the report counted
                export_board_report(own, chosen_period.key, path, progress=progress)
            finally:
                own.close()
            return path

        run_task(
            self.window,
            "Exporting the Board report",
            work,
            lambda written: (
                self.context.notify(),
                self.say(f"Board report for {chosen_period} saved as {written}."),
            ),
        )
