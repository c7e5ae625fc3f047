"""An adversarial harness (issue 17): fuzzed design files in-process, a few hundred command
lines through the real entry point, and kill -9 during saves and during report exports.

Every input must end in one of the promised outcomes: accepted (and then what the app
writes reads back the same), or refused with ONE printable line naming the field; the
command line exits 0 or 2 with no traceback and never writes inf/nan; a killed save or
export always leaves the target complete (the old file or the new one).

The counts of each run are printed (pytest -s) and kept in the module's COUNTS. The sizes
are chosen so the whole file runs in about a minute on a 2-core machine; set
SSB_ADVERSARIAL_SCALE=5 (or more) for a longer hunt.
"""
from __future__ import annotations

import concurrent.futures
import copy
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

import core
from core.design import DesignError
from core.io import parse_design_text

ROOT = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("SSB_ADVERSARIAL_SCALE", "1"))
COUNTS: dict[str, Counter] = {}

WILD_VALUES = [None, True, False, 0, -1, -0.0, 1e-320, 5e-324, 1e308, 1.7e308, 10 ** 400, 2 ** 63,
               0.5, 1.0, 3, 1e6, "", "x", "a\nb", "\ud800", "\x00", "é" * 50, "NaN", [], [1, 2],
               {}, {"a": 1}, [[[[[]]]]]]


def base_dicts() -> list[dict]:
    return [core.design_to_dict(core.load_preset(n)) for n in core.preset_names()]


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _parent(obj, path):
    for p in path[:-1]:
        obj = obj[p]
    return obj


def mutate(d: dict, rng: random.Random) -> dict:
    d = copy.deepcopy(d)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        paths = [p for p in _paths(d) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent = _parent(d, path)
        key = path[-1]
        op = rng.random()
        if op < 0.25 and isinstance(parent, dict):
            del parent[key]
        elif op < 0.7:
            parent[key] = copy.deepcopy(rng.choice(WILD_VALUES))
        elif op < 0.8 and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
            parent[key] = parent[key] * rng.choice((-1, 0, 1e-9, 1e9, 1e300, 1.0000001))
        elif op < 0.87 and isinstance(parent, dict):
            parent[rng.choice(("extra", "unknown_key", "note", str(key) + "\n"))] = rng.choice(WILD_VALUES)
        elif op < 0.94 and "unit_cell" in d and isinstance(d["unit_cell"], list) and d["unit_cell"]:
            uc = d["unit_cell"]
            i = rng.randrange(len(uc))
            uc.insert(rng.randrange(len(uc) + 1), copy.deepcopy(uc[i]))
        else:
            if isinstance(d.get("unit_cell"), list):
                rng.shuffle(d["unit_cell"])
    return d


def to_text(d, rng: random.Random) -> str:
    text = json.dumps(d, ensure_ascii=rng.random() < 0.5, indent=rng.choice((None, 1)))
    r = rng.random()
    if r < 0.04:
        text = text[: rng.randrange(len(text) + 1)]  # truncated
    elif r < 0.07:
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(("{", "}", "]", ",", '"', "\\", "\x00", "NaN", "1e999")) + text[i + 1:]
    elif r < 0.08:
        text = "[" * 100_000 + "]" * 100_000
    elif r < 0.09:
        text = "\ufeff" + text
    return text


def check_refusal(e: DesignError) -> None:
    msg = str(e)
    assert msg and msg.isprintable(), repr(msg)
    assert all(p.isprintable() for p in e.problems), e.problems
    assert ":" in msg.split(" ")[0] or msg.startswith(("file:", "format:", "schema_version:")) or ": " in msg


def test_fuzzed_design_files_in_process(tmp_path):
    """Fuzzed files through the parser; accepted ones are evaluated, saved and read back."""
    rng = random.Random(17)
    bases = base_dicts()
    n = int(2000 * SCALE)
    counts = Counter()
    out = tmp_path / "roundtrip.json"
    for _ in range(n):
        text = to_text(mutate(rng.choice(bases), rng), rng)
        try:
            design = parse_design_text(text, "fuzz.json")
        except DesignError as e:
            check_refusal(e)
            counts["refused with one line"] += 1
            continue
        counts["accepted"] += 1
        try:
            core.evaluate(design)
        except DesignError as e:
            check_refusal(e)
            counts["accepted, evaluation refused with one line"] += 1
        core.save_design(design, out)
        again = core.load_design(out)
        assert core.design_to_dict(again) == core.design_to_dict(design), "what is written reads back"
        counts["saved and read back"] += 1
    counts["inputs"] = n
    COUNTS["in-process fuzz"] = counts
    print("\nin-process fuzz:", dict(counts))
    assert counts["accepted"] > 50 and counts["refused with one line"] > 500


# ---------------------------------------------------------------- command line
def _cli(args, cwd):
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                       cwd=cwd, timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    return args, p.returncode, p.stdout, p.stderr


def _cli_cases(tmp_path: Path, rng: random.Random, n: int) -> list[list[str]]:
    bases = base_dicts()
    params = list(core.PARAMETERS)
    cases = []
    for i in range(n):
        f = tmp_path / f"in{i}.json"
        r = rng.random()
        fuzzed = rng.random() < (0.7 if r < 0.45 else 0.3)  # sweeps mostly on valid designs
        f.write_text(to_text(mutate(rng.choice(bases), rng), rng) if fuzzed
                     else json.dumps(rng.choice(bases)), encoding="utf-8", errors="surrogatepass")
        if r < 0.45:
            cases.append(["evaluate", str(f)] + (["--json"] if rng.random() < 0.5 else []))
        elif r < 0.9:
            lo, hi = rng.choice([(1, 10), (0.1, 100), (1e300, 1.7e308), (1e-320, 1), (-5, 5), (0, 0),
                                 (5e-324, 5e-324), (1e-6, 1e6), (50, 50)])
            out = rng.choice([None, str(tmp_path / f"out{i}.csv"), str(tmp_path / "missing" / "x.csv"),
                              str(tmp_path)])
            cases.append(["sweep", str(f), "--param", rng.choice(params + ["nope"]), "--from", repr(lo),
                          "--to", repr(hi), "--points", str(rng.choice((1, 3, 7, 7, 3, 0, -1)))]
                         + (["-o", out] if out else []))
        elif r < 0.95:
            cases.append(["evaluate", rng.choice(["/dev/zero", str(tmp_path), str(tmp_path / "nofile.json"),
                                                  "/dev/null"])])
        else:
            cases.append(["new", "--preset", rng.choice(core.preset_names() + ["nope"]), "-o",
                          rng.choice([str(tmp_path), str(tmp_path / f"new{i}.json"),
                                      str(tmp_path / "missing" / "n.json")])])
    return cases


@pytest.mark.slow
def test_command_line_never_tracebacks(tmp_path):
    rng = random.Random(1717)
    n = int(150 * SCALE)
    cases = _cli_cases(tmp_path, rng, n)
    counts = Counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for args, code, out, err in pool.map(lambda a: _cli(a, tmp_path), cases):
            assert "Traceback" not in err and "Warning" not in err, (args, err)
            if code == 2:
                assert err.startswith("error: ") and err.count("\n") == 1 and err[:-1].isprintable(), (args, err)
                counts[f"{args[0]}: refused (exit 2, one line)"] += 1
            else:
                assert code == 0, (args, code, err)
                counts[f"{args[0]}: ok (exit 0)"] += 1
                if args[0] == "sweep":
                    csv_text = Path(args[args.index("-o") + 1]).read_text() if "-o" in args else out
                    for cell in csv_text.replace("\n", ",").split(","):
                        assert cell.lower() not in ("inf", "-inf", "nan"), (args, csv_text[:300])
                if args[0] == "evaluate" and "--json" in args:
                    json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))
    assert not (tmp_path / "missing").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temp file left"
    counts["inputs"] = n
    COUNTS["command line"] = counts
    print("\ncommand line:", dict(counts))


