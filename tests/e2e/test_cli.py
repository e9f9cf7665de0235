"""`dtoc run` as a user runs it: whole processes, through the Prefect flow, on the real Q3 2017-18 data. Only
what a whole process shows is tested here (exit codes, what is printed, signals, processes left behind, two
runs at once); input errors are tested in-process (tests/commands/test_bad_inputs.py, tests/commands/test_preflight.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import polars as pl
import pytest

from dtoc.vocabulary import CONTRACT_COLUMNS
from tests.conftest import DTOC, invoke_cli, publish_in_process, run_dtoc, tree_digest
from tests.support.processes import alive, descendants

pytestmark = pytest.mark.flow
VOLATILE_MANIFEST_KEYS = {"started", "finished", "prefect_flow_run_id", "outputs"}


@pytest.fixture(scope="module")
def published(good_publication):
    return good_publication


def test_run_publishes_the_contract_table_and_says_little(published):
    result, out = published
    assert result.returncode == 0, result.stderr[-3000:]
    assert "151 Health and Wellbeing Boards" in result.stdout and f"Published to {out}" in result.stdout
    assert len(result.stdout.splitlines()) <= 14 and result.stderr.strip() == ""  # no Prefect lines
    table = pl.read_csv(out / "expectations.csv")
    assert tuple(table.columns[:19]) == CONTRACT_COLUMNS
    assert table.height == 151 and table["hwb_code"].to_list() == sorted(table["hwb_code"].to_list())
    parquet = pl.read_parquet(out / "expectations.parquet")
    assert parquet.columns == table.columns
    assert (parquet["expected_total_daily"] - table["expected_total_daily"]).abs().max() == 0
    assert 3900 <= table["expected_total_daily"].sum() <= 4050
    assert "Resident in Scotland" in (out / "run-log.txt").read_text()


def test_an_input_error_is_one_line_before_prefect_starts(published, real_workbook, real_data, tmp_path):
    _, good = published
    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = tree_digest(out)
    data = tmp_path / "data"
    data.mkdir()
    for source in (
        real_workbook("October 2017"),
        real_workbook("November 2017"),
        real_data / "ons-mye" / "ukmidyearestimates2016.xls",
    ):
        os.symlink(source, data / source.name)
    home = tmp_path / "prefect-home"
    env = {**{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}, "PREFECT_HOME": str(home)}
    result = run_dtoc(["run", "--data-dir", str(data), "--out", str(out)], env, tmp_path)
    assert not home.exists(), "Prefect was started for a run that could not succeed"
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("dtoc: error: no DToC workbook")
    assert "December 2017" in result.stderr
    assert tree_digest(out) == before and not list(tmp_path.glob(".out.staging-*"))


def test_two_runs_started_together_one_publishes_the_other_stops(real_data, prefect_server, tmp_path):
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            [DTOC, "run", "--data-dir", str(real_data), "--out", str(out)],
            env=prefect_server,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(*run.communicate(timeout=600), run.returncode) for run in runs]
    codes = sorted(code for _, _, code in results)
    assert codes == [0, 1], results
    loser = next(stderr for _, stderr, code in results if code == 1)
    assert loser.startswith("dtoc: error: another dtoc run is in progress on") and loser.count("\n") == 1
    assert pl.read_csv(out / "expectations.csv").height == 151
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == [".out.lock"]


def start_and_wait_for_staging(real_data: Path, out: Path, tmp_path: Path) -> tuple[subprocess.Popen, set[int]]:
    """A `dtoc run --force` with its own temporary Prefect server (the default), started in a session of its own
    like a terminal's foreground job; returns once its flow is writing the staging folder."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    run = subprocess.Popen(
        [DTOC, "run", "--data-dir", str(real_data), "--out", str(out), "--force"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not list(out.parent.glob(f".{out.name}.staging-*")):
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.05)
    return run, descendants(run.pid)


