"""gui.plots.items.PathCurve makes the path pyqtgraph's arrayToQPath makes (connect="finite"),
point for point, through its faster route for all-finite data and pyqtgraph's for gaps."""
import numpy as np
import pyqtgraph as pg

from gui.plots.items import PathCurve


def _elements(path):
    return [(path.elementAt(i).x, path.elementAt(i).y, path.elementAt(i).type)
            for i in range(path.elementCount())]


def test_path_curve_path_equals_pyqtgraph(qapp):
    rng = np.random.default_rng(0)
    curve = PathCurve(pg.mkPen("b"))
    checked = 0
    for n in (0, 1, 2, 3, 201, 1002):
        for gaps in (False, True):
            x = np.sort(rng.uniform(-1e3, 1e3, n))
            y = rng.normal(size=n) * 1e2
            if gaps and n > 3:
                y[n // 3] = np.nan
                x[n // 2] = np.inf
            curve.setData(x, y)
            ref = pg.arrayToQPath(x, y, connect="finite") if n else None
            got = _elements(curve.path())
            assert got == (_elements(ref) if ref is not None else []), (n, gaps)
            checked += len(got)
    assert checked > 2000
