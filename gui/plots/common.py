"""Shared pieces of the plots panel: levels, targets, default levers by chemistry, parameter
ranges and labels, the literature overlay data, and PNG / SVG / CSV export."""
from __future__ import annotations

import csv
import errno
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QToolButton, QMenu, QWidget

import core
from core import literature
from core.io import atomic_write_bytes, atomic_write_text
from core.model import PARAMETERS, RESULT_LABELS, Solution

# --------------------------------------------------------------------------- look
KG_COLOR = "#1f5fa8"      # Wh/kg: blue, solid, left axis
L_COLOR = "#c8551a"       # Wh/L: orange, dashed, right axis
LIT_COLOR = "#3f7f35"     # literature overlay: green
DESIGN_EDGE = "#000000"
PARALLEL_COLOR = "#1f5fa8"
BIPOLAR_COLOR = "#c8551a"
BACKGROUND = "w"
FOREGROUND = "#202020"


def pen(color, width=2.0, style=Qt.PenStyle.SolidLine):
    p = pg.mkPen(color, width=width, style=style)
    p.setCosmetic(True)
    return p


def style_axes(plot: pg.PlotItem, names=("left", "bottom", "right", "top")):
    """Dark text and lines on the white background (per item: no global pyqtgraph config)."""
    for name in names:
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(FOREGROUND))
        ax.setTextPen(pg.mkPen(FOREGROUND))
        ax.enableAutoSIPrefix(False)  # units are in the titles; no "(x0.001)" scaling


_INLINE_COLOR = re.compile(r"color:\s*(#[0-9a-fA-F]{3,8})")


def readable_on_dark(color: str) -> str:
    """A colour picked for a light background, lightened enough to read on a dark one."""
    col = QColor(color)
    h, s, lightness, a = col.getHslF()
    if lightness < 0.66:
        col.setHslF(max(h, 0.0), s, 0.66, a)
    return col.name()


class ThemedLabel(QLabel):
    """A rich-text label whose inline colours (chosen for a light background: the plots are
    drawn on white) are lightened when the window's palette is dark, and re-rendered when
    the user switches theme, so coloured notes and legends stay readable in both."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self._raw = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._raw = text
        super().setText(self._themed(text))

    def _themed(self, text: str) -> str:
        if self.palette().color(QPalette.ColorRole.Window).lightness() >= 128:
            return text
        return _INLINE_COLOR.sub(lambda m: "color:" + readable_on_dark(m.group(1)), text)

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            super().setText(self._themed(self._raw))


def set_axis_label(plot: pg.PlotItem, name: str, text: str, color: str | None = None):
    """Set an axis title only when it changes: setLabel re-lays the plot out (and repaints)."""
    ax = plot.getAxis(name)
    key = (text, color)
    if getattr(ax, "_ssb_label", None) != key:
        ax._ssb_label = key
        ax.setLabel(text, **({"color": color} if color else {}))


# --------------------------------------------------------------------------- levels and targets
@dataclass(frozen=True)
class Level:
    name: str
    label: str
    gravimetric: str
    volumetric: str


LEVELS = {
    "unit_cell": Level("unit_cell", "Unit cell", "unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L"),
    "stack": Level("stack", "Stack", "stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L"),
    "pouch": Level("pouch", "Pouch cell", "gravimetric_Wh_kg", "volumetric_Wh_L"),
}
DEFAULT_LEVEL = "stack"
METRICS = ("Wh_kg", "Wh_L")
METRIC_UNITS = {"Wh_kg": "Wh/kg", "Wh_L": "Wh/L"}
METRIC_COLORS = {"Wh_kg": KG_COLOR, "Wh_L": L_COLOR}


@dataclass(frozen=True)
class PlotSettings:
    """What every plot shows: the level and the user's targets (None: target off)."""
    level: str = DEFAULT_LEVEL
    target_Wh_kg: float | None = 400.0
    target_Wh_L: float | None = 1000.0

    def key(self, metric: str) -> str:
        lv = LEVELS[self.level]
        return lv.gravimetric if metric == "Wh_kg" else lv.volumetric

    def target(self, metric: str) -> float | None:
        return self.target_Wh_kg if metric == "Wh_kg" else self.target_Wh_L


