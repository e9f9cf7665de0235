"""The Prefect API a command's flow runs against: the user's server (PREFECT_API_URL), or a temporary one.

Prefect's own temporary server gives up after 20 s (fails on a loaded machine), shares the terminal's process
group (Ctrl-C kills it first, and the flow then retries the dead API for over a minute) and outlives a killed
parent. This one is started by the command itself: in its own session (a terminal's Ctrl-C reaches only the
command, which then stops the server), with a start limit that survives a busy machine (the user's
PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS wins), and, on Linux, set to die with its parent
(PR_SET_PDEATHSIG), so even kill -9 of the command leaves no server behind.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dtoc.errors import DtocError
from dtoc.processes import child_options, stop_process_group

STARTUP_TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULT_STARTUP_TIMEOUT = 180.0
HOW_TO_SERVE = "start a long-lived server with `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def check_prefect_home() -> None:
    """Prefect keeps its database and results under PREFECT_HOME: it must be a folder this user can write to,
    which is tried (a folder can look writable and refuse a file, as /proc does)."""
    home = prefect_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home, prefix=".dtoc-probe-"):
            pass
    except OSError as error:
        raise DtocError(
            f"PREFECT_HOME {home} cannot be written ({error.strerror or error}; Prefect keeps its database "
            "there); set PREFECT_HOME to a folder you can write to"
        ) from None


API_TIMEOUT = 10.0  # seconds a Prefect server may take to answer one request before dtoc gives up on it


def api_answers(url: str, timeout: float = 5.0, path: str = "health") -> bool:
    """True when GET <url>/<path> answers 200 within timeout."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/{path}", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def check_api(url: str) -> None:
    """The user's Prefect server must answer, its health and its API both, before a flow is sent to it: a
    server that answers /health and nothing else would otherwise hold the run for minutes."""
    for path in ("health", "admin/version"):
        if not api_answers(url, API_TIMEOUT, path):
            raise DtocError(
                f"the Prefect server at PREFECT_API_URL={url} does not answer ({url.rstrip('/')}/{path}, "
                f"{API_TIMEOUT:g} s); start it (`prefect server start`) or unset PREFECT_API_URL to use a "
                "temporary one"
            )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def startup_timeout() -> float:
    try:
        return float(os.environ.get(STARTUP_TIMEOUT_SETTING) or DEFAULT_STARTUP_TIMEOUT)
    except ValueError:
        raise DtocError(f"{STARTUP_TIMEOUT_SETTING} must be a number of seconds") from None


def launch(port: int, log_file) -> subprocess.Popen:
    """The server process: Prefect's API app under uvicorn, as Prefect's own temporary server runs it."""
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise DtocError("Prefect is not installed in this environment; reinstall dtoc")
    app_dir = Path(spec.origin).parent.parent
    environment = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    environment.pop("PREFECT_API_URL", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(app_dir),
            "--factory",
            "prefect.server.api.server:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "error",
            "--lifespan",
            "on",
        ],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        **child_options(own_session=True),
    )


def server_failure(log_path: Path) -> str:
    """The cause of a server's failure, from its log: the last line naming an error, else the last line."""
    lines = [line.strip() for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines()]
    lines = [line for line in lines if line]
    causes = [line for line in lines if re.search(r"(Error|Exception|error)\b", line) and "Traceback" not in line]
    return (causes or lines or ["no output"])[-1][:500]


def wait_until_healthy(process: subprocess.Popen, url: str, log_path: Path) -> None:
    """Poll the server's health until it answers, it dies, or the start limit passes (then DtocError)."""
    limit = startup_timeout()
    deadline = time.monotonic() + limit
    while not (api_answers(url, timeout=2.0) and api_answers(url, API_TIMEOUT, "admin/version")):
        if process.poll() is not None:
            raise DtocError(
                f"the temporary Prefect server stopped before it answered (exit {process.returncode}"
                f"{': ' + server_failure(log_path)}); {HOW_TO_SERVE}"
            )
        if time.monotonic() > deadline:
            raise DtocError(
                f"the temporary Prefect server did not answer within {limit:g} s (set "
                f"{STARTUP_TIMEOUT_SETTING} to wait longer), or {HOW_TO_SERVE}"
            )
        time.sleep(0.2)


class Api:
    """A Prefect API for one command: `url`, and `wait()` to block until it answers (a no-op for a user's
    server, which was checked already)."""

    def __init__(self, url: str, process: subprocess.Popen | None = None, log_path: Path | None = None) -> None:
        self.url, self.process, self.log_path = url, process, log_path

    def wait(self) -> str:
        if self.process is not None and self.log_path is not None:  # started here (with a log), not a user's
            wait_until_healthy(self.process, self.url, self.log_path)
        return self.url


@contextmanager
def prefect_api() -> Iterator[Api]:
    """The API for the block: the user's server if PREFECT_API_URL is set (checked now), else a temporary
    server started now (it boots while the caller imports Prefect; `wait()` before the first flow) and stopped
    when the block ends, whatever ends it."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        check_api(configured)
        yield Api(configured)
        return
    check_prefect_home()
    port = free_port()
    with tempfile.NamedTemporaryFile("w+", prefix="dtoc-prefect-server-", suffix=".log") as log_file:
        process = launch(port, log_file)
        try:
            yield Api(f"http://127.0.0.1:{port}/api", process, Path(log_file.name))
        finally:
            stop_process_group(process)
