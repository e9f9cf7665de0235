"""Handing a checked plan from a command to the flow it runs in the same process.

A Prefect flow's parameters are recorded by its server, so they must be plain data; a checked plan holds the
cells its checks read. The plan stays in this process: the command keeps it under a key and passes the key to
the flow, which takes it (once). A flow started by Prefect itself (a deployment) has no key and runs the checks.
"""

from __future__ import annotations

import os
from itertools import count

from dtoc.errors import DtocError

_handed_over: dict[str, object] = {}
_numbers = count()


def hand_over(plan: object) -> str:
    """Keep a checked plan for the flow this process runs next; returns the key the flow takes it by."""
    key = f"{os.getpid()}-{next(_numbers)}"
    _handed_over[key] = plan
    return key


def take_over(key: str):
    """The plan handed over under key (once)."""
    try:
        return _handed_over.pop(key)
    except KeyError:
        raise DtocError(f"internal error: no checked plan {key!r} in this process") from None
