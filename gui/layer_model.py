"""A QAbstractListModel adapter over the document's unit cell (one row per layer).

The model owns nothing: it reads `doc.design.unit_cell` and forwards the document's
events as Qt's begin/end row signals. A drag inside the view becomes one move request
(`sig_move_requested`); whether it is allowed is explained live (`sig_drop_hint`).
"""
from __future__ import annotations

from PySide6.QtCore import (QAbstractListModel, QByteArray, QMimeData, QModelIndex, QObject, Qt,
                            Signal)

from core.design import ROLE_LABELS
from core.document import (ABOUT_TO_INSERT, ABOUT_TO_MOVE, ABOUT_TO_REMOVE, ABOUT_TO_RESET,
                           FIXED_ROLES, INSERTED, LAYER_CHANGED, MOVED, REMOVED, RESET,
                           DesignDocument, DocumentEvent, role_name, why_not_move)

from .cross_section import role_color

MIME_TYPE = "application/x-ssb-pouch-layer-row"

ROLE_DESCRIPTIONS = {
    "positive_collector": "Current collector of the positive side (fixed first layer; shared by "
                          "neighbouring unit cells in a parallel stack).",
    "cathode": "Cathode composite: active material with solid electrolyte and additives "
               "(fixed second layer).",
    "separator": "Solid-electrolyte separator membrane (at least one per unit cell).",
    "interlayer": "Interlayer: coating, buffer or protective layer, e.g. Ag-C (anywhere between "
                  "the cathode and the negative collector).",
    "anode": "Anode (at most one, after the separators). Without an anode the cell is anode-free.",
    "negative_collector": "Current collector of the negative side (fixed last layer).",
}

LayerRole = Qt.ItemDataRole.UserRole + 1        # the Layer record
RoleNameRole = Qt.ItemDataRole.UserRole + 2     # its role string, e.g. "separator"
ThicknessRole = Qt.ItemDataRole.UserRole + 3    # thickness in µm (derived for electrodes)
DetailRole = Qt.ItemDataRole.UserRole + 4       # one-line detail (material, amount)


def layer_detail(layer, info=None) -> str:
    """A short line about what a layer is and how much of it there is."""
    parts = []
    comps = layer.component_list()
    if len(comps) > 1:
        parts.append(" : ".join(f"{c.material} {c.mass_fraction * 100:.4g}" for c in comps) + " wt%")
    else:
        parts.append(comps[0].material)
    if layer.is_electrode and info is not None and info.areal_capacity_mAh_cm2 is not None:
        parts.append(f"{info.areal_capacity_mAh_cm2:.3g} mAh/cm²")
    if layer.overhang_mm:
        parts.append(f"overhang {layer.overhang_mm:g} mm")
    return " · ".join(parts)


