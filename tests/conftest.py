"""Shared fixtures and helpers: the real published data folder and workbooks, the config, a Prefect server and
`dtoc` as a whole process (for the few whole-process tests), `dtoc run`'s composition in-process
(`publish_in_process`, `real_publication`) and the CLI in-process (`invoke_cli`). The small workbooks the tests
write are in tests/support/workbooks.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dtoc.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ["DTOC_OFFLINE"] = "1"  # tests never download; the fetch tests use a loopback server


def real_data_dir(lock_file: Path) -> Path:
    """The folder of the real published workbooks: $DTOC_DATA_DIR, else ../shared/data beside the project, else
    data/raw, fetched there once by dtoc's own fetch when no folder holds them (tests/support/real_data.py)."""
    import sys

    from dtoc.ingest.downloads import HttpDownloader, read_sources_manifest
    from tests.support.real_data import find_real_data

    def progress(line: str) -> None:
        print(f"tests: {line}", file=sys.stderr, flush=True)  # shown with the first test that needs the data

    return find_real_data(PROJECT_ROOT, read_sources_manifest(), HttpDownloader(), lock_file, os.environ, progress)


@pytest.fixture(scope="session")
def real_data(tmp_path_factory) -> Path:
    """The real data folder; tests that need it fail (not skip) with one line saying how to provide it."""
    from dtoc.errors import DtocError

    try:  # the folder shared by parallel workers' temporary folders holds their common lock
        return real_data_dir(tmp_path_factory.getbasetemp().parent / "dtoc-real-data.lock")
    except DtocError as error:
        problem = str(error)
    pytest.fail(problem, pytrace=False)  # outside the handler, so that pytest shows the one line alone


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def real_workbook(real_data):
    """Path of the real monthly workbook for a period label such as 'December 2017' (read from SOURCES.tsv)."""
    import csv

    with (real_data / "SOURCES.tsv").open(newline="") as handle:
        rows = {row["period_in_file"]: real_data / row["path"] for row in csv.DictReader(handle, delimiter="\t")}
    return rows.__getitem__


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One `prefect server start` on 127.0.0.1 for the whole test session; yields the environment to run
    `dtoc` against it, and stops the server by its PID at the end."""
    import shutil
    import subprocess
    import time
    import urllib.request

    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
    }
    prefect = shutil.which("prefect") or str(Path(os.sys.executable).with_name("prefect"))
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
        env={k: v for k, v in env.items() if k != "PREFECT_API_URL"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240  # a busy machine: see flows/server.py
    while True:
        try:
            with urllib.request.urlopen(f"{env['PREFECT_API_URL']}/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
        time.sleep(0.3)
    try:
        yield env
    finally:
        stop_process_group(server)
        log.close()


def stop_process_group(process, timeout: float = 20) -> None:
    """SIGTERM to a process started with start_new_session=True (and its children); SIGKILL if it lingers."""
    import signal
    import subprocess

    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


DTOC = str(Path(os.sys.executable).with_name("dtoc"))


def run_dtoc(args: list[str], env: dict[str, str], cwd: Path):
    """`dtoc ARGS` as a whole process; returns the CompletedProcess."""
    import subprocess

    return subprocess.run([DTOC, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def tree_digest(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under folder."""
    import hashlib

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def good_publication(real_data, prefect_server, tmp_path_factory):
    """One real `dtoc run` on the Q3 2017-18 data, published into a fresh folder: (result, folder)."""
    work = tmp_path_factory.mktemp("good")
    out = work / "published"
    result = run_dtoc(
        ["run", "--data-dir", str(real_data), "--baseline", "2017-18Q3", "--out", str(out)], prefect_server, work
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result, out


class InProcessGate:
    """The validation gate run in the test's own process (the command runs it in a worker process)."""

    def start(self, database_path, report_dir, parameters):
        from expectations.gate import run_gate

        return run_gate(database_path, report_dir, parameters)

    def verdict(self, handle):
        return handle


def run_in_process(
    data: Path,
    out: Path,
    config,
    use: tuple[Path, ...] = (),
    population: Path | None = None,
    force: bool = True,
    fetch_from: Path | None = None,
    log=lambda message: None,
):
    """`dtoc run`'s own composition (checks, compute, gate, pack, swap) without Prefect: returns its outcome (the
    plan its checks made, and what it published: None when up to date)."""
    from dtoc.commands.run import ExpectationsRequest, publish_checked, run_expectations

    request = ExpectationsRequest(data, out, config, population, tuple(use), fetch_from, force)
    return run_expectations(request, lambda plan: publish_checked(plan, InProcessGate(), log=log), log)


def publish_in_process(data: Path, out: Path, config, use: tuple[Path, ...] = (), population: Path | None = None):
    """run_in_process, forced (even an up-to-date publication is recomputed): what it published."""
    return run_in_process(data, out, config, use, population).published


def invoke_cli(args: list[str], stderr=None):
    """The whole `dtoc` command, its one-line error reporting included, in this process (for commands that
    start no Prefect): exit code, stdout and stderr. `stderr` is the stream to write it to (a fake terminal)."""
    import contextlib
    import io
    import signal
    import sys
    from types import SimpleNamespace

    from flows.cli import app
    from flows.reporting import main_guarded

    out, err, argv = io.StringIO(), stderr if stderr is not None else io.StringIO(), sys.argv
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    sys.argv, code = ["dtoc", *args], None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main_guarded(app)
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.argv = argv
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    return SimpleNamespace(
        exit_code=code, stdout=out.getvalue(), stderr=err.getvalue(), output=out.getvalue() + err.getvalue()
    )


QUARTER_PERIODS = ("October 2017", "November 2017", "December 2017")


def link_real_quarter(
    data: Path,
    real_workbook,
    real_data: Path,
    skip: str | None = None,
    population_name: str = "ukmidyearestimates2016.xls",
) -> Path:
    """A data folder linking (not copying) the real October-December 2017 workbooks (but `skip`) and the mid-2016
    estimates (as population_name)."""
    data.mkdir(parents=True)
    for period in QUARTER_PERIODS:
        if period != skip:
            os.symlink(real_workbook(period), data / real_workbook(period).name)
    os.symlink(real_data / "ons-mye" / "ukmidyearestimates2016.xls", data / population_name)
    return data


@pytest.fixture(scope="session")
def real_publication(tmp_path_factory, real_workbook, real_data, config) -> Path:
    """`dtoc run`'s composition on the real Q3 2017-18 data, in-process, once per session; its data folder is
    the publication's parent / 'data'. Read-only: copy it before changing anything."""
    root = tmp_path_factory.mktemp("real-publication")
    publish_in_process(link_real_quarter(root / "data", real_workbook, real_data), root / "published", config)
    return root / "published"


@contextmanager
def lock_held_elsewhere(out: Path) -> Iterator[int]:
    """Another process holding OUT's publication lock for the block; yields its pid."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from dtoc.publish.transaction import publication_lock
        with publication_lock(Path({str(out)!r})):
            print("locked", flush=True)
            sys.stdin.readline()
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder.pid
    finally:
        holder.communicate("\n", timeout=10)


# A gate's summary as dtoc.commands.run_publish.judge_validation makes it: passed, with one check warning on three rows.
PASSED_GATE = {
    "passed": True,
    "checks": 90,
    "checks_passed": 89,
    "failed": 0,
    "warnings": 1,
    "warning_rows": 3,
    "report": "validation.html",
}
