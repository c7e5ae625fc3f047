"""The main window: design editors on the left, cross-section and plot panels in the
middle, results on the right, warnings where they are seen; one undo stack for every edit.

Integration points for other parts of the app (keep their names and meaning):
`sig_result_changed(design, result)` after every recompute, `current_design()`,
`current_result()`, `current_path()`, `apply_parameter(name, value)`,
`add_panel(title, widget)`, `file_menu`, `tools_menu`, `undo_stack`.
"""
from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QFileDialog, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QMainWindow,
                               QMessageBox, QScrollArea, QSplitter, QStyle, QStyleFactory, QTabWidget,
                               QToolBar, QUndoView, QVBoxLayout, QWidget, QDialog)

import core
from core.design import DesignError
from core.document import INSERTED, MOVED, REMOVED, RESET, CHANGED, DesignDocument, DocumentEvent

from . import settings
from .commands import EditController, checked_result
from .cross_section import CrossSectionWidget
from .editors.cell_editor import CellEditorWidget
from .editors.layer_editor import LayerEditorWidget
from .editors.layer_stack import LayerStackWidget
from .editors.operation_editor import OperationEditorWidget
from .editors.stacking_editor import StackingEditorWidget
from .fence import settle_layouts
from .help_viewer import add_help_actions
from .layer_model import LayerListModel
from .recovery import UNKNOWN_STAMP, FileStamp, RecoveryManager, changed_on_disk
from .results_panel import ResultsPanel, WarningsStrip

APP_TITLE = "SSB Pouch Designer"
# Column minimums: they add up (with the splitter handles) to less than the smallest window
# the app supports, MIN_WINDOW (1024 x 700 screens, less the desktop's panels), so no
# column is ever clipped or overlaps another.
EDITOR_MIN_W, PANELS_MIN_W, RESULTS_MIN_W = 345, 300, 350
MIN_WINDOW = (1000, 600)
FILE_FILTER = "Design files (*.json);;All files (*)"


