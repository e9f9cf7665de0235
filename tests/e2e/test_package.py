"""dtoc is an installable package: the wheel carries the SQL models, the suites and the reference files, installs
into a clean virtual environment, and `dtoc run` works from any folder; no POSIX-only module is needed at
import (many NHS and council analysts work on Windows)."""

from __future__ import annotations

import ast
import fcntl  # noqa: F401 - the scan's own proof that it sees an import
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.flow

POSIX_ONLY = ("fcntl", "termios", "resource", "pwd", "grp")  # modules Windows lacks


def uv() -> str:
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    if not Path(found).exists():
        pytest.fail("uv is needed to build the wheel (the README's install step)")
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [uv(), "build", "--wheel", "--offline", "-o", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return next(out.glob("dtoc-*.whl"))


def test_wheel_carries_every_model_suite_check_and_reference_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"dtoc/sql/{p.relative_to(PROJECT_ROOT / 'sql').as_posix()}" for p in (PROJECT_ROOT / "sql").rglob("*.sql")
    }
    expected |= {f"expectations/suites/{p.name}" for p in (PROJECT_ROOT / "expectations" / "suites").glob("*.json")}
    expected |= {f"expectations/checks/{p.name}" for p in (PROJECT_ROOT / "expectations" / "checks").glob("*.sql")}
    expected |= {f"dtoc/reference/{p.name}" for p in (PROJECT_ROOT / "dtoc" / "reference").iterdir()}
    expected |= {"dtoc/parameters.toml", "flows/cli.py"}
    assert len(expected) > 25 and expected <= names, sorted(expected - names)


def module_level_imports(path: Path) -> set[str]:
    """Top-level module names imported when the file is imported (not inside functions)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_no_posix_only_module_is_imported_by_dtoc_s_own_modules():
    """Our modules import no POSIX-only module when imported (locks come from portalocker, which picks the
    platform's own mechanism); the code that signals process groups runs only where os.name is 'posix'."""
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): sorted(module_level_imports(path) & set(POSIX_ONLY))
        for folder in ("dtoc", "flows", "expectations")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
    }
    assert {path: found for path, found in offenders.items() if found} == {}
    assert "fcntl" in module_level_imports(Path(__file__))  # the scan sees imports (this file imports fcntl)


def test_the_wheel_installed_in_a_clean_environment_runs_from_any_folder(wheel, real_data, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([uv(), "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True, timeout=120)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    locked = tmp_path / "pylock.toml"  # the locked dependencies with their URLs, so that uv's cache serves them
    subprocess.run(
        [uv(), "export", "--frozen", "--no-dev", "--no-emit-project", "--format", "pylock.toml", "-o", str(locked)],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for arguments in (["-r", str(locked)], ["--no-deps", str(wheel)]):
        installed = subprocess.run(
            [uv(), "pip", "install", "--offline", "--python", str(python), *arguments],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, installed.stderr[-3000:]
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "VIRTUAL_ENV", "PYTHONPATH")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    result = subprocess.run(
        [str(python.with_name("dtoc")), "run", "--data-dir", str(real_data), "--out", "published"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "151 Health and Wellbeing Boards" in result.stdout
    published = elsewhere / "published"
    assert (published / "expectations.csv").read_text().count("\n") == 152
    manifest = (published / "manifest.json").read_text()
    assert '"package_version": "0.1.0"' in manifest  # the installed package, not a git checkout, ran
