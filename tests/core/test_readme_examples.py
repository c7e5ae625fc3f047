"""The README's scripting example of the optional blocks gives the numbers it states."""
from __future__ import annotations

import re
from pathlib import Path

import core

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_blocks_example_holds():
    block = README.split("The cell as built and operated (docs/MODEL.md steps 8-12)")[1]
    code = block.split("```python")[1].split("```")[0]
    env = {"core": core, "design": core.load_preset()}
    exec(compile(code, "README", "exec"), env)      # the example as written
    r = env["r"]
    stated = dict(re.findall(r"r\.(\w+)\s+# ([\d.]+)", code))
    assert set(stated) == {"cycle_life", "system_gravimetric_Wh_kg", "voltage_at_rate_V", "cost_USD_kWh"}
    for key, text in stated.items():
        nd = len(text.split(".")[1]) if "." in text else 0
        assert f"{getattr(r, key):.{nd}f}" == text, key
    assert f"{r.cycles_at_full_capacity:.0f}" == "1865" and f"{r.asr_ohm_cm2:.1f}" == "26.9"
