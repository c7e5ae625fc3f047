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


def test_notes_whose_figures_change_in_a_drag_are_not_measured_again(plots_window, qtbot):
    """The results' source note and the layer editor's amount note are plain text copied from
    their context menus: in a drag of the cathode loading their figures change on every step,
    and they are measured again only when more than digits changed (a rich-text or selectable
    note was measured and laid out as a document on every step)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from gui.fence import wrap_key
    w = plots_window
    w.layer_stack.select_row(w.current_design().index_of("cathode"))
    qtbot.wait(30)
    notes = {"source": w.results.source_note, "amount": w.layer_editor.amount_note}
    counts, texts = {}, {k: [lab.text()] for k, lab in notes.items()}
    for k, lab in notes.items():
        assert lab.textFormat() == Qt.TextFormat.PlainText, k
        assert not (lab.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse), k
        fence = lab.parent()
        assert isinstance(fence, WrapFence), k
        counts[k] = []
        original = fence._needed_height
        fence._needed_height = lambda original=original, k=k: counts[k].append(1) or original()
    spin = w.layer_editor.amount_spin["loading_mg_cm2"]
    for i in range(12):
        before = w._result
        spin.setValue(24.0 + 0.071 * (i + 1))
        qtbot.waitUntil(lambda: w._result is not before, timeout=2000)
        qtbot.wait(5)
        for k, lab in notes.items():
            texts[k].append(lab.text())
    for k, seen in texts.items():
        changed = sum(a != b for a, b in zip(seen, seen[1:]))
        font = notes[k].font()
        other = sum(wrap_key(a, font) != wrap_key(b, font) for a, b in zip(seen, seen[1:]))
        assert changed >= 10, (k, seen)          # the figures did change on (nearly) every step
        assert len(counts[k]) <= other, (k, len(counts[k]), other)
        fence = notes[k].parent()
        assert fence.height() == notes[k].heightForWidth(fence.width()) or fence.sticky, k
    assert texts["source"][-1].startswith("Against the source")
    menu = w.results.source_note.copy_menu()
    menu.actions()[0].trigger()
    assert QApplication.clipboard().text() == w.results.source_note.text()


def test_a_right_click_leaves_no_menu_behind(qtbot):
    """The copy menu of a CopyLabel (and NumberLabel) and of a plot footer is deleted once
    closed: each right-click made a menu that stayed a child of the label."""
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    from gui.fence import CopyLabel, NumberLabel
    from gui.plots.common import LineText
    for widget in (CopyLabel("capacity 4.684 mAh/cm²"), NumberLabel("377"), LineText()):
        qtbot.addWidget(widget)
        widget.show()
        for _ in range(3):
            QTimer.singleShot(50, lambda: QApplication.activePopupWidget() and QApplication.activePopupWidget().close())
            QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(2, 2),
                                                             widget.mapToGlobal(QPoint(2, 2))))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert widget.findChildren(QMenu) == [], type(widget).__name__
