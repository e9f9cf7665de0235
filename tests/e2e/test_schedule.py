"""The monthly refresh deployment: served against a real Prefect server on loopback and triggered. A scheduled run
is `dtoc run` from its first check on: it publishes, and a run the command would refuse (a user's file in the
output folder; an older revision than the publication's) ends Failed with the command's own one line as the flow
run's state message, the publication unchanged."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from dtoc.errors import DtocError
from tests.conftest import PROJECT_ROOT, link_real_quarter, run_in_process, stop_process_group, tree_digest
from tests.support.workbooks import read_real_sheet, set_cell, write_grid

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.flow
DEPLOYMENT = "dtoc-expectations/monthly-refresh"


def prefect(args: list[str], env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "prefect"), *args], env=env, capture_output=True, text=True, timeout=timeout)


def trigger(env: dict) -> tuple[subprocess.CompletedProcess, str]:
    """Run the deployment now and wait; returns the CLI's result and the finished flow run's state message."""
    run = prefect(["deployment", "run", DEPLOYMENT, "--watch", "--watch-timeout", "240"], env, timeout=300)
    run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", run.stdout)
    assert run_id, run.stdout[-2000:]
    inspected = json.loads(prefect(["flow-run", "inspect", run_id.group(1), "-o", "json"], env).stdout)
    return run, inspected["state"]["message"] or ""


def wait_for_deployment(server: subprocess.Popen, env: dict, log_path: Path) -> str:
    deadline = time.monotonic() + 90
    while True:  # the deployment exists once `serve` has registered it
        inspect = prefect(["deployment", "inspect", DEPLOYMENT], env)
        if inspect.returncode == 0:
            return inspect.stdout
        assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
        time.sleep(1)


def older_december(data: Path, real_workbook) -> None:
    """The folder's December 2017 replaced by an earlier revision of it (Revised: 1st March 2018)."""
    grid = read_real_sheet(real_workbook("December 2017"))
    set_cell(grid, "C9", "1st March 2018")
    os.unlink(data / real_workbook("December 2017").name)
    write_grid(data / "december-first-cut.xls", {"LA - by responsible org": grid})


def test_served_deployment_publishes_and_refuses_what_the_command_refuses(
    prefect_server, real_data, real_workbook, config, tmp_path
):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    out = tmp_path / "published"
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    command = [str(BIN / "dtoc"), "serve", "--data-dir", str(data), "--out", str(out), "--cron", "0 7 15 * *"]
    server = subprocess.Popen(
        [*command, "--no-fetch"],
        env=prefect_server,
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert "0 7 15 * *" in wait_for_deployment(server, prefect_server, log_path)
        first, _ = trigger(prefect_server)
        assert first.returncode == 0 and "Completed" in first.stdout, first.stdout[-2000:] + log_path.read_text()
        assert pl.read_csv(out / "expectations.csv").height == 151

        (out / "my-notes.txt").write_text("the board's questions\n")
        published = tree_digest(out)
        with pytest.raises(DtocError) as command_says:
            run_in_process(data, out, config, force=False)
        refused, message = trigger(prefect_server)
        assert refused.returncode != 0 and "Failed" in refused.stdout
        assert message == str(command_says.value) and "my-notes.txt" in message
        assert tree_digest(out) == published

        (out / "my-notes.txt").unlink()
        published = tree_digest(out)
        older_december(data, real_workbook)
        refused, message = trigger(prefect_server)
        assert refused.returncode != 0 and "revisions only move forward" in message, message
        assert tree_digest(out) == published
    finally:
        stop_process_group(server)
        log.close()


def test_serve_without_a_server_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([str(BIN / "dtoc"), "serve"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and "PREFECT_API_URL" in result.stderr
