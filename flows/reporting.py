"""How a dtoc command ends, whatever ends it, and how it runs a Prefect flow.

- Every failure caused by input, environment or options is one line, `dtoc: error: ...`, exit 1; an option
  the command line cannot parse is one line too. An unexpected internal error says so and where its
  traceback was written. Ctrl-C and SIGTERM stop the command within seconds (exit 130 and 143): the
  publication transaction discards the staging folder, the temporary Prefect server and the validation worker
  are stopped, and the last publication stays as it was.
- A flow runs against the user's Prefect server or a temporary one this command starts and stops
  (flows/server.py); Prefect's own log lines go to the Prefect run log, and to the terminal only with
  --verbose.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import tempfile
import traceback

from typer.exceptions import Abort, Exit, TyperException

from dtoc.errors import DtocError
from dtoc.ingest.text import printable

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "DO_NOT_TRACK": "1",
}
INTERRUPTED: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143}


RECEIVED: list[int] = []  # the signal that interrupted this command, if any


def interrupt(signum, frame) -> None:
    """SIGINT or SIGTERM: unwind like Ctrl-C (KeyboardInterrupt), so that every `finally` and the publication
    transaction's discard run; typer turns it into exit code 130, main_guarded reports which signal it was."""
    from dtoc.publish.transaction import defer_signal

    if signum not in RECEIVED:
        RECEIVED.append(signum)
    if not defer_signal(signum):
        raise KeyboardInterrupt()


def set_quiet_defaults() -> None:
    """No analytics, no tracking, no warnings for tasks outside flows, unless the user set otherwise."""
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)


def one_line(message: object) -> str:
    """A message on one line: its lines joined with '; ', odd characters (control and invisible characters, the
    undecodable bytes of a file name) backslash-escaped, so it prints whatever the terminal's encoding."""
    return printable("; ".join(part.strip() for part in str(message).splitlines() if part.strip()))


def fail(message: object, code: int = 1) -> int:
    print(f"dtoc: error: {one_line(message)}", file=sys.stderr, flush=True)
    return code


def describe_interruption() -> str:
    from dtoc.publish.transaction import PUBLISHED

    if PUBLISHED:
        return f"interrupted after the new publication was put in place: {PUBLISHED[-1]} is complete"
    return "interrupted: nothing was published and the last publication is unchanged"


def report_internal_error(error: BaseException) -> int:
    """An error dtoc did not expect: one line naming it and the file holding its traceback."""
    handle, path = tempfile.mkstemp(prefix="dtoc-traceback-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        traceback.print_exception(error, file=stream)
    return fail(
        f"internal error ({type(error).__name__}: {one_line(error)}); please report it with the "
        f"traceback written to {path}"
    )


def describe_os_error(error: OSError) -> str:
    where = " -> ".join(str(name) for name in (error.filename, error.filename2) if name)
    return f"{error.strerror or error}{': ' + where if where else ''}"


def main_guarded(app, whole_process: bool = False) -> None:
    """Run the typer app and end the process as the module docstring says. whole_process: this is the `dtoc`
    process itself (not a test calling the command in its own process), which a failure may end at once."""
    set_quiet_defaults()
    from dtoc.publish.transaction import PUBLISHED

    PUBLISHED.clear()  # what this command publishes (a late interruption says so)
    for signum in INTERRUPTED:
        signal.signal(signum, interrupt)
    try:
        result = app(prog_name="dtoc", standalone_mode=False)
        code = result if isinstance(result, int) else 0
        if RECEIVED:
            raise KeyboardInterrupt()
    except TyperException as error:  # options the command line cannot parse (typer has shown the help for none)
        context = getattr(error, "ctx", None)
        code = (
            0
            if type(error).__name__ == "NoArgsIsHelpError"
            else fail(f"{error.format_message()} (see `{context.command_path if context else 'dtoc'} --help`)")
        )
    except Exit as exit_:
        code = exit_.exit_code
    except BaseException as error:  # the last line of defence: always one line
        code = report_error(error)
    if whole_process and code != 0:
        end_after_failure(code)
    sys.exit(code)


def end_after_failure(code: int) -> None:
    """End the process now that its one line is written. After a failure, Prefect's queued log records still hold
    the failed step's exception and frames; at a normal interpreter exit DuckDB's bindings then find objects of
    theirs alive and print a forty-line "leaked instances" report after the one line. Everything dtoc started has
    been stopped by then (the temporary server, the validation worker and the pack's second process also die with
    this process), so the process ends without running exit handlers."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def is_database_environment_error(error: BaseException) -> bool:
    """DuckDB's own I/O, memory and commit errors (a full disk while it writes the run's database, say)."""
    if "duckdb" not in sys.modules:
        return False
    import duckdb

    environment = (duckdb.IOException, duckdb.OutOfMemoryException, duckdb.TransactionException)
    return isinstance(error, environment) or (
        isinstance(error, duckdb.Error) and "No space left on device" in str(error)
    )


def report_error(error: BaseException) -> int:
    """The one line for whatever ended the command. After Ctrl-C or SIGTERM, whatever the interruption turned
    into on its way out (Prefect may report it as a crash of its own), the interruption is what is reported."""
    if RECEIVED or isinstance(error, (KeyboardInterrupt, Abort)):
        return fail(describe_interruption(), INTERRUPTED[RECEIVED[0] if RECEIVED else signal.SIGINT])
    if isinstance(error, DtocError):
        return fail(error)
    if isinstance(error, OSError):
        return fail(describe_os_error(error))
    if is_database_environment_error(error):
        return fail(f"the run's database could not be written ({one_line(error)})")
    if isinstance(error, SystemExit):
        raise error
    return report_internal_error(error)


class HideInputErrorTracebacks(logging.Filter):
    """A DtocError is a finding about the inputs, reported in one line at the end: Prefect's records of it keep
    their message but lose the Python traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] and issubclass(record.exc_info[0], DtocError):
            record.exc_info, record.exc_text = None, None
        return True


def quiet_prefect_console(verbose: bool) -> None:
    """Prefect's console handler shows INFO and up with --verbose, nothing otherwise (the run log keeps all)."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler):
            handler.setLevel(logging.INFO if verbose else logging.CRITICAL + 1)
    for name in ("prefect.flow_runs", "prefect.task_runs", "prefect.engine"):
        logging.getLogger(name).addFilter(HideInputErrorTracebacks())
    if not verbose:  # a log record Prefect cannot send (its API failing, a full TMPDIR) is not printed as a traceback
        logging.raiseExceptions = False


def run_flow(reference: str, verbose: bool, *arguments, **keywords):
    """Run the flow named 'module:attribute' against a Prefect API (a temporary server boots while the flow's
    module, and Prefect with it, is imported), with no heartbeat wait at the end."""
    from flows.progress import progress
    from flows.server import prefect_api

    progress("starting Prefect" + ("" if os.environ.get("PREFECT_API_URL") else " (a temporary server)"))
    with prefect_api() as api:
        module, name = reference.split(":")
        flow = getattr(importlib.import_module(module), name)
        from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        url = api.wait()
        quiet_prefect_console(verbose)
        progress(f"running the flow {flow.name}")
        with temporary_settings(updates={PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            try:
                return flow(*arguments, **keywords)
            finally:
                drain_prefect_workers()
                progress("stopping Prefect")


def drain_prefect_workers(timeout: float = 5.0) -> None:
    """Send Prefect's queued logs and events while the API still answers (the server stops next)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=timeout)
