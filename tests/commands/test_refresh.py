"""Refresh: a revised workbook is noticed, recomputed and reported cell by cell; an unchanged rerun is skipped.
Run in-process through `dtoc run`'s own checks and composition; `dtoc diff` through the command itself."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import xlrd

from dtoc.report.summary import format_run_report
from tests.conftest import invoke_cli, run_in_process
from tests.support.workbooks import read_real_sheet, set_cell, write_grid


def copy_sheet_as_xls(source: Path, target: Path, changes: dict[str, object] | None = None) -> None:
    """Rewrite the real 'LA - by responsible org' sheet cell for cell, optionally changing A1 cells."""
    grid = read_real_sheet(source)
    for ref, value in (changes or {}).items():
        set_cell(grid, ref, value)
    write_grid(target, {"LA - by responsible org": grid})


@pytest.fixture()
def quarter_folder(tmp_path, real_workbook, real_data):
    data = tmp_path / "data"
    data.mkdir()
    for period in ("October 2017", "November 2017"):
        os.symlink(real_workbook(period), data / real_workbook(period).name)
    os.symlink(real_data / "ons-mye" / "ukmidyearestimates2016.xls", data / "ukmidyearestimates2016.xls")
    copy_sheet_as_xls(real_workbook("December 2017"), data / "december.xls")
    return data


def run(data: Path, out: Path, config, force: bool = False):
    """`dtoc run`: the pre-flight checks, then (unless up to date) the publication; returns (plan, published)."""
    outcome = run_in_process(data, out, config, force=force)
    return outcome.plan, outcome.published


def test_revised_cell_is_reported_and_unchanged_rerun_is_skipped(quarter_folder, real_workbook, config, tmp_path):
    out = tmp_path / "out"
    run(quarter_folder, out, config)
    shutil.copytree(out, tmp_path / "before")
    assert run(quarter_folder, out, config)[0].up_to_date

    # Shropshire (E06000051) social care, December 2017: cell G144 holds 24 in the published workbook
    assert (
        xlrd.open_workbook(str(real_workbook("December 2017")))
        .sheet_by_name("LA - by responsible org")
        .cell_value(143, 6)
        == 24
    )
    # a consistent revision: Shropshire's social care days, its Total and the England row all move by 500
    # (an inconsistent one is refused by the validation gate: see test_bad_inputs.py)
    grid = read_real_sheet(real_workbook("December 2017"))
    revision = {"G144": 524, "I144": grid[143][8] + 500, "G15": grid[14][6] + 500, "I15": grid[14][8] + 500}
    copy_sheet_as_xls(real_workbook("December 2017"), quarter_folder / "december.xls", revision)
    plan, published = run(quarter_folder, out, config)
    assert not plan.up_to_date
    report = json.loads((out / "changes.json").read_text())
    assert any(line.startswith("revised delays input for 2017-12-01") for line in report["input_changes"])
    cells = report["differences"]["source_cells_changed"]["delays"]
    assert [(c["cell_ref"], c["old_value"], c["new_value"]) for c in cells] == [
        ("G144", 24, 524),
        ("G15", grid[14][6], grid[14][6] + 500),
    ]
    changed = {h["hwb_code"]: {f["figure"]: f for f in h["figures"]} for h in report["differences"]["hwbs_changed"]}
    assert list(changed) == ["E06000051"]
    assert changed["E06000051"]["baseline_asc_daily"]["change"] == pytest.approx(500 / 92)
    assert "asc_band" in changed["E06000051"]
    assert "G144" in (out / "changes.txt").read_text()
    assert "1 HWB changed: Shropshire" in format_run_report(published, config, out, [], [])

    diff = invoke_cli(["diff", str(tmp_path / "before"), str(out), "--format", "json"])
    assert diff.exit_code == 0
    assert json.loads(diff.stdout)["hwbs_changed"] == report["differences"]["hwbs_changed"]
    text = invoke_cli(["diff", str(tmp_path / "before"), str(out)]).stdout
    assert "  December 2017, Shropshire (E06000051), social care: 24 -> 524, " in text
    assert "december.xls 'LA - by responsible org'!G144\n" in text  # one cell, one way of writing it
    assert "1 cell(s) of rows that are no HWB" in text  # England's row (G15), counted, not listed

    run(quarter_folder, out, config, force=True)
    after_force = json.loads((out / "changes.json").read_text())
    assert not [line for line in after_force["input_changes"] if line.startswith(("new ", "revised "))]
    assert after_force["differences"]["hwbs_changed"] == []


def test_diff_of_a_folder_that_is_not_a_publication_is_an_error(tmp_path):
    result = invoke_cli(["diff", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 1 and "not a dtoc publication" in result.stderr
    assert result.stderr.startswith("dtoc: error: ") and result.stderr.count("\n") == 1
