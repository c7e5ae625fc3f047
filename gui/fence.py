"""Holders that keep a changing label's re-layouts to themselves (issue 15).

A QLabel given a new text asks its parent to lay out again, and every layout that runs asks
its own parent in turn, up to the window: with a label per figure that changes on every
edit, the whole window was laid out again on every edit. A label in one of these holders
asks the holder only, which has no layout: the holder sizes itself to the label and tells
its own layout only when that size changes.

- `Fence(widget, height)`: a fixed height (the plots' footers).
- `WrapFence(label)`: a word-wrapping label at the height its text needs for the width the
  holder is given; a new text of the same height lays nothing out, and a new text that
  differs from the last measured one only in digits (a figure changed, its number of digits
  not) is not measured again when Qt paints it as plain text: the label's font has digits of
  one width, so every line breaks where it did.
- `NumberLabel`: a one-line figure that keeps the size of its text (no holder needed).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtGui import Qt as _GuiQt   # (Qt.mightBeRichText lives in QtGui)
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QSizePolicy, QWidget


class Fence(QWidget):
    """Holds one widget at a fixed height; nothing the widget asks for is laid out above."""

    def __init__(self, child: QWidget, height: int, parent=None):
        super().__init__(parent)
        self.child = child
        child.setParent(self)
        child.setGeometry(0, 0, 1, height)   # (sized by the holder: never by its own size hint)
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, self.height())

    def resizeEvent(self, ev):  # noqa: N802 - Qt override
        super().resizeEvent(ev)
        self.child.setGeometry(self.rect())


_DIGITS_TO_0 = str.maketrans("123456789", "000000000")
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
_TABULAR: dict[str, bool] = {}   # font key -> its digits are of one width


def wrap_key(text: str, font: QFont) -> str:
    """What decides where `text` wraps in `font`, but for its digits when they are all of
    one width there (a figure changed, its number of digits not: the same lines)."""
    return text.translate(_DIGITS_TO_0) if tabular_digits(font) else text


def tabular_digits(font: QFont) -> bool:
    """True when the digits 0-9 have one advance in `font`."""
    key = font.key()
    ok = _TABULAR.get(key)
    if ok is None:
        metrics = QFontMetricsF(font)
        ok = _TABULAR[key] = len({metrics.horizontalAdvance(d) for d in "0123456789"}) == 1
    return ok


class WrapFence(QWidget):
    """Holds one (word-wrapping) label at the height its text needs for the holder's width.
    Shown and hidden with the label (`label.setVisible` works as before).

    `sticky`: the holder grows with its text but does not shrink back (until `release()` or
    a new width), so that a note that comes and goes while a value is dragged does not move
    everything below it up and down on every step."""

    def __init__(self, label: QLabel, parent=None, sticky: bool = False):
        super().__init__(parent)
        self.sticky = sticky
        self.label = label
        label.setParent(self)
        # sized by the holder only: a child of a widget with no layout that is shown before
        # it was ever resized takes its own size hint (one line of text)
        label.setGeometry(0, 0, 1, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        if label.isHidden():   # (showing it here, with no parent yet, would open a window)
            self.hide()
        label.installEventFilter(self)
        self._fit()

    def _needed_height(self) -> int:
        lab = self.label
        self._measured = (lab.text(), self.width(), lab.font().key())
        h = lab.heightForWidth(self.width()) if lab.hasHeightForWidth() else -1
        return h if h >= 0 else lab.sizeHint().height()

    def _same_lines(self) -> bool:
        """True when the label's text breaks into the same lines as the text last measured, at
        the same width and font: only digits changed, each to a digit, in a plain-text label
        that is not selectable, in a font whose digits are all of one width.
        (A measure of a wrapped label costs a text layout, on every edit for a note with
        figures in it.)"""
        measured = getattr(self, "_measured", None)
        if measured is None:
            return False
        old, width, font_key = measured
        lab = self.label
        new = lab.text()
        if len(new) != len(old) or width != self.width():
            return False
        if new == old:
            return font_key == lab.font().key()
        # only a label Qt paints as plain text, in its one font: a rich-text or selectable one
        # keeps a text document that lays itself out when painted unless measured first, and
        # then asks for a second paint of the window
        if lab.textFormat() == Qt.TextFormat.RichText or lab.textInteractionFlags() & _SELECTABLE or (
                lab.textFormat() == Qt.TextFormat.AutoText and _GuiQt.mightBeRichText(new)):
            return False
        font = lab.font()   # (wrap_key keeps the digits where they are not all of one width)
        return font_key == font.key() and wrap_key(old, font) == wrap_key(new, font)

    def release(self) -> None:
        """A sticky holder takes the height its text needs now, smaller or not."""
        self._fit(shrink=True)

    def _fit(self, shrink: bool = False) -> None:
        h = self._needed_height()
        if self.sticky and not shrink and self.isVisible():
            h = max(h, self.maximumHeight() if self.maximumHeight() < 16777215 else 0)
        if self.minimumHeight() != h or self.maximumHeight() != h:
            self.setFixedHeight(h)   # a new height: the holder's layout runs (as it must)
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.label.sizeHint().width(), self.maximumHeight())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.label.minimumSizeHint().width(), self.maximumHeight())

    def event(self, ev):  # noqa: N802 - Qt override
        # (getattr: Qt may send events while the holder is being made or taken apart)
        if ev.type() == QEvent.Type.LayoutRequest and getattr(self, "label", None) is not None:
            if not self._same_lines():
                self._fit()   # the label's text (or font) changed
            return True
        return super().event(ev)

    def resizeEvent(self, ev):  # noqa: N802 - Qt override
        super().resizeEvent(ev)
        if getattr(self, "label", None) is None:
            return
        self.label.setGeometry(self.rect())
        if ev.size().width() != ev.oldSize().width():
            self._fit(shrink=True)

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt override
        kind = ev.type()
        if obj is not getattr(self, "label", None):
            return False
        if kind in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self.setVisible(not obj.isHidden())
        elif kind in (QEvent.Type.Show, QEvent.Type.Resize) and obj.geometry() != self.rect():
            obj.setGeometry(self.rect())   # the label fills its holder, whatever resized it
        return False


def settle_layouts(rounds: int = 4) -> None:
    """Run the layouts the views' updates asked for now, before the window repaints: a
    label whose text grew re-lays its column out, which (in a scroll area) resizes the column,
    which asks again. Settled here, the window paints once per edit instead of once per round."""
    for _ in range(rounds):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


class CopyMenu:
    """For a QLabel: its context menu copies its text. In place of selection with the mouse,
    which makes Qt keep the text as a document laid out again on every paint (and measured
    again on every change) for a label whose figures change with every edit."""

    def copy_menu(self) -> QMenu:
        menu = QMenu(self)
        act = menu.addAction(f"Copy “{self.text()}”")
        act.triggered.connect(lambda: QApplication.clipboard().setText(self.text()))
        return menu

    def contextMenuEvent(self, ev):  # noqa: N802 - Qt override
        menu = self.copy_menu()
        menu.exec(ev.globalPos())
        menu.deleteLater()   # (a child of the label: one left behind per right-click otherwise)


class CopyLabel(CopyMenu, QLabel):
    """A plain-text QLabel copied from its context menu (see CopyMenu): what the menu copies
    is what it shows, and a WrapFence around it does not measure again a text whose digits
    alone changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)


