"""SSB Pouch Designer: `python main.py [FILE]` opens the app; `python main.py COMMAND ...`
runs the command line (evaluate, sweep, presets, new, uncertainty, report)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

# numpy's BLAS would start a thread per core that spins after every call; the model's arrays are
# small (a sweep is 1000 numbers), so those threads only take CPU from the window
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def program_name() -> str:
    """The program as the user invoked it, for usage lines: `python main.py` from source, the
    executable's name (ssb-pouch-designer-cli) in the desktop build."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).stem
    return "python main.py"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and (argv[0] in ("evaluate", "sweep", "presets", "new", "uncertainty", "report")
                 or argv[0] in ("-h", "--help", "--version")):
        from core.cli import run
        extra = {}
        if argv[0] in ("report", "-h", "--help"):  # --help lists every command, report included
            from gui.report import install_cli  # needs Qt (offscreen); only loaded when needed
            extra["report"] = install_cli
        return run(argv, extra, prog=program_name())
    from gui.app import run_app
    return run_app(argv[0] if argv else None)


if __name__ == "__main__":
    sys.exit(main())
