"""dev.py: the .venv it makes is rebuilt for another Python, and requirements are installed
once per change of a requirement file, whichever command installed them. No real installs:
venv creation and pip are replaced by fakes that record what they were asked to do."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import dev

HERE = "%d.%d.%d" % sys.version_info[:3]


class FakeEnv:
    """Stands in for venv.EnvBuilder and pip: records creations and pip runs."""

    def __init__(self, monkeypatch, root: Path):
        self.created: list[bool] = []
        self.pip_runs: list[list[str]] = []
        self.root = root
        monkeypatch.setattr(dev, "ROOT", root)
        monkeypatch.setattr(dev, "VENV", root / ".venv")
        outer = self

        class Builder:
            def __init__(self, with_pip=True, clear=False):
                self.clear = clear

            def create(self, path):
                path = Path(path)
                if self.clear and path.exists():
                    import shutil
                    shutil.rmtree(path)
                outer.make_venv(HERE)
                outer.created.append(self.clear)

        monkeypatch.setattr(dev.venv, "EnvBuilder", Builder)
        monkeypatch.setattr(dev.subprocess, "run", self.run)
        for name in ("requirements.txt", "requirements-test.txt", "requirements-build.txt"):
            (root / name).write_text(f"# {name}\n")

    def make_venv(self, version: str):
        venv_dir = self.root / ".venv"
        py = venv_dir / ("Scripts/python.exe" if dev.os.name == "nt" else "bin/python")
        py.parent.mkdir(parents=True, exist_ok=True)
        py.write_text("")
        (venv_dir / "pyvenv.cfg").write_text(f"home = /somewhere\nversion = {version}\n")

    def run(self, args, check=False, **kwargs):
        assert args[1:4] == ["-m", "pip", "install"], args
        self.pip_runs.append([Path(a).name for a in args if a.endswith(".txt")])

        class Done:
            returncode = 0
        return Done()


@pytest.fixture
def env(monkeypatch, tmp_path):
    return FakeEnv(monkeypatch, tmp_path)


def test_a_venv_of_another_python_is_rebuilt_with_a_message(env, capsys):
    other = "2.7.18" if sys.version_info[:2] != (2, 7) else "3.99.0"
    env.make_venv(other)
    (env.root / ".venv" / "stale-marker").write_text("")
    dev.ensure_env("app")
    out = capsys.readouterr().out
    assert "was made by Python 2.7" in out and f"this is Python {sys.version_info[0]}.{sys.version_info[1]}" in out
    assert env.created == [True]                       # rebuilt, cleared
    assert not (env.root / ".venv" / "stale-marker").exists()
    assert env.pip_runs == [["requirements.txt"]]      # and the requirements installed again


def test_a_venv_of_this_python_is_kept(env, capsys):
    env.make_venv(HERE)
    dev.ensure_env("app")
    assert env.created == []
    assert "rebuilding" not in capsys.readouterr().out


def test_a_venv_without_a_readable_version_is_rebuilt(env, capsys):
    env.make_venv(HERE)
    (env.root / ".venv" / "pyvenv.cfg").write_text("home = /x\n")
    dev.ensure_env("app")
    assert env.created == [True]
    assert "unknown Python" in capsys.readouterr().out


def test_venv_version_reads_uv_style_version_info(env):
    env.make_venv(HERE)
    (env.root / ".venv" / "pyvenv.cfg").write_text("home = /x\nversion_info = 3.12.4\n")
    assert dev.venv_version() == (3, 12)


def test_build_after_test_installs_nothing(env):
    dev.ensure_env("test")
    assert env.pip_runs == [["requirements.txt", "requirements-test.txt", "requirements-build.txt"]]
    dev.ensure_env("build")
    dev.ensure_env("app")
    dev.ensure_env("test")
    assert len(env.pip_runs) == 1


def test_a_changed_requirement_file_is_installed_again_for_the_commands_that_use_it(env):
    dev.ensure_env("test")
    (env.root / "requirements-build.txt").write_text("pyinstaller>=6.6\n")
    dev.ensure_env("app")                 # does not use it: nothing to do
    assert len(env.pip_runs) == 1
    dev.ensure_env("build")
    assert env.pip_runs[-1] == ["requirements.txt", "requirements-build.txt"]
    dev.ensure_env("test")                # the build file was installed by `build` already
    assert len(env.pip_runs) == 2


def test_a_failed_install_is_retried_next_time(env, monkeypatch):
    def fail(args, check=False, **kwargs):
        raise dev.subprocess.CalledProcessError(1, args)
    monkeypatch.setattr(dev.subprocess, "run", fail)
    with pytest.raises(dev.subprocess.CalledProcessError):
        dev.ensure_env("app")
    monkeypatch.setattr(dev.subprocess, "run", env.run)
    dev.ensure_env("app")
    assert env.pip_runs == [["requirements.txt"]]


def test_every_command_needs_a_subset_of_what_test_installs():
    assert set(dev.REQ["app"]) <= set(dev.REQ["test"])
    assert set(dev.REQ["build"]) <= set(dev.REQ["test"])
    assert "requirements-build.txt" in dev.REQ["build"]
    for files in dev.REQ.values():
        for name in files:
            assert (Path(dev.__file__).parent / name).is_file(), name
