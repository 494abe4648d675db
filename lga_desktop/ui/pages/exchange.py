"""File > Import programme pack… and File > Open receipt…: what the LGA sends the council.

Both check the file with the same core functions as ``lga-desktop
import-pack`` and ``open-receipt``, and say the outcome in words. The first
pack asks the officer to type the LGA's fingerprint as the LGA gave it (on
the phone or on its key card): the window shows the file's fingerprint only
after, so confirming is comparing, not copying.
"""

from __future__ import annotations

from pathlib import Path

from lga_desktop.errors import LgaError
from lga_desktop.ui.context import AppContext
from lga_desktop.ui.file_dialogs import get_open_file_name
from lga_desktop.ui.qt import (
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QMimeData,
    QObject,
    QWidget,
)

__all__ = ["ExchangeActions", "support_html", "exchange_paths"]


def exchange_paths(mime: QMimeData) -> list[Path]:
    """The programme packs and receipts among files dragged over the window."""
    # the exchange modules (and the cryptography they bring) load on first use, not at start-up
    from lga_desktop.exchange.formats import PACK, RECEIPT

    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in (PACK.suffix, RECEIPT.suffix)]


def support_html(support: dict[str, str] | None) -> str:
    """The LGA's support contact from the pack, for About; empty before a pack.

    The pack is another party's file: its words are escaped before they go into
    the About box's rich text.
    """
    from html import escape

    if not support or not any(support.values()):
        return ""
    email = escape(support["email"], quote=True)
    parts = [escape(support["name"])] + [
        f"<a href='mailto:{email}'>{email}</a>" if email else "",
        escape(support["phone"]),
    ]
    return "<p><b>Help with the programme</b>: " + ", ".join(p for p in parts if p) + "</p>"


class ExchangeActions(QObject):
    """The two File menu actions of the council's window; tests replace the ``ask_`` methods."""

    def __init__(self, parent: QWidget, context_of) -> None:
        super().__init__(parent)
        self.window = parent
        self.context_of = context_of  # a callable: the window's current AppContext
        self.last_message = ""

    @property
    def context(self) -> AppContext:
        return self.context_of()

    def ask_open_path(self, title: str, suffix: str) -> str:
        chosen, _ = get_open_file_name(
            self.window, title, "", f"{title} (*{suffix});;All files (*)"
        )
        return chosen

    def ask_fingerprint(self) -> str | None:
        text, ok = QInputDialog.getText(
            self.window,
            "Confirm the LGA's key",
            "This is the first programme pack for this workspace. Type the LGA key's "
            "fingerprint exactly as the LGA gave it to you (by phone or on its key card):",
            QLineEdit.EchoMode.Normal,
        )
        return text if ok and text.strip() else None

    def _say(self, title: str, text: str, ok: bool) -> None:
        self.last_message = text
        if ok:
            QMessageBox.information(self.window, title, text)
        else:
            QMessageBox.warning(self.window, title, text)

    def import_pack(self, path: Path | None = None) -> bool:
        from lga_desktop.exchange.council import current_pack, import_pack
        from lga_desktop.exchange.formats import PACK

        chosen = path or self.ask_open_path("Programme packs", PACK.suffix)
        if not chosen:
            return False
        ws = self.context.workspace
        confirmed = None
        if current_pack(ws) is None:
            confirmed = self.ask_fingerprint()
            if confirmed is None:
                return False
        try:
            pack = import_pack(ws, chosen, confirmed=confirmed)
        except LgaError as exc:
            self._say("Programme pack not imported", str(exc), ok=False)
            return False
        self.context.notify("*")
        doc = pack.document
        self._say(
            "Programme pack imported",
            f"Pack number {pack.sequence} for {doc['programme']['name']} "
            f"{doc['programme']['year']}, signed by the LGA key {pack.fingerprint}. The dashboard "
            "shows its due dates; About shows whom to ask for help.",
            ok=True,
        )
        return True

    def open_receipt(self, path: Path | None = None) -> bool:
        from lga_desktop.exchange.council import open_receipt
        from lga_desktop.exchange.formats import RECEIPT

        chosen = path or self.ask_open_path("Receipts", RECEIPT.suffix)
        if not chosen:
            return False
        try:
            doc = open_receipt(self.context.workspace, chosen)
        except LgaError as exc:
            self._say("Receipt not recorded", str(exc), ok=False)
            return False
        self.context.notify("returns")
        ret = doc["return"]
        lines = [f"The LGA's receipt for the {ret['quarter']} return, version {ret['version']}: "
                 f"{doc['status']}."]  # fmt: skip
        lines += [
            f"{'On ' + c['figure'] + ': ' if c['figure'] else ''}{c['comment']}"
            for c in doc["comments"]
            if c["comment"]
        ]
        self._say("Receipt from the LGA", "\n".join(lines), ok=True)
        return True

    def drop_paths(self, paths: list[Path]) -> None:
        """Packs and receipts dropped on the window: each imported or opened in turn."""
        from lga_desktop.exchange.formats import PACK

        for path in paths:
            if path.suffix.lower() == PACK.suffix:
                self.import_pack(path)
            else:
                self.open_receipt(path)