def result_label(key: str) -> str:
    """'Stack Wh/kg' style label for a result key."""
    return RESULT_LABELS.get(key, (key, ""))[0]


def result_unit(key: str) -> str:
    return RESULT_LABELS.get(key, (key, ""))[1]


# --------------------------------------------------------------------------- chemistry
def _active_material(layer, lib):
    best, best_q = None, -1.0
    for c in layer.component_list():
        m = lib.get(c.material)
        if m is None:
            continue
        q = c.mass_fraction * m.specific_capacity_mAh_g
        if q > best_q:
            best, best_q = m, q
    return best


def chemistry(design: core.Design) -> str:
    """'anode_free', 'conversion' (S / Li2S / TiS2-type cathode), 'li_metal' or 'li_ion'."""
    lib = design.library()
    cathode = design.layer("cathode")
    anode = design.layer("anode")
    if anode is None:
        return "anode_free"
    act = _active_material(cathode, lib) if cathode is not None else None
    if act is not None and (not act.lithiated or act.specific_capacity_mAh_g >= 500):
        return "conversion"
    an = [lib[c.material] for c in anode.component_list() if c.material in lib]
    an = [m for m in an if m.is_active]
    if an and all(m.is_li_metal for m in an):
        return "li_metal"
    return "li_ion"


CHEMISTRY_LABELS = {"anode_free": "anode-free", "conversion": "conversion (Li-S) cathode",
                    "li_metal": "Li-metal anode", "li_ion": "Li-ion anode"}

DEFAULT_PANELS = {
    "li_metal": ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um", "anode.thickness_um",
                 "anode.np_ratio"),
    "conversion": ("cathode.active_fraction", "cathode.loading_mg_cm2", "cathode.areal_capacity_mAh_cm2",
                   "separator.thickness_um"),
    "li_ion": ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um", "anode.np_ratio"),
    "anode_free": ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um", "stacking.unit_cells"),
}
DEFAULT_MAP = ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um")


def default_parameters(design: core.Design) -> list[str]:
    """The levers worth a panel for this design's chemistry (MODEL.md), where they apply."""
    avail = core.available_parameters(design)
    out = [p for p in DEFAULT_PANELS[chemistry(design)] if p in avail]
    if not out:  # a design where none applies still gets something useful
        out = [p for p in ("separator.thickness_um", "stacking.unit_cells") if p in avail]
    return out


def default_targets(design: core.Design) -> tuple[float, float]:
    """(Wh/kg, Wh/L) research targets: 500 Wh/kg for Li-S, 400 Wh/kg and 1000 Wh/L otherwise."""
    if chemistry(design) == "conversion":
        return 500.0, 1000.0
    return 400.0, 1000.0


# --------------------------------------------------------------------------- ranges and grids
BASE_RANGES = {
    "cathode.loading_mg_cm2": (2.0, 60.0),
    "cathode.areal_capacity_mAh_cm2": (0.5, 10.0),
    "cathode.thickness_um": (10.0, 300.0),
    "cathode.active_fraction": (0.2, 0.95),
    "cathode.density_g_cm3": (1.0, 5.0),
    "separator.thickness_um": (5.0, 150.0),
    "anode.thickness_um": (5.0, 200.0),
    "anode.np_ratio": (0.2, 4.0),
    "positive_collector.thickness_um": (2.0, 30.0),
    "negative_collector.thickness_um": (2.0, 30.0),
    "stacking.unit_cells": (1.0, 40.0),
    "electrode.width_mm": (20.0, 300.0),
}
CONVERSION_RANGES = {
    "cathode.loading_mg_cm2": (1.0, 25.0),
    "cathode.areal_capacity_mAh_cm2": (0.5, 15.0),
}
N_POINTS = 201


