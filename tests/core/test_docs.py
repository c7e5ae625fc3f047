"""docs/ keeps in step with the code: every design key, result key and sweep parameter the
code knows is documented in docs/FORMAT.md, every built-in material and literature reference
in docs/MATERIALS.md. The key lists come from the code, not from this file."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

import core
import core.model as m
from core import design as d
from core.materials import MATERIAL_FIELDS, builtin_materials
from core.resources import DOCS, doc_path, docs_dir, resource_path

ROOT = Path(__file__).resolve().parents[2]
FORMAT = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text of the `## ...` section whose heading contains `heading`."""
    parts = re.split(r"(?m)^## ", text)
    hits = [p for p in parts if p.splitlines()[0].find(heading) >= 0]
    assert len(hits) == 1, f"no single section {heading!r}"
    return hits[0]


def documented(name: str, text: str) -> bool:
    return f"`{name}`" in text


def _keys_of(obj, out: set):
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.add(k)
            if k != "materials":  # material names are not keys
                _keys_of(v, out)
            else:
                for fields in v.values():
                    out.update(fields)
    elif isinstance(obj, list):
        for x in obj:
            _keys_of(x, out)
    return out


def written_keys() -> set[str]:
    """Every key the code writes into a design file, for every preset and golden file."""
    keys: set[str] = set()
    designs = [core.load_preset(n) for n in core.preset_names()]
    designs += [core.load_design(p) for p in (ROOT / "tests" / "data").glob("design_v*.json")]
    for design in designs:
        _keys_of(d.design_to_dict(design), keys)
    return keys


def test_docs_are_found_where_the_app_looks_for_them():
    assert docs_dir() == ROOT / "docs"
    for name in DOCS:
        assert doc_path(name).is_file(), name
        assert "../shared" not in doc_path(name).read_text(encoding="utf-8"), name


def test_frozen_docs_are_looked_for_in_the_bundle(monkeypatch, tmp_path):
    import sys
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert doc_path("MODEL.md") == tmp_path / "docs" / "MODEL.md"
    assert resource_path("materials.json") == tmp_path / "resources" / "materials.json"


def test_every_design_key_the_code_reads_or_writes_is_in_format_md():
    keys = set(d._TOP_KEYS) | set(d._LAYER_KEYS) | written_keys() | set(MATERIAL_FIELDS)
    keys |= {"mass_fraction"} | set(d.AMOUNT_KEYS)
    missing = sorted(k for k in keys if not documented(k, FORMAT))
    assert not missing, f"design keys missing from docs/FORMAT.md: {missing}"
    # a value of every enumerated key is spelled out too
    for values in (d.UNIT_CELL_ROLES, d.FILM_ROLES, d.STACKING_TYPES, d.COLLECTOR_SHARING,
                   d.VOLUME_BASES, d.VOLUME_STATES):
        for v in values:
            assert documented(v, FORMAT) or f'"{v}"' in FORMAT, v
    assert f'"{d.FORMAT_NAME}"' in FORMAT and f"schema version {d.SCHEMA_VERSION}" in FORMAT


def test_every_result_key_is_in_the_results_section():
    results = section(FORMAT, "Results")
    result = core.evaluate(core.load_preset())
    keys = set(result.to_dict()) | set(m.NUMERIC_KEYS) | set(m.FORMAT_KEYS) | set(m.EXTRA_KEYS)
    keys |= set(result.values)
    missing = sorted(k for k in keys if not documented(k, results))
    assert not missing, f"result keys missing from docs/FORMAT.md's results: {missing}"
    for item in m.BREAKDOWN_ITEMS:
        assert documented(item, results), f"breakdown item {item}"
    for k in ("item", "mass_g", "volume_cm3", "thickness_um"):
        assert documented(k, results)


def test_every_sweep_parameter_is_in_the_sweep_section():
    sweeps = section(FORMAT, "Sweep parameters")
    missing = sorted(p for p in core.PARAMETERS if not documented(p, sweeps))
    assert not missing, f"sweep parameters missing from docs/FORMAT.md: {missing}"
    # and the documented units match the code's
    for name, p in core.PARAMETERS.items():
        row = next(line for line in sweeps.splitlines() if line.startswith(f"| `{name}` |"))
        unit = row.split("|")[2].strip()
        assert unit == (p.unit or "-"), (name, unit)


def test_documented_defaults_are_the_codes():
    pk = d.Packaging()
    rows = {line.split("|")[1].strip(): line for line in section(FORMAT, "Packaging").splitlines()
            if line.startswith("| `")}
    assert f"default {pk.laminate_thickness_um:g}" in rows["`laminate_thickness_um`"]
    assert f"default {pk.laminate_density_g_cm3:g}" in rows["`laminate_density_g_cm3`"]
    assert f"default {pk.seal_width_mm:g}" in rows["`seal_width_mm`"]
    assert f"default `{pk.volume_basis}`" in rows["`volume_basis`"]
    assert f"to {d.MAX_UNIT_CELLS}" in section(FORMAT, "Stacking")


def test_the_example_results_in_format_md_hold():
    r = core.evaluate(core.load_preset("review-baseline-nmc811-li3incl6-li"))
    ex = section(FORMAT, "Results")
    for key, nd in (("gravimetric_Wh_kg", 1), ("stack_gravimetric_Wh_kg", 1), ("stack_volumetric_Wh_L", 1),
                    ("mass_g", 2), ("areal_capacity_mAh_cm2", 2)):
        assert f"`{key}` {getattr(r, key):.{nd}f}" in ex, key


MATERIALS = (ROOT / "docs" / "MATERIALS.md").read_text(encoding="utf-8")


def test_every_builtin_material_is_listed_with_its_values_and_source():
    builtin = section(MATERIALS, "Built-in materials")
    rows = {line.split("|")[1].strip(): line for line in builtin.splitlines() if line.startswith("| ")}
    raw = json.loads(resource_path("materials.json").read_text(encoding="utf-8"))["materials"]
    for name, mat in builtin_materials().items():
        assert name in rows, f"{name} missing from docs/MATERIALS.md"
        cells = [c.strip() for c in rows[name].split("|")]
        assert f"{mat.density_g_cm3:g}" in cells, name
        if mat.is_active:
            assert f"{mat.specific_capacity_mAh_g:g}" in cells, name
        source_id = cells[-2]
        assert re.search(rf"\*\*{source_id}\*\*: {re.escape(raw[name]['source'])}", MATERIALS), name


def test_every_literature_table_and_reference_is_listed():
    for name in ("membranes", "electrodes", "demonstrations", "references"):
        assert f"`{name}.csv`" in MATERIALS, name
    with open(resource_path("data", "references.csv"), newline="", encoding="utf-8") as fh:
        refs = list(csv.DictReader(fh))
    for r in refs:
        assert f"- [{r['ref']}] {r['citation']}" in MATERIALS, r["ref"]
    for table in ("membranes", "electrodes", "demonstrations"):
        with open(resource_path("data", f"{table}.csv"), newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert "| " + " | ".join(rows[0]) + " |" in MATERIALS, table
        for row in rows[1:]:
            assert "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" in MATERIALS, (table, row)


@pytest.mark.parametrize("name", list(DOCS))
def test_links_between_docs_resolve(name):
    text = doc_path(name).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)", text):
        if not target.startswith("http"):
            assert (doc_path(name).parent / target).is_file(), (name, target)
