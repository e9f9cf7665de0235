"""Issue 18's edges that `dtoc run`'s own composition shows in-process: a publication edited since it was
published is never replaced in silence; a file that changes between the checks and the publication stops the
run; a data folder that is a file, and an 8 GB file in the data folder, are one line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dtoc.commands.run import ExpectationsRequest, publish_checked, run_expectations
from dtoc.errors import DtocError
from tests.conftest import InProcessGate, invoke_cli, link_real_quarter, run_in_process, tree_digest
from tests.support.workbooks import read_real_sheet, set_cell, write_grid

SUMMARY = "hwb/E06000051-shropshire.summary.csv"


@pytest.fixture()
def publication(real_publication, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    return real_publication.parent / "data", out


@pytest.mark.parametrize("change", ["line appended", "empty folder", "link to a file", "link to a folder"])
def test_a_publication_changed_since_it_was_published_is_refused_naming_what(change, publication, config, tmp_path):
    data, out = publication
    what = {
        "line appended": lambda: (out / SUMMARY).open("a").write("E06000051,my note\n") and SUMMARY,
        "empty folder": lambda: (out / "hwb" / "notes").mkdir() or "hwb/notes/",
        "link to a file": lambda: os.symlink(tmp_path / "elsewhere.txt", out / "hwb" / "link.txt") or "hwb/link.txt",
        "link to a folder": lambda: os.symlink(tmp_path, out / "somewhere") or "somewhere",
    }[change]()
    (tmp_path / "elsewhere.txt").write_text("kept\n")
    before = tree_digest(out)
    with pytest.raises(DtocError) as refused:
        run_in_process(data, out, config, force=False)
    message = str(refused.value)
    assert what in message and "was changed since dtoc published it" in message and "--force" in message
    assert tree_digest(out) == before and (tmp_path / "elsewhere.txt").read_text() == "kept\n"
    run_in_process(data, out, config, force=True)  # the user's choice: replace it
    assert not (out / "hwb" / "notes").exists() and not (out / "hwb" / "link.txt").is_symlink()
    assert (tmp_path / "elsewhere.txt").read_text() == "kept\n"


def test_a_file_dtoc_did_not_write_is_never_replaced_even_with_force(publication, config):
    data, out = publication
    (out / "hwb" / "board-paper.docx").write_bytes(b"the user's work")
    before = tree_digest(out)
    with pytest.raises(DtocError, match=r"hwb/board-paper.docx, which dtoc did not publish there.*--force does not"):
        run_in_process(data, out, config, force=True)
    assert tree_digest(out) == before


def test_a_file_that_changes_between_the_checks_and_the_publication_stops_the_run(
    tmp_path, real_workbook, real_data, config
):
    """An older revision moved over a workbook after the checks read it: nothing is published from a file that is
    no longer there, and the next run is not told it is up to date (it refuses to go back a revision)."""
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    out = tmp_path / "out"
    run_in_process(data, out, config)
    before = tree_digest(out)
    december = data / real_workbook("December 2017").name
    grid = read_real_sheet(real_workbook("December 2017"))
    set_cell(grid, "C9", "1st March 2018")
    older = write_grid(tmp_path / "older.xls", {"LA - by responsible org": grid})

    def swap_then_publish(plan):
        os.replace(older, december)  # while the flow would be starting
        return publish_checked(plan, InProcessGate(), log=lambda m: None)

    request = ExpectationsRequest(data, out, config, force=True)
    with pytest.raises(DtocError) as stopped:
        run_expectations(request, swap_then_publish, lambda m: None)
    assert str(december) in str(stopped.value) and "changed while the run was going" in str(stopped.value)
    assert tree_digest(out) == before
    with pytest.raises(DtocError, match="revisions only move forward"):
        run_in_process(data, out, config, force=False)


def test_a_data_folder_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "data.xls").write_bytes(b"not a folder")
    result = invoke_cli(["run", "--data-dir", str(tmp_path / "data.xls"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "is a file, not a folder" in result.stderr and not (tmp_path / "out").exists()
    fetched = invoke_cli(["fetch", "--data-dir", str(tmp_path / "data.xls")])  # nothing downloaded, nothing made
    assert fetched.exit_code == 1 and fetched.stderr.count("\n") == 1, fetched.stderr
    assert "is a file, not a folder" in fetched.stderr
    assert (tmp_path / "data.xls").read_bytes() == b"not a folder" and sorted(tmp_path.iterdir()) == [
        tmp_path / "data.xls"
    ]


def test_an_8_gb_file_in_the_data_folder_is_skipped_unread(tmp_path, real_workbook, real_data, config):
    """A sparse 8 GB file named .xls: skipped by its size (never opened, never hashed), and named in the message
    of a month missing."""
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data, skip="November 2017")
    with (data / "huge.xls").open("wb") as handle:
        handle.truncate(8 * 2**30)
    with pytest.raises(DtocError) as refused:
        run_in_process(data, tmp_path / "out", config)
    message = str(refused.value)
    assert "November 2017" in message and "huge.xls" in message and "8,192.0 MB" in message
    catalog = Path(tmp_path / ".out.input-catalog.json")
    assert not catalog.exists() or "huge" not in catalog.read_text()