@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_an_interrupted_run_leaves_the_last_publication_whole_and_no_process(how, published, real_data, tmp_path):
    _, good = published
    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = tree_digest(out)
    run, children = start_and_wait_for_staging(real_data, out, tmp_path)
    assert children, "the run should have started its Prefect server and validation worker"
    sent = time.monotonic()
    {
        "ctrl-c": lambda: os.killpg(run.pid, signal.SIGINT),
        "sigterm": lambda: os.kill(run.pid, signal.SIGTERM),
        "kill -9": lambda: os.kill(run.pid, signal.SIGKILL),
    }[how]()
    _, stderr = run.communicate(timeout=120)
    assert time.monotonic() - sent < 30, f"took {time.monotonic() - sent:.0f} s to stop"
    deadline = time.monotonic() + 20
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(children), "processes left behind: " + ", ".join(
        Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")[:120] for pid in alive(children)
    )
    if how != "kill -9":
        assert run.returncode == {"ctrl-c": 130, "sigterm": 143}[how], stderr
        assert stderr.strip() == "dtoc: error: interrupted: nothing was published and the last publication is unchanged"
        assert not list(tmp_path.glob(".out.staging-*"))
    assert tree_digest(out) == before


def test_bad_options_are_one_line(tmp_path):
    for arguments, fragment in (
        (["run", "--baseline", "2017Q3"], "expected YYYY-YYQn"),
        (["run", "--baseline", "9999-00Q4"], "the year must lie"),
        (["run", "--no-such-option"], "No such option"),
        (["explain", "Kent", "--format", "xml"], "--format must be text or json"),
    ):
        result = invoke_cli([*arguments, "--out", str(tmp_path / "o")] if arguments[0] == "run" else arguments)
        assert result.exit_code == 1 and result.stderr.startswith("dtoc: error: ") and fragment in result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "o").exists()


def test_an_unwritable_prefect_home_and_a_silent_server_are_one_line(published, real_data, tmp_path):
    _, good = published
    out = tmp_path / "out"
    shutil.copytree(good, out)
    (tmp_path / "home-is-a-file").write_text("")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    cases = (
        ({**env, "PREFECT_HOME": str(tmp_path / "home-is-a-file" / "prefect")}, "PREFECT_HOME"),
        ({**env, "PREFECT_API_URL": "http://127.0.0.1:9/api"}, "does not answer"),
    )
    for environment, fragment in cases:
        result = run_dtoc(["run", "--data-dir", str(real_data), "--out", str(out), "--force"], environment, tmp_path)
        assert result.returncode == 1 and fragment in result.stderr and result.stderr.count("\n") == 1, result.stderr
    silent = run_dtoc(["serve"], {**env, "PREFECT_API_URL": "http://127.0.0.1:9/api"}, tmp_path)
    assert silent.returncode == 1 and "does not answer" in silent.stderr and silent.stderr.count("\n") == 1


def test_two_runs_on_the_same_inputs_write_identical_data_files(published, real_data, prefect_server, config, tmp_path):
    """The command (through Prefect) and its composition run again in-process write the same data files."""
    _, first = published
    second = tmp_path / "second"
    publish_in_process(real_data, second, config)
    not_data = ("dtoc.duckdb", "manifest.json", "index.csv")  # index.csv lists the database's own sha256
    data_files = {name: digest for name, digest in tree_digest(first).items() if name not in not_data}
    assert "expectations.csv" in data_files and "expectations.parquet" in data_files and len(data_files) > 700
    second_files = tree_digest(second)
    assert {name: second_files.get(name) for name in data_files} == data_files
    indexes = [
        [line for line in (folder / "index.csv").read_text().splitlines() if "dtoc.duckdb" not in line]
        for folder in (first, second)
    ]
    assert indexes[0] == indexes[1] and len(indexes[0]) > 700
    manifests = [json.loads((folder / "manifest.json").read_text()) for folder in (first, second)]
    stable = [{k: v for k, v in m.items() if k not in VOLATILE_MANIFEST_KEYS} for m in manifests]
    assert stable[0] == stable[1]
    listed = {o["path"]: o["sha256"] for o in manifests[1]["outputs"]}
    assert {name: listed[name] for name in data_files} == {name: second_files[name] for name in data_files}
    rerun = run_dtoc(["run", "--data-dir", str(real_data), "--out", str(second)], prefect_server, tmp_path)
    assert rerun.returncode == 0 and "is up to date" in rerun.stdout
