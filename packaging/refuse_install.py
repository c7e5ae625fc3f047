"""A PEP 517 build backend that refuses, with a message saying what to do instead.

SSB Pouch Designer is not a pip-installable package (pyproject.toml says why: its top-level
packages `core` and `gui` are generic names that do not belong in a user's site-packages).
Without a backend, `pip install .` failed with setuptools' puzzling "Multiple top-level
packages discovered in a flat-layout"; with this one it says so plainly.
"""

MESSAGE = ("SSB Pouch Designer is not installed with pip. Run it from this folder with "
           "`python3 dev.py app` (Windows: `py dev.py app`), or build the desktop app with "
           "`python3 dev.py build`; see README.md, \"Run it\".")


def _refuse(*_args, **_kwargs):
    raise SystemExit(MESSAGE)


get_requires_for_build_wheel = get_requires_for_build_sdist = get_requires_for_build_editable = _refuse
prepare_metadata_for_build_wheel = prepare_metadata_for_build_editable = _refuse
build_wheel = build_sdist = build_editable = _refuse
