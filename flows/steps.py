"""What both flows share: a domain function as an announced Prefect task, and the state a deployment's run of a
command's composition ends in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed, State

from dtoc.errors import DtocError
from flows.progress import announced
from flows.reporting import one_line

Result = TypeVar("Result")


def step(function, name: str):
    """The function as a Prefect task named `name`, announced on a terminal when it starts (flows.progress)."""
    return task(name=name, cache_policy=NO_CACHE)(announced(function, name))


def served(compose: Callable[[], tuple[Path, Result | None]]) -> Result | State:
    """A deployment's run of a composition (which returns its output folder and what it published, None when the
    folder was up to date): what it published; Completed when nothing was to publish; Failed, its message the one
    line the command would print, when the checks refuse."""
    try:
        out, published = compose()
    except DtocError as error:
        return Failed(message=one_line(error))
    if published is None:
        return Completed(message=f"{out} is up to date: nothing to publish")
    return published
