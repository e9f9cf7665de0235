"""dtoc is an installable package: the wheel carries the SQL models, the suites and the reference files, installs
into a clean virtual environment, and `dtoc run` works from any folder; no POSIX-only module is needed at
import (many NHS and council analysts work on Windows)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

POSIX_ONLY = ("fcntl", "termios", "resource", "pwd", "grp", "posix")


def uv() -> str:
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    if not Path(found).exists():
        pytest.fail("uv is needed to build the wheel (the README's install step)")
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([uv(), "build", "--wheel", "--offline", "-o", str(out)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return next(out.glob("dtoc-*.whl"))


def test_wheel_carries_every_model_suite_check_and_reference_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"dtoc/sql/{p.name}" for p in (PROJECT_ROOT / "sql").glob("*.sql")}
    expected |= {f"expectations/suites/{p.name}" for p in (PROJECT_ROOT / "expectations" / "suites").glob("*.json")}
    expected |= {f"expectations/checks/{p.name}" for p in (PROJECT_ROOT / "expectations" / "checks").glob("*.sql")}
    expected |= {f"dtoc/reference/{p.name}" for p in (PROJECT_ROOT / "dtoc" / "reference").iterdir()}
    expected |= {"dtoc/parameters.toml", "flows/cli.py"}
    assert len(expected) > 25 and expected <= names, sorted(expected - names)


def test_no_posix_only_module_is_needed_at_import():
    """Every module of dtoc, flows and expectations imports with the POSIX-only modules made unimportable."""
    script = (f"import sys\nfor name in {POSIX_ONLY!r}:\n    sys.modules[name] = None\n"
              "import importlib, pkgutil, dtoc, flows, expectations\n"
              "for package in (dtoc, flows, expectations):\n"
              "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
              "        importlib.import_module(module.name)\n"
              "print('imported')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and "imported" in result.stdout, result.stderr[-2000:]


def test_the_wheel_installed_in_a_clean_environment_runs_from_any_folder(wheel, real_data, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([uv(), "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True,
                   timeout=120)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = subprocess.run([uv(), "pip", "install", "--offline", "--python", str(python), str(wheel)],
                               capture_output=True, text=True, timeout=600,
                               env={**os.environ, "UV_COMPILE_BYTECODE": "1"})
    assert installed.returncode == 0, installed.stderr[-3000:]
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "VIRTUAL_ENV", "PYTHONPATH")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    result = subprocess.run([str(python.with_name("dtoc")), "run", "--data-dir", str(real_data), "--out", "published"],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "151 Health and Wellbeing Boards" in result.stdout
    published = elsewhere / "published"
    assert (published / "expectations.csv").read_text().count("\n") == 152
    manifest = (published / "manifest.json").read_text()
    assert '"package_version": "0.1.0"' in manifest  # the installed package, not a git checkout, ran
