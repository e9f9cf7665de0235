"""The bad-input catalogue: each bad input, built from a real workbook or written small, stops `dtoc run` with
exit code 1 and a message naming the file, sheet, cell, row or HWB, and leaves the last publication intact."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_dtoc, tree_digest
from tests.workbooks import read_real_sheet, set_cell, write_grid

pytestmark = pytest.mark.flow
SHEET = "LA - by responsible org"
POPULATION = "ons-mye/ukmidyearestimates2016.xls"


@pytest.fixture()
def quarter(tmp_path, real_workbook, real_data):
    """A data folder linking the real October-December 2017 workbooks and the mid-2016 estimates."""
    data = tmp_path / "data"
    data.mkdir()
    for period in ("October 2017", "November 2017", "December 2017"):
        os.symlink(real_workbook(period), data / real_workbook(period).name)
    os.symlink(real_data / POPULATION, data / "population.xls")
    return data


@pytest.fixture()
def last_publication(good_publication, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(good_publication[1], out)
    return out


def replace_december(data: Path, real_workbook, edit, sheet_name: str = SHEET, name: str = "december.xls") -> Path:
    """Swap the December 2017 workbook for a rewritten copy of its sheet, edited by `edit(grid)`."""
    (data / real_workbook("December 2017").name).unlink()
    grid = read_real_sheet(real_workbook("December 2017"))
    edit(grid)
    return write_grid(data / name, {sheet_name: grid})


def replace_population(data: Path, real_data: Path, edit) -> Path:
    (data / "population.xls").unlink()
    grid = read_real_sheet(real_data / POPULATION, "MYE2 - All")
    edit(grid)
    return write_grid(data / "population.xls", {"MYE2 - All": grid})


def assert_refused(data: Path, out: Path, tmp_path: Path, env: dict, *fragments: str, extra=()) -> str:
    before = tree_digest(out)
    result = run_dtoc(["run", "--data-dir", str(data), "--out", str(out), *extra], env, tmp_path)
    assert result.returncode == 1, result.stdout[-1000:] + result.stderr[-2000:]
    message = result.stderr.split("dtoc: error: ", 1)[-1]
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert tree_digest(out) == before, "the last publication changed"
    assert not list(out.parent.glob(f".{out.name}.staging-*"))
    return message


def row_of(grid, code: str) -> int:
    return next(i for i, row in enumerate(grid) if code in row)


DELAYS_CASES = {
    "sheet missing": (lambda g: None, {"sheet_name": "Sheet1"},
                      ["December 2017", "Skipped as neither", "december.xls", "'Sheet1'"]),
    "column renamed": (lambda g: set_cell(g, "G14", "Social Services"), {},
                       ["december.xls", SHEET, "row 14", "socialcare"]),
    "text in a numeric cell": (lambda g: set_cell(g, "F17", "n/a"), {}, ["december.xls", "cell F17", "'n/a'"]),
    "negative value": (lambda g: set_cell(g, "G17", -5.0), {}, ["cell G17", "cannot be negative", "-5"]),
    "duplicated area row": (lambda g: g.append(list(g[16])), {}, ["more than once", "E06000015", "december.xls"]),
    "total disagrees with its parts": (lambda g: set_cell(g, "I17", g[16][8] + 7), {},
                                       ["Total", "december.xls", "I17", "Derby"]),
}


@pytest.mark.parametrize("case", DELAYS_CASES)
def test_bad_delays_workbook(case, quarter, last_publication, real_workbook, prefect_server, tmp_path):
    edit, options, fragments = DELAYS_CASES[case]
    replace_december(quarter, real_workbook, edit, **options)
    assert_refused(quarter, last_publication, tmp_path, prefect_server, *fragments)


def test_header_moved_down_two_rows_is_still_found(quarter, last_publication, good_publication, real_workbook,
                                                  prefect_server, tmp_path):
    replace_december(quarter, real_workbook, lambda g: g.__setitem__(slice(12, 12), [[], []]))
    result = run_dtoc(["run", "--data-dir", str(quarter), "--out", str(last_publication), "--force"],
                      prefect_server, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    good = good_publication[1].joinpath("expectations.csv").read_bytes()  # the run on the unedited workbooks
    assert good == last_publication.joinpath("expectations.csv").read_bytes()
    assert "no differences in the published figures" in (last_publication / "changes.txt").read_text()


def test_a_month_missing(quarter, last_publication, real_workbook, prefect_server, tmp_path):
    (quarter / real_workbook("November 2017").name).unlink()
    assert_refused(quarter, last_publication, tmp_path, prefect_server, "no DToC workbook", "November 2017")


def test_two_workbooks_for_one_month_stop_unless_one_is_named(quarter, last_publication, real_workbook,
                                                               prefect_server, tmp_path):
    grid = read_real_sheet(real_workbook("December 2017"))
    set_cell(grid, "F17", grid[16][5] + 1)
    second = write_grid(quarter / "december-resubmitted.xls", {SHEET: grid})
    assert_refused(quarter, last_publication, tmp_path, prefect_server, "2 different workbooks hold December 2017",
                   real_workbook("December 2017").name, "december-resubmitted.xls", "--use")
    chosen = run_dtoc(["run", "--data-dir", str(quarter), "--out", str(last_publication), "--use",
                       str(quarter / real_workbook("December 2017").name)], prefect_server, tmp_path)
    assert chosen.returncode == 0, chosen.stderr[-2000:]
    assert "also holds December 2017" in (last_publication / "run-log.txt").read_text()
    assert second.exists()


def test_workbook_of_another_quarter_only(tmp_path, last_publication, real_workbook, real_data, prefect_server):
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(real_workbook("April 2018"), data / "april.xls")
    os.symlink(real_data / POPULATION, data / "population.xls")
    assert_refused(data, last_publication, tmp_path, prefect_server,
                   "October 2017, November 2017, December 2017", "cover: April 2018")


@pytest.mark.parametrize("case", ["truncated", "empty", "not excel"])
def test_unreadable_file_named_xls(case, quarter, last_publication, real_workbook, prefect_server, tmp_path):
    real = real_workbook("December 2017")
    (quarter / real.name).unlink()
    content = {"truncated": real.read_bytes()[:20000], "empty": b"",
               "not excel": b"<html><body>Delayed transfers</body></html>"}[case]
    (quarter / "december.xls").write_bytes(content)
    expected = {"truncated": "december.xls", "empty": "the file is empty", "not excel": "is not an Excel workbook"}
    assert_refused(quarter, last_publication, tmp_path, prefect_server, "december.xls", expected[case])


def test_population_missing_an_hwb(quarter, last_publication, real_data, prefect_server, tmp_path):
    replace_population(quarter, real_data, lambda g: g.pop(row_of(g, "E06000051")))
    assert_refused(quarter, last_publication, tmp_path, prefect_server, "E06000051", "Shropshire", "no population")


def test_duplicated_codes_in_the_population(quarter, last_publication, real_data, prefect_server, tmp_path):
    replace_population(quarter, real_data, lambda g: g.append(list(g[row_of(g, "E08000025")])))
    assert_refused(quarter, last_publication, tmp_path, prefect_server, "population.xls", "E08000025",
                   "more than once")


def test_population_on_other_boundaries(quarter, last_publication, real_data, prefect_server, tmp_path):
    def to_2019_codes(grid):  # Bournemouth, Christchurch and Poole (E06000058) replaced Bournemouth and Poole
        grid[row_of(grid, "E06000028")][0] = "E06000058"
        grid.pop(row_of(grid, "E06000029"))
    replace_population(quarter, real_data, to_2019_codes)
    assert_refused(quarter, last_publication, tmp_path, prefect_server, "E06000028", "E06000029",
                   "other local authority boundaries")