def bicell(design: core.Design) -> bool:
    st = design.stacking
    return st.type == "parallel" and st.collector_sharing == "bicell"


def default_range(name: str, design: core.Design, current: float | None) -> tuple[float, float]:
    """A plotting range for a parameter that holds the design's value with room on both sides."""
    p = PARAMETERS[name]
    lo, hi = BASE_RANGES.get(name, (p.lo, p.hi))
    if chemistry(design) == "conversion":
        lo, hi = CONVERSION_RANGES.get(name, (lo, hi))
    if current is not None and math.isfinite(current) and current > 0:
        lo = min(lo, current / 1.5)
        hi = max(hi, current * 1.5)
    lo, hi = max(lo, p.lo), min(hi, p.hi)
    if name == "cathode.active_fraction":
        hi = min(hi, 1.0)
    if p.integer:
        lo, hi = float(max(1, math.floor(lo))), float(math.ceil(hi))
        if name == "stacking.unit_cells" and current is not None:
            hi = max(hi, 2 * current)
    return lo, hi


def value_grid(name: str, lo: float, hi: float, design: core.Design, n: int = N_POINTS) -> np.ndarray:
    """Sample points for a sweep: n evenly spaced values, or the whole numbers (even ones for
    bicell stacking) for an integer parameter."""
    p = PARAMETERS[name]
    if p.integer:
        step = 2 if (name == "stacking.unit_cells" and bicell(design)) else 1
        start = max(step, int(math.ceil(lo / step)) * step)
        x = np.arange(start, int(math.floor(hi)) + 1, step, dtype=float)
        if x.size > n:  # keep it cheap for huge ranges
            x = np.unique(np.round(np.linspace(x[0], x[-1], n) / step) * step)
        return x if x.size else np.array([float(start)])
    return np.linspace(lo, hi, n)


def parameter_label(name: str, design: core.Design | None = None) -> str:
    """Short name of a lever, e.g. 'S content' or 'Li foil thickness'."""
    p = PARAMETERS[name]
    if design is not None:
        lib = design.library()
        if name == "cathode.active_fraction" and design.layer("cathode") is not None:
            act = _active_material(design.layer("cathode"), lib)
            if act is not None:
                return f"{act.name} content"
        if name == "anode.thickness_um" and design.layer("anode") is not None:
            anode = design.layer("anode")
            if anode.material == "Li":
                return "Li foil thickness"
    return p.label


def parameter_unit(name: str) -> str:
    p = PARAMETERS[name]
    if name == "anode.np_ratio":
        return "anode/cathode capacity"
    if name == "stacking.unit_cells":
        return "count"
    return p.unit


def axis_label(name: str, design: core.Design | None = None) -> str:
    """Axis title with its unit in parentheses (dimensionless levers say what they count)."""
    return f"{parameter_label(name, design)} ({parameter_unit(name)})"


def html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def fmt(v: float | None, digits: int = 3) -> str:
    if v is None or not math.isfinite(v):
        return "–"
    if abs(v) >= 10 ** digits:
        return f"{v:.0f}"
    return f"{v:.{digits}g}"


def apply_value(solution: Solution) -> float:
    """The value the goal seek applies: the solution rounded to 4 significant digits on the
    side that still meets the target (>= rounds up, <= rounds down)."""
    p = PARAMETERS[solution.parameter]
    v = float(solution.value)
    if p.integer:
        return float(round(v))
    if v == 0:
        return v
    scale = 10.0 ** (math.floor(math.log10(abs(v))) - 3)
    q = v / scale
    q = math.ceil(q - 1e-9) if solution.at_least else math.floor(q + 1e-9)
    out = float(f"{q * scale:.12g}")
    out = min(max(out, p.lo), p.hi)
    if solution.parameter == "cathode.active_fraction":
        out = min(out, 1.0)
    return out


def needed_value_text(solution: Solution) -> str:
    """'≥ 4.45 mAh/cm²': the side of the crossing that meets the target (a reachable solution)."""
    p = PARAMETERS[solution.parameter]
    unit = "" if p.unit in ("", "mass fraction") else f" {p.unit}"
    return f"{'≥' if solution.at_least else '≤'} {fmt(solution.value)}{unit}"


