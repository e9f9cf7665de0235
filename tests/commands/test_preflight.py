"""Checks before orchestration, in-process: the output folder is ours alone (a user's files are proven
untouched), leftovers are cleaned by every run, revisions only move forward, a damaged previous publication
never blocks a run, and `dtoc monitor` with nothing to monitor stops before any work."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dtoc.commands.monitor import MonitorRequest, check_monitor
from dtoc.errors import DtocError
from dtoc.publish import output_folders
from dtoc.publish.output_folders import OutputRefused, check_output_folder
from dtoc.publish.transaction import RunInProgress
from tests.conftest import link_real_quarter, lock_held_elsewhere, publish_in_process, run_in_process, tree_digest
from tests.support.workbooks import read_real_sheet, set_cell, write_grid


@pytest.fixture(scope="module")
def good(real_publication) -> Path:
    """The session's in-process publication of the real quarter; its data folder is good.parent / 'data'."""
    return real_publication


def users_files(folder: Path) -> Path:
    """A folder of a user's own files (and a subfolder) that dtoc must never touch."""
    (folder / "notes").mkdir(parents=True)
    (folder / "board-paper.docx").write_bytes(b"a user's document")
    (folder / "notes" / "todo.txt").write_text("mine\n")
    return folder


def refused(given: Path, *fragments: str, kind: str = "expectations", protected=None) -> str:
    with pytest.raises(OutputRefused) as refusal:
        check_output_folder(given, kind, protected or {})
    for fragment in fragments:
        assert fragment in str(refusal.value), str(refusal.value)
    return str(refusal.value)


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path):
    mine = users_files(tmp_path / "mine")
    before = tree_digest(mine)
    refused(mine, "did not publish", "name another folder")
    assert tree_digest(mine) == before and sorted(os.listdir(tmp_path)) == ["mine"]


def test_the_data_folder_a_folder_inside_it_or_one_holding_it_is_refused(tmp_path):
    data = users_files(tmp_path / "data")
    for given in (data, data / "derived", tmp_path):
        refused(given, "data folder", protected={"data folder": data})
    assert (data / "board-paper.docx").read_bytes() == b"a user's document"


def test_a_file_a_symlink_and_the_current_folder_are_refused(tmp_path, monkeypatch):
    target = users_files(tmp_path / "target")
    (tmp_path / "a-file.csv").write_text("x\n")
    os.symlink(target, tmp_path / "link")
    refused(tmp_path / "a-file.csv", "is a file")
    refused(tmp_path / "link", "symbolic link")
    monkeypatch.chdir(target / "notes")
    for given in (Path("."), Path(".."), target):
        refused(given, "current folder")
    assert (tmp_path / "a-file.csv").read_text() == "x\n" and (tmp_path / "link").is_symlink()


def test_an_unwritable_parent_or_an_over_long_name_is_refused(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        output_folders.os, "access", lambda path, mode: Path(path) != locked and real_access(path, mode)
    )
    refused(locked / "new" / "out", "cannot write in", str(locked))
    refused(tmp_path / ("x" * 240), "bytes long")


def test_a_read_only_publication_or_one_of_another_kind_or_holding_a_user_file_is_refused(good, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    refused(out, "holds a dtoc expectations publication, not monitoring", kind="monitoring")
    real_access = os.access
    monkeypatch.setattr(
        output_folders.os, "access", lambda path, mode: Path(path) != out / "hwb" and real_access(path, mode)
    )
    refused(out, "read-only")
    monkeypatch.undo()
    (out / "hwb" / "my-notes.txt").write_text("mine\n")
    refused(out, "hwb/my-notes.txt", "did not publish")
    (out / "manifest.json").write_text("{not json")
    refused(out, "not a readable dtoc manifest")


def test_new_empty_and_own_publication_folders_are_accepted(good, tmp_path):
    (tmp_path / "empty").mkdir()
    for given in (tmp_path / "new" / "deeper", tmp_path / "empty", good):
        assert check_output_folder(given, "expectations", {}) == Path(os.path.abspath(given))


def test_a_run_creates_nothing_outside_its_folder_and_siblings(tmp_path, real_workbook, real_data, config):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    parent = users_files(tmp_path / "parent")
    before = tree_digest(parent)
    run_in_process(data, parent / "out", config)
    created = set(os.listdir(parent)) - {"board-paper.docx", "notes"}
    assert "out" in created and created <= {"out", ".out.lock", ".out.input-catalog.json"}
    assert {
        k: v for k, v in tree_digest(parent).items() if not k.startswith("out/") and not k.startswith(".out")
    } == before


def test_leftovers_are_cleaned_by_the_next_run_even_an_up_to_date_one(good, tmp_path, real_workbook, real_data, config):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    shutil.copytree(good, tmp_path / ".out.previous")
    (tmp_path / ".out.staging-4242").mkdir()
    (tmp_path / ".out.staging-4242" / "half.csv").write_text("x")
    data = good.parent / "data"
    plan = run_in_process(data, out, config, force=False).plan
    assert plan.up_to_date and len(plan.cleaned) == 2
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) == [".out.lock"]


