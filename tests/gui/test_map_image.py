"""gui.plots.items.MapImage: the design map's image is kept in a format drawn directly (issue
15) and shows the same colours as pyqtgraph's ImageItem, opaque cells and NaN cells alike."""
import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from gui.plots.items import MapImage


def _drawn(item, shape):
    """The item's image drawn 1:1 onto white, as RGBA bytes."""
    item.render()
    out = QImage(shape[0], shape[1], QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(0xFFFFFFFF)
    p = QPainter(out)
    p.drawImage(QRectF(0, 0, shape[0], shape[1]), item.qimage)
    p.end()
    out = out.convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(out.constBits(), np.uint8).reshape(shape[1], out.bytesPerLine())[:, :4 * shape[0]].reshape(shape[1], shape[0], 4).copy()


@pytest.mark.parametrize("with_nan", [False, True])
def test_map_image_same_colours_as_image_item(qapp, with_nan):
    rng = np.random.default_rng(3)
    z = rng.uniform(300, 450, size=(37, 23))
    if with_nan:
        z[rng.integers(0, 37, 40), rng.integers(0, 23, 40)] = np.nan
    cmap = pg.colormap.get("viridis")
    items = []
    for cls in (pg.ImageItem, MapImage):
        it = cls(axisOrder="col-major")
        it.setLookupTable(cmap.getLookupTable(nPts=256))
        it.setImage(z, autoLevels=False, levels=(300, 450))
        items.append(it)
    ref, fast = (_drawn(it, z.shape) for it in items)
    assert items[1].qimage.format() == (QImage.Format.Format_ARGB32_Premultiplied if with_nan
                                        else QImage.Format.Format_RGB32)
    assert items[0].qimage.format() != items[1].qimage.format()   # (the conversion was made)
    np.testing.assert_array_equal(fast, ref)
    if with_nan:   # the NaN cells stay see-through: the white beneath shows
        i, j = np.argwhere(np.isnan(z))[0]
        assert tuple(fast[j, i]) == (255, 255, 255, 255)
