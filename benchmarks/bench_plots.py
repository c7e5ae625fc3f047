"""How long the plots panel takes to follow one edit (issue 15 target: median <= 16 ms with the
repaint, 4 plots + 60 x 60 map + goal seek shown).

    .venv/bin/python benchmarks/bench_plots.py [--edits 60] [--check]

Every figure is printed with its target beside it; the run exits 0 unless --check is given and
a target is missed (then 1).

Shows the panel offscreen at 1200 x 800 with its default view: 4 sensitivity panels (each a
core.sweep of its 201 plotted points and the lever's whole range, the needed values read off
it by core.goalseek), the 60 x 60
design map (60 core.sweep calls) and goal seek, all visible. Designs and their results are
computed before timing, as the main window hands them over. Reports `set_design` alone and
`set_design` plus the repaint that follows (processEvents), then a breakdown per widget."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # as main.py: no spinning BLAS threads
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

import core  # noqa: E402
from gui.plots import PlotsPanel  # noqa: E402


TARGET_MS = 16.0


def edits(design, n):
    """A user dragging spin boxes: separator, cathode loading and Li thickness in turn."""
    out = []
    for i in range(n):
        k = i % 3
        if k == 0:
            d = core.with_parameter(design, "separator.thickness_um", 20 + (i % 20) * 2.0)
        elif k == 1:
            d = core.with_parameter(design, "cathode.areal_capacity_mAh_cm2", 3.0 + (i % 15) * 0.2)
        else:
            name = "anode.thickness_um" if design.layer("anode") is not None else "separator.thickness_um"
            d = core.with_parameter(design, name, 30 + (i % 10) * 5.0)
        out.append((d, core.evaluate(d)))
    return out


def stats(ms):
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   max {max(ms):6.1f} ms"


def run(app, panel, design, n, label):
    work = edits(design, n + 5)
    for d, r in work[:5]:  # warm-up
        panel.set_design(d, r)
        app.processEvents()
    t_set, t_all = [], []
    for d, r in work[5:]:
        t0 = time.perf_counter()
        panel.set_design(d, r)
        t1 = time.perf_counter()
        app.processEvents()
        t2 = time.perf_counter()
        t_set.append((t1 - t0) * 1000)
        t_all.append((t2 - t0) * 1000)
    visible = [w.parameter.split(".")[-2] + "." + w.parameter.split(".")[-1]
               for w in panel.sensitivity_panels]
    if panel.tabs.currentWidget() is panel.stacking:
        shown = "parallel-vs-bipolar page (4 plots); sensitivity page hidden"
    else:
        shown = (f"{len(panel.sensitivity_panels)} sensitivity panels ({', '.join(visible)}) + "
                 f"{panel.design_map.x.size}x{panel.design_map.y.size} map + goal seek")
    print(f"\n{label}: {shown}, {n} edits")
    print(f"  set_design            {stats(t_set)}")
    ok = statistics.median(t_all) <= TARGET_MS
    print(f"  set_design + repaint  {stats(t_all)}   target: median <= {TARGET_MS:g} ms  "
          f"{'ok' if ok else 'MISSED'}")
    return t_set, t_all


def breakdown(panel, design, n=20):
    r = core.evaluate(design)
    s = panel.settings
    parts = {f"sensitivity panel ({w.parameter})": (lambda w=w: w.update_plot(design, r, s))
             for w in panel.sensitivity_panels}
    parts["design map 60x60"] = lambda: panel.design_map.update_plot(design, r, s)
    parts["design map 200x200 (on demand)"] = lambda: panel.design_map.update_plot(design, r, s, 200)
    parts["goal seek"] = lambda: panel.goal_seek.update_plot(design, r, s)
    parts["parallel vs bipolar (other tab)"] = lambda: panel.stacking.update_plot(design, r, s)
    parts["core.solve_for (one call; the plots no longer call it)"] = lambda: core.solve_for(design, "separator.thickness_um",
                                                                 "stack_gravimetric_Wh_kg", 400)
    print("\n  per widget (update_plot only, median of %d):" % n)
    for name, f in parts.items():
        ts = []
        for _ in range(n if "200x200" not in name else 5):
            t0 = time.perf_counter()
            f()
            ts.append((time.perf_counter() - t0) * 1000)
        print(f"    {name:48s} {statistics.median(ts):6.2f} ms")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=60)
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    panel = PlotsPanel()
    panel.resize(1200, 800)
    panel.show()
    app.processEvents()
    worst = 0.0
    for preset, label in ((core.DEFAULT_PRESET, "Review baseline (NMC811 | Li3InCl6 | Li)"),
                          ("review-li-s-baseline", "Li-S baseline")):
        d = core.load_preset(preset)
        _t_set, t_all = run(app, panel, d, args.edits, label)
        worst = max(worst, statistics.median(t_all))
        breakdown(panel, d)
    panel.tabs.setCurrentWidget(panel.stacking)
    app.processEvents()
    d = core.load_preset()
    run(app, panel, d, args.edits, "Parallel-vs-bipolar tab shown instead (review baseline)")
    ok = worst <= TARGET_MS
    print(f"\ntarget: plots panel median <= {TARGET_MS:g} ms per edit, repaint included: "
          f"{'met' if ok else 'MISSED'} (worst median {worst:.1f} ms, software rendering offscreen)")
    return 1 if (args.check and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
