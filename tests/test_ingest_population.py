"""Ingest of ONS MYE2 population estimates: the real mid-2016 and mid-2017 workbooks, and small ones the tests write."""

from __future__ import annotations

import polars as pl
import pytest
import xlrd

from dtoc.errors import InputError
from dtoc.ingest.population import ingest_population_workbook
from tests.workbooks import write_population_workbook

FILES = {"mid-2016": "ukmidyearestimates2016.xls", "mid-2017": "ukmidyearestimates2017finalversion.xls"}


def adults_by_xlrd(path, code: str) -> tuple[int, int]:
    """(population aged 18 to 90+, all ages) for one area, read directly with xlrd from 'MYE2 - All'."""
    sheet = xlrd.open_workbook(str(path), on_demand=True).sheet_by_name("MYE2 - All")
    header_row = next(r for r in range(sheet.nrows) if sheet.cell_value(r, 0) == "Code")
    header = sheet.row_values(header_row)
    adult_columns = [c for c, label in enumerate(header) if isinstance(label, float) and 18 <= label <= 90]
    assert len(adult_columns) == 73
    all_ages = header.index("All ages")
    row = next(r for r in range(header_row + 1, sheet.nrows) if sheet.cell_value(r, 0) == code)
    values = sheet.row_values(row)
    return int(sum(values[c] for c in adult_columns)), int(values[all_ages])


@pytest.fixture(scope="module")
def real_population(real_data):
    folder = real_data / "ons-mye"
    return {vintage: ingest_population_workbook(folder / name, f"sha-{vintage}") for vintage, name in FILES.items()}


@pytest.mark.parametrize("vintage", ["mid-2016", "mid-2017"])
def test_vintage_and_sheet_read_from_the_workbook(real_population, vintage):
    workbook = real_population[vintage]
    assert workbook.vintage == vintage
    assert workbook.sheet == "MYE2 - All"
    assert workbook.population["vintage"].unique().to_list() == [vintage]
    assert workbook.population["source_sha256"].unique().to_list() == [f"sha-{vintage}"]
    assert workbook.population["ons_code"].is_unique().all()


@pytest.mark.parametrize("vintage", ["mid-2016", "mid-2017"])
@pytest.mark.parametrize("code", ["E06000052", "E06000053", "E09000001", "E10000007", "K02000001"])
def test_population_18plus_is_the_sum_of_ages_18_to_90(real_data, real_population, vintage, code):
    adults, all_ages = adults_by_xlrd(real_data / "ons-mye" / FILES[vintage], code)
    row = real_population[vintage].population.filter(pl.col("ons_code") == code).row(0, named=True)
    assert row["population_18plus"] == adults
    assert row["population_all_ages"] == all_ages
    assert 0 < adults < all_ages


def test_cornwall_and_city_of_london_are_distinct_rows(real_population):
    frame = real_population["mid-2016"].population
    names = dict(
        frame.filter(pl.col("ons_code").is_in(["E06000052", "E06000053", "E09000001"]))
        .select("ons_code", "area_name")
        .iter_rows()
    )
    assert names == {"E06000052": "Cornwall", "E06000053": "Isles of Scilly", "E09000001": "City of London"}


def test_extra_geography_column_of_2017_is_handled(real_population):
    """mid-2017 has a Geography1 column between Name and All ages; mid-2016 has none."""
    later = real_population["mid-2017"].population
    earlier = real_population["mid-2016"].population
    assert earlier["geography"].is_null().all()
    geography = dict(later.select("ons_code", "geography").iter_rows())
    assert geography["K02000001"] == "Country"
    assert geography["E06000052"] and geography["E06000052"] != geography["K02000001"]
    # the cells summed start one column further right in 2017 (ages 18..90 are contiguous in both)
    cells = {
        v: f.filter(pl.col("ons_code") == "E06000052")["cells_summed"].item()
        for v, f in (("2016", earlier), ("2017", later))
    }
    assert cells["2016"].startswith("V") and cells["2017"].startswith("W"), cells


def test_synthetic_persons_sheet_is_accepted(tmp_path):
    path = write_population_workbook(
        tmp_path / "mye.xls",
        {"E06000052": ("Cornwall", 400_000), "E06000053": ("Isles of Scilly", 1_800)},
        vintage="mid-2018",
        sheet_name="MYE2 - Persons",
    )
    workbook = ingest_population_workbook(path, "sha")
    assert workbook.sheet == "MYE2 - Persons"
    assert workbook.vintage == "mid-2018"
    assert dict(workbook.population.select("ons_code", "population_18plus").iter_rows()) == {
        "E06000052": 400_000,
        "E06000053": 1_800,
    }
    # the writer puts 1,000 at age 0, which must not be counted as adults
    assert workbook.population["population_all_ages"].to_list() == [401_000, 2_800]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_synthetic_workbook_with_geography_column(tmp_path, suffix):
    path = write_population_workbook(
        tmp_path / f"mye{suffix}",
        {"E06000058": ("Bournemouth, Christchurch and Poole", 320_123)},
        vintage="mid-2019",
        with_geography=True,
    )
    workbook = ingest_population_workbook(path, "sha")
    row = workbook.population.row(0, named=True)
    assert (row["population_18plus"], row["geography"], row["vintage"]) == (320_123, "Unitary Authority", "mid-2019")


@pytest.mark.parametrize("omitted", [(18,), (45, 46), (90,)])
def test_missing_age_column_is_an_error(tmp_path, omitted):
    path = write_population_workbook(tmp_path / "mye.xls", {"E06000052": ("Cornwall", 400_000)}, omit_ages=omitted)
    with pytest.raises(InputError, match="age") as error:
        ingest_population_workbook(path, "sha")
    message = str(error.value)
    assert str(list(omitted)) in message and "row 5" in message and "mye.xls" in message


def test_missing_population_sheet_lists_the_sheets(tmp_path):
    path = write_population_workbook(tmp_path / "mye.xls", {"E06000052": ("Cornwall", 400_000)}, sheet_name="MYE3")
    with pytest.raises(InputError, match="MYE2") as error:
        ingest_population_workbook(path, "sha")
    assert "'Contents'" in str(error.value) and "'MYE3'" in str(error.value)
