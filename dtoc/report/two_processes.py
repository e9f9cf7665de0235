"""The pack's per-HWB files written by two processes where the platform forks safely (Linux).

The largest part of a publication pack is 151 independent file sets and briefs, all CPU-bound; a run has two
cores. The items are split in two: a forked child writes the second half while this process writes the first.
The child inherits every imported module (no start-up cost) and runs only the writer given (no Prefect, DuckDB
or polars calls), so forking a process that has other threads is safe here. Where fork is not the platform's
way (Windows, macOS), the items are written in this process, one after the other.

The child never outlives this process and never holds what it holds: it dies with its parent (even on kill -9,
dtoc.processes.die_with_parent), leaves Ctrl-C to the parent, drops the output folder's lock it inherited
(dtoc.publish.transaction closes inherited lock files in every forked child), and is stopped at once if this
process fails or is interrupted first. Its exception, if any, is raised here; it prints nothing itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from dtoc.processes import die_with_parent

Item = TypeVar("Item")


def write_items(function: Callable[..., list[Path]], items: Sequence[Item], *arguments: object) -> list[Path]:
    """function(item, *arguments) for every item, in this process; the paths written."""
    return [path for item in items for path in function(item, *arguments)]


def child_main(connection, parent: int, function: Callable[..., list[Path]], items: Sequence, arguments: tuple) -> None:
    """In the forked child: die with the parent, leave signals to it, write the items, send back the paths or the
    exception, and end without Python's exit handlers (which belong to the parent)."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if os.getppid() != parent:  # the parent died before the child could ask to die with it
        os._exit(1)
    try:
        outcome: tuple[str, object] = ("ok", write_items(function, items, *arguments))
    except BaseException as error:
        outcome = ("error", error)
    try:
        connection.send(outcome)
    except Exception as unsendable:  # an exception that cannot be pickled: its words travel instead
        connection.send(("error", RuntimeError(f"{type(unsendable).__name__}: {outcome[1]!r}")))
    finally:
        connection.close()
        os._exit(0)


def write_in_two(function: Callable[..., list[Path]], items: Sequence[Item], *arguments: object) -> list[Path]:
    """write_items, the second half in a forked child where the platform allows (see the module docstring).
    function must be a module-level function; an exception in the child is raised here."""
    if not sys.platform.startswith("linux") or len(items) < 2:
        return write_items(function, items, *arguments)
    half = len(items) // 2
    context = multiprocessing.get_context("fork")
    theirs, mine_end = context.Pipe(duplex=False)
    child = context.Process(target=child_main, args=(mine_end, os.getpid(), function, items[half:], arguments))
    child.start()
    mine_end.close()
    try:
        mine = write_items(function, items[:half], *arguments)
        status, result = theirs.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"the second writer process ended without its result (exit {child.exitcode})") from None
    except BaseException:
        child.kill()
        raise
    finally:
        child.join()
        theirs.close()
    if status == "error":
        raise result
    return mine + result
