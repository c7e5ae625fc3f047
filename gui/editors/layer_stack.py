"""The unit cell as a list: add, duplicate, remove, reorder (drag or Alt+Up/Down).

Role rules live in core.document; a refused edit says why (status bar through the
controller, and the tooltips of the actions that are not possible)."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetricsF, QIcon, QKeySequence, QPalette, QPen
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QListView, QMenu, QStyle,
                               QStyledItemDelegate, QStyleOptionViewItem, QToolButton, QVBoxLayout,
                               QWidget)

from core.design import ROLE_LABELS, Component, Layer
from core.document import insert_position, role_name, why_not_insert, why_not_move, why_not_remove

from ..commands import EditController
from ..cross_section import role_color
from ..layer_model import DetailRole, LayerListModel, RoleNameRole, ThicknessRole


def new_layer(design, role: str) -> Layer:
    """A sensible new layer of `role` for this design."""
    if role == "separator":
        sep = design.layer("separator")
        if sep is not None:
            return replace(sep, label=None)
        return Layer("separator", material="Li6PS5Cl", thickness_um=30.0)
    if role == "interlayer":
        sep = design.layer("separator")
        return Layer("interlayer", label="Ag-C",
                     components=(Component("Ag", 0.25), Component("Carbon", 0.75)),
                     porosity=0.5, thickness_um=10.0,
                     overhang_mm=sep.overhang_mm if sep is not None else 0.0)
    if role == "anode":
        return Layer("anode", material="Li", thickness_um=40.0)
    raise ValueError(role)


class LayerItemDelegate(QStyledItemDelegate):
    """Role colour bar, role name, material detail and thickness on the right."""

    def sizeHint(self, option, index) -> QSize:
        fm = QFontMetricsF(option.font)
        return QSize(200, int(fm.height() * 2 + 10))

    def paint(self, painter, option, index):
        # (the view's option has the state, palette, font and rect; initStyleOption would ask
        # the model for ten roles to fill a text and icon that are drawn here instead)
        opt = QStyleOptionViewItem(option)
        widget = opt.widget
        style = widget.style() if widget else None
        opt.text = ""
        opt.icon = QIcon()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        r = QRectF(opt.rect)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        fg = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        dim = fg if selected else pal.color(QPalette.ColorRole.PlaceholderText)
        role = index.data(RoleNameRole)
        painter.fillRect(QRectF(r.left() + 4, r.top() + 4, 6, r.height() - 8), role_color(role))
        f = QFontMetricsF(opt.font)
        x = r.left() + 18
        right = r.right() - 8
        top = r.top() + 4
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QPen(fg))
        t = index.data(ThicknessRole)
        ttxt = f"{t:.4g} µm" if t is not None else ""
        tw = f.horizontalAdvance(ttxt) + 6
        painter.drawText(QRectF(x, top, right - x - tw, f.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         ROLE_LABELS.get(role, role))
        bold.setBold(False)
        painter.setFont(bold)
        painter.drawText(QRectF(right - tw, top, tw, f.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, ttxt)
        painter.setPen(QPen(dim))
        detail = index.data(DetailRole) or ""
        painter.drawText(QRectF(x, top + f.height(), right - x, f.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f.elidedText(detail, Qt.TextElideMode.ElideRight, right - x))
        painter.restore()


class LayerListView(QListView):
    """Delete removes, Alt+Up/Down move; refusals are explained by the controller."""

    sig_remove = Signal()
    sig_move = Signal(int)  # -1 up, +1 down

    def dataChanged(self, top_left, bottom_right, roles=()):  # noqa: N802 - Qt override
        """Repaint the changed rows only. QListView re-lays every item out after a data change
        (on a timer, then the whole list repaints: twice per edit); the rows here all have one
        size (uniform item sizes, a delegate whose size does not depend on the data), so the
        base item view's handling (repaint those rows, tell the editors and accessibility) is
        all it takes."""
        QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)

    def keyPressEvent(self, event):  # noqa: N802 - Qt override
        mods = event.modifiers()
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not mods:
            self.sig_remove.emit()
            return
        if mods & Qt.KeyboardModifier.AltModifier and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.sig_move.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


class LayerStackWidget(QWidget):
    """The unit-cell list with its actions; `sig_row_selected` follows the selection."""

    sig_row_selected = Signal(int)

    def __init__(self, model: LayerListModel, controller: EditController, parent=None):
        super().__init__(parent)
        self.model = model
        self.controller = controller
        self.view = LayerListView(self)
        self.view.setModel(model)
        self.view.setItemDelegate(LayerItemDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setUniformItemSizes(True)
        self.view.setAccessibleName("Unit-cell layers")
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.view.sig_remove.connect(self.change_remove)
        self.view.sig_move.connect(self.change_move)
        model.move_handler = self.controller.move_layer
        model.rowsInserted.connect(self.update_actions)
        model.rowsRemoved.connect(self.update_actions)
        model.rowsMoved.connect(self.update_actions)
        model.modelReset.connect(self._on_reset)
        model.dataChanged.connect(lambda *a: self.update_actions())

        # actions (also put in the Edit menu by the main window)
        self.act_add_separator = QAction("Add separator", self)
        self.act_add_interlayer = QAction("Add interlayer", self)
        self.act_add_anode = QAction("Add anode", self)
        self.act_add_separator.triggered.connect(lambda: self.change_add("separator"))
        self.act_add_interlayer.triggered.connect(lambda: self.change_add("interlayer"))
        self.act_add_anode.triggered.connect(lambda: self.change_add("anode"))
        self.add_menu = QMenu("Add layer", self)
        for a in (self.act_add_separator, self.act_add_interlayer, self.act_add_anode):
            self.add_menu.addAction(a)
        self.act_duplicate = QAction("Duplicate layer", self)
        self.act_duplicate.setShortcut(QKeySequence("Ctrl+D"))
        self.act_duplicate.triggered.connect(self.change_duplicate)
        self.act_remove = QAction("Remove layer", self)
        self.act_remove.triggered.connect(self.change_remove)
        self.act_up = QAction("Move layer up", self)
        self.act_up.setShortcut(QKeySequence("Alt+Up"))
        self.act_up.triggered.connect(lambda: self.change_move(-1))
        self.act_down = QAction("Move layer down", self)
        self.act_down.setShortcut(QKeySequence("Alt+Down"))
        self.act_down.triggered.connect(lambda: self.change_move(1))
        for a in (self.act_duplicate, self.act_up, self.act_down):
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(a)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        add_btn = QToolButton(self)
        add_btn.setText("Add")
        add_btn.setToolTip("Add a separator, interlayer or anode to the unit cell")
        add_btn.setMenu(self.add_menu)
        add_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        add_btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(add_btn)
        self._buttons = {}
        for key, act, text in (("dup", self.act_duplicate, "Duplicate"), ("rm", self.act_remove, "Remove"),
                               ("up", self.act_up, "Up"), ("down", self.act_down, "Down")):
            # plain buttons mirroring the action (a default action would impose its long text)
            b = QToolButton(self)
            b.setText(text)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.clicked.connect(act.trigger)
            act.changed.connect(lambda b=b, a=act: (b.setEnabled(a.isEnabled()), b.setToolTip(a.toolTip())))
            bar.addWidget(b)
            self._buttons[key] = b
        bar.addStretch(1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.view, 1)
        lay.addLayout(bar)
        self.update_actions()

    def sizeHint(self) -> QSize:
        rows = max(5, self.model.rowCount())
        fm = QFontMetricsF(self.font())
        return QSize(300, int(rows * (fm.height() * 2 + 10) + 40))

    # ------------------------------------------------------------------ selection
    def current_row(self) -> int | None:
        ix = self.view.currentIndex()
        return ix.row() if ix.isValid() else None

    def select_row(self, row: int) -> None:
        n = self.model.rowCount()
        if n == 0:
            return
        row = max(0, min(row, n - 1))
        ix = self.model.index(row)
        self.view.setCurrentIndex(ix)
        self.view.scrollTo(ix)

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.controller.seal()
        self.update_actions()
        if current.isValid():
            self.sig_row_selected.emit(current.row())

    def _on_reset(self) -> None:
        self.select_row(min(self.current_row() or 1, self.model.rowCount() - 1))
        self.update_actions()

    # ------------------------------------------------------------------ actions state
    def update_actions(self, *args) -> None:
        design = self.controller.doc.design
        row = self.current_row()
        # (the states follow from the design and the row alone; an edit asks twice, through
        # the list's data change and the editors' refresh)
        shown = getattr(self, "_actions_for", None)
        if shown is not None and shown[0] is design and shown[1] == row:
            return
        self._actions_for = (design, row)

        def set_state(act, problem, ok_tip):
            act.setEnabled(problem is None)
            act.setToolTip(ok_tip if problem is None else f"Not possible: {problem}")
            act.setStatusTip(act.toolTip())

        for role, act in (("separator", self.act_add_separator), ("interlayer", self.act_add_interlayer),
                          ("anode", self.act_add_anode)):
            pos = insert_position(design, role, None if row is None else row + 1)
            set_state(act, None if pos is not None else why_not_insert(design, len(design.unit_cell) - 1, role),
                      f"Add a{'n' if role[0] in 'aeiou' else ''} {role} to the unit cell")
        if row is None:
            for act in (self.act_duplicate, self.act_remove, self.act_up, self.act_down):
                set_state(act, "select a layer first", "")
            return
        role = design.unit_cell[row].role
        set_state(self.act_duplicate, why_not_insert(design, row + 1, role),
                  f"Duplicate the {role_name(role)} (Ctrl+D)")
        set_state(self.act_remove, why_not_remove(design, row),
                  f"Remove the {role_name(role)} (Delete)")
        n = len(design.unit_cell)
        set_state(self.act_up, why_not_move(design, row, row - 1) if row > 0 else "already the first layer",
                  "Move the layer up (Alt+Up)")
        set_state(self.act_down, why_not_move(design, row, row + 1) if row < n - 1 else "already the last layer",
                  "Move the layer down (Alt+Down)")

    # ------------------------------------------------------------------ edits
    def change_add(self, role: str) -> None:
        design = self.controller.doc.design
        row = self.current_row()
        preferred = None if row is None else row + 1
        if role == "interlayer" and preferred is not None:
            # an interlayer (Ag-C) is an anode-side layer: after the selection only if that is
            # past the last separator, else just after the separator (core.document)
            seps = [i for i, layer in enumerate(design.unit_cell) if layer.role == "separator"]
            if seps and preferred <= seps[-1]:
                preferred = None
        pos = insert_position(design, role, preferred)
        if pos is None:
            self.controller.refuse(why_not_insert(design, len(design.unit_cell) - 1, role)
                                   or f"No place for a {role} in this unit cell.")
            return
        self.controller.insert_layer(pos, new_layer(design, role))

    def change_duplicate(self) -> None:
        row = self.current_row()
        if row is None:
            return
        layer = self.controller.doc.design.unit_cell[row]
        self.controller.insert_layer(row + 1, layer,
                                     f"Duplicate {role_name(layer.role)}")

    def change_remove(self) -> None:
        row = self.current_row()
        if row is not None:
            self.controller.remove_layer(row)

    def change_move(self, step: int) -> None:
        row = self.current_row()
        if row is None:
            return
        dst = row + step
        if not 0 <= dst < self.model.rowCount():
            self.controller.refuse("The layer is already at the " + ("top." if step < 0 else "bottom."))
            return
        self.controller.move_layer(row, dst)
