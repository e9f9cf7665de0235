"""Revisions chosen by their own dates, and --use checked (issue 17, points 1 and 2).

Each test writes its revisions from the real December 2017 workbook (the real Revised cell C9 holds '10th May
2018'; Shropshire's Social Care cell G144 holds 24), links the real October and November workbooks, and checks
the published figure against the value the test reads from the cells itself (tests/support/source_cells.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from dtoc.errors import DtocError
from dtoc.report.summary import format_run_report
from tests.conftest import link_real_quarter, run_in_process, tree_digest
from tests.support.source_cells import read_month
from tests.support.workbooks import read_real_sheet, set_cell, write_grid

SHEET = "LA - by responsible org"
SHROPSHIRE = "E06000051"


def december_revision(target: Path, real_workbook, revised: str, extra_days: int = 500) -> Path:
    """The real December 2017 sheet with its Revised cell set and Shropshire's social care days (G144), its
    Total (I144) and the England row (G15, I15) all moved by extra_days: a consistent revision."""
    grid = read_real_sheet(real_workbook("December 2017"))
    assert grid[8][1] == "Revised:" and grid[143][4] == "Shropshire"
    set_cell(grid, "C9", revised)
    for ref, row, col in (("G144", 143, 6), ("I144", 143, 8), ("G15", 14, 6), ("I15", 14, 8)):
        set_cell(grid, ref, grid[row][col] + extra_days)
    return write_grid(target, {SHEET: grid})


def shropshire_asc_daily(paths: list[Path]) -> float:
    """Shropshire's baseline social care daily delays from the three workbooks' cells: days summed / 92."""
    return sum(read_month(path).areas[SHROPSHIRE][2] for path in paths) / 92


def published_asc_daily(out: Path) -> float:
    return pl.read_csv(out / "expectations.csv").filter(pl.col("hwb_code") == SHROPSHIRE)["baseline_asc_daily"][0]


def quarter_paths(data: Path, real_workbook, december: Path) -> list[Path]:
    return [data / real_workbook("October 2017").name, data / real_workbook("November 2017").name, december]


def test_the_latest_revision_is_used_without_any_option_and_said_once(tmp_path, real_workbook, real_data, config):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    newer = december_revision(data / "december-second-revision.xls", real_workbook, "12th June 2018")
    outcome = run_in_process(data, tmp_path / "out", config)
    assert published_asc_daily(tmp_path / "out") == pytest.approx(
        shropshire_asc_daily(quarter_paths(data, real_workbook, newer)), rel=1e-12
    )
    original = data / real_workbook("December 2017").name
    expected = (
        f"December 2017: using {newer} (published 8th February 2018, revised 12th June 2018), the latest "
        f"revision; set aside {original} (published 8th February 2018, revised 10th May 2018)"
    )
    log = (tmp_path / "out" / "run-log.txt").read_text().splitlines()
    assert log.count(expected) == 1
    printed = format_run_report(outcome.published, config, tmp_path / "out", [], outcome.plan.choices)
    assert printed.count("December 2017: using") == 1 and expected in printed


def test_an_earlier_revision_beside_the_published_one_is_set_aside(tmp_path, real_workbook, real_data, config):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    december_revision(data / "december-first-cut.xls", real_workbook, "1st March 2018")
    run_in_process(data, tmp_path / "out", config)
    original = data / real_workbook("December 2017").name
    assert published_asc_daily(tmp_path / "out") == pytest.approx(
        shropshire_asc_daily(quarter_paths(data, real_workbook, original)), rel=1e-12
    )
    assert "set aside " + str(data / "december-first-cut.xls") in (tmp_path / "out" / "run-log.txt").read_text()


def test_two_contents_with_the_same_dates_stop_naming_both(tmp_path, real_workbook, real_data, config):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    twin = december_revision(data / "december-twin.xls", real_workbook, "10th May 2018")
    with pytest.raises(DtocError) as refusal:
        run_in_process(data, tmp_path / "out", config)
    message = str(refusal.value)
    for fragment in (str(twin), real_workbook("December 2017").name, "same date", "--use", "revised 10th May 2018"):
        assert fragment in message
    assert not (tmp_path / "out").exists()


def test_use_goes_back_to_an_older_revision_and_may_lie_outside_the_folder(tmp_path, real_workbook, real_data, config):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data, skip="December 2017")
    newer = december_revision(data / "december-second-revision.xls", real_workbook, "12th June 2018")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    older = elsewhere / "december.xls"
    shutil.copy(real_workbook("December 2017"), older)
    run_in_process(data, tmp_path / "out", config, use=(older,))
    assert published_asc_daily(tmp_path / "out") == pytest.approx(
        shropshire_asc_daily(quarter_paths(data, real_workbook, older)), rel=1e-12
    )
    assert f"set aside {newer}" in (tmp_path / "out" / "run-log.txt").read_text()


@pytest.mark.parametrize("case", ["plans csv", "another month", "absent", "other vintage", "not a workbook"])
def test_use_of_a_file_the_run_cannot_use_is_an_error(case, tmp_path, real_workbook, real_data, config):
    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    out = tmp_path / "out"
    run_in_process(data, out, config)
    before = tree_digest(out)
    named, fragments = {
        "plans csv": (tmp_path / "plans.csv", ["is not a DToC workbook", "CSV"]),
        "another month": (real_workbook("November 2018"), ["November 2018", "does not use", "2017-18Q3"]),
        "absent": (tmp_path / "absent.xls", ["does not exist"]),
        "other vintage": (
            real_data / "ons-mye" / "ukmidyearestimates2017finalversion.xls",
            ["mid-2017", "uses mid-2016", "--population"],
        ),
        "not a workbook": (tmp_path / "notes.xls", ["is not an Excel workbook"]),
    }[case]
    (tmp_path / "plans.csv").write_text("hwb_code,month,nhs_days,asc_days,joint_days\nE06000051,2018-09,1,2,3\n")
    (tmp_path / "notes.xls").write_text("these are my notes\n")
    with pytest.raises(DtocError) as refusal:
        run_in_process(data, out, config, use=(named,))
    message = str(refusal.value)
    assert message.startswith(f"--use {named}") and "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert tree_digest(out) == before


def test_the_catalog_remembers_each_workbook_s_dates(tmp_path, real_workbook, real_data, config):
    """A second run reads no workbook's first rows again to learn its dates: the catalog holds them."""
    import json

    data = link_real_quarter(tmp_path / "data", real_workbook, real_data)
    december_revision(data / "december-second-revision.xls", real_workbook, "12th June 2018")
    run_in_process(data, tmp_path / "out", config)
    catalog = json.loads((tmp_path / ".out.input-catalog.json").read_text())
    assert {entry.get("revised") for entry in catalog.values()} == {"12th June 2018"}