def solution_text(solution: Solution, design: core.Design | None = None) -> str:
    """'Li foil thickness ≤ 38 µm for 400 Wh/kg': the needed value in the words and signs the
    plots use (the lever named as on its axis for this design)."""
    _label, runit = RESULT_LABELS.get(solution.result_key, (solution.result_key, ""))
    return (f"{parameter_label(solution.parameter, design)} {needed_value_text(solution)} "
            f"for {solution.target:g} {runit}").rstrip()


def short_solution(solution: Solution, design: core.Design | None = None) -> str:
    """One line for a panel footer: solution_text() when reachable, else the first clause
    of the reason ('400 Wh/kg is out of reach by separator thickness alone')."""
    if solution.ok:
        return solution_text(solution, design)
    reason = solution.reason
    if ": " not in reason:
        return reason
    head = reason.split(": ")[0]
    m = re.search(r" is (at most|at least) (\S+) (\S+)", reason)
    return f"{head} ({m.group(1)} {m.group(2)} {m.group(3)})" if m else head


# --------------------------------------------------------------------------- literature
def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


@dataclass(frozen=True)
class LitPoint:
    x: float
    label: str
    tooltip: str


@dataclass(frozen=True)
class LitSpan:
    lo: float
    hi: float
    label: str
    tooltip: str


def literature_electrodes() -> list[LitPoint]:
    """Positive-electrode areal capacities reported for solid-state cells (electrodes.csv)."""
    try:
        rows = literature.table("electrodes")
    except (OSError, KeyError):
        return []
    out = []
    for r in rows:
        if r.get("side") != "positive":
            continue
        q = _num(r.get("areal_capacity_mAh_cm2"))
        if q is None:
            continue
        bits = [f"{r.get('material', '?')}: {q:g} mAh/cm²"]
        j, cyc, t = (_num(r.get(k)) for k in ("current_density_mA_cm2", "cycles", "temperature_C"))
        if j is not None:
            bits.append(f"at {j:g} mA/cm²")
        if cyc is not None:
            bits.append(f"{cyc:g} cycles")
        if t is not None:
            bits.append(f"{t:g} °C")
        tip = ", ".join(bits) + "\n" + literature.citation(r.get("source_ref", ""))
        out.append(LitPoint(q, str(r.get("material", "")), tip))
    return out


def literature_membranes() -> list[LitSpan]:
    """Thin SSE membranes (membranes.csv): thickness range of each, min = max for one value."""
    try:
        rows = literature.table("membranes")
    except (OSError, KeyError):
        return []
    out = []
    for r in rows:
        lo, hi = _num(r.get("thickness_min_um")), _num(r.get("thickness_max_um"))
        if lo is None and hi is None:
            continue
        lo = hi if lo is None else lo
        hi = lo if hi is None else hi
        lo, hi = min(lo, hi), max(lo, hi)
        sigma, t = _num(r.get("conductivity_S_cm")), _num(r.get("temperature_C"))
        thick = f"{lo:g} µm" if lo == hi else f"{lo:g}–{hi:g} µm"
        bits = [f"{r.get('electrolyte', '?')} ({r.get('binder_or_solvent', '')}): {thick}"]
        if sigma is not None:
            bits.append(f"{sigma:.2g} S/cm" + (f" at {t:g} °C" if t is not None else ""))
        if r.get("method"):
            bits.append(str(r["method"]))
        tip = ", ".join(bits) + "\n" + literature.citation(r.get("source_ref", ""))
        out.append(LitSpan(lo, hi, str(r.get("electrolyte", "")), tip))
    return out


LITERATURE_AXES = {"cathode.areal_capacity_mAh_cm2": "electrodes", "separator.thickness_um": "membranes"}


