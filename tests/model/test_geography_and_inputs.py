"""Choosing the quarter's inputs and lining up DToC areas with population areas, on small data folders the
tests write: nothing depends on there being 151 areas or on the 2017 boundaries."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from dtoc.errors import DtocError, GeographyError
from dtoc.model.pipeline import compute_expectations
from tests.support.workbooks import Area, write_month_workbook, write_population_workbook, write_quarter_workbooks

Q3 = ["October 2017", "November 2017", "December 2017"]
AREAS = [
    Area("E06000052", "Cornwall", 300, 200, 30, la_code="908"),
    Area("E06000051", "Shropshire", 100, 50, 10, la_code="893"),
    Area("E08000001", "Bolton", 90, 40, 8, la_code="350"),
]
POPULATION = {
    "E06000052": ("Cornwall", 400_000),
    "E06000053": ("Isles of Scilly", 1_800),
    "E06000051": ("Shropshire", 250_000),
    "E08000001": ("Bolton", 215_000),
    "E92000001": ("ENGLAND", 43_000_000),
}


def make_data_dir(root: Path, areas=AREAS, population=POPULATION, periods=Q3, vintage="mid-2016") -> Path:
    data = root / "data"
    write_quarter_workbooks(data / "dtoc", periods, areas)
    (data / "mye").mkdir(parents=True)
    write_population_workbook(data / "mye" / "population.xls", population, vintage=vintage)
    return data


def without(population: dict, *codes: str) -> dict:
    return {k: v for k, v in population.items() if k not in codes}


def by_code(table: pl.DataFrame) -> dict[str, dict]:
    return {row["hwb_code"]: row for row in table.iter_rows(named=True)}


def test_cornwall_population_includes_the_isles_of_scilly(tmp_path, config):
    table, notes = compute_expectations(make_data_dir(tmp_path), config)
    rows = by_code(table)
    assert sorted(rows) == ["E06000051", "E06000052", "E08000001"]  # one row per DToC area, no Scilly row
    assert rows["E06000052"]["population_18plus"] == 400_000 + 1_800
    assert rows["E06000051"]["population_18plus"] == 250_000
    assert rows["E06000052"]["baseline_nhs_daily"] == pytest.approx(3 * 300 / 92, rel=1e-12)
    assert rows["E06000052"]["baseline_nhs_rate"] == pytest.approx(3 * 300 / 92 / 401_800 * 100_000, rel=1e-12)
    assert notes == []


def test_missing_component_population_names_both_areas(tmp_path, config):
    data = make_data_dir(tmp_path, population=without(POPULATION, "E06000053"))
    with pytest.raises(GeographyError) as error:
        compute_expectations(data, config)
    message = str(error.value)
    assert "E06000052" in message and "E06000053" in message and "mid-2016" in message


def test_dtoc_area_without_population_is_listed(tmp_path, config):
    data = make_data_dir(tmp_path, population=without(POPULATION, "E08000001"))
    with pytest.raises(GeographyError) as error:
        compute_expectations(data, config)
    message = str(error.value)
    assert "E08000001" in message and "population.xls" in message
    assert "E06000051" not in message and "E06000052" not in message


def test_month_with_an_extra_area_is_an_error_listing_it(tmp_path, config):
    extra = Area("E08000002", "Bury", 20, 10, 1)
    areas = {p: AREAS + ([extra] if p == "November 2017" else []) for p in Q3}
    data = make_data_dir(tmp_path, areas=areas, population={**POPULATION, "E08000002": ("Bury", 145_000)})
    with pytest.raises(GeographyError) as error:
        compute_expectations(data, config)
    message = str(error.value)
    assert "E08000002" in message and "November 2017" in message
    assert "E06000051" not in message


def test_month_missing_an_area_is_an_error_listing_it(tmp_path, config):
    areas = {p: AREAS if p != "December 2017" else AREAS[:2] for p in Q3}
    with pytest.raises(GeographyError, match="E08000001"):
        compute_expectations(make_data_dir(tmp_path, areas=areas), config)


def test_two_different_workbooks_for_one_month_name_both(tmp_path, config):
    data = make_data_dir(tmp_path)
    original = next((data / "dtoc").glob("*December-2017*"))
    changed = [Area(a.ons_code, a.name, a.nhs + 92, a.social_care, a.both, la_code=a.la_code) for a in AREAS]
    other = write_month_workbook(data / "elsewhere", "December 2017", changed, file_name="december-revised.xls")
    with pytest.raises(DtocError) as error:
        compute_expectations(data, config)
    message = str(error.value)
    assert str(original) in message and str(other) in message and "December 2017" in message

    table, notes = compute_expectations(data, config, preferred=(other,))
    # the preferred copy has 92 more NHS delayed days per area in December: one more a day on average
    rows = by_code(table)
    assert rows["E06000051"]["baseline_nhs_daily"] == pytest.approx((3 * 100 + 92) / 92, rel=1e-12)
    assert any(str(original) in note and str(other) in note for note in notes)

    table, _ = compute_expectations(data, config, preferred=(original,))
    assert by_code(table)["E06000051"]["baseline_nhs_daily"] == pytest.approx(3 * 100 / 92, rel=1e-12)


def test_identical_copies_of_a_workbook_are_accepted(tmp_path, config):
    data = make_data_dir(tmp_path)
    original = next((data / "dtoc").glob("*November-2017*"))
    copy = data / "downloads" / "LA-Type-B-November-2017 (1).xls"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    table, notes = compute_expectations(data, config)
    assert table.height == len(AREAS)
    assert by_code(table)["E08000001"]["baseline_asc_daily"] == pytest.approx(3 * 40 / 92, rel=1e-12)
    assert len([n for n in notes if "November 2017" in n]) == 1


def test_a_missing_month_is_named(tmp_path, config):
    data = make_data_dir(tmp_path)
    next((data / "dtoc").glob("*November-2017*")).unlink()
    with pytest.raises(DtocError) as error:
        compute_expectations(data, config)
    message = str(error.value)
    assert "November 2017" in message and "2017-18Q3" in message
    assert "October 2017, December 2017" in message  # what was found


def test_workbooks_of_another_quarter_only_is_an_error(tmp_path, config):
    data = make_data_dir(tmp_path, periods=["April 2018", "May 2018", "June 2018"])
    with pytest.raises(DtocError) as error:
        compute_expectations(data, config)
    message = str(error.value)
    assert "October 2017, November 2017, December 2017" in message
    assert "April 2018, May 2018, June 2018" in message
    # and the same folder serves its own quarter
    table, _ = compute_expectations(data, config.with_baseline("2018-19Q1"))
    assert by_code(table)["E06000051"]["baseline_nhs_daily"] == pytest.approx(3 * 100 / 91, rel=1e-12)


def test_population_of_another_vintage_only_is_an_error(tmp_path, config):
    data = make_data_dir(tmp_path, vintage="mid-2017")
    with pytest.raises(DtocError, match="mid-2016") as error:
        compute_expectations(data, config)
    assert "mid-2017" in str(error.value)
    table, _ = compute_expectations(data, replace(config, population_vintage="mid-2017"))
    assert table["population_vintage"].unique().to_list() == ["mid-2017"]


def test_other_boundaries_and_quarter_work_unchanged(tmp_path, config):
    """2019-20Q1 on April 2019 boundaries: Bournemouth, Christchurch and Poole and the new Dorset exist."""
    areas = [
        Area("E06000058", "Bournemouth, Christchurch and Poole", 455, 182, 91, la_code="1260"),
        Area("E06000059", "Dorset", 364, 273, 0, la_code="1265"),
        Area("E06000052", "Cornwall", 300, 200, 30, la_code="908"),
    ]
    population = {
        "E06000058": ("Bournemouth, Christchurch and Poole", 320_000),
        "E06000059": ("Dorset", 300_000),
        "E06000052": ("Cornwall", 450_000),
        "E06000053": ("Isles of Scilly", 1_800),
    }
    data = make_data_dir(
        tmp_path,
        areas=areas,
        population=population,
        periods=["April 2019", "May 2019", "June 2019"],
        vintage="mid-2018",
    )
    run_config = replace(config.with_baseline("2019-20Q1"), population_vintage="mid-2018")
    table, _ = compute_expectations(data, run_config, database_path=tmp_path / "run.duckdb")
    rows = by_code(table)
    assert list(rows) == ["E06000052", "E06000058", "E06000059"]
    bcp = rows["E06000058"]
    assert bcp["hwb_name"] == "Bournemouth, Christchurch and Poole"
    assert bcp["population_18plus"] == 320_000 and bcp["population_vintage"] == "mid-2018"
    days = 30 + 31 + 30
    assert bcp["baseline_nhs_daily"] == pytest.approx(3 * 455 / days, rel=1e-12)
    # 3 x 455 / 91 = 15 a day; 15 / 320,000 x 100,000 = 4.6875 per 100,000: below the NHS target, kept
    assert bcp["baseline_nhs_rate"] == pytest.approx(4.6875, rel=1e-12)
    assert bcp["nhs_band"] == "maintain" and bcp["expected_nhs_daily"] == pytest.approx(15.0, rel=1e-12)
    # 3 x 182 / 91 = 6 a day = 1.875 per 100,000: below the social care target
    assert bcp["asc_band"] == "maintain"
    assert rows["E06000052"]["population_18plus"] == 451_800
