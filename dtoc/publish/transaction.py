"""The publication transaction: write into a staging folder, then swap it into place, so the last publication
survives any failure, signal or kill.

Entries beside the output folder OUT (the only things dtoc creates, moves or deletes outside OUT itself):
  .OUT.lock                held by the run writing OUT (a cross-platform lock; holds the holder's pid)
  .OUT.staging-<pid>/      a run in progress (discarded on failure, or by the next run after a kill)
  .OUT.previous/           the old publication during the swap (restored by the next run if a kill hit it)
  .OUT.failed-validation/  the report of the last run the validation gate stopped
  .OUT.input-catalog.json  cache: sha256 -> kind and period of the input files already read
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

import portalocker

from dtoc.errors import DtocError
from dtoc.processes import pid_alive, processes_holding
from dtoc.publish.output_folders import MANIFEST_FILE, publication_kind

_held: dict[Path, int] = {}  # output folders this process holds the lock of -> nesting depth
_handles: dict[Path, TextIO] = {}  # and their open lock files
PUBLISHED: list[Path] = []  # publications this process put in place (a late interruption can then say so)


def drop_inherited_locks() -> None:
    """In a forked child: close the lock files inherited from the parent (without unlocking: the lock is the
    parent's), so that a child that outlived its parent could never keep an output folder locked."""
    for handle in _handles.values():
        with suppress(OSError):
            handle.close()
    _handles.clear()
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=drop_inherited_locks)


class RunInProgress(DtocError):
    """Another dtoc run holds the lock on this output folder."""


def sibling(out_dir: Path, suffix: str) -> Path:
    """The entry beside OUT named .OUT.<suffix>."""
    return out_dir.parent / f".{out_dir.name}.{suffix}"


def take_lock(out_dir: Path) -> None:
    """Take OUT's lock for this process (re-entrant); RunInProgress at once if another process holds it."""
    key = Path(os.path.abspath(out_dir))
    if key in _held:
        _held[key] += 1
        return
    key.parent.mkdir(parents=True, exist_ok=True)
    handle = sibling(key, "lock").open("a+", encoding="utf-8")
    try:
        portalocker.lock(handle, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING)
    except portalocker.exceptions.LockException:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise RunInProgress(describe_holder(out_dir, holder)) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    _held[key], _handles[key] = 1, handle


def describe_holder(out_dir: Path, holder: str) -> str:
    """Who holds OUT's lock: the dtoc run whose pid the lock file records, or, if that run has ended, the
    processes that keep the lock file open (a leftover of it), with what to do."""
    if not holder.isdigit() or pid_alive(int(holder)):
        return f"another dtoc run is in progress on {out_dir} (pid {holder}); wait for it to finish and run again"
    others = [pid for pid in processes_holding(str(sibling(out_dir, "lock"))) if pid != os.getpid()]
    left = ", ".join(map(str, others)) or "unknown"
    return (
        f"the lock on {out_dir} is held by process {left}, left behind by dtoc run {holder}, which has ended; "
        f"stop it (kill {left.split(',')[0]}) and run again"
    )


def release_lock(out_dir: Path) -> None:
    """Release one hold of OUT's lock; the lock file stays (removing it would race with the next taker)."""
    key = Path(os.path.abspath(out_dir))
    _held[key] -= 1
    if _held[key] == 0:
        del _held[key]
        handle = _handles.pop(key)
        portalocker.unlock(handle)
        handle.close()


@contextmanager
def publication_lock(out_dir: Path) -> Iterator[None]:
    """Hold OUT's lock for the block; a second run stops at once with a clear message."""
    take_lock(out_dir)
    try:
        yield
    finally:
        release_lock(out_dir)


def recover_interrupted_publish(out_dir: Path) -> list[str]:
    """Undo what a killed run left beside OUT (call with the lock held); returns what was done."""
    done, previous = [], sibling(out_dir, "previous")
    if previous.is_dir() and not previous.is_symlink():
        if out_dir.exists():
            shutil.rmtree(previous)
            done.append(f"removed {previous} left by an interrupted publish (the new publication was in place)")
        else:
            previous.rename(out_dir)
            done.append(f"restored the last publication {out_dir} from {previous} after an interrupted publish")
    for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
            done.append(f"removed unfinished staging folder {stale}")
    return done


def new_staging_dir(out_dir: Path) -> Path:
    """A fresh, empty .OUT.staging-<pid> folder."""
    staging = sibling(out_dir, f"staging-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


_critical: dict[str, list] = {"depth": [], "pending": []}


@contextmanager
def uninterruptible() -> Iterator[None]:
    """A block that Ctrl-C and SIGTERM do not split: a signal handler that asks `defer_signal` first (as the
    dtoc command's does) has the signal held until the block ends, then raised as KeyboardInterrupt."""
    _critical["depth"].append(True)
    try:
        yield
    finally:
        _critical["depth"].pop()
    if not _critical["depth"] and _critical["pending"]:
        _critical["pending"].clear()
        raise KeyboardInterrupt()


def defer_signal(signum: int) -> bool:
    """True (and the signal remembered) while an uninterruptible block runs; False otherwise."""
    if _critical["depth"]:
        _critical["pending"].append(signum)
        return True
    return False


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Make staging the publication: OUT -> .OUT.previous, staging -> OUT, then drop previous. Ctrl-C and
    SIGTERM wait until all three are done (a kill -9 between them is repaired by the next run)."""
    previous = sibling(out_dir, "previous")
    with uninterruptible():
        if out_dir.exists():
            out_dir.rename(previous)
        staging.rename(out_dir)
        fsync_dir(out_dir.parent)
        PUBLISHED.append(out_dir)
        if previous.exists():
            shutil.rmtree(previous)


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def fsync_dir(path: Path) -> None:
    """Make a folder's renames durable (a no-op where folders cannot be opened, as on Windows)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def keep_reports(source: Path, target: Path, names: tuple[str, ...]) -> None:
    """Copy a failed run's reports out of its staging folder into .OUT.failed-validation (replacing the last)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in names:
        if (source / name).is_file():
            shutil.copy2(source / name, target / name)


def check_replaceable_kind(out_dir: Path, kind: str) -> None:
    """The last line of defence, whatever path led here: OUT is absent, empty, or a publication of this kind."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise DtocError(f"{out_dir} is not a folder dtoc may publish into (a file or a symbolic link)")
    if out_dir.is_dir() and any(out_dir.iterdir()) and publication_kind(out_dir) != kind:
        raise DtocError(f"{out_dir} holds files that are not a dtoc {kind} publication; nothing was changed")


@contextmanager
def publication(out_dir: Path, kind: str, log: Callable[[str], None] | None = None) -> Iterator[Path]:
    """The publication transaction every publishing command uses: lock OUT (or keep the lock this process took
    in its pre-flight checks), repair what a killed run left, yield a fresh staging folder to write into; when
    the block ends normally, swap the staging folder into place as OUT. The staging folder must hold a
    manifest.json naming this kind, which marks the folder as a dtoc publication; on any exception the staging
    folder is discarded and the last publication is left as it was."""
    with publication_lock(out_dir):
        for action in recover_interrupted_publish(out_dir):
            (log or (lambda message: None))(action)
        check_replaceable_kind(out_dir, kind)
        staging = new_staging_dir(out_dir)
        try:
            yield staging
            if publication_kind(staging) != kind:
                raise DtocError(
                    f"internal error: the {kind} publication for {out_dir} has no {MANIFEST_FILE} of kind {kind!r}"
                )
            swap_into_place(staging, out_dir)
        except BaseException:
            discard_staging(staging)
            raise