# ---------------------------------------------------------------- kill -9
SAVER = textwrap.dedent("""
    import sys, itertools
    sys.path.insert(0, {root!r})
    from dataclasses import replace
    import core
    base = core.load_preset()
    target = {target!r}
    core.save_design(replace(base, name="v0", notes="n" * 300000), target)
    print("ready", flush=True)
    for i in itertools.count(1):
        core.save_design(replace(base, name=f"v{{i}}", notes="n" * (300000 + i)), target)
""")

EXPORTER = textwrap.dedent("""
    import os, sys, itertools
    sys.path.insert(0, {root!r})
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from dataclasses import replace
    import core
    from gui.report import export_report
    base = core.load_preset()
    target = {target!r}
    export_report([(base, None)], target)
    print("ready", flush=True)
    for i in itertools.count(1):
        export_report([(replace(base, name=f"v{{i}}"), None)], target)
""")


def _kill_runs(script: str, n: int, rng: random.Random, check, max_delay: float) -> Counter:
    counts = Counter()
    for _ in range(n):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        try:
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.0, max_delay))
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        counts["kills"] += 1
        counts[check()] += 1
    return counts


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill")
def test_kill_during_save_never_damages_the_target(tmp_path):
    rng = random.Random(99)
    target = tmp_path / "design.json"

    def check():
        design = core.load_design(target)  # raises if damaged
        assert design.name.startswith("v") and design.notes.startswith("n" * 300000)
        return "target complete: first version" if design.name == "v0" else "target complete: a later version"
    counts = _kill_runs(SAVER.format(root=str(ROOT), target=str(target)), int(20 * SCALE), rng, check, 0.4)
    temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    counts["temp files left by kills (removed by a later save after 60 s)"] = len(temps)
    COUNTS["kill -9 during save"] = counts
    print("\nkill -9 during save:", dict(counts))
    assert counts["target complete: a later version"] > 0, "the kills happened while saving"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill")
def test_kill_during_report_export_never_damages_the_target(tmp_path):
    from pypdf import PdfReader
    rng = random.Random(7)
    target = tmp_path / "report.pdf"

    def check():
        data = target.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), len(data)
        reader = PdfReader(str(target))
        assert len(reader.pages) >= 3
        return "target complete PDF"
    counts = _kill_runs(EXPORTER.format(root=str(ROOT), target=str(target)), int(6 * SCALE), rng, check, 1.5)
    COUNTS["kill -9 during report export"] = counts
    print("\nkill -9 during report export:", dict(counts))
