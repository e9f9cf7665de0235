"""The monthly refresh deployment: served against a real Prefect server on loopback, triggered, completed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import PROJECT_ROOT, stop_process_group

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.flow


def test_served_deployment_runs_on_demand_and_keeps_its_schedule(prefect_server, real_data, tmp_path):
    out = tmp_path / "published"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [
            str(BIN / "dtoc"),
            "serve",
            "--data-dir",
            str(real_data),
            "--out",
            str(out),
            "--cron",
            "0 7 15 * *",
            "--no-fetch",
        ],
        env=prefect_server,
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:  # the deployment exists once `serve` has registered it
            inspect = subprocess.run(
                [str(BIN / "prefect"), "deployment", "inspect", "dtoc-expectations/monthly-refresh"],
                env=prefect_server,
                capture_output=True,
                text=True,
            )
            if inspect.returncode == 0:
                break
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(1)
        assert "0 7 15 * *" in inspect.stdout
        triggered = subprocess.run(
            [
                str(BIN / "prefect"),
                "deployment",
                "run",
                "dtoc-expectations/monthly-refresh",
                "--watch",
                "--watch-timeout",
                "240",
            ],
            env=prefect_server,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert triggered.returncode == 0, triggered.stdout[-2000:] + (tmp_path / "serve.log").read_text()[-3000:]
        assert "Completed" in triggered.stdout
        assert pl.read_csv(out / "expectations.csv").height == 151
    finally:
        stop_process_group(server)
        log.close()


def test_serve_without_a_server_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([str(BIN / "dtoc"), "serve"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and "PREFECT_API_URL" in result.stderr
