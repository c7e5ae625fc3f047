"""The command line: evaluate, sweep, presets, new (report is added by gui.report)."""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
import warnings

import numpy as np

from . import __version__
from .design import DesignError
from .io import atomic_write_text, design_json, load_design
from .model import (BREAKDOWN_LABELS, FORMAT_KEYS, NUMERIC_KEYS, PARAMETERS, RESULT_LABELS,
                    UNCERTAIN_KEYS, evaluate, monte_carlo, sweep)
from .model.uncertainty import LABEL as CONFIDENCE_LABEL, MAX_SAMPLES
from .presets import load_preset, preset_names


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CliError(f"{self.prog}: {message}")


def _fmt(v, nd=4) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if v == 0:
            return "0"
        return f"{v:.{nd}g}" if abs(v) < 1e5 else f"{v:.0f}"
    return str(v)


def result_table(design, result) -> str:
    v = result.values
    rows = [
        ("", "unit cell", "stack", "pouch cell"),
        ("Gravimetric (Wh/kg)", v["unit_cell_gravimetric_Wh_kg"], v["stack_gravimetric_Wh_kg"], v["gravimetric_Wh_kg"]),
        ("Volumetric (Wh/L)", v["unit_cell_volumetric_Wh_L"], v["stack_volumetric_Wh_L"], v["volumetric_Wh_L"]),
        ("Voltage (V)", v["unit_cell_voltage_V"], v["stack_voltage_V"], v["voltage_V"]),
        ("Mass", f"{_fmt(v['unit_cell_mass_mg_cm2'])} mg/cm²", f"{_fmt(v['stack_mass_g'])} g", f"{_fmt(v['mass_g'])} g"),
        ("Thickness", f"{_fmt(v['unit_cell_thickness_um'])} µm", f"{_fmt(v['stack_thickness_mm'])} mm",
         f"{_fmt(v['thickness_mm'])} mm"),
    ]
    out = [f"{design.name}", ""]
    w0 = max(len(str(r[0])) for r in rows)
    for r in rows:
        out.append(f"{r[0]:<{w0}}  " + "  ".join(f"{_fmt(c) if not isinstance(c, str) else c:>14}" for c in r[1:]))
    if design.fixture is not None:
        out.append(f"{'System (pouch + fixture share)':<{w0}}  {_fmt(v['system_gravimetric_Wh_kg']):>14} Wh/kg"
                   f"  {_fmt(v['system_volumetric_Wh_L']):>10} Wh/L")
    out += ["",
            f"Capacity {_fmt(v['capacity_Ah'])} Ah, energy {_fmt(v['energy_Wh'])} Wh, "
            f"areal capacity {_fmt(v['areal_capacity_mAh_cm2'])} mAh/cm², N/P {_fmt(v['np_ratio'], 3)}, "
            f"volume {_fmt(v['volume_cm3'])} cm³ ({design.packaging.volume_basis} basis, {design.volume_state})",
            f"Both states: pouch {_fmt(v['volumetric_Wh_L_discharged'])} Wh/L discharged, "
            f"{_fmt(v['volumetric_Wh_L_charged'])} Wh/L charged; stack {_fmt(v['stack_volumetric_Wh_L_discharged'])}"
            f" / {_fmt(v['stack_volumetric_Wh_L_charged'])} Wh/L",
            "",
            "Lithium over life: reversible capacity "
            f"{_fmt(v['reversible_areal_capacity_mAh_cm2'])} mAh/cm², formation loss "
            f"{_fmt(v['formation_loss_mAh_cm2'])} mAh/cm², cycle life "
            + (f"{_fmt(v['cycle_life'])} cycles" if v["cycle_life"] is not None else
               "unbounded (Coulombic efficiency 100 %: no lithium is lost)"
               if (design.lithium is None or design.lithium.coulombic_efficiency >= 1) else
               "none (no lithium cycles)")
            + (f", Li foil for {design.lithium.cycle_target} cycles {_fmt(v['required_li_foil_um'])} µm"
               if design.lithium is not None and design.lithium.cycle_target and v["required_li_foil_um"] is not None else ""),
            f"Rate (ohmic estimate only) at {_fmt(v['c_rate'])} C: ASR {_fmt(v['asr_ohm_cm2'])} Ω·cm², "
            f"{_fmt(v['current_density_mA_cm2'])} mA/cm², {_fmt(v['voltage_at_rate_V'])} V, "
            f"{_fmt(v['gravimetric_Wh_kg_at_rate'])} Wh/kg; 10 % drop at "
            + (f"{_fmt(v['c_rate_at_10pct_drop'])} C" if v["c_rate_at_10pct_drop"] is not None else "no known resistance"),
            f"Materials cost (materials only): {_fmt(v['materials_cost_USD'])} USD per cell, "
            + (f"{_fmt(v['cost_USD_kWh'])} USD/kWh" if v["cost_USD_kWh"] is not None else "no energy"),
            ]
    if design.fixture is not None:
        out.append(f"Fixture: {_fmt(v['fixture_plate_thickness_mm'])} mm {design.fixture.plate_material} plates, "
                   f"{_fmt(v['fixture_clamp_force_kN'])} kN, {_fmt(v['fixture_mass_g'])} g per cell "
                   f"({design.fixture.cells_per_fixture} per fixture)")
    out += ["", "Breakdown              mass g   share   volume cm³   cost USD"]
    for b in result.breakdown:
        share = b.mass_g / v["mass_g"] * 100 if v["mass_g"] else 0
        out.append(f"  {BREAKDOWN_LABELS[b.item]:<20} {b.mass_g:8.3f}  {share:5.1f} %  {b.volume_cm3:9.3f}"
                   f"  {b.cost_USD:9.3f}")
    if result.warnings:
        out += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    return "\n".join(out)


