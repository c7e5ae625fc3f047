"""WrapFence: a new text that differs only in digits keeps the lines it had and is not
measured again; any other change is measured, and the holder always has the height the
label's text needs."""
import random

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.fence import WrapFence, tabular_digits


@pytest.fixture
def holder(qtbot):
    top = QWidget()
    lay = QVBoxLayout(top)
    label = QLabel()
    label.setWordWrap(True)
    fence = WrapFence(label)
    lay.addWidget(fence)
    top.resize(260, 400)
    qtbot.addWidget(top)
    top.show()
    qtbot.waitExposed(top)
    calls = []
    original = fence._needed_height
    fence._needed_height = lambda: calls.append(label.text()) or original()
    yield label, fence, calls
    top.close()   # (top held here: the widgets live until the test ends)


def _set(label, text):
    label.setText(text)
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def test_digits_only_change_is_not_measured_again(holder):
    label, fence, calls = holder
    assert tabular_digits(label.font()), "the test needs a font with digits of one width"
    _set(label, "Unit cell per cm² of cathode: capacity 4.684 mAh/cm² · energy 17.80 mWh/cm²")
    assert len(calls) == 1
    _set(label, "Unit cell per cm² of cathode: capacity 5.913 mAh/cm² · energy 22.07 mWh/cm²")
    assert len(calls) == 1, "only digits changed: the same lines"
    _set(label, "Unit cell per cm² of cathode: capacity 5.91 mAh/cm² · energy 122.07 mWh/cm²")
    assert len(calls) == 2, "a digit became a space / the text grew: measured"
    _set(label, "Unit cell per cm² of cathode: capacity 5.91 mAh/cm² · energy 122.07 mWh/cmX")
    assert len(calls) == 3, "a letter changed: measured"


def test_rich_or_selectable_labels_are_measured_on_every_change(holder):
    """A rich-text or selectable label keeps a text document that lays itself out when painted
    unless measured first (and then asks for a second paint of the window): measured."""
    from PySide6.QtCore import Qt
    label, fence, calls = holder
    _set(label, "<b>Against the source:</b><ul><li>400 Wh/kg</li></ul>")
    n = len(calls)
    _set(label, "<b>Against the source:</b><ul><li>401 Wh/kg</li></ul>")
    assert len(calls) == n + 1, "rich text: measured"
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    _set(label, "capacity 4.684 mAh/cm²")
    n = len(calls)
    _set(label, "capacity 5.913 mAh/cm²")
    assert len(calls) == n + 1, "selectable: measured"


def test_height_always_fits_the_text(holder):
    label, fence, calls = holder
    rng = random.Random(7)
    words = ["capacity", "energy", "mass", "thickness", "·", "mAh/cm²", "µm"]
    for _ in range(60):
        n = rng.randint(3, 30)
        text = " ".join(rng.choice(words) if rng.random() < 0.6 else f"{rng.uniform(0, 10 ** rng.randint(0, 4)):.{rng.randint(0, 3)}f}"
                        for _ in range(n))
        _set(label, text)
        assert fence.height() == label.heightForWidth(fence.width()), text


def test_unit_cell_line_is_plain_and_copied_from_its_menu(plots_window, qtbot):
    """The results' unit-cell line is plain text, copied from its context menu (not selectable:
    Qt would keep it as a document laid out on every paint)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    w = plots_window
    line = w.results.unit_cell_line
    assert not (line.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse)
    menu = line.copy_menu()
    menu.actions()[0].trigger()
    assert QApplication.clipboard().text() == line.text()
    assert "per cm² of cathode" in line.text()
