#!/usr/bin/env python3
"""Benchmark of the core model: `python benchmarks/bench_core.py [--preset NAME]`.

Prints the time of one evaluate (median of many, us), a 1000-point sweep (ms), a 200 x 200
design map (ms) and how much faster the sweep is than 1000 evaluate(with_parameter(...)) calls.
Targets (BRIEF): evaluate well under 300 us; sweep under 10 ms and >= 20x faster than the loop.
Exit status 1 if a target is missed (so CI can run it as a check)."""
from __future__ import annotations

import argparse
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
    print(f"evaluate (validated)        {t_eval * 1e6:8.1f} us  (median of {rep})")
    print(f"evaluate (validate=False)   {t_eval_nv * 1e6:8.1f} us")
    print(f"sweep, 1000 points          {t_sweep * 1e3:8.3f} ms")
    print(f"1000 x evaluate(with_parameter) {t_loop * 1e3:6.1f} ms  -> sweep is {ratio:.0f}x faster")
    print(f"200 x 200 map, 200 sweeps   {t_map * 1e3:8.1f} ms")
    if t_map2 is not None:
        print(f"200 x 200 map, sweep2       {t_map2 * 1e3:8.1f} ms")
    ok = t_eval < 300e-6 and t_sweep < 10e-3 and ratio >= 20
    print("targets (evaluate < 300 us, sweep < 10 ms, >= 20x):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