def finite_json(obj) -> str:
    """JSON with no NaN or Infinity (they become null)."""
    def clean(o):
        if isinstance(o, float) and not math.isfinite(o):
            return None
        if isinstance(o, dict):
            return {k: clean(x) for k, x in o.items()}
        if isinstance(o, (list, tuple)):
            return [clean(x) for x in o]
        return o
    return json.dumps(clean(obj), indent=2, allow_nan=False, ensure_ascii=False)


def _cmd_evaluate(args) -> int:
    design = load_design(args.file)
    result = evaluate(design)
    if args.json:
        d = result.to_dict() if args.all_keys else {k: result.to_dict()[k] for k in (*FORMAT_KEYS, "breakdown", "warnings")}
        print(finite_json(d))
    else:
        print(result_table(design, result))
    return 0


def _check_output(output: str) -> None:
    """-o names a file in a folder that exists (never a folder, never a temp file's name)."""
    if os.path.isdir(output):
        raise CliError(f"-o/--output: {output} is a folder; give a file name")
    parent = os.path.dirname(output) or "."
    if not os.path.isdir(parent):
        raise CliError(f"-o/--output: folder {parent} does not exist")


def _cmd_sweep(args) -> int:
    design = load_design(args.file)
    if args.param not in PARAMETERS:
        raise CliError(f"--param: unknown parameter {args.param!r}; known: {', '.join(PARAMETERS)}")
    if args.points < 1 or args.points > 1_000_000:
        raise CliError(f"--points: must be from 1 to 1000000, got {args.points}")
    for name in ("from_", "to"):
        if not math.isfinite(getattr(args, name)):
            raise CliError(f"--{name.rstrip('_')}: must be a finite number")
    values = np.linspace(args.from_, args.to, args.points)
    if PARAMETERS[args.param].integer:
        values = np.unique(np.round(values))
    # overflow or underflow at extreme values is refused below, not printed as numpy warnings
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = sweep(design, args.param, values)
        base = evaluate(design).values
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    keys = [k for k in NUMERIC_KEYS if not np.all(np.isnan(res[k]))]
    _refuse_non_finite(args, values, res, keys, base)
    w.writerow([args.param] + keys)
    for i, x in enumerate(values):
        # an empty cell: the value does not exist there (a cycle life at CE 100 %, no fixture)
        w.writerow([f"{x:.10g}"] + [f"{res[k][i]:.10g}" if math.isfinite(res[k][i]) else "" for k in keys])
    if args.output:
        _check_output(args.output)
        atomic_write_text(args.output, buf.getvalue())
        print(f"wrote {len(values)} points to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(buf.getvalue())
    return 0


def _refuse_non_finite(args, values, res, keys, base) -> None:
    """A sweep whose results are not all finite numbers (an overflow near 1e308, a
    denormal input) is refused naming the parameter, the first bad point and the range
    the parameter is meant for: the CSV never holds inf or nan."""
    # unbounded at some points by nature (CE 100 %, no resistance): an empty cell there
    unbounded = {"cycles_at_full_capacity", "cycle_life", "c_rate_at_10pct_drop", "required_li_foil_um"}
    applicable = [k for k in NUMERIC_KEYS if isinstance(base.get(k), (int, float))
                  and math.isfinite(base[k]) and k not in unbounded]
    for i, x in enumerate(values):
        bad = [k for k in applicable if k in keys and not math.isfinite(float(res[k][i]))]
        bad += [k for k in applicable if k not in keys]
        if bad:
            p = PARAMETERS[args.param]
            unit = f" {p.unit}" if p.unit else ""
            raise CliError(f"--from/--to: {args.param} = {x:.6g} gives a result that is not a finite "
                           f"number ({bad[0]}); choose values the model can compute, e.g. within "
                           f"{p.lo:g} to {p.hi:g}{unit}")


def _cmd_presets(args) -> int:
    for name in preset_names():
        d = load_preset(name)
        print(f"{name:40s} {d.name}")
    return 0


def _cmd_new(args) -> int:
    design = load_preset(args.preset)
    _check_output(args.output)
    atomic_write_text(args.output, design_json(design))
    print(f"wrote {args.output} from preset {args.preset}", file=sys.stderr)
    return 0


def uncertainty_table(design, u) -> str:
    """P5 / P50 / P95 of every result in UNCERTAIN_KEYS, then the tornado of each result."""
    out = [f"{design.name}: {u.samples} samples, seed {u.seed}, "
           f"{len(design.tolerances)} tolerance{'s' if len(design.tolerances) != 1 else ''}"]
    if not design.tolerances:
        out.append("No tolerances in this design: every sample is the nominal design.")
    out += ["", f"{'result':<36} {'nominal':>10} {'P5':>10} {'P50':>10} {'P95':>10}"]
    for k in UNCERTAIN_KEYS:
        label, unit = RESULT_LABELS.get(k, (k, ""))
        name = f"{label} ({unit})" if unit else label
        p5, p50, p95 = u.percentiles[k]
        out.append(f"{name[:36]:<36} {_fmt(u.nominal.get(k)):>10} {_fmt(_num(p5)):>10} "
                   f"{_fmt(_num(p50)):>10} {_fmt(_num(p95)):>10}")
    clipped = {p: n for p, n in u.clipped.items() if n}
    if clipped:
        out += ["", "Samples cut to the valid range: " + ", ".join(f"{p} {n}" for p, n in clipped.items())]
    if design.tolerances:
        out += ["", "Tornado (each tolerance alone at its 5th and 95th percentile, largest swing first):"]
        for k in UNCERTAIN_KEYS:
            rows = u.tornado.get(k) or []
            if not rows:
                continue
            label, unit = RESULT_LABELS.get(k, (k, ""))
            out.append(f"  {label} ({unit})" if unit else f"  {label}")
            for r in rows:
                out.append(f"    {r['parameter']:<36} {_fmt(r['low_value']):>10} -> {_fmt(r['result_at_low']):>10}"
                           f"   {_fmt(r['high_value']):>10} -> {_fmt(r['result_at_high']):>10}"
                           f"   swing {_fmt(r['swing'])}")
    out += ["", CONFIDENCE_LABEL]
    return "\n".join(out)


def _num(v):
    return float(v) if v is not None and math.isfinite(v) else None


def _cmd_uncertainty(args) -> int:
    if not 1 <= args.samples <= MAX_SAMPLES:
        raise CliError(f"--samples: must be from 1 to {MAX_SAMPLES}, got {args.samples}")
    if args.seed < 0:
        raise CliError(f"--seed: must be a whole number >= 0, got {args.seed}")
    design = load_design(args.file)
    u = monte_carlo(design, args.samples, args.seed)
    if args.json:
        print(finite_json(u.to_dict()))
    else:
        print(uncertainty_table(design, u))
    return 0


def build_parser(prog: str = "python main.py") -> argparse.ArgumentParser:
    """The command line's parser; `prog` is how the user invoked it (main.py passes it)."""
    p = _Parser(prog=prog, description="SSB Pouch Designer: energy density of "
                "all-solid-state pouch cells. With no command, opens the app (optionally on FILE).",
                epilog=f"{prog} [FILE] opens the app (on FILE); {prog} COMMAND --help explains a command.")
    p.add_argument("--version", action="version", version=f"SSB Pouch Designer {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    e = sub.add_parser("evaluate", help="evaluate a design file")
    e.add_argument("file")
    e.add_argument("--json", action="store_true", help="print the result object of docs/FORMAT.md as JSON")
    e.add_argument("--all-keys", action="store_true", help="with --json: add unit-cell and stack extras")
    e.set_defaults(func=_cmd_evaluate)
    s = sub.add_parser("sweep", help="sweep one parameter, print or write CSV")
    s.add_argument("file")
    s.add_argument("--param", required=True, help="one of: " + ", ".join(PARAMETERS))
    s.add_argument("--from", dest="from_", type=float, required=True)
    s.add_argument("--to", type=float, required=True)
    s.add_argument("--points", type=int, default=50)
    s.add_argument("-o", "--output")
    s.set_defaults(func=_cmd_sweep)
    pr = sub.add_parser("presets", help="list the built-in presets")
    pr.set_defaults(func=_cmd_presets)
    n = sub.add_parser("new", help="write a new design file from a preset")
    n.add_argument("--preset", required=True)
    n.add_argument("-o", "--output", required=True)
    n.set_defaults(func=_cmd_new)
    u = sub.add_parser("uncertainty", help="Monte-Carlo over the design's tolerances: P5/P50/P95 and tornado")
    u.add_argument("file")
    u.add_argument("--samples", type=int, default=10_000, help="number of sampled designs (default 10000)")
    u.add_argument("--seed", type=int, default=0, help="random seed (default 0): the same seed gives the same numbers")
    u.add_argument("--json", action="store_true", help="print percentiles and tornado as JSON")
    u.set_defaults(func=_cmd_uncertainty)
    return p


COMMANDS = ("evaluate", "sweep", "presets", "new", "uncertainty", "report")


def run(argv: list[str], extra_commands: dict | None = None, prog: str = "python main.py") -> int:
    """Run a command; returns the exit status. User errors: one line on stderr, status 2."""
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate in a design's text: no traceback
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass
    parser = build_parser(prog)
    for name, install in (extra_commands or {}).items():
        install(parser._subparsers._group_actions[0])
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            raise CliError("no command given")
        return args.func(args)
    except (CliError, DesignError) as e:
        print(_one_line(f"error: {e}"), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as e:
        print(_one_line(f"error: {getattr(e, 'filename', '') or ''}: {e.strerror or e}".replace(": : ", ": ")),
              file=sys.stderr)
        return 2


def _one_line(message: str) -> str:
    """An error message as one line: line breaks and other control characters escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message)
