"""The validation gate in a process of its own.

Great Expectations costs ~180 MB and a ~5 s import. A GateWorker is started at the beginning of a run: its
process imports GX on the other core while Prefect starts, then waits on stdin for one request (the run's
database, the report folder and the parameters), runs `run_gate` and answers with the result as one JSON line.
The run's own process never imports GX. If the run ends first, the worker sees stdin close and exits.

    python -m expectations.worker      (reads one JSON request line, writes one JSON result line)
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from dtoc.errors import ValidationFailed
from dtoc.processes import child_options
from expectations.result import GateResult

DATE_KEYS = ("quarter_first_month", "quarter_last_month")


class GateWorker:
    """A started `python -m expectations.worker`, ready for one validation."""

    def __init__(self) -> None:
        environment = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "expectations.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            **child_options(own_session=True),
        )
        atexit.register(self.stop)

    def submit(self, database_path: Path, report_dir: Path, parameters: dict) -> GateWorker:
        """Hand the worker its one request; it validates while the caller goes on."""
        request = json.dumps(
            {"database_path": str(database_path), "report_dir": str(report_dir), "parameters": parameters}, default=str
        )
        stdin = self.process.stdin
        assert stdin is not None  # started with stdin=PIPE
        stdin.write(request + "\n")
        stdin.close()
        self.process.stdin = None  # communicate() must not touch the closed pipe
        return self

    def result(self) -> GateResult:
        """Wait for the verdict of the submitted request."""
        output, errors = self.process.communicate(timeout=900)
        lines = output.strip().splitlines()
        if self.process.returncode != 0 or not lines:
            raise ValidationFailed(
                f"the validation worker failed (exit {self.process.returncode}); nothing was published: "
                f"{last_error(errors)}"
            )
        return GateResult(**json.loads(lines[-1]))

    def run(self, database_path: Path, report_dir: Path, parameters: dict) -> GateResult:
        return self.submit(database_path, report_dir, parameters).result()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def last_error(errors: str) -> str:
    """What ended the worker, from its stderr: the exception's own line (the last line of a traceback), not the
    traceback or Great Expectations' output before it."""
    lines = [line.strip() for line in errors.splitlines() if line.strip()]
    return lines[-1][:500] if lines else "it wrote nothing"


_prestarted: list[GateWorker] = []


def prestart() -> None:
    """Start a worker now (it imports GX in the background) for the next take_worker()."""
    if not _prestarted:
        _prestarted.append(GateWorker())


def take_worker() -> GateWorker:
    """The prestarted worker if there is one, else a new one."""
    return _prestarted.pop() if _prestarted else GateWorker()


def main() -> None:
    import great_expectations  # noqa: F401  - warm up while the run computes

    from expectations.gate import run_gate

    line = sys.stdin.readline()
    if not line.strip():
        return  # the run ended before validating
    request = json.loads(line)
    parameters = {
        key: date.fromisoformat(value) if key in DATE_KEYS else value for key, value in request["parameters"].items()
    }
    answer, sys.stdout = sys.stdout, sys.stderr  # anything GX prints goes to stderr
    result = run_gate(Path(request["database_path"]), Path(request["report_dir"]), parameters)
    answer.write(json.dumps(asdict(result), default=str) + "\n")
    answer.flush()


if __name__ == "__main__":
    main()
