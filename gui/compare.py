"""Side-by-side comparison of designs: a results table with deltas against the first
(reference) design, and for any other design the list of its differences from the reference,
each with its effect alone on Wh/kg and Wh/L (gui.report.compare), largest first; and, in a
second tab, the Ragone plot of every compared design (gui.plots.ragone, an ohmic estimate).

`CompareWidget` shows a list of designs; `CompareDialog` adds the controls to add open files
or presets, remove a design, choose the reference, and export the comparison as a report.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QMenu,
                               QMessageBox, QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QToolButton, QVBoxLayout, QWidget)

from core import Design, DesignError, evaluate, load_design, load_preset, preset_names
from core.presets import preset_path

from .plots.ragone import RagonePlotWidget
from .report.compare import (ATTRIBUTION_KEYS, ATTRIBUTION_LABELS, COMPARE_ROWS, compare,
                             compare_results, delta_merit)
from .report.data import fmt, fmt_delta, fmt_pct

POSITIVE = QColor("#1e7a34")
NEGATIVE = QColor("#b03a2e")


def tag(index: int) -> str:
    """Column tag of a design: the reference, then B, C, ..."""
    return "Ref." if index == 0 else chr(ord("A") + index) if index < 26 else f"#{index + 1}"


def default_page_size() -> str:
    """Letter where the locale measures in US units, A4 elsewhere."""
    return "Letter" if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "A4"


def _merit_color(key: str, delta: float | None) -> QColor | None:
    """Green for a change that improves result `key`, red for one that worsens it, else none."""
    return {1: POSITIVE, -1: NEGATIVE}.get(delta_merit(key, delta))


def _item(text: str, align=Qt.AlignmentFlag.AlignLeft, color: QColor | None = None, bold: bool = False,
          tip: str = "") -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    it.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    if color is not None:
        it.setForeground(QBrush(color))
    if bold:
        f = QFont()
        f.setBold(True)
        it.setFont(f)
    if tip:
        it.setToolTip(tip)
    return it


def wrap_name(name: str, width: int = 26) -> str:
    """A name broken into lines of about `width` characters at spaces (never cut off)."""
    lines, line = [], ""
    for word in name.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


class CompareWidget(QWidget):
    """Designs side by side; the first is the reference of every delta."""

    sig_designs_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._entries: list[tuple[str, Design, str | None]] = []
        self._results: list = []  # core.Result or a DesignError per entry

        self.results_table = QTableWidget(0, 0, self)
        self.results_table.setObjectName("compareResults")
        self.results_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_table.setWordWrap(False)
        # design names are never cut off: two designs must be told apart. Long names wrap
        # onto lines in the column header (wrap_name), and the columns fit them.
        self.results_table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.results_table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.results_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.other_combo = QComboBox(self)
        self.other_combo.setObjectName("compareOther")
        self.other_combo.currentIndexChanged.connect(self._update_differences)
        self.diff_title = QLabel(self)
        self.diff_table = QTableWidget(0, 3 + len(ATTRIBUTION_KEYS), self)
        self.diff_table.setObjectName("compareDifferences")
        self.diff_table.setHorizontalHeaderLabels(["Where", "Difference", "Reference → this design"]
                                                  + [ATTRIBUTION_LABELS[k] for k in ATTRIBUTION_KEYS])
        self.diff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.diff_table.setWordWrap(True)
        hh = self.diff_table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # wrapped rows follow the width of the stretched column (once the layout has settled)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.diff_table.resizeRowsToContents)
        hh.sectionResized.connect(lambda *_: self._fit_timer.start())
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("compareSummary")
        self.empty_label = QLabel("Add two or more designs to compare them.", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(QLabel("<b>Results</b> (deltas against the reference, the first design)", top))
        tl.addWidget(self.results_table)
        bottom = QWidget(self)
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>What makes the difference:</b>", bottom))
        row.addWidget(self.other_combo, 1)
        bl.addLayout(row)
        bl.addWidget(self.diff_title)
        bl.addWidget(self.diff_table)
        bl.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        # the Ragone plot of every compared design, one colour each, named by its tag
        self.ragone = RagonePlotWidget(self)
        self.ragone.setObjectName("compareRagone")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("compareTabs")
        self.tabs.addTab(self.splitter, "Results and differences")
        self.tabs.addTab(self.ragone, "Ragone plot (at rate)")
        self.tabs.setTabToolTip(1, "Pouch cell Wh/kg against W/kg over C-rates for every compared design "
                                   "(ohmic estimate)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tabs)
        self._refresh()

    def showEvent(self, event):
        super().showEvent(event)
        self._fit_timer.start()

    # ------------------------------------------------------------------ API
    def set_designs(self, designs) -> None:
        """Replace the designs: a list of (name, Design) or (name, Design, path)."""
        self._entries = [self._entry(d) for d in designs]
        self._results = [self._evaluate(e[1]) for e in self._entries]
        self._refresh()

    def add_design(self, name: str, design: Design, path: str | None = None) -> None:
        self._entries.append((name, design, path))
        self._results.append(self._evaluate(design))
        self._refresh()

    def remove_design(self, index: int) -> None:
        if 0 <= index < len(self._entries):
            del self._entries[index]
            del self._results[index]
            self._refresh()

    def set_reference(self, index: int) -> None:
        """Make design `index` the reference (moves it first)."""
        if 0 < index < len(self._entries):
            self._entries.insert(0, self._entries.pop(index))
            self._results.insert(0, self._results.pop(index))
            self._refresh()

    def designs(self) -> list[tuple[str, Design, str | None]]:
        return list(self._entries)

    def comparison(self, index: int):
        """The gui.report.compare.Comparison of design `index` against the reference (None if
        either cannot be evaluated)."""
        if not (0 < index < len(self._entries)):
            return None
        r0, ri = self._results[0], self._results[index]
        if isinstance(r0, DesignError) or isinstance(ri, DesignError):
            return None
        return compare(self._entries[0][1], self._entries[index][1], self._entries[0][0],
                       self._entries[index][0], r0, ri)

    # ------------------------------------------------------------------ internals
    @staticmethod
    def _entry(d) -> tuple[str, Design, str | None]:
        if len(d) == 2:
            return d[0], d[1], None
        return d[0], d[1], d[2]

    @staticmethod
    def _evaluate(design: Design):
        try:
            return evaluate(design)
        except DesignError as e:
            return e

    def _refresh(self) -> None:
        n = len(self._entries)
        self.empty_label.setVisible(n == 0)
        self.tabs.setVisible(n > 0)
        self._fill_results()
        self._update_ragone()
        with_blocked = self.other_combo.blockSignals(True)
        current = self.other_combo.currentIndex()
        self.other_combo.clear()
        for i in range(1, n):
            self.other_combo.addItem(f"{tag(i)}: {self._entries[i][0]}  vs  Ref.: {self._entries[0][0]}")
        self.other_combo.setEnabled(n > 1)
        if n > 1:
            self.other_combo.setCurrentIndex(min(max(current, 0), n - 2))
        self.other_combo.blockSignals(with_blocked)
        self._update_differences()
        self.sig_designs_changed.emit()

    def _fill_results(self) -> None:
        t = self.results_table
        n = len(self._entries)
        t.clear()
        t.setRowCount(len(COMPARE_ROWS))
        t.setColumnCount(n)
        for i, e in enumerate(self._entries):
            head = QTableWidgetItem(wrap_name(f"{tag(i)}: {e[0]}"))
            head.setToolTip(f"{e[0]}\n{e[2] or 'not saved to a file'}")
            t.setHorizontalHeaderItem(i, head)
        t.setVerticalHeaderLabels([f"{label} ({unit})" if unit else label for _, label, unit in COMPARE_ROWS])
        good = [r for r in self._results if not isinstance(r, DesignError)]
        if not n:
            return
        ref_ok = not isinstance(self._results[0], DesignError)
        rows = compare_results(self._results) if ref_ok and len(good) == n else None
        right = Qt.AlignmentFlag.AlignRight
        for c, res in enumerate(self._results):
            if isinstance(res, DesignError):
                for r in range(len(COMPARE_ROWS)):
                    t.setItem(r, c, _item("invalid" if r == 0 else "", right, NEGATIVE, tip=str(res)))
                continue
            for r, (key, label, unit) in enumerate(COMPARE_ROWS):
                value = res.values.get(key)
                text = fmt(value)
                color = None
                if c > 0:
                    if rows is not None:
                        d, pct = rows[r].deltas[c], rows[r].percents[c]
                    elif ref_ok and value is not None and self._results[0].values.get(key) is not None:
                        d = value - self._results[0].values[key]
                        pct = None
                    else:
                        d = pct = None
                    if d is not None:
                        text += f"\nΔ {fmt_delta(d)}" + (f" ({fmt_pct(pct)})" if pct is not None else "")
                        color = _merit_color(key, d)
                tip = ""
                if value is None:
                    from .results_sections import why_missing
                    tip = why_missing(key, self._entries[c][1], res.values)
                t.setItem(r, c, _item(text, right, color, bold=(c == 0), tip=tip))
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        t.resizeRowsToContents()

    def _update_ragone(self) -> None:
        """One Ragone curve per design that can be evaluated, named `tag: name` as in the table."""
        drawn, skipped = [], []
        for i, ((name, design, _path), res) in enumerate(zip(self._entries, self._results)):
            label = f"{tag(i)}: {name}"
            if isinstance(res, DesignError):
                skipped.append((label, f"it cannot be evaluated ({res.problems[0] if res.problems else res})"))
            else:
                drawn.append((label, design))
        self.ragone.set_designs(drawn, skipped)

    def _update_differences(self, *_):
        t = self.diff_table
        t.setRowCount(0)
        idx = self.other_combo.currentIndex() + 1
        comp = self.comparison(idx) if len(self._entries) > 1 else None
        if comp is None:
            self.diff_title.setText("")
            self.summary.setText("" if len(self._entries) < 2 else
                                 "A design that cannot be evaluated cannot be compared.")
            return
        self.diff_title.setText("Each difference put alone into the reference and evaluated "
                                "(one at a time), largest effect on the pouch cell's Wh/kg first.")
        if comp.identical:
            self.summary.setText("No differences: the designs are identical, every delta is 0.")
            return
        t.setRowCount(len(comp.attributions))
        right = Qt.AlignmentFlag.AlignRight
        for r, a in enumerate(comp.attributions):
            d = a.difference
            t.setItem(r, 0, _item(d.item))
            t.setItem(r, 1, _item(d.what))
            t.setItem(r, 2, _item(f"{d.ref_text} → {d.other_text}", tip=d.describe()))
            for j, k in enumerate(ATTRIBUTION_KEYS):
                if a.deltas is None:
                    t.setItem(r, 3 + j, _item("–", right, tip=a.error or ""))
                    continue
                v = a.deltas[k]
                t.setItem(r, 3 + j, _item(fmt_delta(v), right, _merit_color(k, v)))
        t.resizeRowsToContents()
        tot, s = comp.total["gravimetric_Wh_kg"], comp.sum_alone["gravimetric_Wh_kg"]
        self.summary.setText(f"Pouch cell Wh/kg: total difference {fmt_delta(tot)}, sum of the single effects "
                             f"{fmt_delta(s)}, interaction of the changes {fmt_delta(comp.interaction())}.")


class CompareDialog(QDialog):
    """Compare designs: add open files or presets, pick the reference, export a report."""

    def __init__(self, parent: QWidget | None = None, designs=()):
        super().__init__(parent)
        self.setWindowTitle("Compare designs")
        self.resize(1100, 720)
        self.compare_widget = CompareWidget(self)
        self.design_list = QListWidget(self)
        self.design_list.setObjectName("compareDesignList")
        self.design_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.design_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.design_list.setMaximumWidth(300)
        self.add_file_button = QPushButton("Add file…", self)
        self.add_preset_button = QToolButton(self)
        self.add_preset_button.setText("Add preset")
        self.add_preset_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_preset_button)
        for name in preset_names():
            act = menu.addAction(name)
            act.triggered.connect(lambda _=False, n=name: self.add_preset(n))
        self.add_preset_button.setMenu(menu)
        self.remove_button = QPushButton("Remove", self)
        self.reference_button = QPushButton("Make reference", self)
        self.export_button = QPushButton("Export report…", self)
        self.add_file_button.clicked.connect(self._on_add_file)
        self.remove_button.clicked.connect(lambda: self.compare_widget.remove_design(self.design_list.currentRow()))
        self.reference_button.clicked.connect(
            lambda: self.compare_widget.set_reference(self.design_list.currentRow()))
        self.export_button.clicked.connect(self._on_export)
        self.design_list.currentRowChanged.connect(self._update_buttons)
        self.compare_widget.sig_designs_changed.connect(self._sync_list)

        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Designs</b> (the first is the reference)", self))
        side.addWidget(self.design_list, 1)
        for w in (self.add_file_button, self.add_preset_button, self.remove_button, self.reference_button,
                  self.export_button):
            side.addWidget(w)
        self.add_preset_button.setSizePolicy(self.add_file_button.sizePolicy())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        main = QHBoxLayout()
        main.addLayout(side, 0)
        main.addWidget(self.compare_widget, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(main, 1)
        layout.addWidget(buttons)
        self.compare_widget.set_designs(list(designs))

    # ------------------------------------------------------------------ actions
    def add_file(self, path: str) -> bool:
        """Load a design file and add it; a bad file is reported, nothing is added."""
        try:
            design = load_design(path)
        except DesignError as e:
            QMessageBox.warning(self, "Compare designs", f"{Path(path).name} cannot be compared:\n\n"
                                + "\n".join(e.problems[:8]))
            return False
        self.compare_widget.add_design(design.name, design, str(path))
        return True

    def add_preset(self, name: str) -> None:
        design = load_preset(name)
        self.compare_widget.add_design(design.name, design, str(preset_path(name)))

    def export(self, out_path: str, page_size: str | None = None):
        """Write the comparison (or, with one design, its review) as PDF or HTML."""
        from .report import export_report
        entries = self.compare_widget.designs()
        parent = self.parent()  # the main window: its targets and level go into the report
        options = parent.report_options() if hasattr(parent, "report_options") else None
        return export_report([(d, p) for _, d, p in entries], out_path, page_size or default_page_size(),
                             options=options)

    def _on_add_file(self):
        paths, _ = QFileDialog.getOpenFileNames(self, "Add designs to the comparison", "",
                                                "Design files (*.json);;All files (*)")
        for p in paths:
            self.add_file(p)

    def _on_export(self):
        if not self.compare_widget.designs():
            return
        path, chosen = QFileDialog.getSaveFileName(self, "Export comparison report", "comparison.pdf",
                                                   "PDF (*.pdf);;HTML, one file (*.html)")
        if not path:
            return
        if Path(path).suffix.lower() not in (".pdf", ".html", ".htm"):
            path += ".html" if "html" in chosen.lower() else ".pdf"
        from PySide6.QtWidgets import QApplication
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.export(path)
        except (ValueError, OSError) as e:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Export report", f"The report could not be written:\n\n{e}")
            return
        QApplication.restoreOverrideCursor()

    def _sync_list(self):
        row = self.design_list.currentRow()
        self.design_list.clear()
        for i, (name, _, path) in enumerate(self.compare_widget.designs()):
            item = QListWidgetItem(f"{tag(i)}: {name}")
            item.setToolTip(path or "not saved to a file")
            self.design_list.addItem(item)
        if self.design_list.count():
            self.design_list.setCurrentRow(min(max(row, 0), self.design_list.count() - 1))
        self._update_buttons()

    def _update_buttons(self, *_):
        n = self.design_list.count()
        row = self.design_list.currentRow()
        self.remove_button.setEnabled(0 <= row < n)
        self.reference_button.setEnabled(0 < row < n)
        self.export_button.setEnabled(n > 0)
