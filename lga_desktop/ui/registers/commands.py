"""Undoable register changes for ``context.undo_stack`` (Ctrl+Z, Ctrl+Shift+Z).

Each command is made *after* its first write succeeded, so a refused write
never reaches the stack; ``redo`` on push is then skipped. Undo and redo go
through the same store functions, so they are validated, transactional and
audited ("Undo" / "Redo" in the trail). If the workspace has moved on so that
a step can no longer be replayed (the record was changed by an import, say),
the step says why and drops out of the stack rather than half-applying.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from lga_desktop.errors import LgaError
from lga_desktop.registers import store
from lga_desktop.registers.catalog import referrers
from lga_desktop.registers.declaration import Record, Register
from lga_desktop.ui.qt import QMessageBox, QUndoCommand
from lga_desktop.words import plural

if TYPE_CHECKING:
    from lga_desktop.ui.context import AppContext

__all__ = ["CreateCommand", "UpdateCommand", "DeleteCommand", "FAILURES"]

FAILURES: list[str] = []  # what undo or redo could not do, newest last (tests read it)
_BOXES: list[QMessageBox] = []


def _tell(message: str) -> None:
    """Say, without blocking, that a step could not be replayed."""
    FAILURES.append(message)
    box = QMessageBox(QMessageBox.Icon.Warning, "Undo", message)
    box.finished.connect(lambda _r: _BOXES.remove(box))
    _BOXES.append(box)
    box.open()


def _features(reg: Register) -> set[str]:
    """Features whose pages show this register, or links into it."""
    return {reg.feature} | {other.feature for other, _name in referrers(reg)}


class _RegisterCommand(QUndoCommand):
    def __init__(self, context: AppContext, reg: Register, text: str) -> None:
        super().__init__(text)
        self.context = context
        self.reg = reg
        self._pushed = False

    def _run(self, step: Callable[[], None], source: str) -> None:
        try:
            step()
        except LgaError as exc:
            self.setObsolete(True)
            _tell(f"{source} was not possible: {exc}")
        self.context.notify(*_features(self.reg))

    def redo(self) -> None:
        if not self._pushed:  # the first write happened before the push
            self._pushed = True
            return
        self._run(self.do, "Redo")

    def undo(self) -> None:
        self._run(self.undo_step, "Undo")

    def do(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def undo_step(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class CreateCommand(_RegisterCommand):
    """A record was added (or duplicated); undo deletes it, redo restores it as it was."""

    def __init__(
        self, context: AppContext, reg: Register, record: Record, verb: str = "Add"
    ) -> None:
        super().__init__(context, reg, f"{verb} {record.label}")
        self.record = record
        self.deleted: store.Deleted | None = None

    def undo_step(self) -> None:
        self.deleted = store.delete(self.context.workspace, self.reg, self.record.id, source="Undo")  # type: ignore[arg-type]

    def do(self) -> None:
        assert self.deleted is not None
        store.restore(self.context.workspace, self.deleted, source="Redo")


class UpdateCommand(_RegisterCommand):
    """Some fields of a record changed; undo puts the old values back."""

    def __init__(
        self,
        context: AppContext,
        reg: Register,
        record_id: int,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        label: str,
    ) -> None:
        names = ", ".join(reg.field(n).label.lower() for n in new)
        super().__init__(context, reg, f"Change {names} of {label}")
        self.record_id = record_id
        self.old = dict(old)
        self.new = dict(new)

    def undo_step(self) -> None:
        store.update(self.context.workspace, self.reg, self.record_id, self.old, source="Undo")

    def do(self) -> None:
        store.update(self.context.workspace, self.reg, self.record_id, self.new, source="Redo")


class DeleteCommand(_RegisterCommand):
    """Records were deleted (with what was under them); undo restores them exactly."""

    def __init__(self, context: AppContext, reg: Register, deleted: list[store.Deleted]) -> None:
        what = deleted[0].label if len(deleted) == 1 else plural(len(deleted), reg.item)
        super().__init__(context, reg, f"Delete {what}")
        self.deleted = deleted

    def undo_step(self) -> None:
        with self.context.workspace.atomic():
            for gone in reversed(self.deleted):
                store.restore(self.context.workspace, gone, source="Undo")

    def do(self) -> None:
        with self.context.workspace.atomic():
            self.deleted = [
                store.delete(self.context.workspace, self.reg, gone.record_id, source="Redo")
                for gone in self.deleted
            ]
