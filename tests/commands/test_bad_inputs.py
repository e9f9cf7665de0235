"""The bad-input catalogue: each bad input, built from a real workbook or written small, stops `dtoc run`'s own
composition (pre-flight checks, then compute, gate and publish, without Prefect: tests/conftest.py) with a
message naming the file, sheet, cell, row or HWB, and leaves the last publication byte-for-byte intact. The
whole command is run in tests/e2e/test_cli.py; here each case costs a computation, not a Prefect start."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dtoc.errors import DtocError
from tests.conftest import link_real_quarter, run_in_process, tree_digest
from tests.support.workbooks import read_real_sheet, set_cell, write_grid

SHEET = "LA - by responsible org"
POPULATION = "ons-mye/ukmidyearestimates2016.xls"


@pytest.fixture()
def quarter(tmp_path, real_workbook, real_data):
    """A data folder linking the real October-December 2017 workbooks and the mid-2016 estimates."""
    return link_real_quarter(tmp_path / "data", real_workbook, real_data, population_name="population.xls")


@pytest.fixture(scope="module")
def good(real_publication) -> Path:
    """One publication of the real quarter, made by the same composition the command runs (shared)."""
    return real_publication


@pytest.fixture()
def last_publication(good, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    return out


def assert_refused(data: Path, out: Path, config, *fragments: str, use: tuple[Path, ...] = ()) -> str:
    before = tree_digest(out)
    with pytest.raises(DtocError) as refused:
        run_in_process(data, out, config, use)
    message = str(refused.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert tree_digest(out) == before, "the last publication changed"
    assert not list(out.parent.glob(f".{out.name}.staging-*"))
    return message


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


def row_of(grid, code: str) -> int:
    return next(i for i, row in enumerate(grid) if code in row)


DELAYS_CASES = {
    "sheet missing": (
        lambda g: None,
        {"sheet_name": "Sheet1"},
        ["December 2017", "Skipped as neither", "december.xls", "'Sheet1'"],
    ),
    "column renamed": (
        lambda g: set_cell(g, "G14", "Social Services"),
        {},
        ["december.xls", SHEET, "row 14", "socialcare"],
    ),
    "text in a numeric cell": (lambda g: set_cell(g, "F17", "n/a"), {}, ["december.xls", "cell F17", "'n/a'"]),
    "negative value": (lambda g: set_cell(g, "G17", -5.0), {}, ["cell G17", "cannot be negative", "-5"]),
    "duplicated area row": (lambda g: g.append(list(g[16])), {}, ["more than once", "E06000015", "december.xls"]),
    "total disagrees with its parts": (
        lambda g: set_cell(g, "I17", g[16][8] + 7),
        {},
        ["Total", "december.xls", "I17", "Derby"],
    ),
}


@pytest.mark.parametrize("case", DELAYS_CASES)
def test_bad_delays_workbook(case, quarter, last_publication, real_workbook, config):
    edit, options, fragments = DELAYS_CASES[case]
    replace_december(quarter, real_workbook, edit, **options)
    assert_refused(quarter, last_publication, config, *fragments)


def test_header_moved_down_two_rows_is_still_found(quarter, last_publication, good, real_workbook, config):
    replace_december(quarter, real_workbook, lambda g: g.__setitem__(slice(12, 12), [[], []]))
    run_in_process(quarter, last_publication, config)
    assert (good / "expectations.csv").read_bytes() == (last_publication / "expectations.csv").read_bytes()
    assert "no differences in the published figures" in (last_publication / "changes.txt").read_text()


def test_a_month_missing(quarter, last_publication, real_workbook, config):
    (quarter / real_workbook("November 2017").name).unlink()
    assert_refused(quarter, last_publication, config, "no DToC workbook", "November 2017")


def test_two_workbooks_for_one_month_stop_unless_one_is_named(quarter, last_publication, real_workbook, config):
    grid = read_real_sheet(real_workbook("December 2017"))
    set_cell(grid, "F17", grid[16][5] + 1)
    second = write_grid(quarter / "december-resubmitted.xls", {SHEET: grid})
    assert_refused(
        quarter,
        last_publication,
        config,
        "2 different workbooks hold December 2017",
        real_workbook("December 2017").name,
        "december-resubmitted.xls",
        "--use",
        "published 8th February 2018, revised 10th May 2018",
    )
    run_in_process(quarter, last_publication, config, use=(quarter / real_workbook("December 2017").name,))
    assert "December 2017: using" in (last_publication / "run-log.txt").read_text()
    assert "named with --use; set aside" in (last_publication / "run-log.txt").read_text()
    assert second.exists()


def test_workbook_of_another_quarter_only(tmp_path, last_publication, real_workbook, real_data, config):
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(real_workbook("April 2018"), data / "april.xls")
    os.symlink(real_data / POPULATION, data / "population.xls")
    assert_refused(data, last_publication, config, "October 2017, November 2017, December 2017", "cover: April 2018")


@pytest.mark.parametrize("case", ["truncated", "empty", "not excel"])
def test_unreadable_file_named_xls(case, quarter, last_publication, real_workbook, config, capfd):
    real = real_workbook("December 2017")
    (quarter / real.name).unlink()
    content = {
        "truncated": real.read_bytes()[:20000],
        "empty": b"",
        "not excel": b"<html><body>Delayed transfers</body></html>",
    }[case]
    (quarter / "december.xls").write_bytes(content)
    expected = {"truncated": "december.xls", "empty": "the file is empty", "not excel": "is not an Excel workbook"}
    assert_refused(quarter, last_publication, config, "december.xls", expected[case])
    assert capfd.readouterr().out == ""  # the reader's own warnings about the damage are not printed


def test_population_missing_an_hwb(quarter, last_publication, real_data, config):
    replace_population(quarter, real_data, lambda g: g.pop(row_of(g, "E06000051")))
    assert_refused(quarter, last_publication, config, "E06000051", "Shropshire", "no population")


def test_duplicated_codes_in_the_population(quarter, last_publication, real_data, config):
    replace_population(quarter, real_data, lambda g: g.append(list(g[row_of(g, "E08000025")])))
    assert_refused(quarter, last_publication, config, "population.xls", "E08000025", "more than once")


def test_population_on_other_boundaries(quarter, last_publication, real_data, config):
    def to_2019_codes(grid):  # Bournemouth, Christchurch and Poole (E06000058) replaced Bournemouth and Poole
        grid[row_of(grid, "E06000028")][0] = "E06000058"
        grid.pop(row_of(grid, "E06000029"))

    replace_population(quarter, real_data, to_2019_codes)
    assert_refused(quarter, last_publication, config, "E06000028", "E06000029", "other local authority boundaries")


def test_a_population_of_zero_is_refused_by_the_gate_not_a_crash(quarter, last_publication, real_data, config):
    """A zero population cannot make a rate; the gate says so (naming the area) and nothing is published."""

    def zero_adults(grid):
        row = grid[row_of(grid, "E06000051")]
        row[4:] = [0.0 if isinstance(v, float) else v for v in row[4:]]

    replace_population(quarter, real_data, zero_adults)
    assert_refused(quarter, last_publication, config, "validation failed", "E06000051")
