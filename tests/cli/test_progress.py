"""Progress lines (flows/progress.py): one line per step on a terminal, nothing extra anywhere else. The terminal is
a stream the test makes that says it is one (isatty), never a timing."""

from __future__ import annotations

import io
import sys

import pytest

from flows.progress import announced, progress
from tests.conftest import invoke_cli


class Terminal(io.StringIO):
    """A stream that says it is a terminal (and, closed, fails as a closed terminal's stream does)."""

    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        return True


def test_a_line_on_a_terminal_and_nothing_on_a_pipe_or_a_closed_stream():
    terminal, pipe, closed = Terminal(), io.StringIO(), Terminal()
    progress("build-database", terminal)
    progress("build-database", pipe)
    closed.close()
    progress("build-database", closed)  # no error either
    assert (terminal.getvalue(), pipe.getvalue()) == ("dtoc: build-database\n", "")


def test_the_default_stream_is_stderr_as_it_is_when_called(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert announced(lambda x: x * 2, "combine-delays")(21) == 42
    assert terminal.getvalue() == "dtoc: combine-delays\n"


def flow_tasks():
    from flows import expectations_flow, monitor_flow

    steps = [getattr(expectations_flow.TASK_STEPS, name) for name in expectations_flow.TASK_STEPS.__dataclass_fields__]
    steps += [getattr(monitor_flow.TASK_STEPS, name) for name in monitor_flow.TASK_STEPS.__dataclass_fields__]
    return [*steps, expectations_flow.start_validation, expectations_flow.validation_verdict]


def test_every_task_of_both_flows_announces_itself_before_it_runs(monkeypatch):
    """Each task's body, called without its arguments, says its name and then fails on the missing arguments: the
    line comes before the work."""
    tasks = flow_tasks()
    assert {t.name for t in tasks} >= {"build-database", "write-pages", "start-validation", "validate"}
    assert {t.name for t in tasks} >= {"combine-year-delays", "build-monitoring-database"}
    for task in tasks:
        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        with pytest.raises(TypeError):
            task.fn()
        assert terminal.getvalue() == f"dtoc: {task.name}\n", task.name


def run_cli(arguments: list[str], stderr: io.StringIO) -> tuple[object, str, str]:
    """The whole `dtoc` command in this process with stderr given: (exit code, stdout, stderr)."""
    result = invoke_cli(arguments, stderr)
    return result.exit_code, result.stdout, result.stderr


def test_the_checks_are_announced_on_a_terminal_only(real_publication):
    """An up-to-date `dtoc run` (no Prefect): on a terminal one progress line for the checks, on a pipe none."""
    arguments = ["run", "--data-dir", str(real_publication.parent / "data"), "--out", str(real_publication)]
    code, out, err = run_cli([*arguments, "--no-fetch"], Terminal())
    assert code in (0, None) and "is up to date" in out
    assert err == "dtoc: checking the options, the inputs and the output folder\n"
    code, out, err = run_cli([*arguments, "--no-fetch"], io.StringIO())
    assert code in (0, None) and "is up to date" in out and err == ""


def test_an_error_stays_one_line_off_a_terminal(tmp_path):
    arguments = ["monitor", "--data-dir", str(tmp_path / "absent"), "--out", str(tmp_path / "out")]
    code, _, err = run_cli(arguments, io.StringIO())
    assert code == 1 and err.count("\n") == 1 and err.startswith("dtoc: error: data folder")
    code, _, err = run_cli(arguments, Terminal())
    lines = err.splitlines()
    assert code == 1 and lines[0].startswith("dtoc: checking the options, the year's workbooks")
    assert len(lines) == 2 and lines[1].startswith("dtoc: error: data folder")
