"""A design at the layer limit: how long it takes to open (core and the main window) and to edit.

Builds a unit cell with N layers (interlayers between the separator and the anode side),
then times `core.load_design`, `core.evaluate`, the main window opening it, and one field
edit of a layer reaching every view (the recompute included).

    .venv/bin/python benchmarks/bench_large.py [--layers 10000] [--no-gui]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import core  # noqa: E402


def big_design_dict(n_layers: int) -> dict:
    d = core.design_to_dict(core.load_preset())
    uc = d["unit_cell"]
    extra = n_layers - len(uc)
    inter = {"role": "interlayer", "material": "Li3InCl6", "thickness_um": 1}
    d["unit_cell"] = uc[:3] + [dict(inter) for _ in range(max(0, extra))] + uc[3:]
    return d


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=10000)
    ap.add_argument("--no-gui", action="store_true")
    args = ap.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ssb-bench-large-"))
    path = folder / "big.json"
    path.write_text(json.dumps(big_design_dict(args.layers), indent=2))
    print(f"{args.layers} layers, {path.stat().st_size / 1e6:.2f} MB")
    design, t = timed(lambda: core.load_design(path))
    print(f"core.load_design      {t * 1000:9.1f} ms")
    _, t = timed(lambda: core.evaluate(design))
    print(f"core.evaluate         {t * 1000:9.1f} ms")
    _, t = timed(lambda: core.save_design(design, folder / "copy.json"))
    print(f"core.save_design      {t * 1000:9.1f} ms")
    if args.no_gui:
        return 0
    from PySide6.QtWidgets import QApplication
    from gui import settings
    settings.use_folder(folder / "settings")
    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow
    w = MainWindow(recalc_delay_ms=0)
    w.resize(1366, 768)
    w.show()
    app.processEvents()

    def open_it():
        assert w.open_path(str(path), ask=False)
        for _ in range(5):
            app.processEvents()
    _, t = timed(open_it)
    print(f"window opens the file {t * 1000:9.1f} ms")
    times = []
    for k in range(3):
        def edit():
            layer = w.doc.design.unit_cell[5]
            assert w.controller.edit_layer(5, replace(layer, thickness_um=2.0 + k), "thickness")
            for _ in range(5):
                app.processEvents()
        _, t = timed(edit)
        times.append(t)
    print("one layer edit        " + "  ".join(f"{x * 1000:.1f}" for x in times) + " ms")
    w.recovery.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
