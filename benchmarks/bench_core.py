#!/usr/bin/env python3
"""Benchmark of the core model: `python benchmarks/bench_core.py [--preset NAME] [--check]`.

Prints, each beside its target (issue 10): one `evaluate` (median of many, us) of the same
design object again, of a new design object with the same records (what the app makes on an
edit to e.g. the name) and of a design one edit away (a new separator layer: the checks of
that layer and the model run again), each < 100 us; a 1000-point sweep (< 1 ms, and >= 20x
faster than 1000 evaluate(with_parameter(...)) calls); a 200 x 200 design map (figure only).
Exit status 0; with --check, 1 when a target is missed."""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import core  # noqa: E402
from core import model  # noqa: E402


def timed(fn, repeat: int) -> float:
    """Median wall time of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default=core.DEFAULT_PRESET)
    ap.add_argument("--quick", action="store_true", help="fewer repeats (for a smoke test)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    design = core.load_preset(args.preset)
    rep = 200 if args.quick else 3000
    p1, p2 = "cathode.loading_mg_cm2", "separator.thickness_um"
    x1000 = np.geomspace(1, 100, 1000)
    v1, v2 = np.geomspace(2, 60, 200), np.geomspace(5, 200, 200)

    for _ in range(50):  # warm up caches (material library, literature tables)
        core.evaluate(design)
        core.sweep(design, p1, x1000)

    t_eval = timed(lambda: core.evaluate(design), rep)
    t_eval_nv = timed(lambda: core.evaluate(design, validate=False), rep)
    # new design objects: every evaluate sees a record it has not seen before
    fresh = iter([dataclasses.replace(design) for _ in range(rep + 1)])
    t_fresh = timed(lambda: core.evaluate(next(fresh)), rep)
    i_sep = design.index_of("separator")
    sep = design.unit_cell[i_sep]
    edited = iter([design.replace_layer(i_sep, dataclasses.replace(sep, thickness_um=sep.thickness_um * (1 + k * 1e-6)))
                   for k in range(rep + 1)])
    t_edit = timed(lambda: core.evaluate(next(edited)), rep)
    t_sweep = timed(lambda: core.sweep(design, p1, x1000), 20 if args.quick else 200)

    def loop():
        for v in x1000:
            core.evaluate(core.with_parameter(design, p1, v))
    t_loop = timed(loop, 1 if args.quick else 3)

    def map_by_sweeps():
        z = np.empty((v2.size, v1.size))
        for j, b in enumerate(v2):
            z[j] = core.sweep(core.with_parameter(design, p2, b), p1, v1)["stack_gravimetric_Wh_kg"]
        return z
    t_map = timed(map_by_sweeps, 3 if args.quick else 15)

    sweep2 = getattr(model, "sweep2", None)
    t_map2 = None
    if sweep2 is not None:
        z_ref = map_by_sweeps()
        z2 = sweep2(design, p1, v1, p2, v2)["stack_gravimetric_Wh_kg"]
        assert np.allclose(z2, z_ref, rtol=1e-12), "sweep2 disagrees with the row-by-row map"
        t_map2 = timed(lambda: sweep2(design, p1, v1, p2, v2), 3 if args.quick else 30)

    ratio = t_loop / t_sweep
    print(f"design: {design.name}")
    rows = [("evaluate, the same design again (us)", t_eval * 1e6, 100.0),
            ("evaluate, a new design object, same records (us)", t_fresh * 1e6, 100.0),
            ("evaluate, a design one edit away (new separator) (us)", t_edit * 1e6, 100.0),
            ("evaluate(validate=False), same design (us)", t_eval_nv * 1e6, None),
            ("sweep, 1000 points (ms)", t_sweep * 1e3, 1.0),
            ("1000 x evaluate(with_parameter) (ms)", t_loop * 1e3, None),
            ("200 x 200 map, 200 sweeps (ms)", t_map * 1e3, None)]
    if t_map2 is not None:
        rows.append(("200 x 200 map, sweep2 (ms)", t_map2 * 1e3, None))
    ok = True
    for label, v, tgt in rows:
        if tgt is None:
            print(f"{label:<56} {v:9.3f}")
            continue
        met = v < tgt
        ok = ok and met
        print(f"{label:<56} {v:9.3f}   target < {tgt:g}  {'met' if met else 'MISSED'}")
    met = ratio >= 20
    ok = ok and met
    print(f"{'sweep speed-up over the evaluate loop (x)':<56} {ratio:9.0f}   target >= 20  {'met' if met else 'MISSED'}")
    print("targets:", "met" if ok else "MISSED")
    return 1 if (args.check and not ok) else 0

if __name__ == "__main__":
    sys.exit(main())