# --------------------------------------------------------------------------- theme
def dark_palette() -> QPalette:
    p = QPalette()
    c = {
        QPalette.ColorRole.Window: "#2b2d31", QPalette.ColorRole.WindowText: "#e3e5e8",
        QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#26282c",
        QPalette.ColorRole.ToolTipBase: "#35373c", QPalette.ColorRole.ToolTipText: "#e3e5e8",
        QPalette.ColorRole.Text: "#e3e5e8", QPalette.ColorRole.Button: "#35373c",
        QPalette.ColorRole.ButtonText: "#e3e5e8", QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#79b8ff", QPalette.ColorRole.Highlight: "#3d6fb5",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#9aa0a8",
        QPalette.ColorRole.Light: "#45474d", QPalette.ColorRole.Midlight: "#3a3c41",
        QPalette.ColorRole.Mid: "#2a2c30", QPalette.ColorRole.Dark: "#1b1c1f",
        QPalette.ColorRole.Shadow: "#111214",
    }
    for role, col in c.items():
        p.setColor(role, QColor(col))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f737a"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, QColor("#26282c"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor("#2e3034"))
    return p


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    p = style.standardPalette()
    p.setColor(QPalette.ColorRole.Window, QColor("#f1f2f4"))
    p.setColor(QPalette.ColorRole.Button, QColor("#f6f7f9"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#f5f6f8"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fca"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6a7079"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.ToolTipText, QColor("#1d1f23"))
    return p


def apply_theme(app: QApplication, dark: bool) -> None:
    """Fusion style with a light or dark palette (the same on every platform)."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setContentsMargins(8, 6, 8, 8)
    return area


_KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride})


class MainWindow(QMainWindow):
    """The app's main window. `design` defaults to the review baseline preset."""

    sig_result_changed = Signal(object, object)   # (core.Design, core.Result) after every recompute

    def __init__(self, design: core.Design | None = None, path: str | None = None,
                 recalc_delay_ms: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = DesignDocument(design if design is not None else core.load_preset(core.DEFAULT_PRESET))
        self.undo_stack = QUndoStack(self)
        self.controller = EditController(self.doc, self.undo_stack, self)
        self.layer_model = LayerListModel(self.doc, self)
        self._path: Path | None = Path(path) if path else None
        self._result: core.Result | None = None
        self._last_eval_ms = 0.0
        self._materials_dialog = None
        self._history = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(settings.recalc_delay_ms() if recalc_delay_ms is None else recalc_delay_ms)
        self._timer.timeout.connect(self.recompute)

        self._build_ui()
        self._build_menus()
        self.doc.subscribe(self._on_document_event)
        self.controller.sig_refused.connect(self.show_refusal)
        self.controller.sig_info.connect(self.show_message)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.undo_stack.indexChanged.connect(self._update_title)
        self.setAcceptDrops(True)
        self._key_fields: list[QWidget] = []   # the focused field (and its line edit)
        app = QApplication.instance()
        if app is not None:  # Ctrl+Z from a field just edited: the design's undo (issue 14)
            # the key events of the focused text field (they go to the focus widget) pass
            # through eventFilter: a filter on the field that has the focus, not on every
            # event of the app (an app-wide Python filter cost about 1 ms per edit)
            app.focusChanged.connect(self._on_focus_changed)

        self._file_stamp: FileStamp | None = FileStamp.of(self._path) if self._path else None
        self.recovery = RecoveryManager(self._recovery_snapshot, folder=settings.data_folder() / "recovery",
                                        parent=self)
        self.recovery_folders = [self.recovery.folder] + [f / "recovery" for f in settings.legacy_data_folders()]
        self.undo_stack.indexChanged.connect(lambda _i: self.recovery.schedule())

        from .plots import PlotsPanel
        self.plots = PlotsPanel()
        self.add_panel("Sensitivity plots", self.plots)
        self.sig_result_changed.connect(self.plots.set_design)
        self.plots.sig_apply_parameter.connect(self.apply_parameter)

        # the name of a design that comes from no file (the default preset) follows its materials
        self.controller.name_follows = design is None
        self._refresh_editors()
        self.layer_stack.select_row(1)
        self.recompute()
        self._update_title()
        self._restore_layout()

    # ================================================================== public API
    def current_design(self) -> core.Design:
        return self.doc.design

    def current_result(self) -> core.Result:
        """The result of the current design (computed now if an update is pending)."""
        if self._timer.isActive() or self._result is None:
            self._timer.stop()
            self.recompute()
        return self._result

    def current_path(self) -> str | None:
        return str(self._path) if self._path is not None else None

    def apply_parameter(self, name: str, value: float) -> bool:
        """Set one core.PARAMETERS parameter as ONE undoable command (False if refused)."""
        return self.controller.apply_parameter(name, value)

    def add_panel(self, title: str, widget: QWidget) -> int:
        """Add a tab to the central panel area (plots, comparison...); returns its index."""
        return self.panels.addTab(widget, title)

    def set_recalc_delay(self, ms: int) -> None:
        self._timer.setInterval(max(0, int(ms)))

    # ================================================================== UI
    def _build_ui(self) -> None:
        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(*MIN_WINDOW)
        self.setDocumentMode(True)

        # left: editors
        self.layer_stack = LayerStackWidget(self.layer_model, self.controller)
        self.layer_editor = LayerEditorWidget(self.controller)
        self.stacking_editor = StackingEditorWidget(self.controller)
        self.cell_editor = CellEditorWidget(self.controller)
        self.operation_editor = OperationEditorWidget(self.controller)
        self.layer_stack.sig_row_selected.connect(self._on_row_selected)
        self.layer_model.sig_drop_hint.connect(self.show_message)

        unit_page = QSplitter(Qt.Orientation.Vertical)
        unit_page.setChildrenCollapsible(False)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(8, 6, 8, 4)
        tl.setSpacing(4)
        hdr = QLabel("Unit cell, positive to negative collector")
        hdr.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        tl.addWidget(hdr)
        tl.addWidget(self.layer_stack)
        unit_page.addWidget(top)
        unit_page.addWidget(_scroll(self.layer_editor))
        unit_page.setStretchFactor(0, 0)
        unit_page.setStretchFactor(1, 1)
        self.unit_splitter = unit_page

        self.editor_tabs = QTabWidget()
        self.editor_tabs.setDocumentMode(True)
        self.editor_tabs.addTab(unit_page, "Unit cell")
        self.editor_tabs.addTab(_scroll(self.stacking_editor), "Stacking")
        self.editor_tabs.addTab(_scroll(self.cell_editor), "Cell && pouch")
        self.editor_tabs.addTab(_scroll(self.operation_editor), "Life && use")
        self.editor_tabs.setTabToolTip(self.editor_tabs.count() - 1,
                                       "Lithium over life, stack pressure fixture, operation at a current")
        from .editors.tolerances import TolerancesEditorWidget
        self.tolerances_editor = TolerancesEditorWidget(self.controller)
        self.editor_tabs.addTab(self.tolerances_editor, "Tolerances")
        self.editor_tabs.setMinimumWidth(EDITOR_MIN_W)
        self._stale_editors: set = set()   # editors on hidden tabs, behind the document
        self.editor_tabs.currentChanged.connect(self._refresh_shown_editors)

        # centre: cross-section and panels added by other parts
        self.cross_section = CrossSectionWidget()
        self.cross_section.sig_layer_clicked.connect(self._on_cross_section_clicked)
        self.panels = QTabWidget()
        self.panels.setDocumentMode(True)
        self.panels.addTab(self.cross_section, "Cross-section")
        self.panels.setMinimumWidth(PANELS_MIN_W)

        # right: results
        self.results = ResultsPanel()
        results_scroll = _scroll(self.results)
        self.results.setContentsMargins(0, 0, 0, 0)
        results_scroll.setMinimumWidth(RESULTS_MIN_W)
        self.results_scroll = results_scroll

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.editor_tabs)
        self.splitter.addWidget(self.panels)
        self.splitter.addWidget(results_scroll)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)

        # header: design name and file; warnings strip under it
        self.title_label = QLabel()
        f = self.title_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.title_label.setFont(f)
        self.path_label = QLabel()
        self.path_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QWidget()
        hl = QHBoxLayout(header)
        hl.setContentsMargins(10, 6, 10, 4)
        hl.setSpacing(12)
        hl.addWidget(self.title_label)
        hl.addWidget(self.path_label, 1)
        self.warnings = WarningsStrip()

        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(header)
        cl.addWidget(self.warnings)
        cl.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        # status bar: refusals and notes on the left, evaluation time on the right
        self.status_message = QLabel()
        self.status_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.status_message, 1)
        self.eval_label = QLabel()
        self.eval_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # a fixed size, wide enough for any figure: a new time on every edit repaints the label
        # and lays nothing out (a minimum width alone still re-laid the status bar and window)
        self.eval_label.setFixedSize(self.eval_label.fontMetrics().horizontalAdvance("Model evaluated in 8888.88 ms") + 4,
                                     self.eval_label.sizeHint().height())
        self.statusBar().addPermanentWidget(self.eval_label)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(lambda: self.status_message.setText(""))

    def _build_menus(self) -> None:
        mb = self.menuBar()
        style = self.style()
        # File
        self.file_menu = mb.addMenu("&File")
        self.new_menu = self.file_menu.addMenu("&New from preset")
        for name in core.preset_names():
            act = self.new_menu.addAction(self._preset_title(name))
            act.setData(name)
            act.setToolTip(name)
            act.triggered.connect(lambda _=False, n=name: self.new_from_preset(n))
        self.act_open = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), "&Open…", self)
        self.act_open.setShortcut(QKeySequence.StandardKey.Open)
        self.act_open.triggered.connect(self.open_dialog)
        self.file_menu.addAction(self.act_open)
        self.recent_menu = self.file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        self.file_menu.addSeparator()
        self.act_save = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), "&Save", self)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save.triggered.connect(self.save)
        self.act_save_as = QAction("Save &as…", self)
        self.act_save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.act_save_as.triggered.connect(self.save_as)
        self.file_menu.addAction(self.act_save)
        self.file_menu.addAction(self.act_save_as)
        self.file_menu.addSeparator()
        self.act_report = QAction("&Export report…", self)
        self.act_report.setShortcut(QKeySequence("Ctrl+E"))
        self.act_report.setToolTip("Design-review report of the current design (PDF or HTML)")
        self.act_report.triggered.connect(self.export_report_dialog)
        self.file_menu.addAction(self.act_report)
        self.file_menu.addSeparator()
        self.act_quit = QAction("&Quit", self)
        self.act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_quit.triggered.connect(self.close)
        self.file_menu.addAction(self.act_quit)

        # Edit
        edit = mb.addMenu("&Edit")
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.act_undo.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo_keys = [QKeySequence("Ctrl+Shift+Z")]
        redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
        self.act_redo.setShortcuts(redo_keys)
        self.act_redo.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        edit.addAction(self.act_undo)
        edit.addAction(self.act_redo)
        edit.addSeparator()
        edit.addMenu(self.layer_stack.add_menu)
        for a in (self.layer_stack.act_duplicate, self.layer_stack.act_remove, self.layer_stack.act_up,
                  self.layer_stack.act_down):
            edit.addAction(a)
        self.edit_menu = edit

        # View
        view = mb.addMenu("&View")
        self.act_dark = QAction("&Dark theme", self)
        self.act_dark.setCheckable(True)
        self.act_dark.setChecked(settings.dark_theme())
        self.act_dark.toggled.connect(self.set_dark_theme)
        view.addAction(self.act_dark)
        view.addSeparator()
        self.act_history = QAction("Edit &history", self)
        self.act_history.triggered.connect(self.show_history)
        view.addAction(self.act_history)
        self.act_reset_layout = QAction("Reset &layout", self)
        self.act_reset_layout.triggered.connect(self.reset_layout)
        view.addAction(self.act_reset_layout)
        self.view_menu = view

        # Tools
        self.tools_menu = mb.addMenu("&Tools")
        self.act_materials = QAction("&Materials library…", self)
        self.act_materials.setShortcut(QKeySequence("Ctrl+M"))
        self.act_materials.triggered.connect(self.show_materials)
        self.tools_menu.addAction(self.act_materials)
        self.act_compare = QAction("&Compare designs…", self)
        self.act_compare.setToolTip("Compare this design with files or presets side by side")
        self.act_compare.triggered.connect(self.show_compare)
        self.tools_menu.addAction(self.act_compare)

        # Help
        help_menu = mb.addMenu("&Help")
        self.help_actions = add_help_actions(help_menu, self)  # docs/: model, file format, materials
        help_menu.addSeparator()
        self.act_about = QAction(f"&About {APP_TITLE}", self)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_about.triggered.connect(self.show_about)
        help_menu.addAction(self.act_about)
        self.help_menu = help_menu

        # toolbar
        tb = QToolBar("Main", self)
        tb.setObjectName("mainToolBar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.act_new = QAction(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), "New", self)
        self.act_new.setShortcut(QKeySequence.StandardKey.New)
        self.act_new.setToolTip("New design from the default preset (File > New from preset for others)")
        self.act_new.triggered.connect(lambda: self.new_from_preset(core.DEFAULT_PRESET))
        self.file_menu.insertAction(self.new_menu.menuAction(), self.act_new)
        for a in (self.act_new, self.act_open, self.act_save):
            tb.addAction(a)
        tb.addSeparator()
        # toolbar buttons with fixed text (the menu's actions say what they undo)
        self.tb_undo = QAction(self.act_undo.icon(), "Undo", self)
        self.tb_undo.triggered.connect(self.undo_stack.undo)
        self.tb_redo = QAction(self.act_redo.icon(), "Redo", self)
        self.tb_redo.triggered.connect(self.undo_stack.redo)
        self.tb_undo.setEnabled(False)
        self.tb_redo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.tb_undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.tb_redo.setEnabled)
        self.undo_stack.undoTextChanged.connect(self._on_undo_text)
        self.undo_stack.redoTextChanged.connect(self._on_redo_text)
        tb.addAction(self.tb_undo)
        tb.addAction(self.tb_redo)
        tb.addSeparator()
        tb.addAction(self.act_materials)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb

    # ================================================================== one paint per edit
    def event(self, ev):  # noqa: N802 - Qt override
        """The window paints once per edit, with every view up to date. Qt asks a window to
        paint (UpdateRequest) as soon as any part of it changed: the edited field, before the
        recalculation has run; and a plot's scene asks for a paint of its own at once when it
        processes its changed items (Qt's QGraphicsView does that), one paint per plot. So, at
        the window's paint: a pending recalculation (with no delay set) runs first, and every
        plot scene's changed items are processed, so that one paint draws them all."""
        if ev.type() == QEvent.Type.UpdateRequest and hasattr(self, "panels"):
            try:
                if self._timer.isActive() and self._timer.interval() == 0:
                    self._timer.stop()
                    self.recompute()
                from .plots.common import flush_scenes
                flush_scenes(self)   # the plots' changes join this paint
            finally:   # whatever a view's update raised (reported as usual), the window paints
                ok = super().event(ev)
            return ok
        return super().event(ev)

    # ================================================================== undo from anywhere
    def _on_focus_changed(self, _old, new) -> None:
        """Watch the key events of the focused text field or spin box (and the spin box's
        own line edit), and of nothing else."""
        watched = self._key_fields
        if new is not None and watched and watched[0] is new:
            return
        for w in watched:
            try:
                w.removeEventFilter(self)
            except RuntimeError:   # the field is gone already
                pass
        watched.clear()
        if isinstance(new, (QLineEdit, QAbstractSpinBox)) and self.isAncestorOf(new):
            watched.append(new)
            if isinstance(new, QAbstractSpinBox):
                watched.append(new.lineEdit())
            for w in watched:
                w.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt override
        """Ctrl+Z / Ctrl+Shift+Z reach the design's undo stack even while the focus is in a
        field: a line edit would otherwise take the shortcut for its own text undo. Only a
        field that is being typed into (text not yet committed) keeps its own undo."""
        kind = event.type()
        if kind not in _KEY_EVENTS:   # every event of the focused field passes here
            return False
        if kind == QEvent.Type.KeyPress and isinstance(obj, QLineEdit) and self.isAncestorOf(obj) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not isinstance(obj.parentWidget(), QAbstractSpinBox):
            # Enter commits a text field (label, name): from then on Ctrl+Z is the design's undo
            QTimer.singleShot(0, lambda e=obj: e.setModified(False))
        if isinstance(obj, QAbstractSpinBox):   # the spin box has the focus; its line edit the text
            obj = obj.lineEdit()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(obj, QLineEdit) \
                and self.isAncestorOf(obj):
            which = self._is_undo_key(event)
            if which and not self._typing_in(obj):
                if kind == QEvent.Type.KeyPress:  # the shortcut did not take it: undo here
                    (self.undo_stack.undo if which == "undo" else self.undo_stack.redo)()
                return True  # the field does not take the key for its own text undo
        return super().eventFilter(obj, event)

    @staticmethod
    def _is_undo_key(event) -> str | None:
        """"undo", "redo" or None for a key event."""
        combo = event.keyCombination().toCombined()

        def hit(keys):
            return any(k.count() == 1 and k[0].toCombined() == combo for k in keys)
        if hit([QKeySequence("Ctrl+Z"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)]):
            return "undo"
        if hit([QKeySequence("Ctrl+Shift+Z"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]):
            return "redo"
        return None

    @staticmethod
    def _typing_in(edit: QLineEdit) -> bool:
        """True while the field holds typed text that is not committed yet."""
        box = edit.parentWidget()
        if isinstance(box, QAbstractSpinBox):
            committed = box.prefix() + box.textFromValue(box.value()) + box.suffix() \
                if hasattr(box, "textFromValue") else edit.text()
            return edit.text().strip() != committed.strip()
        return edit.isUndoAvailable() and edit.isModified()

    def _on_undo_text(self, text: str) -> None:
        self.tb_undo.setToolTip(f"Undo {text} (Ctrl+Z)" if text else "Nothing to undo")

    def _on_redo_text(self, text: str) -> None:
        self.tb_redo.setToolTip(f"Redo {text} (Ctrl+Shift+Z)" if text else "Nothing to redo")

    @staticmethod
    def _preset_title(name: str) -> str:
        try:
            return core.load_preset(name).name
        except DesignError:
            return name

    # ================================================================== document -> views
    def _on_document_event(self, ev: DocumentEvent) -> None:
        if ev.kind in (INSERTED, REMOVED, MOVED, RESET):
            self._structural = True  # the layer order changed: redraw at once (below)
        if ev.kind == INSERTED:
            self.layer_stack.select_row(ev.index)
        elif ev.kind == REMOVED:
            self.layer_stack.select_row(min(ev.index, len(ev.new.unit_cell) - 1))
        elif ev.kind == MOVED:
            self.layer_stack.select_row(ev.dest)
        elif ev.kind == RESET:
            row = self.layer_stack.current_row()
            self.layer_stack.select_row(1 if row is None else min(row, len(ev.new.unit_cell) - 1))
        elif ev.kind == CHANGED:
            self._refresh_editors()
            if getattr(self, "_structural", False):
                # a layer added, removed or moved: every view (the cross-section and its
                # legend too) shows the new order now, not after the recalculation delay
                self._structural = False
                self._timer.stop()
                self.recompute()
            else:
                self._timer.start()

    def _refresh_shown_editors(self, *_args, with_result: bool = True) -> None:
        """Bring the editors not yet up to date that can be seen (all while the window is not
        shown) to the current design and result."""
        stale = self._stale_editors
        if not stale:
            return
        everything = not self.isVisible()
        for editor in [e for e in (self.stacking_editor, self.cell_editor, self.operation_editor,
                                   self.tolerances_editor) if e in stale]:
            if everything or editor.isVisible():
                stale.discard(editor)
                editor.set_design(self.doc.design)
                if with_result and self._result is not None and hasattr(editor, "set_result"):
                    editor.set_result(self._result)

    def _refresh_editors(self) -> None:
        d = self.doc.design
        row = self.layer_stack.current_row()
        self.layer_editor.set_design(d, row, derived=False)   # (the recalculation gives them)
        # the editors on the other tabs catch up when their tab is shown (while the window is
        # shown; all of them at once otherwise)
        self._stale_editors = {self.stacking_editor, self.cell_editor, self.operation_editor,
                               self.tolerances_editor}
        self._refresh_shown_editors(with_result=False)   # (the recalculation gives the result)
        self.layer_stack.update_actions()
        self.cross_section.set_selected_row(row)
        if self._materials_dialog is not None:
            self._materials_dialog.set_design(d)
        self._update_title()

    def _on_row_selected(self, row: int) -> None:
        self.layer_editor.set_design(self.doc.design, row)
        self.layer_editor.set_result(self._result)
        self.cross_section.set_selected_row(row)

    def _on_cross_section_clicked(self, row: int) -> None:
        self.editor_tabs.setCurrentIndex(0)
        self.layer_stack.select_row(row)

    def recompute(self) -> None:
        """Evaluate the current design and update every view (the live-results step)."""
        design = self.doc.design
        checked = checked_result(design)   # the edit's check evaluated it already
        if checked is not None:
            result, self._last_eval_ms = checked
        else:
            t0 = time.perf_counter()
            try:
                result = core.evaluate(design)
            except DesignError as e:  # cannot happen for edits (they are validated first)
                self.warnings.set_warnings(e.problems, error=True)
                return
            self._last_eval_ms = (time.perf_counter() - t0) * 1000.0
        self._result = result
        self.layer_model.set_result(result)
        self.layer_editor.set_result(result)
        for editor in (self.stacking_editor, self.cell_editor, self.operation_editor):
            if editor not in self._stale_editors:   # (a stale one takes it when shown)
                editor.set_result(result)
        self.results.set_result(design, result)
        self.cross_section.set_data(design, result)
        self.warnings.set_warnings(result.warnings)
        self.sig_result_changed.emit(design, result)
        self.eval_label.setText(f"Model evaluated in {self._last_eval_ms:.2f} ms")
        settle_layouts()

    # ================================================================== messages
    def show_refusal(self, message: str) -> None:
        """A refused edit: say why in the status bar (kept for 10 s)."""
        self.status_message.setStyleSheet("color: #e0524a;" if is_dark(self) else "color: #b3261e;")
        self.status_message.setText(message)
        self.status_message.setToolTip(message)
        self._status_timer.start(10000)

    def show_message(self, message: str, ms: int = 5000) -> None:
        self.status_message.setStyleSheet("")
        self.status_message.setText(message)
        self.status_message.setToolTip(message)
        self._status_timer.start(ms)

    def _on_clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _update_title(self, *args) -> None:
        name = self._path.name if self._path is not None else "Untitled"
        title = f"{name}[*] — {APP_TITLE} {core.__version__}"
        modified = not self.undo_stack.isClean()
        # (twice per edit, from the undo stack and the editors' refresh: set only on a change)
        if (title, modified) != (self.windowTitle(), self.isWindowModified()):
            self.setWindowTitle(title)
            self.setWindowModified(modified)
        self.title_label.setText(self.doc.design.name)
        self.path_label.setText(str(self._path) if self._path is not None else "not saved yet")

    # ================================================================== files
    def maybe_save(self) -> bool:
        """Ask before discarding unsaved changes: True to go on, False to stay."""
        if self.undo_stack.isClean():
            return True
        name = self._path.name if self._path is not None else "the untitled design"
        ret = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {name} before going on?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard |
            QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if ret == QMessageBox.StandardButton.Save:
            return self.save()
        return ret == QMessageBox.StandardButton.Discard

    def _set_document(self, design: core.Design, path: Path | None) -> None:
        self.controller.seal()
        self.controller.name_follows = False  # a file's (or recovered) name is its user's
        self.undo_stack.clear()
        self.doc.set_design(design)
        if self._materials_dialog is not None:
            self._materials_dialog.reset_status()
        self.undo_stack.setClean()
        self._path = path
        self._file_stamp = FileStamp.of(path) if path is not None else None
        self._timer.stop()
        self.results.new_document()
        self.recompute()
        self._update_title()
        self.recovery.autosave_now()  # a fresh, clean document: drops any stale autosave

    def new_from_preset(self, name: str = core.DEFAULT_PRESET) -> bool:
        if not self.maybe_save():
            return False
        try:
            design = core.load_preset(name)
        except DesignError as e:
            QMessageBox.warning(self, "Preset", str(e))
            return False
        self._set_document(design, None)
        self.controller.name_follows = True  # a preset's name follows its materials
        self.show_message(f"New design from preset “{design.name}”")
        return True

    def open_dialog(self) -> bool:
        if not self.maybe_save():
            return False
        path, _ = QFileDialog.getOpenFileName(self, "Open design", settings.last_folder(), FILE_FILTER)
        if not path:
            return False
        return self.open_path(path, ask=False)

    def open_path(self, path: str, ask: bool = True) -> bool:
        """Open a design file; a bad file shows why and leaves the current design as it is."""
        if ask and not self.maybe_save():
            return False
        try:
            design = core.load_design(path)
        except DesignError as e:
            self._show_load_error(path, e)
            return False
        self._set_document(design, Path(path).resolve())
        settings.add_recent_file(path)
        settings.set_last_folder(path)
        self.show_message(f"Opened {path}")
        return True

    def _show_load_error(self, path, e: DesignError) -> None:
        problems = e.problems
        listed = "\n".join(f"• {p}" for p in problems[:10])
        more = f"\n… and {len(problems) - 10} more" if len(problems) > 10 else ""
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open design",
                          f"{Path(path).name} cannot be opened:", QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(listed + more + "\n\nThe current design is kept.")
        box.exec()

    def save(self) -> bool:
        if self._path is None:
            return self.save_as()
        return self.save_to(self._path)

    def save_as(self) -> bool:
        default = self._path or Path(settings.last_folder()) / (_slug(self.doc.design.name) + ".json")
        path, _ = QFileDialog.getSaveFileName(self, "Save design as", str(default), FILE_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += ".json"
        return self.save_to(path)

    def save_to(self, path) -> bool:
        path = Path(path)
        if self._path is not None and path.resolve() == self._path and \
                changed_on_disk(path, self._file_stamp) and not self._confirm_overwrite(path):
            return False
        try:
            core.save_design(self.doc.design, path)
        except (OSError, DesignError) as e:
            QMessageBox.critical(self, "Cannot save", f"{path} could not be saved:\n{_why(e)}\n\n"
                                 f"Nothing was changed on disk; your design is still open.")
            return False
        self._path = path.resolve()
        self._file_stamp = FileStamp.of(path)
        self.undo_stack.setClean()
        self.recovery.autosave_now()  # clean now: removes the recovery file
        self.controller.seal()
        settings.add_recent_file(path)
        settings.set_last_folder(path)
        self._update_title()
        self.show_message(f"Saved {path}")
        return True

    def _confirm_overwrite(self, path: Path) -> bool:
        """The file changed on disk since we opened or saved it: never overwrite silently."""
        exists = path.exists()
        box = QMessageBox(QMessageBox.Icon.Warning, "File changed on disk",
                          f"{path.name} was {'changed' if exists else 'deleted or moved'} by another "
                          f"program since you opened it.", parent=self)
        box.setInformativeText("Overwrite it with your design, save your design under another name, "
                               "or cancel?")
        overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton("Save as…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as)
        box.exec()
        if box.clickedButton() is overwrite:
            return True
        if box.clickedButton() is save_as:
            self._file_stamp = None  # the dialog below picks a new path
            self.save_as()
        return False

    def restore_recovered(self, design: core.Design, original_path: str | None,
                          original_stamp: FileStamp | None = UNKNOWN_STAMP) -> None:
        """Open an autosaved design as unsaved work: the file it came from (if it still
        loads) is the clean state, the recovered design one undoable step on top.

        `original_stamp` is the file as it was when the crashed session opened (or last
        saved) it, recorded in the recovery file: if someone changed the file since, the
        next Save asks before overwriting, as it would have in that session. Without a
        record (UNKNOWN_STAMP, the default) Save asks too."""
        base, path = design, None
        if original_path and Path(original_path).is_file():
            try:
                base, path = core.load_design(original_path), Path(original_path)
            except DesignError:
                base, path = design, None
        self._set_document(base, path)
        if path is not None and original_stamp is not None:
            self._file_stamp = original_stamp
        if base != design or path is None:
            self.controller.change_design(design, "Restore autosaved work")
            if self.undo_stack.isClean():  # identical to the file: still mark it as unsaved work
                self.undo_stack.resetClean()
        self.show_message(f"Restored autosaved work: {design.name}")

    def _recovery_snapshot(self):
        return self.doc.design, self.current_path(), not self.undo_stack.isClean(), self._file_stamp

    def export_report_dialog(self) -> bool:
        """File > Export report: PDF (or HTML by extension) of the current design."""
        from .compare import default_page_size
        base = self._path.with_suffix("") if self._path else Path(settings.last_folder()) / _slug(self.doc.design.name)
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export design-review report", str(base) + "-report.pdf",
            "PDF report (*.pdf);;HTML report (*.html)")
        if not path:
            return False
        if not Path(path).suffix:
            path += ".html" if "html" in chosen.lower() else ".pdf"
        return self.export_report(path, default_page_size())

    def report_options(self):
        """The targets and level the plots show (the toolbar's), for the report to state."""
        from .report import ReportOptions
        st = getattr(self.plots, "settings", None)
        if st is None:
            return ReportOptions()
        return ReportOptions(target_Wh_kg=st.target_Wh_kg, target_Wh_L=st.target_Wh_L, level=st.level)

    def export_report(self, path, page_size: str = "A4") -> bool:
        from .report import export_report
        try:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                info = export_report([(self.doc.design, self.current_path())], str(path), page_size,
                                     options=self.report_options())
            finally:
                QApplication.restoreOverrideCursor()
        except (OSError, ValueError) as e:
            QMessageBox.critical(self, "Cannot export report", f"{path} could not be written:\n{_why(e)}\n\n"
                                 f"Nothing was changed on disk.")
            return False
        self.show_message(f"Report written: {path} ({info.pages} pages)" if info.pages else f"Report written: {path}")
        return True

    def show_compare(self) -> None:
        from .compare import CompareDialog
        name = self.doc.design.name + ("" if self.undo_stack.isClean() else " (unsaved)")
        dlg = CompareDialog(self, [(name, self.doc.design, self.current_path())])
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        self._compare_dialog = dlg

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = settings.recent_files()
        for f in files:
            act = self.recent_menu.addAction(Path(f).name)
            act.setToolTip(f)
            act.setStatusTip(f)
            act.triggered.connect(lambda _=False, p=f: self._open_recent(p))
        if not files:
            a = self.recent_menu.addAction("No recent files")
            a.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", lambda: (settings.clear_recent_files(),
                                                              self._fill_recent_menu()))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            settings.remove_recent_file(path)
            self.show_refusal(f"{path} no longer exists; removed from the recent files.")
            return
        self.open_path(path)

    # drag a design file onto the window to open it
    def dragEnterEvent(self, event):  # noqa: N802 - Qt override
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile() and urls[0].toLocalFile().lower().endswith(".json"):
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        if urls:
            self.open_path(urls[0].toLocalFile())

    # ================================================================== view
    def set_dark_theme(self, dark: bool) -> None:
        settings.set_dark_theme(dark)
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, dark)
        self.warnings.apply_palette(dark)
        self.update()

    def show_materials(self) -> None:
        from .materials_dialog import MaterialsDialog
        if self._materials_dialog is None:
            self._materials_dialog = MaterialsDialog(self.controller, self)
        self._materials_dialog.set_design(self.doc.design)
        self._materials_dialog.show()
        self._materials_dialog.raise_()
        self._materials_dialog.activateWindow()

    def show_history(self) -> None:
        if self._history is None:
            dlg = QDialog(self)
            dlg.setWindowTitle("Edit history")
            view = QUndoView(self.undo_stack, dlg)
            view.setEmptyLabel("Opened design")
            lay = QVBoxLayout(dlg)
            lay.addWidget(view)
            dlg.resize(340, 420)
            self._history = dlg
        self._history.show()
        self._history.raise_()

    def show_about(self) -> None:
        QMessageBox.about(
            self, f"About {APP_TITLE}",
            f"<h3>{APP_TITLE} {core.__version__}</h3>"
            "<p>Energy density (Wh/kg, Wh/L) of all-solid-state battery pouch cells: unit cell, stack "
            "and pouch, live as you edit the layer stack.</p>"
            "<p>Model after Wang, Kim, Wang, Sun, <i>Adv. Mater.</i> 2023, doi 10.1002/adma.202209074. "
            "Material values are defaults with their sources (Tools &gt; Materials library); every "
            "value is editable per design.</p>"
            f"<p>Settings: {settings.settings_file()}</p>")

    def reset_layout(self) -> None:
        """Editors | panels | results: the side columns grow with the window (up to a width
        where their text stops gaining), so a wide screen does not hand the cross-section
        a page of white space while the results stay narrow."""
        w = self.width()
        left = int(min(460, max(EDITOR_MIN_W, 0.24 * w)))
        right = int(min(600, max(RESULTS_MIN_W, 0.30 * w)))  # four levels need about 400 px
        self.splitter.setSizes([left, max(PANELS_MIN_W, w - left - right), right])
        self.unit_splitter.setSizes([self.layer_stack.sizeHint().height() + 30, 400])

    def _restore_layout(self) -> None:
        geo = settings.get("window/geometry")
        if isinstance(geo, (QByteArray, bytes)) and geo:
            self.restoreGeometry(QByteArray(geo))
        else:
            screen = QApplication.primaryScreen()
            if screen is not None:
                avail = screen.availableGeometry()
                self.resize(min(1500, int(avail.width() * 0.92)), min(920, int(avail.height() * 0.9)))
        self.reset_layout()
        split = settings.get("window/splitter")
        if isinstance(split, (QByteArray, bytes)) and split:
            self.splitter.restoreState(QByteArray(split))

    def closeEvent(self, event):  # noqa: N802 - Qt override
        if not self.maybe_save():
            event.ignore()
            return
        settings.set("window/geometry", self.saveGeometry())
        settings.set("window/splitter", self.splitter.saveState())
        self.recovery.shutdown()
        event.accept()


def _why(e: Exception) -> str:
    """An error for a dialog: an OSError's reason without repeating the path."""
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e)


def _slug(name: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    while "--" in keep:
        keep = keep.replace("--", "-")
    return keep.strip("-")[:60] or "design"