def newer_december(folder: Path, real_workbook, revised: str) -> Path:
    grid = read_real_sheet(real_workbook("December 2017"))
    set_cell(grid, "C9", revised)
    return write_grid(folder / "december-revised.xls", {"LA - by responsible org": grid})


def test_an_older_revision_than_the_publication_s_is_refused_unless_named(tmp_path, real_workbook, real_data, config):
    newer = link_real_quarter(tmp_path / "newer", real_workbook, real_data, skip="December 2017")
    newer_december(newer, real_workbook, "12th June 2018")
    out = tmp_path / "out"
    publish_in_process(newer, out, config)
    older = link_real_quarter(tmp_path / "older", real_workbook, real_data)
    december = older / real_workbook("December 2017").name
    with pytest.raises(DtocError) as refusal:
        run_in_process(older, out, config)
    for fragment in (
        "December 2017",
        str(december),
        "revised 10th May 2018",
        "december-revised.xls",
        "revised 12th June 2018",
        "--use",
    ):
        assert fragment in str(refusal.value)
    plan = run_in_process(older, out, config, (december,)).plan
    assert [s.path for s in plan.inputs.delays if s.period == "2017-12-01"] == [december]


def test_a_damaged_previous_publication_is_reported_and_replaced(good, tmp_path, config):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    parquet = out / "expectations.parquet"
    parquet.write_bytes(parquet.read_bytes()[:100])
    published = publish_in_process(good.parent / "data", out, config)
    assert any("could not be read" in line for line in published.changes["input_changes"])
    assert "could not be read" in (out / "changes.txt").read_text()
    assert (out / "expectations.parquet").read_bytes() == (good / "expectations.parquet").read_bytes()


def test_monitor_with_no_month_of_the_year_stops_saying_where_it_looked(tmp_path, real_workbook, config):
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(real_workbook("December 2017"), data / "december.xls")
    with pytest.raises(DtocError) as refusal:
        check_monitor(MonitorRequest(data, config, tmp_path / "expectations", "2018-19", tmp_path / "monitor"), print)
    assert "no DToC workbook for any month of 2018-19" in str(refusal.value) and str(data) in str(refusal.value)
    assert sorted(os.listdir(tmp_path)) == ["data"]


def test_a_second_run_stops_at_once_while_another_holds_the_lock(good, tmp_path, config):
    out = tmp_path / "out"
    with lock_held_elsewhere(out) as pid, pytest.raises(RunInProgress, match=f"pid {pid}"):
        run_in_process(good.parent / "data", out, config)
    assert not out.exists()


def test_population_of_another_vintage_is_a_visible_warning(good, tmp_path, real_data, config):
    plan = run_in_process(
        good.parent / "data",
        tmp_path / "out",
        config,
        population=real_data / "ons-mye" / "ukmidyearestimates2017finalversion.xls",
    ).plan
    assert plan.warnings == [
        "population estimates mid-2017 (ukmidyearestimates2017finalversion.xls) differ from "
        "the configured vintage mid-2016"
    ]


def test_a_folder_inside_a_publication_is_refused_also_through_a_link(good, tmp_path):
    out = tmp_path / "pub"
    shutil.copytree(good, out)
    os.symlink(out, tmp_path / "link")
    for given in (out / "sub", out / "hwb" / "x", tmp_path / "link" / "sub"):
        refused(given, "lies inside the dtoc publication", str(out), kind="assurance")
    assert not (out / "sub").exists() and not list(out.glob(".*"))


def test_a_damaged_manifest_does_not_block_a_run_when_the_index_accounts_for_every_file(good, tmp_path, config):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    (out / "manifest.json").write_text('{"kind": "expect')  # cut short
    assert check_output_folder(out, "expectations", {}) == out
    publish_in_process(good.parent / "data", out, config)
    assert (out / "expectations.csv").read_bytes() == (good / "expectations.csv").read_bytes()
    (out / "manifest.json").write_text("{not json")
    (out / "hwb" / "my-notes.txt").write_text("mine\n")  # the index no longer accounts for every file: refused
    refused(out, "not a readable dtoc manifest")
