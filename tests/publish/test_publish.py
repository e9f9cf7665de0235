"""Atomic publish: the last publication survives a failure or a kill -9 at any point, and the next run recovers."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

from dtoc.publish import files
from dtoc.publish import transaction as publish
from tests.conftest import lock_held_elsewhere


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_publication(out: Path, marker: str) -> None:
    with publish.publication_lock(out):
        staging = publish.new_staging_dir(out)
        files.write_table(pl.DataFrame({"hwb_code": ["E06000001"], "marker": [marker]}), staging, "expectations")
        publish.swap_into_place(staging, out)


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import polars as pl
    from dtoc.publish import files, transaction as publish
    out, kill_at = Path(sys.argv[1]), sys.argv[2]
    real_rename, renames = Path.rename, []
    def rename_then_maybe_die(self, target):
        result = real_rename(self, target)
        renames.append(target)
        if kill_at == f"after-rename-{len(renames)}":
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    Path.rename = rename_then_maybe_die
    with publish.publication_lock(out):
        staging = publish.new_staging_dir(out)
        files.write_table(pl.DataFrame({"hwb_code": ["E06000001"], "marker": ["new"]}), staging, "expectations")
        if kill_at == "while-staging":
            os.kill(os.getpid(), signal.SIGKILL)
        publish.swap_into_place(staging, out)
""")


@pytest.mark.parametrize("kill_at", ["while-staging", "after-rename-1"])
def test_kill_during_publish_leaves_last_publication_recoverable(tmp_path, kill_at):
    out = tmp_path / "derived" / "2017-18Q3"
    make_publication(out, "old")
    before = tree_digest(out)
    result = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(out), kill_at], capture_output=True)
    assert result.returncode == -9, result.stderr.decode()
    with publish.publication_lock(out):
        actions = publish.recover_interrupted_publish(out)
    assert actions, "the next run should report what it cleaned up"
    assert tree_digest(out) == before, "the previous publication must be byte-for-byte intact"
    assert not list(out.parent.glob(".2017-18Q3.staging-*")) and not (out.parent / ".2017-18Q3.previous").exists()


def test_kill_after_new_publication_moved_in_keeps_the_new_one(tmp_path):
    out = tmp_path / "2017-18Q3"
    make_publication(out, "old")
    result = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(out), "after-rename-2"], capture_output=True)
    assert result.returncode == -9
    with publish.publication_lock(out):
        publish.recover_interrupted_publish(out)
    assert pl.read_csv(out / "expectations.csv")["marker"].to_list() == ["new"]
    assert not (out.parent / ".2017-18Q3.previous").exists()


def test_second_run_stops_at_once_while_the_first_holds_the_lock(tmp_path):
    out = tmp_path / "2017-18Q3"
    with (
        lock_held_elsewhere(out) as pid,
        pytest.raises(publish.RunInProgress, match=f"another dtoc run is in progress on {out}.*pid {pid}"),
        publish.publication_lock(out),
    ):
        pass
    with publish.publication_lock(out):  # released when the holder ends
        pass


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    out = tmp_path / "2017-18Q3"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import time
        from pathlib import Path
        from dtoc.publish import files, transaction as publish
        with publish.publication_lock(Path({str(out)!r})):
            print("locked", flush=True)
            time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=10)
    with publish.publication_lock(out):
        pass


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tTab"])
def test_text_that_could_run_as_a_formula_is_neutralised(tmp_path, name):
    files.write_table(pl.DataFrame({"hwb_name": [name, "Telford & Wrekin, UA / x"]}), tmp_path, "t")
    with (tmp_path / "t.csv").open(newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert written[0]["hwb_name"] == "'" + name
    assert written[1]["hwb_name"] == "Telford & Wrekin, UA / x"
    assert pl.read_parquet(tmp_path / "t.parquet")["hwb_name"][0] == name  # data file keeps the true value
