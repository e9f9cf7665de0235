"""Issue 18's edges that only a whole `dtoc run` process shows: kill -9 of the command while the pack's two
processes write (no process left, no lock held), a Prefect server that answers /health and nothing else, a
PREFECT_HOME that looks writable and is not, and a disk that fills while DuckDB writes (one line, no leak report
from DuckDB's bindings)."""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from dtoc.publish.transaction import publication_lock
from tests.conftest import DTOC, run_dtoc, tree_digest
from tests.support.loopback import serving, url_of
from tests.support.processes import alive, descendants

pytestmark = pytest.mark.flow


def wait_for(condition, run: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.02)


def test_kill_9_during_the_pack_leaves_no_process_and_no_lock(good_publication, real_data, prefect_server, tmp_path):
    _, good = good_publication
    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = tree_digest(out)
    run = subprocess.Popen(
        [DTOC, "run", "--data-dir", str(real_data), "--out", str(out), "--force"],
        env=prefect_server,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    written = lambda: len(list(tmp_path.glob(".out.staging-*/hwb/*.xlsx")))  # noqa: E731
    wait_for(lambda: written() >= 8, run)
    family = descendants(run.pid)
    assert family, "the pack's second process should be running"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    deadline = time.monotonic() + 20
    while alive(family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(family), [Path(f"/proc/{p}/cmdline").read_text()[:100] for p in alive(family)]
    with publication_lock(out):  # free at once: no leftover holds it
        pass
    assert tree_digest(out) == before


class HealthOnly(http.server.BaseHTTPRequestHandler):
    """A Prefect server that answers /health and holds every other request without answering."""

    def do_GET(self):
        if self.path.endswith("/health"):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"true")
        else:
            time.sleep(120)

    do_POST = do_GET

    def log_message(self, *arguments):
        pass


def test_a_server_that_answers_only_health_is_one_line_naming_it(good_publication, real_data, tmp_path):
    _, good = good_publication
    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = tree_digest(out)
    with serving(HealthOnly) as server:
        url = f"{url_of(server)}/api"
        env = {**os.environ, "PREFECT_API_URL": url}
        result = run_dtoc(["run", "--data-dir", str(real_data), "--out", str(out), "--force"], env, tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("dtoc: error: the Prefect server at") and url in result.stderr
    assert tree_digest(out) == before
    with publication_lock(out):
        pass


def test_a_prefect_home_that_refuses_files_is_one_line_with_its_cause(real_data, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = run_dtoc(
        ["run", "--data-dir", str(real_data), "--out", str(tmp_path / "out"), "--force"],
        {**env, "PREFECT_HOME": "/proc/dtoc-prefect"},
        tmp_path,
    )
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "PREFECT_HOME /proc/dtoc-prefect cannot be written (" in result.stderr


@pytest.fixture()
def small_disk(tmp_path):
    """A 1 MB file system of its own (tmpfs), unmounted afterwards."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True)
    assert mounted.returncode == 0, f"a test file system is needed (mount tmpfs, as root): {mounted.stderr!r}"
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_while_duckdb_writes_is_one_line_and_no_leak_report(real_data, prefect_server, small_disk):
    result = run_dtoc(
        ["run", "--data-dir", str(real_data), "--out", str(small_disk / "out"), "--force"], prefect_server, small_disk
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("dtoc: error: "), result.stderr
    assert "No space left on device" in result.stderr and "internal error" not in result.stderr
    assert "nanobind" not in result.stderr + result.stdout
    assert sorted(p.name for p in small_disk.iterdir()) == [".out.lock"]
