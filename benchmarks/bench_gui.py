"""How long an edit takes to reach every view of the main window (target: < 50 ms).

Each sample: one user-level edit (a spin box value, a combo choice, a layer added, an undo),
then the event loop runs until the single-shot recompute timer has fired, core.evaluate
has run, every view has been updated and the window has repainted. Measured with the app's
recompute delay (what a user sees, debounce included) and, if that is not 0, with delay 0
(the work itself).

    .venv/bin/python benchmarks/bench_gui.py [--samples 40]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from gui import settings  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--plots", action="store_true",
                    help="with the Sensitivity plots tab shown (4 plots live) instead of the cross-section")
    args = ap.parse_args(argv)
    settings.use_folder(tempfile.mkdtemp(prefix="ssb-bench-settings-"))
    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow, apply_theme
    apply_theme(app, False)

    paints = {"n": 0}

    def run(delay_ms: int) -> dict[str, list[float]]:
        w = MainWindow(recalc_delay_ms=delay_ms)
        w.resize(1366, 768)
        w.show()
        for _ in range(20):
            app.processEvents()
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QGraphicsView

        class PaintCounter(QObject):
            def eventFilter(self, obj, ev):  # noqa: N802 - Qt override
                if ev.type() == QEvent.Type.Paint:
                    paints["n"] += 1
                return False
        if args.plots:
            w.panels.setCurrentWidget(w.plots)
            for _ in range(20):
                app.processEvents()
            watched = w.plots.findChildren(QGraphicsView)[-1].viewport()  # the last plot repaints last
        else:
            watched = w.cross_section
        counter = PaintCounter(w)
        watched.installEventFilter(counter)
        done = {"n": 0}
        w.sig_result_changed.connect(lambda d, r: done.__setitem__("n", done["n"] + 1))

        def settle(before_results: int, before_paints: int) -> None:
            deadline = time.perf_counter() + 2.0
            while (done["n"] == before_results or paints["n"] == before_paints) \
                    and time.perf_counter() < deadline:
                app.processEvents()
            app.processEvents()

        ed, st, ce = w.layer_editor, w.stacking_editor, w.cell_editor
        stack = w.layer_stack

        def spin(sb, a, b):
            return lambda i: sb.setValue(a if i % 2 == 0 else b)

        def select(row):
            stack.select_row(row)
            for _ in range(3):
                app.processEvents()

        kinds = {
            "cathode loading (spin box)": (1, spin(ed.amount_spin["loading_mg_cm2"], 28.0, 26.0)),
            "separator thickness (spin box)": (2, spin(ed.film_thickness, 20.0, 30.0)),
            "mass fraction (rescales others)": (1, lambda i: ed._rows[0].spin.setValue(80.0 + (i % 5))),
            "unit cells (stacking)": (None, spin(st.count, 10, 20)),
            "parallel <-> bipolar": (None, lambda i: st.type_combo.setCurrentIndex((i + 1) % 2)),
            "laminate thickness": (None, spin(ce.lam_t, 150.0, 113.0)),
            "add / remove interlayer": (3, lambda i: stack.change_add("interlayer") if i % 2 == 0
                                        else (stack.select_row(4), stack.change_remove())),
            "apply_parameter (plots API)": (None, lambda i: w.apply_parameter("anode.thickness_um",
                                                                              20.0 + i % 7)),
            "undo": (None, lambda i: w.undo_stack.undo()),
        }
        out: dict[str, list[float]] = {}
        for name, (row, edit) in kinds.items():
            if row is not None:
                select(row)
            times = []
            for i in range(args.samples):
                if name == "undo" and w.undo_stack.index() == 0:
                    break
                w.controller.seal()
                r0, p0 = done["n"], paints["n"]
                t0 = time.perf_counter()
                edit(i)
                settle(r0, p0)
                times.append((time.perf_counter() - t0) * 1000.0)
                if row is not None and stack.current_row() != row and name != "add / remove interlayer":
                    select(row)
            out[name] = times
        w.undo_stack.setClean()
        w.close()
        return out

    print(f"SSB Pouch Designer GUI benchmark: edit -> all views updated and repainted "
          f"({args.samples} samples per kind, Qt platform {app.platformName()}, "
          f"{'sensitivity plots' if args.plots else 'cross-section'} tab shown)")
    worst = 0.0
    default = settings.recalc_delay_ms()
    for delay in sorted({default, 0}, reverse=True):
        res = run(delay)
        label = f"recompute delay {delay} ms" + (" (app default)" if delay == default else " (work only)")
        print(f"\n{label}")
        print(f"  {'edit kind':36s} {'median ms':>10s} {'max ms':>8s}")
        for name, times in res.items():
            if not times:
                continue
            med, mx = statistics.median(times), max(times)
            worst = max(worst, mx)
            print(f"  {name:36s} {med:10.1f} {mx:8.1f}")
    print(f"\nworst single edit: {worst:.1f} ms (target < 50 ms): {'OK' if worst < 50 else 'TOO SLOW'}")
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
