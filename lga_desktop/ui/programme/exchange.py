"""File > LGA key…, Export programme pack…, Export receipts…: what the LGA sends councils.

The same core functions as ``lga-desktop keygen --programme``,
``export-pack`` and ``export-receipts``. Choosers and the passphrase are
``ask_*`` methods, so tests can answer them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lga_desktop.consolidation.figures import quarters_with_returns
from lga_desktop.errors import LgaError
from lga_desktop.exchange.formats import PACK
from lga_desktop.exchange.lga import (
    export_pack,
    export_receipts,
    pack_settings,
    set_pack_settings,
)
from lga_desktop.periods import Quarter
from lga_desktop.returns.keys import create_key, current_key
from lga_desktop.ui.file_dialogs import get_existing_directory, get_save_file_name
from lga_desktop.ui.pages.returns_dialogs import PassphraseDialog
from lga_desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

if TYPE_CHECKING:
    from lga_desktop.ui.programme.window import ProgrammeWindow

__all__ = ["LgaExchangeActions", "PackSettingsDialog"]


class PackSettingsDialog(QDialog):
    """The pack's year, support contact and thresholds, as ``export-pack``'s options set them;
    filled with what the programme file remembers from the last pack."""

    def __init__(self, parent: QWidget | None, settings: dict) -> None:
        super().__init__(parent)
        self.setObjectName("packSettingsDialog")
        self.setWindowTitle("Programme pack")
        form = QFormLayout(self)
        self.year = QLineEdit(settings["year"])
        self.year.setObjectName("packYear")
        form.addRow("Financial year:", self.year)
        support = settings["support"]
        self.support = {}
        for key, label in (("name", "Support contact:"), ("email", "Support e-mail:"),
                           ("phone", "Support telephone:")):  # fmt: skip
            edit = QLineEdit(support.get(key, ""))
            edit.setObjectName(f"packSupport_{key}")
            form.addRow(label, edit)
            self.support[key] = edit
        self.thresholds = {}
        for key, label in (
            ("classified_coverage_percent", "Least classified-spend coverage:"),
            ("variance_percent", "Most change against last quarter:"),
        ):
            spin = QSpinBox()
            spin.setObjectName(f"packThreshold_{key}")
            spin.setRange(0, 100 if key.startswith("classified") else 1000)
            spin.setSuffix("%")
            spin.setValue(int(settings["thresholds"][key]))
            form.addRow(label, spin)
            self.thresholds[key] = spin
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        """Keyword arguments for :func:`set_pack_settings`."""
        return {
            "year": self.year.text().strip(),
            "support": {k: e.text().strip() for k, e in self.support.items()},
            "thresholds": {k: s.value() for k, s in self.thresholds.items()},
        }


class LgaExchangeActions:
    def __init__(self, window: ProgrammeWindow) -> None:
        self.window = window
        self.last_message = ""

    @property
    def programme(self):
        return self.window.programme

    # ---- choosers (tests replace these) --------------------------------------------------

    def ask_passphrase(self, *, new: bool) -> str | None:
        intro = (
            "Choose a passphrase for the LGA's key, which signs programme packs and receipts: "
            "at least 10 characters, known only to the programme's staff."
            if new
            else "The LGA key's passphrase:"
        )
        dialog = PassphraseDialog(self.window, "LGA key", current=not new, new=new, intro=intro)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.new if new else dialog.current

    def ask_pack_settings(self, settings: dict) -> dict | None:
        dialog = PackSettingsDialog(self.window, settings)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_pack_path(self) -> str:
        chosen, _ = get_save_file_name(
            self.window,
            "Export programme pack",
            f"{self.programme.name}{PACK.suffix}",
            f"Programme packs (*{PACK.suffix})",
        )
        return chosen

    def ask_folder(self) -> str:
        return get_existing_directory(self.window, "Folder for the receipts", kind="receipts")

    def ask_quarter(self, quarters: list[Quarter]) -> Quarter | None:
        names = [str(q) for q in reversed(quarters)]
        chosen, ok = QInputDialog.getItem(
            self.window, "Export receipts", "Receipts for the returns of:", names, 0, False
        )
        return quarters[[str(q) for q in quarters].index(chosen)] if ok else None

    def _say(self, title: str, text: str, ok: bool = True) -> None:
        self.last_message = text
        (QMessageBox.information if ok else QMessageBox.warning)(self.window, title, text)

    # ---- actions ---------------------------------------------------------------------------

    def _passphrase_for_signing(self) -> str | None:
        """The passphrase, making the LGA's key first if the programme has none."""
        if current_key(self.programme) is not None:  # type: ignore[arg-type]
            return self.ask_passphrase(new=False)
        passphrase = self.ask_passphrase(new=True)
        if passphrase is None:
            return None
        key = create_key(self.programme, passphrase, created_by="LGA")  # type: ignore[arg-type]
        self._say(
            "LGA key created",
            f"The LGA's key is made; its fingerprint is {key.fingerprint}. Councils confirm it "
            "once, when they import the first programme pack.",
        )
        return passphrase

    def export_pack(self) -> bool:
        settings = self.ask_pack_settings(pack_settings(self.programme))
        if settings is None:
            return False
        try:
            set_pack_settings(self.programme, **settings)
        except LgaError as exc:
            self._say("Programme pack not written", str(exc), ok=False)
            return False
        passphrase = self._passphrase_for_signing()
        chosen = self.ask_pack_path() if passphrase else ""
        if not chosen:
            return False
        try:
            done = export_pack(self.programme, passphrase, chosen)  # type: ignore[arg-type]
        except LgaError as exc:
            self._say("Programme pack not written", str(exc), ok=False)
            return False
        self._say(
            "Programme pack written",
            f"Pack number {done.sequence} saved as {done.path}, signed by the LGA key "
            f"{done.fingerprint}. Send it to every council.",
        )
        return True

    def export_receipts(self) -> bool:
        quarters = quarters_with_returns(self.programme)
        if not quarters:
            self._say("No receipts to write", "No return counts yet, so there is nothing to "
                      "receipt.", ok=False)  # fmt: skip
            return False
        quarter = self.ask_quarter(quarters)
        passphrase = self._passphrase_for_signing() if quarter else None
        folder = self.ask_folder() if passphrase else ""
        if not folder:
            return False
        try:
            paths = export_receipts(self.programme, quarter, passphrase, folder)  # type: ignore[arg-type]
        except LgaError as exc:
            self._say("Receipts not written", str(exc), ok=False)
            return False
        self._say(
            "Receipts written",
            f"{len(paths)} receipts for {quarter} saved in {folder}, one per council, named "
            "for e-mail:\n" + "\n".join(p.name for p in paths),
        )
        return True
