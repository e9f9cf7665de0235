"""Another year's monitoring (issue 17, point 5): `dtoc monitor --year 2019-20 --expectations PUB`, through the
command's own composition (its checks, lock and publication), on workbooks the tests write from the real March
2019 sheet, on April 2019 boundaries: Bournemouth (E06000028) and Poole (E06000029) became, with Christchurch
(a district of Dorset county, E07000048), Bournemouth, Christchurch and Poole (E06000058); the rest of Dorset
county (E10000009) became Dorset (E06000059). The expected figures are derived here from the publication's table
and the mid-2016 population cells (tests/support/source_cells.py), never from the code under test."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import polars as pl
import pytest

from dtoc.commands.monitor import MonitorRequest, monitor_year, publish_monitor
from dtoc.errors import DtocError
from tests.conftest import invoke_cli, tree_digest
from tests.support.source_cells import read_population
from tests.support.workbooks import read_real_sheet, set_cell, write_grid

SHEET = "LA - by responsible org"
BCP, DORSET_UA = "E06000058", "E06000059"
OLD = {"E06000028": "Bournemouth", "E06000029": "Poole", "E10000009": "Dorset"}
DORSET_REST = ("E07000049", "E07000050", "E07000051", "E07000052", "E07000053")


def write_2019_month(folder: Path, real_workbook, period: str, extra: tuple[str, str] | None = None) -> Path:
    """The real March 2019 sheet as `period` on April 2019 boundaries: Bournemouth's row becomes BCP's (Poole's
    days added, Poole's row removed), Dorset's row becomes the Dorset unitary's; `extra` adds an unknown area."""
    grid = read_real_sheet(real_workbook("March 2019"))
    assert grid[4][1] == "Period:"
    set_cell(grid, "C5", period)
    code_col = next(c for c, v in enumerate(grid[13]) if v == "ONS Geography")
    name_col = code_col + 2
    rows = {row[code_col]: index for index, row in enumerate(grid) if row[code_col] in OLD}
    bournemouth, poole, dorset = (grid[rows[code]] for code in OLD)
    for column in range(name_col + 1, name_col + 5):  # NHS, Social Care, Both, Total
        bournemouth[column] += poole[column]
    bournemouth[code_col], bournemouth[name_col] = BCP, "Bournemouth, Christchurch and Poole"
    dorset[code_col], dorset[name_col] = DORSET_UA, "Dorset"
    if extra:
        newcomer = list(dorset)
        newcomer[code_col], newcomer[name_col] = extra
        grid.insert(rows["E10000009"] + 1, newcomer)
    del grid[rows["E06000029"]]
    folder.mkdir(parents=True, exist_ok=True)
    return write_grid(folder / f"LA-Type-B-{period.replace(' ', '-')}.xls", {SHEET: grid})


def run_monitor(data: Path, out: Path, publication: Path, config, year: str = "2019-20", **options):
    request = MonitorRequest(data, config, publication, year, out, publication, **options)
    return monitor_year(request, lambda plan: publish_monitor(plan, log=lambda m: None), lambda m: None)


@pytest.fixture(scope="module")
def year_2019(tmp_path_factory, real_workbook, real_publication, config):
    root = tmp_path_factory.mktemp("monitor-2019-20")
    for period in ("April 2019", "May 2019"):
        write_2019_month(root / "data", real_workbook, period)
    outcome = run_monitor(root / "data", root / "out", real_publication, config)
    return outcome, pl.read_csv(root / "out" / "monitoring.csv", try_parse_dates=True), root


def expected_total(publication: Path) -> dict[str, float]:
    table = pl.read_csv(publication / "expectations.csv")
    return dict(table.select("hwb_code", "expected_total_daily").iter_rows())


def test_new_areas_get_the_old_areas_expectations_apportioned_by_population(year_2019, real_publication, real_data):
    _, monitoring, _ = year_2019
    population = read_population(real_data / "ons-mye" / "ukmidyearestimates2016.xls").adults
    christchurch_share = population["E07000048"] / population["E10000009"]
    rest_share = sum(population[c] for c in DORSET_REST) / population["E10000009"]
    assert christchurch_share + rest_share == pytest.approx(1, abs=1e-12)
    old = expected_total(real_publication)
    want = {
        BCP: old["E06000028"] + old["E06000029"] + christchurch_share * old["E10000009"],
        DORSET_UA: rest_share * old["E10000009"],
    }
    totals = monitoring.filter(pl.col("attribution") == "total")
    for code, value in want.items():
        rows = totals.filter(pl.col("hwb_code") == code)
        assert rows.height == 2 and rows["expected_daily"].to_list() == pytest.approx([value] * 2, rel=1e-12)
    assert not set(OLD) & set(monitoring["hwb_code"].to_list())


def test_after_the_plan_year_every_month_is_held_to_the_expectation(year_2019, real_publication):
    """A council's 2019-20 target is its 2018-19 expectation: the comparator is the expectation in every month."""
    _, monitoring, _ = year_2019
    assert set(monitoring["comparator"].to_list()) == {"expected"}
    old = expected_total(real_publication)
    hartlepool = monitoring.filter((pl.col("hwb_code") == "E06000001") & (pl.col("attribution") == "total"))
    assert hartlepool["comparator_daily"].to_list() == [old["E06000001"]] * 2
    assert monitoring["hwb_code"].n_unique() == 151 - 3 + 2


def test_the_rule_and_the_areas_it_touched_are_stated(year_2019):
    outcome, _, root = year_2019
    lines = outcome.summary["boundaries"]
    assert len(lines) == 2 and all("population aged 18+ (mid-2016)" in line for line in lines)
    assert any(BCP in line and "E06000028 Bournemouth" in line and "E10000009 Dorset" in line for line in lines)
    log = (root / "out" / "run-log.txt").read_text()
    page = html.unescape((root / "out" / "monitoring.html").read_text())
    for line in lines:
        assert line in log and line in page


def test_an_area_no_boundary_change_explains_is_named_and_nothing_published(
    tmp_path, real_workbook, real_publication, config
):
    write_2019_month(tmp_path / "data", real_workbook, "April 2019", extra=("E06000099", "Nowhere Unitary"))
    with pytest.raises(DtocError) as refusal:
        run_monitor(tmp_path / "data", tmp_path / "out", real_publication, config)
    assert "E06000099 Nowhere Unitary" in str(refusal.value) and "boundary" in str(refusal.value)
    assert not (tmp_path / "out").exists()


def test_expectations_that_cannot_be_used_are_errors_never_replaced(tmp_path, real_workbook, real_publication, config):
    """--expectations naming no folder, or a publication of another kind, is an error (it used to be replaced by
    a computation in silence); --population cannot apply to published expectations."""
    data = tmp_path / "data"
    write_2019_month(data, real_workbook, "April 2019")
    request = MonitorRequest(data, config, real_publication, "2019-20", tmp_path / "out", tmp_path / "absent")
    with pytest.raises(DtocError, match="does not exist"):
        monitor_year(request, publish_monitor, print)
    run_monitor(data, tmp_path / "monitoring", real_publication, config)
    before = tree_digest(tmp_path / "monitoring")
    with pytest.raises(DtocError, match="monitoring publication"):
        run_monitor(data, tmp_path / "out", tmp_path / "monitoring", config)
    with pytest.raises(DtocError, match="--population"):
        run_monitor(data, tmp_path / "out", real_publication, config, population=data / "x.xls")
    assert tree_digest(tmp_path / "monitoring") == before and not (tmp_path / "out").exists()


def test_an_unchanged_rerun_stops_at_once_and_a_change_reruns(year_2019, real_publication, real_workbook, config):
    _, _, root = year_2019
    data, out = root / "data-copy", root / "out-copy"
    shutil.copytree(root / "data", data)
    first = run_monitor(data, out, real_publication, config)
    assert first.summary is not None
    again = run_monitor(data, out, real_publication, config)
    assert again.plan.up_to_date and again.summary is None
    write_2019_month(data, real_workbook, "June 2019")
    assert run_monitor(data, out, real_publication, config).summary["months_reported"][-1] == "2019-06-01"


def test_a_year_ending_before_the_glide_path_is_one_line_before_any_workbook_is_read(tmp_path, real_publication):
    """The 2018-19 expectations' glide path starts in April 2018 (the guidance's plan year): 2017-18 ends in March
    2018, before it, so it has nothing to be compared with; the command says so at once, and writes nothing (the
    data folder is empty: the check comes before any workbook is looked for)."""
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "out"
    arguments = ["monitor", "--year", "2017-18", "--data-dir", str(data), "--expectations", str(real_publication)]
    result = invoke_cli([*arguments, "--out", str(out)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("dtoc: error: the year April 2017 to March 2018 ends before the glide path")
    assert "April 2018" in result.stderr and not out.exists()
