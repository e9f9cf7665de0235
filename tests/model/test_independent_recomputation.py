"""The whole real Q3 2017-18 table, recomputed from the workbook cells by tests/support/source_cells.py (xlrd, plain
Python, Annex 3 written from its text) and compared with what dtoc computes in-process: every HWB, every one of
the 19 contract columns. Also: the population cells that lineage names are the MYE2 cells that add up."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from dtoc.model.pipeline import compute_expectations
from dtoc.vocabulary import CONTRACT_COLUMNS
from tests.support.source_cells import (
    ROW_COVERS,
    assert_same_table,
    column_letters,
    population_of_vintage,
    read_all_months,
    recompute_quarter,
)

Q3_MONTHS = (date(2017, 10, 1), date(2017, 11, 1), date(2017, 12, 1))


@pytest.fixture(scope="module")
def published(real_data, config, tmp_path_factory):
    """dtoc's table for the shipped parameters (2017-18 Q3, mid-2016), and the run's database."""
    database = tmp_path_factory.mktemp("independent") / "dtoc.duckdb"
    table, _ = compute_expectations(real_data, config, database_path=database)
    return table, database


@pytest.fixture(scope="module")
def population(real_data):
    return population_of_vintage(real_data / "ons-mye", "mid-2016")


@pytest.fixture(scope="module")
def recomputed(real_data, population):
    months = read_all_months(real_data / "nhse-dtoc-la")
    return recompute_quarter([months[m] for m in Q3_MONTHS], population)


def test_every_hwb_and_every_contract_column_recomputed_from_the_cells(published, recomputed):
    """Fails for any wrong cell read, month, day count, population row or age range, attribution swap, rate
    formula, band, target, cap or expected-daily formula, and for a missing or extra HWB."""
    table, _ = published
    assert len(recomputed) == table.height == 151
    assert table.columns[: len(CONTRACT_COLUMNS)] == list(CONTRACT_COLUMNS)
    assert_same_table(table, recomputed, CONTRACT_COLUMNS, "2017-18Q3")


def test_national_expected_total_is_annex_3s(published, recomputed):
    """About 3,958.7 average daily delays for England (the mandate's ambition: 'around 4,000')."""
    table, _ = published
    assert round(float(sum(r["expected_total_daily"] for r in recomputed.values())), 1) == 3958.7
    assert round(table["expected_total_daily"].sum(), 1) == 3958.7


def test_every_band_is_used_and_cornwall_includes_scilly(recomputed, population):
    """Guards the recomputation itself: a table where every HWB is in one band would compare too easily."""
    for key in ("nhs", "asc"):
        assert {r[f"{key}_band"] for r in recomputed.values()} == {"maintain", "reduce_to_target", "reduce_by_cap"}
    assert recomputed["E06000052"]["population_18plus"] == (
        population.adults["E06000052"] + population.adults["E06000053"]
    )
    assert "E06000053" not in recomputed


def lineage_population_cells(database) -> list[dict]:
    with duckdb.connect(str(database), read_only=True) as connection:
        frame = connection.sql(
            "select hwb_code, value, source_file, sheet, cell_ref, population_area "
            "from lineage where input = 'population_18plus' order by hwb_code, cell_ref"
        ).pl()
    return frame.to_dicts()


def test_population_cells_named_by_lineage_are_the_mye_cells(published, population):
    """Each lineage range (e.g. 'V340:CP340') is one MYE2 row from age 18 to 90+ whose cells add up to the value
    lineage records, on the row of the area it names; each HWB's ranges add up to its published population."""
    table, database = published
    cells = lineage_population_cells(database)
    sheet = population.sheet
    header_row = next(r for r in range(20) if sheet.cell_value(r, 0) == "Code")
    for cell in cells:
        assert (cell["source_file"], cell["sheet"]) == (population.path.name, "MYE2 - All"), cell
        first, last, row = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)\2", cell["cell_ref"]).group(1, 3, 2)
        columns = [c for c in range(sheet.ncols) if column_letters(c) in (first, last)]
        span = range(columns[0], columns[-1] + 1)
        assert [sheet.cell_value(header_row, c) for c in span] == list(range(18, 91)), cell
        assert sum(sheet.cell_value(int(row) - 1, c) for c in span) == cell["value"], cell
        assert sheet.cell_value(int(row) - 1, 0) == cell["population_area"].split()[0], cell
    areas = {
        code: sorted(c["population_area"].split()[0] for c in cells if c["hwb_code"] == code)
        for code in table["hwb_code"]
    }
    assert areas == {code: sorted(ROW_COVERS.get(code, (code,))) for code in table["hwb_code"]}
    by_hwb = {code: sum(c["value"] for c in cells if c["hwb_code"] == code) for code in table["hwb_code"]}
    assert by_hwb == dict(zip(table["hwb_code"], table["population_18plus"], strict=True))
