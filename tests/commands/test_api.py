"""The Python API for notebooks (issue 21): `import dtoc` is cheap, every function's docstring example runs, the
table computed equals the one `dtoc run` publishes, nothing is written, and a bad input raises the same one-line
message the command prints (`dtoc: error: <message>`), as dtoc.DtocError."""

from __future__ import annotations

import doctest
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import dtoc
from tests.conftest import PROJECT_ROOT, invoke_cli, tree_digest

API_FUNCTIONS = ("expectations", "sweep", "read_table", "read_manifest", "explain")


def test_import_dtoc_loads_no_dataframe_database_or_orchestration_library():
    script = "import json, sys, dtoc; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT)
    loaded = set(json.loads(result.stdout))
    assert loaded and not loaded & {"polars", "duckdb", "prefect", "great_expectations", "pandas", "pyarrow"}


def test_the_api_is_documented_and_its_exceptions_are_dtoc_s():
    assert dtoc.DtocError is __import__("dtoc.errors").errors.DtocError
    for name in API_FUNCTIONS:
        function = getattr(dtoc, name)
        assert name in dtoc.__all__ and ">>> " in (function.__doc__ or ""), name
    with pytest.raises(AttributeError, match="module 'dtoc' has no attribute 'no_such_function'"):
        dtoc.__getattr__("no_such_function")


@pytest.fixture
def notebook_folder(real_data, real_publication, tmp_path, monkeypatch) -> Path:
    """A working folder as a notebook user has it: $DTOC_DATA_DIR names the workbooks, and
    data/derived/2017-18Q3 is a `dtoc run` publication (the session's, linked)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DTOC_DATA_DIR", str(real_data))
    (tmp_path / "data" / "derived").mkdir(parents=True)
    (tmp_path / "data" / "derived" / "2017-18Q3").symlink_to(real_publication)
    return tmp_path


def test_every_example_in_the_api_s_docstrings_runs(notebook_folder):
    import dtoc.api
    import dtoc.api_read

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    examples = 0
    for module in (dtoc.api, dtoc.api_read):
        for test in doctest.DocTestFinder().find(module, globs={}):
            examples += len(test.examples)
            runner.run(test)
    assert runner.failures == 0 and examples >= 20


def test_the_table_computed_is_the_table_published_and_nothing_is_written(notebook_folder, real_publication, real_data):
    before = tree_digest(notebook_folder / "data" / "derived"), tree_digest(real_data)
    said: list[str] = []
    table = dtoc.expectations(log=said.append)
    published = pl.read_parquet(real_publication / "expectations.parquet")
    assert table.equals(published) and table.columns == published.columns
    assert (tree_digest(notebook_folder / "data" / "derived"), tree_digest(real_data)) == before
    assert sorted(os.listdir(notebook_folder)) == ["data"]


def test_another_baseline_and_parameters_file_are_taken_as_the_command_takes_them(notebook_folder):
    table = dtoc.expectations(baseline="2018-19Q3", parameters=PROJECT_ROOT / "dtoc" / "parameters.toml")
    assert table.height == 151 and set(table["nhs_band"]) <= {"maintain", "reduce_to_target", "reduce_by_cap"}


def command_error(args: list[str]) -> str:
    result = invoke_cli(args)
    assert result.exit_code == 1, result.output
    return result.stderr.strip().removeprefix("dtoc: error: ")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


BAD_POLICY = "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap\nx,9,5,0.3,2.6,4.3,0.4\n"


@pytest.mark.parametrize(
    "call, command",
    [
        (lambda f: dtoc.expectations(f / "missing"), lambda f: ["run", "--data-dir", str(f / "missing")]),
        (lambda f: dtoc.expectations(baseline="2017Q3"), lambda f: ["run", "--baseline", "2017Q3"]),
        (
            lambda f: dtoc.expectations(parameters=write(f / "p.toml", "[run]\n")),
            lambda f: ["run", "--config", str(f / "p.toml")],
        ),
        (
            lambda f: dtoc.sweep(write(f / "bad.csv", BAD_POLICY)),
            lambda f: ["scenarios", str(f / "bad.csv"), "--out", str(f / "out")],
        ),
        (lambda f: dtoc.explain("data/derived/2017-18Q3", "Atlantis"), lambda f: ["explain", "Atlantis"]),
    ],
)
def test_a_bad_input_raises_the_command_s_one_line_message(notebook_folder, call, command):
    with pytest.raises(dtoc.DtocError) as caught:
        call(notebook_folder)
    assert "\n" not in str(caught.value) and str(caught.value) == command_error(command(notebook_folder))


@pytest.mark.parametrize("read", [dtoc.read_table, dtoc.read_manifest])
def test_a_folder_that_is_no_publication_is_named_in_one_line(notebook_folder, read):
    with pytest.raises(dtoc.DtocError, match=r"^\S*nothing holds no dtoc publication \(no manifest\.json\)"):
        read(notebook_folder / "nothing")
