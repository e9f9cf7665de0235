"""Progress on a terminal: one line per step of a command ('dtoc: build-database'), on stderr, only when stderr is a
terminal. Output that is piped, captured or logged (scripts, cron, CI, the tests) gets nothing extra, and stdout
(the command's answer) never does. The CLI announces its checks and the Prefect start; each flow task announces
itself through `announced`, the wrapper of every flow task (flows.steps.step)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TextIO, TypeVar

Result = TypeVar("Result")


def on_terminal(stream: TextIO) -> bool:
    """Whether stream is a terminal (a closed stream, or one without isatty, is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def progress(message: str, stream: TextIO | None = None) -> None:
    """'dtoc: message' on stream (by default the current sys.stderr) if it is a terminal; nothing otherwise."""
    out = sys.stderr if stream is None else stream
    if on_terminal(out):
        out.write(f"dtoc: {message}\n")
        out.flush()


def announced(function: Callable[..., Result], name: str) -> Callable[..., Result]:
    """function, saying `name` on a terminal each time it starts (a flow task's body)."""

    @functools.wraps(function)
    def run(*arguments: object, **keywords: object) -> Result:
        progress(name)
        return function(*arguments, **keywords)

    return run