# --------------------------------------------------------------------------- export
def export_png(widget: pg.GraphicsView, path, scale: float = 2.0) -> Path:
    """Render a pyqtgraph view (the whole scene) to PNG at `scale` x its on-screen size."""
    path = Path(path)
    ex = ImageExporter(widget.scene())
    params = ex.parameters()
    w = max(int(widget.width() * scale), 200)
    params["width"] = w
    image = ex.export(toBytes=True)  # then written atomically, every step checked
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if image is None or image.isNull() or not image.save(buf, "PNG"):
        raise OSError(errno.EIO, "the image could not be rendered", str(path))
    buf.close()
    atomic_write_bytes(path, bytes(data.data()))
    return path


def export_svg(widget: pg.GraphicsView, path, title: str = "SSB Pouch Designer plot") -> Path:
    """Render a pyqtgraph view (the whole scene) to SVG, vector paths and text.

    Drawn through QSvgGenerator: pyqtgraph 0.14's SVGExporter fails under Qt 6.12 on every
    clipped ViewBox (Qt now closes the clip path with "Z", which its path parser rejects)."""
    path = Path(path)
    view = widget.viewport().rect()
    source = widget.mapToScene(view).boundingRect()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(view.width(), view.height()))
    gen.setViewBox(QRectF(0, 0, view.width(), view.height()))
    gen.setResolution(widget.logicalDpiX())  # pyqtgraph replays QPictures: same DPI or they scale
    gen.setTitle(title)
    gen.setDescription("Exported from SSB Pouch Designer")
    painter = QPainter()
    if not painter.begin(gen):
        raise OSError(errno.EIO, "the SVG could not be started", str(path))
    try:
        target = QRectF(0, 0, view.width(), view.height())
        painter.fillRect(target, QColor("white"))
        widget.scene().render(painter, target, source)
    finally:
        ended = painter.end()
    # the generator points at the buffer: it goes first (Python would free them in any order)
    del painter, gen
    buf.close()
    svg = bytes(data.data())
    del buf
    if not ended or not svg.rstrip().endswith(b"</svg>"):
        raise OSError(errno.EIO, "the SVG could not be rendered", str(path))
    atomic_write_bytes(path, svg)  # a full disk raises and leaves any earlier file intact
    return path


def write_csv(path, headers: list[str], rows) -> Path:
    """A plain CSV: one header row (names with units), then the rows; blanks for no value."""
    path = Path(path)
    fh = io.StringIO(newline="")
    w = csv.writer(fh)
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if (v is None or (isinstance(v, float) and not math.isfinite(v)))
                    else (f"{v:.10g}" if isinstance(v, float) else v) for v in row])
    atomic_write_text(path, fh.getvalue())  # written whole or not at all
    return path


def make_export_button(owner: QWidget, title: str, text: str = "Export") -> QToolButton:
    """A tool button whose menu has PNG / SVG / CSV entries that call owner.export_png /
    export_svg / export_csv after a file dialog. Owners may add entries to `button.menu()`."""
    btn = QToolButton(owner)
    btn.setText(text)
    btn.setToolTip(f"Save {title} as PNG or SVG, or its data as CSV")
    btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    btn.setAutoRaise(True)
    menu = QMenu(btn)
    stem = "".join(c if c.isalnum() else "_" for c in title.lower()).strip("_") or "plot"
    for text, ext, method in (("Save image (PNG)…", "png", "export_png"),
                              ("Save vector image (SVG)…", "svg", "export_svg"),
                              ("Save data (CSV)…", "csv", "export_csv")):
        def run(_=False, ext=ext, method=method, text=text):
            path, _f = QFileDialog.getSaveFileName(owner, text.rstrip("…"), f"{stem}.{ext}",
                                                   f"{ext.upper()} files (*.{ext})")
            if not path:
                return
            try:
                getattr(owner, method)(path)
            except OSError as e:
                QMessageBox.warning(owner, "Export failed", f"Could not write {path}:\n{e}")
        act = menu.addAction(text, run)
        act.setObjectName(f"export_{ext}")
    btn.setMenu(menu)
    return btn
