"""The plots panel's tabs for the optional blocks (issues 10-13), registered by one hook in
panel.py: each widget has `update_plot(design, result, settings)` and is brought up to date
when its tab is shown, as every other plot of the panel."""
from __future__ import annotations

from .life import LifePlotsWidget
from .pressure import PressurePlotWidget
from .ragone import RagonePlotWidget
from .uncertainty import ConfidencePanel

TABS = (("life", "Lithium over life", LifePlotsWidget),
        ("pressure", "Stack pressure", PressurePlotWidget),
        ("ragone", "Ragone", RagonePlotWidget),
        ("confidence", "Confidence", ConfidencePanel))


def add_block_tabs(tabs) -> dict:
    """Add the tabs to a QTabWidget; returns {name: widget}."""
    out = {}
    for name, title, cls in TABS:
        w = cls()
        tabs.addTab(w, title)
        out[name] = w
    return out
