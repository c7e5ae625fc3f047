"""Undoable edits of the design document, and the controller views push them through.

Every user edit is one `QUndoCommand` on the window's single `QUndoStack`. Commands hold
row numbers and values (immutable `Design` / `Layer` records), never QModelIndex.
Consecutive edits of the same field merge (`id()` / `mergeWith()`), so dragging a spin
box is one undo step; finishing the edit (Return, focus leaving the field, selecting
another layer) closes the merge.
"""
from __future__ import annotations

import time

from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

import core
from core.design import Design, Layer
from core.document import DesignDocument, role_name, why_not_insert, why_not_move, why_not_remove

MERGE_ID = 0x55B  # one id for every mergeable command; mergeWith compares the merge keys


class InsertLayerCommand(QUndoCommand):
    def __init__(self, doc: DesignDocument, index: int, layer: Layer, text: str | None = None):
        super().__init__(text or f"Add {role_name(layer.role)}")
        self.doc, self.index, self.layer = doc, index, layer

    def redo(self):
        self.doc.insert_layer(self.index, self.layer)

    def undo(self):
        self.doc.remove_layer(self.index)


class RemoveLayerCommand(QUndoCommand):
    """Stores what it removed and where, so undo puts it back exactly."""

    def __init__(self, doc: DesignDocument, index: int, text: str | None = None):
        self.layer = doc.design.unit_cell[index]
        super().__init__(text or f"Remove {role_name(self.layer.role)}")
        self.doc, self.index = doc, index

    def redo(self):
        self.layer = self.doc.remove_layer(self.index)

    def undo(self):
        self.doc.insert_layer(self.index, self.layer)


class MoveLayerCommand(QUndoCommand):
    def __init__(self, doc: DesignDocument, src: int, dst: int, text: str | None = None):
        layer = doc.design.unit_cell[src]
        super().__init__(text or f"Move {role_name(layer.role)}")
        self.doc, self.src, self.dst = doc, src, dst

    def redo(self):
        self.doc.move_layer(self.src, self.dst)

    def undo(self):
        self.doc.move_layer(self.dst, self.src)


class EditLayerCommand(QUndoCommand):
    """Replace one layer in place (any of its fields)."""

    def __init__(self, doc: DesignDocument, index: int, new: Layer, text: str, key=None):
        super().__init__(text)
        self.doc, self.index = doc, index
        self.old = doc.design.unit_cell[index]
        self.new = new
        self.key = key

    def id(self) -> int:
        return MERGE_ID if self.key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditLayerCommand) or other.key != self.key or other.index != self.index:
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def redo(self):
        self.doc.replace_layer(self.index, self.new)

    def undo(self):
        self.doc.replace_layer(self.index, self.old)


class ChangeDesignCommand(QUndoCommand):
    """Any other change: the whole design before and after (records are immutable)."""

    def __init__(self, doc: DesignDocument, new: Design, text: str, key=None):
        super().__init__(text)
        self.doc = doc
        self.old = doc.design
        self.new = new
        self.key = key

    def id(self) -> int:
        return MERGE_ID if self.key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ChangeDesignCommand) or other.key != self.key:
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def redo(self):
        self.doc.set_design(self.new)

    def undo(self):
        self.doc.set_design(self.old)


# the last design found applicable, with its result and how long the model took: the
# recalculation that follows the edit uses it (checked_result) instead of evaluating again
_CHECKED: list = [None, None, 0.0]


def checked_result(design: Design):
    """(result, model time in ms) of a design equal to the last one first_problem found
    applicable, else None."""
    if _CHECKED[0] is not None and (_CHECKED[0] is design or _CHECKED[0] == design):
        return _CHECKED[1], _CHECKED[2]
    return None


def first_problem(design: Design) -> str | None:
    """Why a design cannot be applied (core.validate, then the model itself); None if it can."""
    problems = core.validate(design)
    if not problems:
        try:
            t0 = time.perf_counter()
            result = core.evaluate(design, validate=False)
        except core.DesignError as e:  # valid but not computable (extreme values)
            problems = e.problems
        else:
            _CHECKED[:] = [design, result, (time.perf_counter() - t0) * 1000.0]
            return None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