class NumberLabel(CopyMenu, QLabel):
    """A figure that changes with every edit. It keeps the size of its text: a new text of
    the same size (the usual case, digits being of one width) repaints the label and nothing
    else, where a QLabel would have its parents' layouts, up to the window's, run again on
    every change; a text of another size re-sizes it (and lays its column out).

    In a grid it needs the cell's alignment (`ALIGN`), as it does not stretch to the cell.
    Its context menu copies the figure. (Mouse-selectable text is not used: a selectable
    label lays its text out as a document when painted, and then asks for a second paint.)"""

    ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

    def __init__(self, text: str = "", parent=None):
        self._advance = None
        super().__init__(text, parent)
        self.setAlignment(self.ALIGN)
        self._pin()

    def _pin(self) -> None:
        # the width of the text in the label's font decides its size (one line of plain
        # text): a new text as wide as the last keeps the size (QLabel's own size hint costs
        # a text layout, ten times more)
        self._advance = self.fontMetrics().horizontalAdvance(self.text())
        hint = self.sizeHint()
        if self.minimumSize() != hint or self.maximumSize() != hint:
            self.setFixedSize(hint)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        if text == self.text():
            return
        super().setText(text)   # pinned: no layout is asked to run again
        if self.fontMetrics().horizontalAdvance(text) != self._advance:
            self._pin()         # a text of another width: re-sized

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if self._advance is not None and ev.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._pin()
