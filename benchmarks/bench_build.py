"""Measure the desktop build: build time, folder size, start time, frozen vs source evaluate.

    .venv/bin/python benchmarks/bench_build.py              # clean build, then measure
    .venv/bin/python benchmarks/bench_build.py --reuse      # measure the build in dist/ (build if stale)
    .venv/bin/python benchmarks/bench_build.py --onefile    # also build and time the one-file variant
    .venv/bin/python benchmarks/bench_build.py --json       # machine-readable figures
    .venv/bin/python benchmarks/bench_build.py --check      # exit 1 when a target is missed

Sizes are given in MB (10^6 bytes) and MiB (2^20 bytes); the archive is the folder as a
.tar.gz (gzip level 6, what `tar czf` writes), i.e. what a user downloads.
Targets (issue): one-folder build under 150 MB, start to a visible window under 2 s.
The start time runs the GUI executable headless (QT_QPA_PLATFORM=offscreen) with
SSB_EXIT_AFTER_SHOWN=1, which makes the app print `SSB_SHOWN <time>` and quit once its
main window is shown (with the design loaded); it is the wall time from launching the
process to that moment.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import build_support as bs  # noqa: E402

PRESET = ROOT / "resources" / "presets" / "review-baseline-nmc811-li3incl6-li.json"
TARGET_SIZE_MB = 150
TARGET_START_S = 2.0


def headless_env(settings_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", SSB_EXIT_AFTER_SHOWN="1", SSB_POUCH_SETTINGS_DIR=settings_dir)
    return env


def timed(cmd: list[str], env: dict, runs: int, until_shown: bool = False) -> list[float]:
    """Wall times of `runs` runs: to the process's exit, or (until_shown) to the moment the
    app printed `SSB_SHOWN <epoch>` when its window was shown."""
    times = []
    for _ in range(runs):
        t_launch, t0 = time.time(), time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        elapsed = time.perf_counter() - t0
        if proc.returncode:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        if until_shown:
            shown = [float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("SSB_SHOWN ")]
            if shown:  # a windowed Windows executable has no stdout: then the time to exit
                elapsed = shown[0] - t_launch
            elif os.name != "nt":
                raise RuntimeError(f"{' '.join(cmd)} did not report SSB_SHOWN (gui/app.py support missing?)")
        times.append(elapsed)
    return times


def mb(n_bytes: int) -> float:
    """Megabytes (10^6 bytes), as file managers on Linux and macOS show them."""
    return n_bytes / 1e6


def mib(n_bytes: int) -> float:
    """Mebibytes (2^20 bytes), as `du -h` and Windows Explorer show them."""
    return n_bytes / 1024 / 1024


def archive_size(folder: Path, out_dir: str) -> int:
    """Bytes of the folder packed as .tar.gz (gzip level 6, as `tar czf` writes it)."""
    target = Path(out_dir) / "app.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    return target.stat().st_size


def machine() -> str:
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reuse", action="store_true", help="reuse a fresh build in dist/ instead of a clean build")
    ap.add_argument("--onefile", action="store_true", help="also build and measure the one-file variant")
    ap.add_argument("--runs", type=int, default=5, help="repetitions per timing (default 5)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target (size, start time) is missed")
    args = ap.parse_args(argv)

    figures: dict = {"platform": sys.platform, "machine": machine()}
    if args.reuse:
        built, seconds = bs.ensure_fresh_build()
        figures["build_s"] = round(seconds, 1) if built else None
    else:
        figures["build_s"] = round(bs.build(clean=True), 1)
    if args.onefile:
        figures["onefile_build_s"] = round(bs.build(onefile=True), 1)  # reuses the cached analysis

    app_dir = bs.DIST / (bs.BUNDLE_NAME if sys.platform == "darwin" else bs.APP_NAME)
    files = [p for p in app_dir.rglob("*") if p.is_file()]
    size = bs.folder_size(app_dir)
    figures["folder_MB"] = round(mb(size), 1)
    figures["folder_MiB"] = round(mib(size), 1)
    figures["folder_files"] = len(files)
    internal = bs.contents_dir()
    biggest = sorted(((p.stat().st_size, p) for p in internal.rglob("*") if p.is_file() and not p.is_symlink()),
                     reverse=True)[:8]
    figures["largest_files"] = {str(p.relative_to(internal)): round(mb(n), 1) for n, p in biggest}

    gui, cli = str(bs.executable(bs.APP_NAME)), str(bs.executable(bs.CLI_NAME))
    source = [sys.executable, str(ROOT / "main.py")]
    with tempfile.TemporaryDirectory() as tmp:
        figures["archive_tar_gz_MB"] = round(mb(archive_size(app_dir, tmp)), 1)
        env = headless_env(tmp)
        if (ROOT / "gui" / "app.py").is_file():
            start = timed([gui, str(PRESET)], env, args.runs, until_shown=True)
            figures["start_first_s"] = round(start[0], 3)
            figures["start_median_s"] = round(statistics.median(start), 3)
            src_start = timed(source + [str(PRESET)], env, args.runs, until_shown=True)
            figures["source_start_median_s"] = round(statistics.median(src_start), 3)
        ev = timed([cli, "evaluate", str(PRESET), "--json"], env, args.runs)
        figures["evaluate_frozen_median_s"] = round(statistics.median(ev), 3)
        ev_src = timed(source + ["evaluate", str(PRESET), "--json"], env, args.runs)
        figures["evaluate_source_median_s"] = round(statistics.median(ev_src), 3)
        if args.onefile and bs.onefile_executable().is_file():
            figures["onefile_MB"] = round(mb(bs.onefile_executable().stat().st_size), 1)
            one = timed([str(bs.onefile_executable()), "evaluate", str(PRESET), "--json"], env, args.runs)
            figures["evaluate_onefile_median_s"] = round(statistics.median(one), 3)

    if args.json:
        print(json.dumps(figures, indent=2))
        return 1 if (args.check and missed(figures)) else 0
    print(f"machine                  {figures['machine']}")
    if figures.get("build_s") is not None:
        print(f"build (one folder)       {figures['build_s']:.1f} s{'' if args.reuse else ' (clean)'}")
    if "onefile_build_s" in figures:
        print(f"build (+ one file)       {figures['onefile_build_s']:.1f} s")
    miss = missed(figures)
    flag = "ok" if "size" not in miss else f"over the {TARGET_SIZE_MB} MB target"
    print(f"folder size              {figures['folder_MB']:.1f} MB = {figures['folder_MiB']:.1f} MiB "
          f"in {figures['folder_files']} files ({flag})")
    print(f"archive (.tar.gz)        {figures['archive_tar_gz_MB']:.1f} MB")
    for name, size in figures["largest_files"].items():
        print(f"    {size:6.1f} MB  {name}")
    if "onefile_MB" in figures:
        print(f"one-file size            {figures['onefile_MB']:.1f} MB")
    if "start_median_s" in figures:
        flag = "ok" if "start" not in miss else f"over the {TARGET_START_S} s target"
        print(f"start to window shown    {figures['start_median_s']:.2f} s median, first {figures['start_first_s']:.2f} s"
              f" ({flag}); from source {figures['source_start_median_s']:.2f} s")
    else:
        print("start to window shown    (gui/app.py not there yet)")
    print(f"evaluate --json          frozen {figures['evaluate_frozen_median_s']:.3f} s, "
          f"source {figures['evaluate_source_median_s']:.3f} s (median of {args.runs})")
    if "evaluate_onefile_median_s" in figures:
        print(f"evaluate --json 1-file   {figures['evaluate_onefile_median_s']:.3f} s (unpacks at each start)")
    return 1 if (args.check and miss) else 0


def missed(figures: dict) -> set[str]:
    """The targets the figures miss: "size" (the folder), "start" (to the window shown)."""
    out = set()
    if figures["folder_MB"] >= TARGET_SIZE_MB:
        out.add("size")
    if "start_median_s" in figures and figures["start_median_s"] >= TARGET_START_S:
        out.add("start")
    return out


if __name__ == "__main__":
    sys.exit(main())
