"""The Qt binding must not leak references to None / True / False.

PySide6 6.12.0 under Python 3.11 drops a reference to None on every void call (and to
True/False on signal emission); None's count then reaches zero after a few dozen edits and
the app aborts ("none_dealloc"). requirements.txt keeps PySide6 < 6.12 on Python < 3.12.
"""
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


_KEEP = []  # references handed back to None/True if the binding leaked them (keeps the run alive)


class _Emitter(QObject):
    sig = Signal(object)


def test_void_calls_and_signals_keep_reference_counts(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    e = _Emitter()
    e.sig.connect(lambda _v: None)
    n0, t0 = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(30):
        label.setText("x")
        label.update()
        e.sig.emit(1)
    dn, dt = sys.getrefcount(None) - n0, sys.getrefcount(True) - t0
    _KEEP.extend([None] * max(0, -dn) + [True] * max(0, -dt))
    # immortal objects (Python >= 3.12) report a fixed count; otherwise there is no drift
    assert dn > -10, f"the Qt binding leaks references to None ({dn} after 60 calls): PySide6 6.12.0 on 3.11?"
    assert dt > -10, f"the Qt binding leaks references to True ({dt} after 30 emits)"
