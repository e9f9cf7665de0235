"""Publishing: write into a staging folder, then swap it into place so the last publication survives any failure.

Layout beside the output folder OUT:
  OUT/                  the current publication
  .OUT.staging-<pid>/   a run in progress (removed on failure or by the next run)
  .OUT.previous/        the old publication during the swap (restored by the next run if a kill hit the swap)
  .OUT.lock             held (flock) by the run that is writing OUT
  .OUT.input-catalog.json  cache: sha256 -> kind and period of files already read
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from dtoc.errors import DtocError

class RunInProgress(DtocError):
    """Another dtoc run holds the lock on this output folder."""


def sibling(out_dir: Path, suffix: str) -> Path:
    return out_dir.parent / f".{out_dir.name}.{suffix}"


@contextmanager
def publication_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on OUT for the whole run; a second run stops at once with a clear message."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = sibling(out_dir, "lock")
    handle = lock_path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        if error.errno in (errno.EAGAIN, errno.EACCES):
            raise RunInProgress(f"another dtoc run is in progress on {out_dir} (pid {holder}); "
                                "wait for it to finish and run again") from None
        raise
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def recover_interrupted_publish(out_dir: Path) -> list[str]:
    """Undo what a killed run left behind (call with the lock held); returns what was done."""
    done, previous = [], sibling(out_dir, "previous")
    if previous.exists():
        if out_dir.exists():
            shutil.rmtree(previous)
            done.append(f"removed {previous} left by an interrupted publish (the new publication was in place)")
        else:
            previous.rename(out_dir)
            done.append(f"restored the last publication {out_dir} from {previous} after an interrupted publish")
    for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
        done.append(f"removed unfinished staging folder {stale}")
    return done


def new_staging_dir(out_dir: Path) -> Path:
    staging = sibling(out_dir, f"staging-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Make staging the publication: OUT -> .OUT.previous, staging -> OUT, drop previous. fsyncs the folder."""
    previous = sibling(out_dir, "previous")
    if out_dir.exists():
        out_dir.rename(previous)
    staging.rename(out_dir)
    fsync_dir(out_dir.parent)
    if previous.exists():
        shutil.rmtree(previous)


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def ensure_not_locked(out_dir: Path) -> None:
    """Stop at once, before any work, if another run holds OUT's lock."""
    with publication_lock(out_dir):
        pass


def keep_reports(source: Path, target: Path, names: tuple[str, ...]) -> None:
    """Copy a failed run's reports out of its staging folder (replacing the last failed run's)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in names:
        if (source / name).is_file():
            shutil.copy2(source / name, target / name)


@contextmanager
def publication(out_dir: Path, log=None) -> Iterator[Path]:
    """The publication transaction every publishing command uses: lock OUT, repair what a killed run left,
    yield a fresh staging folder to write into; when the block ends normally, swap the staging folder into
    place as OUT (it must hold a manifest.json, which marks a publication); on any exception, discard it and
    leave the last publication as it was."""
    with publication_lock(out_dir):
        for action in recover_interrupted_publish(out_dir):
            (log or (lambda message: None))(action)
        staging = new_staging_dir(out_dir)
        try:
            yield staging
            if not (staging / "manifest.json").is_file():
                raise DtocError(f"internal error: the publication for {out_dir} has no manifest.json")
            swap_into_place(staging, out_dir)
        except BaseException:
            discard_staging(staging)
            raise
