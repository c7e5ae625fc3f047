"""Design map values equal core.evaluate; every plot exports readable PNG, SVG and CSV."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QImage

import core
from gui.plots import PlotsPanel
from gui.plots.design_map import FULL_RESOLUTION, LIVE_RESOLUTION


@pytest.fixture
def shown(qtbot):
    p = PlotsPanel()
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    qtbot.waitExposed(p)
    d = core.load_preset()
    p.set_design(d, core.evaluate(d))
    return p, d


def _evaluate_at(design, p1, v1, p2, v2, key):
    return core.evaluate(core.with_parameter(core.with_parameter(design, p2, v2), p1, v1)).values[key]


@pytest.mark.parametrize("axes", [("cathode.areal_capacity_mAh_cm2", "separator.thickness_um"),
                                  ("stacking.unit_cells", "anode.np_ratio")])
def test_map_values_equal_evaluate(shown, axes):
    panel, d = shown
    m = panel.design_map
    m.set_parameters(*axes)
    key = panel.settings.key("Wh_kg")
    assert m.resolution == LIVE_RESOLUTION
    assert m.z[key].shape == (m.x.size, m.y.size)
    assert np.array_equal(m.image.image, m.z[key])
    rng = np.random.default_rng(1)
    for i, j in [(0, 0), (m.x.size - 1, m.y.size - 1)] + [tuple(rng.integers(0, (m.x.size, m.y.size)))
                                                          for _ in range(4)]:
        want = _evaluate_at(d, axes[0], m.x[i], axes[1], m.y[j], key)
        assert m.z[key][i, j] == pytest.approx(want, rel=1e-9)
    r = core.evaluate(d)
    mx, my = m.marker.getData()
    assert (mx[0], my[0]) == (pytest.approx(core.parameter_value(d, axes[0], r)),
                              pytest.approx(core.parameter_value(d, axes[1], r)))
    assert m.isos["Wh_kg"].level == panel.settings.target_Wh_kg
    assert m.isos["Wh_L"].level == panel.settings.target_Wh_L


def test_map_contour_sits_on_the_target(shown):
    """The 400 Wh/kg contour line lies where the model gives 400 Wh/kg, and the 1000 Wh/L one
    where it gives 1000 Wh/L (points along the drawn lines, evaluated by the core)."""
    panel, d = shown
    m = panel.design_map
    for metric, target in (("Wh_kg", panel.settings.target_Wh_kg), ("Wh_L", panel.settings.target_Wh_L)):
        xs, ys = m.isos[metric].getData()
        ok = np.isfinite(xs)
        assert ok.sum() > 5
        assert xs[ok].min() >= m.x[0] and xs[ok].max() <= m.x[-1]
        key = panel.settings.key(metric)
        for k in np.linspace(0, ok.sum() - 1, 7).astype(int):
            v = _evaluate_at(d, m.p1, xs[ok][k], m.p2, ys[ok][k], key)
            assert v == pytest.approx(target, rel=0.01)


def test_map_full_resolution_on_demand_and_live_on_edit(shown):
    panel, d = shown
    m = panel.design_map
    m.compute_full()
    assert m.resolution == FULL_RESOLUTION and m.x.size == FULL_RESOLUTION
    d2 = core.with_parameter(d, "separator.thickness_um", 40.0)
    panel.set_design(d2, core.evaluate(d2))
    assert m.resolution == LIVE_RESOLUTION and m.x.size == LIVE_RESOLUTION


def _check_png_svg(widget, tmp_path, stem):
    png, svg = tmp_path / f"{stem}.png", tmp_path / f"{stem}.svg"
    widget.export_png(png)
    img = QImage(str(png))
    assert not img.isNull() and img.width() > 100 and img.height() > 100
    widget.export_svg(svg)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert len(list(root.iter())) > 20


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_sensitivity_exports(shown, tmp_path):
    panel, d = shown
    w = panel.sensitivity_panels[1]  # separator thickness
    _check_png_svg(w, tmp_path, "sens")
    w.export_csv(tmp_path / "sens.csv")
    rows = _read_csv(tmp_path / "sens.csv")
    assert rows[0] == ["Separator thickness (µm)", "Stack Wh/kg (Wh/kg)", "Stack Wh/L (Wh/L)"]
    x, y = w.curves["Wh_kg"].getData()
    assert len(rows) - 1 == x.size
    data = np.array(rows[1:], dtype=float)
    assert data[:, 0] == pytest.approx(x)
    assert data[:, 1] == pytest.approx(core.sweep(d, "separator.thickness_um", x)["stack_gravimetric_Wh_kg"])


def test_map_and_stacking_exports(shown, tmp_path):
    panel, _d = shown
    m = panel.design_map
    _check_png_svg(m, tmp_path, "map")
    m.export_csv(tmp_path / "map.csv")
    rows = _read_csv(tmp_path / "map.csv")
    assert rows[0][:2] == ["Cathode areal capacity (mAh/cm²)", "Separator thickness (µm)"]
    assert rows[0][2:] == ["Stack Wh/kg (Wh/kg)", "Stack Wh/L (Wh/L)", "Materials cost (USD/kWh)"]
    assert len(rows) - 1 == m.x.size * m.y.size
    panel.tabs.setCurrentWidget(panel.stacking)
    st = panel.stacking
    _check_png_svg(st, tmp_path, "stack")
    st.export_csv(tmp_path / "stack.csv")
    rows = _read_csv(tmp_path / "stack.csv")
    assert rows[0][0] == "Unit cells (count)" and "parallel voltage (V)" in rows[0]
    assert len(rows) - 1 == st.data["bipolar"]["x"].size
    assert [int(r[0]) for r in rows[1:4]] == [1, 2, 3]


def test_map_refuses_two_amounts_of_one_electrode(shown):
    panel, _d = shown
    m = panel.design_map
    m.set_parameters("cathode.loading_mg_cm2", "cathode.areal_capacity_mAh_cm2")
    assert "cathode" in m.footer.text() and m.z == {}
    m.set_parameters("cathode.areal_capacity_mAh_cm2", "cathode.areal_capacity_mAh_cm2")
    assert "two different" in m.footer.text()
    m.set_parameters("cathode.areal_capacity_mAh_cm2", "separator.thickness_um")
    assert m.z and np.isfinite(m.z[panel.settings.key("Wh_kg")]).all()
