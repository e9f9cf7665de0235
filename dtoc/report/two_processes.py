"""The pack's per-HWB files written by two processes where the platform forks safely (Linux).

The largest part of a publication pack is 151 independent file sets and briefs, all CPU-bound; a run has two
cores. The items are split in two: a forked child writes the second half while this process writes the first.
The child inherits every imported module (no start-up cost) and runs only the writer given (no Prefect, DuckDB
or polars calls), so forking a process that has other threads is safe here. Where fork is not the platform's
way (Windows, macOS), the items are written in this process, one after the other.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

Item = TypeVar("Item")


def write_items(function: Callable[..., list[Path]], items: Sequence[Item], *arguments: object) -> list[Path]:
    """function(item, *arguments) for every item, in this process; the paths written."""
    return [path for item in items for path in function(item, *arguments)]


def write_in_two(function: Callable[..., list[Path]], items: Sequence[Item], *arguments: object) -> list[Path]:
    """write_items, the second half in a forked child where the platform allows (see the module docstring).
    function must be a module-level function; an exception in the child is raised here."""
    if not sys.platform.startswith("linux") or len(items) < 2:
        return write_items(function, items, *arguments)
    half = len(items) // 2
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        theirs = pool.submit(write_items, function, items[half:], *arguments)
        mine = write_items(function, items[:half], *arguments)
        return mine + theirs.result()
