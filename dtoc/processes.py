"""Child processes that never outlive the command that started them.

A child started with `preexec_fn=die_with_parent` is sent SIGTERM by Linux when its parent dies, even by
kill -9 (PR_SET_PDEATHSIG; elsewhere this is a no-op and the child relies on its own end-of-input check).
`stop_process_group` ends a child started in a session of its own, and anything it started.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import TypedDict

PR_SET_PDEATHSIG = 1


class ChildOptions(TypedDict, total=False):
    """Popen keyword arguments that child_options may set."""

    creationflags: int
    preexec_fn: Callable[[], object]
    start_new_session: bool


def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In the child: ask Linux to send SIGTERM when the parent dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def child_options(own_session: bool) -> ChildOptions:
    """Popen keyword arguments for a child that dies with its parent (and, if own_session, that a terminal's
    Ctrl-C does not reach: the command stops it itself)."""
    if sys.platform == "win32":  # not os.name: type checkers know sys.platform (the flag exists only there)
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if own_session else {}
    return {"preexec_fn": die_with_parent, "start_new_session": own_session}


def stop_process_group(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM to a child started in its own session (and its children); SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        process.wait(timeout=timeout)
    except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
        if process.poll() is None:
            process.kill()
            process.wait()


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists (on Linux; elsewhere assumed to)."""
    if not sys.platform.startswith("linux"):
        return True
    return os.path.exists(f"/proc/{pid}")


def processes_holding(path: str) -> list[int]:
    """The pids of the processes with `path` open (Linux: from /proc/*/fd; elsewhere none are known)."""
    holders = []
    if not sys.platform.startswith("linux"):
        return holders
    target = os.path.realpath(path)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            for fd in os.scandir(f"/proc/{entry.name}/fd"):
                if os.path.realpath(fd.path) == target:
                    holders.append(int(entry.name))
                    break
        except OSError:  # a process that ended, or one this user may not look into
            continue
    return sorted(holders)