class EditController(QObject):
    """The one way views change the design: checks the edit, then pushes one command.

    A refused edit is not applied; `sig_refused` carries the reason (shown in the status
    bar) and views re-read the document so the refused value disappears.
    """

    sig_refused = Signal(str)
    sig_select_row = Signal(int)   # a structural edit suggests selecting this row
    sig_info = Signal(str)         # an adjustment worth telling (e.g. a count rounded up)

    def __init__(self, doc: DesignDocument, stack: QUndoStack, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.stack = stack
        self._session = 0
        # the design name follows its materials (core.document.auto_name) until the user
        # names it; the window turns this on for presets and off for opened files
        self.name_follows = False

    # ---------------------------------------------------------------- merging
    def seal(self) -> None:
        """End the current run of mergeable edits (the next edit starts a new undo step)."""
        self._session += 1

    def _key(self, field: str | None):
        return None if field is None else (field, self._session)

    def refuse(self, message: str) -> bool:
        self.sig_refused.emit(message)
        return False

    # ---------------------------------------------------------------- edits
    def _named(self, old: Design, new: Design) -> Design:
        """`new` with the name its materials give it, if the name follows them."""
        if not self.name_follows:
            return new
        if new.name != old.name:  # the user named it: from now on the name is theirs
            self.name_follows = False
            return new
        from core.document import auto_name
        a_old, a_new = auto_name(old), auto_name(new)
        if a_old != a_new:
            return replace(new, name=a_new)
        return new

    def edit_layer(self, index: int, layer: Layer, text: str, field: str | None = None) -> bool:
        design = self.doc.design
        if not 0 <= index < len(design.unit_cell):
            return self.refuse(f"No layer at row {index + 1}.")
        if layer == design.unit_cell[index]:
            return True
        problem = first_problem(design.replace_layer(index, layer))
        if problem:
            return self.refuse(f"Not applied: {problem}")
        renamed = self._named(design, design.replace_layer(index, layer))
        if renamed.name != design.name:  # one undo step for the edit and the name it gives
            return self.change_design(renamed, text, field and f"layer{index}.{field}")
        self.stack.push(EditLayerCommand(self.doc, index, layer, text, self._key(field and f"layer{index}.{field}")))
        return True

    def change_design(self, new: Design, text: str, field: str | None = None) -> bool:
        if new == self.doc.design:
            return True
        new = self._named(self.doc.design, new)
        problem = first_problem(new)
        if problem:
            return self.refuse(f"Not applied: {problem}")
        self.stack.push(ChangeDesignCommand(self.doc, new, text, self._key(field)))
        return True

    def change_fields(self, text: str, field: str | None = None, **changes) -> bool:
        return self.change_design(replace(self.doc.design, **changes), text, field)

    def insert_layer(self, index: int, layer: Layer, text: str | None = None) -> bool:
        problem = why_not_insert(self.doc.design, index, layer.role)
        if problem:
            return self.refuse(problem)
        cells = list(self.doc.design.unit_cell)
        cells.insert(index, layer)
        bad = first_problem(replace(self.doc.design, unit_cell=tuple(cells)))
        if bad:
            return self.refuse(f"Not applied: {bad}")
        self.seal()
        self.stack.push(InsertLayerCommand(self.doc, index, layer, text))
        self.sig_select_row.emit(index)
        return True

    def remove_layer(self, index: int) -> bool:
        problem = why_not_remove(self.doc.design, index)
        if problem:
            return self.refuse(problem)
        self.seal()
        self.stack.push(RemoveLayerCommand(self.doc, index))
        self.sig_select_row.emit(min(index, len(self.doc.design.unit_cell) - 1))
        return True

    def move_layer(self, src: int, dst: int) -> bool:
        if src == dst:
            return True
        problem = why_not_move(self.doc.design, src, dst)
        if problem:
            return self.refuse(problem)
        self.seal()
        self.stack.push(MoveLayerCommand(self.doc, src, dst))
        self.sig_select_row.emit(dst)
        return True

    def apply_parameter(self, name: str, value: float) -> bool:
        """Set one core.PARAMETERS parameter as one undoable step (never merged)."""
        try:
            new = core.with_parameter(self.doc.design, name, value)
        except core.DesignError as e:
            return self.refuse(str(e))
        p = core.PARAMETERS[name]
        unit = f" {p.unit}" if p.unit and p.unit != "mass fraction" else ""
        self.seal()
        ok = self.change_design(new, f"Set {p.label.lower()} to {value:.4g}{unit}")
        self.seal()
        return ok
