"""How a command ends: SIGTERM unwinds like Ctrl-C (exit 143, one line), a signal never splits the swap's
renames, unexpected errors name their traceback file, OS errors name their path. In-process; the whole
command under a real Ctrl-C and kill -9 is in tests/e2e/test_cli.py."""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

import pytest

from dtoc.publish import transaction
from flows import reporting


@pytest.fixture()
def guarded(capsys):
    """Run main_guarded on a stand-in app; returns (exit code, stderr). Signal handlers are restored after."""
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}

    def call(app_body):
        reporting.RECEIVED.clear()
        with pytest.raises(SystemExit) as ended:
            reporting.main_guarded(lambda **options: app_body())
        return ended.value.code, capsys.readouterr().err

    yield call
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
    reporting.RECEIVED.clear()


def test_sigterm_unwinds_every_finally_and_is_one_line(guarded):
    unwound = []

    def body():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(10_000_000):  # the handler runs at the next bytecode boundary
                pass
        finally:
            unwound.append(True)

    code, err = guarded(body)
    assert code == 143 and unwound == [True]
    assert err == "dtoc: error: interrupted: nothing was published and the last publication is unchanged\n"


def test_a_signal_inside_the_swap_waits_until_it_is_done(guarded, tmp_path):
    steps = []

    def body():
        with transaction.uninterruptible():
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1_000_000):
                pass
            steps.append("renamed both")
        steps.append("never reached")

    code, _err = guarded(body)
    assert code == 130 and steps == ["renamed both"]


def test_an_internal_error_names_its_traceback_file(guarded):
    def body():
        raise ZeroDivisionError("boom")

    code, err = guarded(body)
    assert code == 1 and err.startswith("dtoc: error: internal error (ZeroDivisionError: boom)")
    written = Path(err.rsplit("written to ", 1)[1].strip())
    assert "ZeroDivisionError" in written.read_text() and err.count("\n") == 1
    written.unlink()


@pytest.mark.parametrize(
    "number, words",
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EACCES, "Permission denied"),
        (errno.ENAMETOOLONG, "File name too long"),
    ],
)
def test_an_os_error_is_one_line_naming_the_path(guarded, number, words, tmp_path):
    def body():
        raise OSError(number, os.strerror(number), str(tmp_path / "out" / "hwb" / "x.pdf"))

    code, err = guarded(body)
    assert code == 1 and err == f"dtoc: error: {words}: {tmp_path / 'out' / 'hwb' / 'x.pdf'}\n"


def test_a_multi_line_message_is_printed_on_one_line(guarded):
    def body():
        from dtoc.errors import DtocError

        raise DtocError("validation failed (2 check(s))\n  first\n  second")

    _code, err = guarded(body)
    assert err == "dtoc: error: validation failed (2 check(s)); first; second\n"


def test_a_full_disk_under_duckdb_is_one_line(guarded):
    def body():
        import duckdb

        raise duckdb.IOException('IO Error: Could not write file "/tmp/x/dtoc.duckdb": No space left on device')

    code, err = guarded(body)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("dtoc: error: the run's database could not be written (IO Error") and "No space left" in err
