"""Issue 17 ("Nothing lost, round two"), the core and command-line items: each test here
failed on the code before the fix."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from dataclasses import replace

import pytest

import core
from core import io as cio
from core.design import MAX_LAYERS, DesignError, Layer
from core.document import DesignDocument, LayerRuleError, why_not_insert
from core_testlib import ROOT, hand_dict


def run_cli(*args, cwd=None, timeout=60):
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                       text=True, cwd=cwd or ROOT, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def with_layers(n: int) -> dict:
    """hand_dict() with interlayers added up to `n` unit-cell layers."""
    d = hand_dict()
    uc = d["unit_cell"]
    inter = {"role": "interlayer", "material": "Li6PS5Cl", "thickness_um": 1}
    d["unit_cell"] = uc[:3] + [dict(inter) for _ in range(n - len(uc))] + uc[3:]
    return d


def files_in(folder):
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------ 3: limits, load = edit = save
def test_layer_limit_is_the_same_on_load_edit_and_save(tmp_path):
    at_limit = core.design_from_dict(with_layers(MAX_LAYERS))
    path = tmp_path / "full.json"
    core.save_design(at_limit, path)
    assert core.load_design(path) == at_limit, "a design at the limit is written and read back"
    # load: one more layer is refused by name, not by size
    over = with_layers(MAX_LAYERS + 1)
    with pytest.raises(DesignError) as e:
        core.design_from_dict(over)
    assert str(e.value) == f"unit_cell: at most {MAX_LAYERS} layers, got {MAX_LAYERS + 1}"
    # edit: the document refuses the insert that would go over
    doc = DesignDocument(at_limit)
    assert "at most 10,000 layers" in why_not_insert(at_limit, 3, "interlayer")
    with pytest.raises(LayerRuleError):
        doc.insert_layer(3, Layer("interlayer", material="Li6PS5Cl", thickness_um=1.0))
    assert core.document.insert_position(at_limit, "separator") is None
    # save: a design over the limit (made in a script) is refused before anything is written
    too_many = replace(at_limit, unit_cell=at_limit.unit_cell[:3] + at_limit.unit_cell[3:4] * 2
                       + at_limit.unit_cell[3:])
    with pytest.raises(DesignError, match="at most 10000 layers"):
        core.save_design(too_many, tmp_path / "over.json")
    assert not (tmp_path / "over.json").exists()


def test_issue_file_of_70000_interlayers_is_refused_by_its_layer_count(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(with_layers(70_000), separators=(",", ":")))
    with pytest.raises(DesignError, match=r"^unit_cell: at most 10000 layers, got 70000$"):
        core.load_design(path)


def test_save_refuses_a_file_it_could_not_open_again(tmp_path):
    d = core.design_from_dict(hand_dict())
    path = tmp_path / "d.json"
    core.save_design(d, path)
    before = path.read_bytes()
    big = replace(d, notes="x" * cio.MAX_FILE_BYTES)
    with pytest.raises(DesignError, match=r"^design: 16\.0 MB as a file, more than the 16 MB"):
        core.save_design(big, path)
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["d.json"]
    # just under the limit: saved and read back
    fits = replace(d, notes="x" * (cio.MAX_FILE_BYTES - 2000))
    core.save_design(fits, path)
    assert core.load_design(path) == fits


# ------------------------------------------------------------------ 6: a lone surrogate
def test_lone_surrogate_saves_and_reads_back(tmp_path):
    d = hand_dict()
    d["notes"] = "\ud800 and \udfff"
    d["name"] = "odd \udc00 name"
    design = core.design_from_dict(d)
    path = tmp_path / "s.json"
    core.save_design(design, path)
    assert core.load_design(path) == design
    assert b"\\ud800" in path.read_bytes()
    path.read_bytes().decode("utf-8")  # valid UTF-8


@pytest.mark.slow
def test_cli_prints_a_lone_surrogate_without_a_traceback(tmp_path):
    d = hand_dict()
    d["name"] = "odd \udc00 name"
    src = tmp_path / "s.json"
    src.write_text(json.dumps(d), encoding="ascii")
    code, out, err = run_cli("evaluate", src)
    assert code == 0 and "Traceback" not in err, err
    assert "odd \\udc00 name" in out


# ------------------------------------------------------------------ 9: devices, pipes, size caps
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_endless_device_is_refused():
    with pytest.raises(DesignError, match=r"^/dev/zero: is not a regular file"):
        core.load_design("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    out = {}

    def load():
        try:
            core.load_design(fifo)
        except DesignError as e:
            out["error"] = str(e)
    t = threading.Thread(target=load, daemon=True)
    t.start()
    t.join(30)  # a hang guard, not a speed check
    if t.is_alive():  # unblock the reader so the thread can end
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("reading a named pipe hung")
    assert out["error"].endswith("pipe.json: is not a regular file (a device, pipe or socket); "
                                 "a design file is a regular file")


def test_read_is_capped_whatever_size_the_file_system_reports(tmp_path):
    proc = "/proc/self/status"  # a regular file that reports size 0
    if not os.path.exists(proc) or os.stat(proc).st_size != 0:
        pytest.skip("no size-0 regular files here")
    with pytest.raises(cio.FileTooLarge):
        cio.read_regular_file(proc, limit=10)
    assert cio.read_regular_file(proc, limit=1 << 20).startswith(b"Name:")


# ------------------------------------------------------------------ 12: errors name the target
def test_save_into_a_missing_folder_names_the_target(tmp_path):
    target = tmp_path / "nope" / "x.json"
    with pytest.raises(FileNotFoundError) as e:
        core.save_design(core.design_from_dict(hand_dict()), target)
    assert e.value.filename == str(target)
    assert ".tmp" not in str(e.value)


def test_save_onto_a_folder_leaves_nothing_in_its_parent(tmp_path):
    folder = tmp_path / "dir"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as e:
        core.save_design(core.design_from_dict(hand_dict()), folder)
    assert e.value.filename == str(folder)
    assert files_in(tmp_path) == ["dir"] and files_in(folder) == []


@pytest.mark.slow
def test_cli_output_errors_name_the_target(tmp_path):
    code, _, err = run_cli("sweep", "preset:x", "--param", "cathode.loading_mg_cm2", "--from", "1",
                           "--to", "2", "-o", tmp_path / "missing" / "x.csv")
    assert code == 2  # the design argument is refused first; now a real design:
    base = tmp_path / "base.json"
    core.save_design(core.load_preset(), base)
    code, _, err = run_cli("sweep", base, "--param", "cathode.loading_mg_cm2", "--from", "1",
                           "--to", "2", "--points", "2", "-o", tmp_path / "missing" / "x.csv")
    assert code == 2
    assert err == f"error: -o/--output: folder {tmp_path / 'missing'} does not exist\n"
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = run_cli("new", "--preset", core.DEFAULT_PRESET, "-o", folder)
    assert code == 2 and err == f"error: -o/--output: {folder} is a folder; give a file name\n"
    assert files_in(tmp_path) == ["base.json", "out"] and files_in(folder) == []


# ------------------------------------------------------------------ full disk: fsync before rename
@pytest.mark.parametrize("where", ["write", "fsync"])
def test_full_disk_during_save_keeps_the_old_file(tmp_path, monkeypatch, where):
    path = tmp_path / "d.json"
    d = core.design_from_dict(hand_dict())
    core.save_design(d, path)
    before = path.read_bytes()

    def enospc(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")
    if where == "fsync":
        monkeypatch.setattr(os, "fsync", enospc)
    else:
        import builtins
        real_open = builtins.open

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                enospc()

            def __getattr__(self, name):
                return getattr(self.fh, name)

        def fake_open(file, mode="r", *a, **k):
            fh = real_open(file, mode, *a, **k)
            return Full(fh) if "w" in mode and str(file).endswith(".tmp") else fh
        monkeypatch.setattr(builtins, "open", fake_open)
    with pytest.raises(OSError) as e:
        core.save_design(replace(d, name="new"), path)
    assert e.value.errno == errno.ENOSPC and e.value.filename == str(path)
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["d.json"], "no temporary file left behind"


# ------------------------------------------------------------------ 13: escaped user text, 1.0
def test_refusals_escape_user_text_and_stay_one_line():
    d = hand_dict()
    d["unit_cell"][2]["role"] = "a\nb\x00\"c"
    with pytest.raises(DesignError) as e:
        core.design_from_dict(d)
    msg = str(e.value)
    assert "\n" not in msg and "\x00" not in msg
    assert 'got "a\\nb\\x00\\"c"' in msg
    d = hand_dict()
    d["materials"] = {"bad\nname": {"density_g_cm3": -1}}
    with pytest.raises(DesignError) as e:
        core.design_from_dict(d)
    assert all("\n" not in p for p in e.value.problems)
    assert "materials.bad\\nname.density_g_cm3: must be > 0" in str(e.value)
    d = hand_dict()
    d["name"] = 5
    d["unit_cell"][0]["material"] = "x\u2028y"  # a line separator is a line break too
    with pytest.raises(DesignError) as e:
        core.design_from_dict(d)
    assert all(p.isprintable() for p in e.value.problems)


def test_schema_version_one_point_zero_is_one():
    d = hand_dict()
    d["schema_version"] = 1.0
    assert core.design_from_dict(d) == core.design_from_dict(hand_dict())
    for bad in (1.5, "1", True):
        d["schema_version"] = bad
        with pytest.raises(DesignError, match="^schema_version: must be a whole number"):
            core.design_from_dict(d)


# ------------------------------------------------------------------ 11 (command-line side)
@pytest.mark.slow
@pytest.mark.parametrize("param, lo, hi", [("electrode.width_mm", "1e300", "1.7e308"),
                                           ("cathode.loading_mg_cm2", "1e-320", "1")])
def test_cli_sweep_never_writes_inf_or_nan(tmp_path, param, lo, hi):
    base = tmp_path / "base.json"
    core.save_design(core.load_preset(), base)
    out = tmp_path / "out.csv"
    code, stdout, err = run_cli("sweep", base, "--param", param, "--from", lo, "--to", hi,
                                "--points", "3", "-o", out)
    assert code == 2, (stdout, err)
    assert "RuntimeWarning" not in err and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith(f"error: --from/--to: {param} = ")
    assert "is not a finite number" in err and "within" in err
    assert not out.exists()