class LayerListModel(QAbstractListModel):
    sig_move_requested = Signal(int, int)   # (source row, final row)
    sig_drop_hint = Signal(str)             # live explanation while dragging

    def __init__(self, doc: DesignDocument, parent: QObject | None = None):
        super().__init__(parent)
        self._doc = doc
        self._result = None
        # callable(src, dst) -> bool that performs a requested move (the undoable command);
        # without one, moves are only announced through sig_move_requested
        self.move_handler = None
        self._unsubscribe = doc.subscribe(self._on_document_event)

    def detach(self) -> None:
        self._unsubscribe()

    # ------------------------------------------------------------------ document events
    def _on_document_event(self, ev: DocumentEvent) -> None:
        k = ev.kind
        if k == ABOUT_TO_INSERT:
            self.beginInsertRows(QModelIndex(), ev.index, ev.index)
        elif k == INSERTED:
            self._result = None
            self.endInsertRows()
        elif k == ABOUT_TO_REMOVE:
            self.beginRemoveRows(QModelIndex(), ev.index, ev.index)
        elif k == REMOVED:
            self._result = None
            self.endRemoveRows()
        elif k == ABOUT_TO_MOVE:
            # Qt counts the destination before the move: one past the final row when moving down
            dest = ev.dest + 1 if ev.dest > ev.index else ev.dest
            self.beginMoveRows(QModelIndex(), ev.index, ev.index, QModelIndex(), dest)
        elif k == MOVED:
            self._result = None
            self.endMoveRows()
        elif k == ABOUT_TO_RESET:
            self.beginResetModel()
        elif k == RESET:
            self._result = None
            self.endResetModel()
        elif k == LAYER_CHANGED:
            for row in ev.rows:
                ix = self.index(row)
                self.dataChanged.emit(ix, ix)

    def set_result(self, result) -> None:
        """Derived values (thickness of electrodes given by loading...) from core.evaluate."""
        if result is not None and len(result.layers) != self.rowCount():
            result = None
        old, self._result = self._result, result
        n = self.rowCount()
        if not n:
            return
        roles = [Qt.ItemDataRole.DisplayRole, ThicknessRole, DetailRole, Qt.ItemDataRole.ToolTipRole]
        if old is None or result is None or len(old.layers) != n:
            self.dataChanged.emit(self.index(0), self.index(n - 1), roles)
            return
        # only the rows whose derived values changed are repainted (an edit of one layer
        # usually changes that layer and the electrodes given by N/P, not every row)
        for row, (a, b) in enumerate(zip(old.layers, result.layers)):
            if a != b:
                ix = self.index(row)
                self.dataChanged.emit(ix, ix, roles)

    # ------------------------------------------------------------------ read
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._doc.design.unit_cell)

    def _info(self, row: int):
        r = self._result
        if r is None or row >= len(r.layers):
            return None
        return r.layers[row]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        row = index.row()
        cells = self._doc.design.unit_cell
        if not 0 <= row < len(cells):
            return None
        layer = cells[row]
        info = self._info(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{ROLE_LABELS.get(layer.role, layer.role)}: {layer.display_name()}"
        if role == Qt.ItemDataRole.EditRole:
            return layer.display_name()
        if role == Qt.ItemDataRole.DecorationRole:
            return role_color(layer.role)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = ROLE_DESCRIPTIONS.get(layer.role, "")
            if layer.role in FIXED_ROLES:
                tip += "\nIts position is fixed; it cannot be moved or removed."
            else:
                tip += "\nDrag to reorder (Alt+Up / Alt+Down)."
            if info is not None:
                tip += (f"\n\nThickness {info.thickness_um:.4g} µm, {info.loading_mg_cm2:.4g} mg/cm², "
                        f"density {info.density_g_cm3:.4g} g/cm³")
            return tip
        if role == LayerRole:
            return layer
        if role == RoleNameRole:
            return layer.role
        if role == ThicknessRole:
            if info is not None:
                return float(info.thickness_um)
            return float(layer.thickness_um) if layer.thickness_um is not None else None
        if role == DetailRole:
            return layer_detail(layer, info)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{ROLE_LABELS.get(layer.role, layer.role)}, {layer.display_name()}"
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        layer = self._doc.design.unit_cell[index.row()] if index.row() < self.rowCount() else None
        if layer is not None and layer.role not in FIXED_ROLES:
            f |= Qt.ItemFlag.ItemIsDragEnabled
        return f

    def roleNames(self):
        names = super().roleNames()
        names[LayerRole] = QByteArray(b"layer")
        names[RoleNameRole] = QByteArray(b"role")
        names[ThicknessRole] = QByteArray(b"thickness_um")
        names[DetailRole] = QByteArray(b"detail")
        return names

    # ------------------------------------------------------------------ drag and drop
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        rows = sorted({ix.row() for ix in indexes if ix.isValid()})
        if rows:
            data.setData(MIME_TYPE, QByteArray(str(rows[0]).encode()))
        return data

    @staticmethod
    def _source_row(data: QMimeData) -> int | None:
        if data is None or not data.hasFormat(MIME_TYPE):
            return None
        try:
            return int(bytes(data.data(MIME_TYPE)).decode())
        except ValueError:
            return None

    def _target_row(self, src: int, row: int, parent: QModelIndex) -> int:
        """The final row of a layer dropped at insertion point `row` (or on `parent`)."""
        if row < 0:
            row = parent.row() if parent.isValid() else self.rowCount()
            if parent.isValid() and row > src:
                row += 1
        return row if row <= src else row - 1

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        src = self._source_row(data)
        if src is None or action not in (Qt.DropAction.MoveAction,) or src >= self.rowCount():
            return False
        dst = self._target_row(src, row, parent)
        if dst == src:
            return True
        problem = why_not_move(self._doc.design, src, dst)
        name = role_name(self._doc.design.unit_cell[src].role)
        self.sig_drop_hint.emit(f"Cannot move here: {problem}" if problem else
                                f"Drop to move the {name} to row {dst + 1}")
        return problem is None

    def _request_move(self, src: int, dst: int) -> bool:
        if self.move_handler is None:
            self.sig_move_requested.emit(src, dst)
            return False
        return bool(self.move_handler(src, dst))

    def moveRows(self, source_parent, source_row, count, dest_parent, dest_child) -> bool:  # noqa: N802
        """A view's internal move (QListView tries this first): one undoable move."""
        if count != 1 or source_parent.isValid() or dest_parent.isValid():
            return False
        dst = dest_child if dest_child <= source_row else dest_child - 1
        if dst == source_row or not 0 <= dst < self.rowCount():
            return False
        return self._request_move(source_row, dst)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        src = self._source_row(data)
        if src is None or action == Qt.DropAction.IgnoreAction:
            return False
        dst = self._target_row(src, row, parent)
        if dst != src:
            self._request_move(src, dst)
        # The move (if allowed) is already done through the undo stack; returning False
        # stops the view from also removing the dragged row.
        return False
