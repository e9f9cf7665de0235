"""Every quarter the shared data cover, computed in-process and compared with the independent recomputation
(tests/support/source_cells.py): the HWBs the workbooks list, every contract column, sane national totals, and every
'-' cell counted as 0 and reported in the run's notes. Each workbook is read once for the whole module."""

from __future__ import annotations

import calendar
from datetime import date

import pytest

from dtoc.model import database, pipeline, run_inputs
from dtoc.vocabulary import CONTRACT_COLUMNS
from tests.support.source_cells import (
    assert_same_table,
    population_of_vintage,
    quarter_label,
    read_all_months,
    recompute_quarter,
)

# April 2017 to March 2019: the financial years 2017-18 and 2018-19
QUARTERS = [f"{year}Q{q}" for year in ("2017-18", "2018-19") for q in (1, 2, 3, 4)]


@pytest.fixture(scope="module")
def months(real_data):
    return read_all_months(real_data / "nhse-dtoc-la")


@pytest.fixture(scope="module")
def population(real_data):
    return population_of_vintage(real_data / "ons-mye", "mid-2016")


@pytest.fixture(scope="module")
def run_quarter(real_data, config):
    """compute_expectations' steps, with each workbook ingested once however many quarters use it."""
    ingested: dict = {}

    def ingest(source, read):
        if source.path not in ingested:
            ingested[source.path] = read(source)
        return ingested[source.path]

    def run(label: str):
        quarter_config = config.with_baseline(label)
        inputs = run_inputs.find_run_inputs(real_data, quarter_config, log=lambda message: None)
        workbooks = [ingest(source, run_inputs.ingest_delays) for source in inputs.delays]
        population = ingest(inputs.population, run_inputs.ingest_population)
        delayed_days, totals, missing = pipeline.combine_delays(workbooks)
        with database.connect(None) as connection:
            table = pipeline.build_expectations(
                connection,
                delayed_days,
                totals,
                population,
                pipeline.source_files_table(workbooks, population),
                quarter_config,
            )
        return table, inputs.notes + missing

    return run


def test_the_data_cover_eight_whole_quarters(months):
    """The 'Period:' cells of the 24 workbooks, not their file names, make up the eight quarters."""
    by_quarter: dict[str, list[date]] = {}
    for month in months:
        by_quarter.setdefault(quarter_label(month), []).append(month)
    assert sorted(by_quarter) == QUARTERS
    assert all(len(found) == 3 for found in by_quarter.values())


@pytest.mark.parametrize("label", QUARTERS)
def test_quarter_matches_the_recomputation_from_the_cells(label, months, population, run_quarter):
    """Fails for a quarter whose months, day count ('-' cells included) or any figure differ from the cells."""
    quarter = sorted((m for m in months.values() if quarter_label(m.month) == label), key=lambda m: m.month)
    table, notes = run_quarter(label)
    recomputed = recompute_quarter(quarter, population)
    assert table.height == len(recomputed) == len(quarter[-1].areas)
    assert_same_table(table, recomputed, CONTRACT_COLUMNS, label)

    days = sum(calendar.monthrange(m.month.year, m.month.month)[1] for m in quarter)
    for index, key in enumerate(("nhs", "asc", "joint")):
        areas_daily = table[f"baseline_{key}_daily"].sum()
        england_daily = sum(m.england[index] for m in quarter) / days
        # the England row adds patients resident in Wales, Scotland and outside Great Britain: a few per cent
        assert 0.9 * england_daily < areas_daily <= england_daily, (label, key)
    baseline = sum(table[f"baseline_{key}_daily"].sum() for key in ("nhs", "asc", "joint"))
    expected = table["expected_total_daily"].sum()
    # Annex 3 asks at most 40% off social care, at most 1 - 5.5/7.9 (30.4%) off NHS, nothing off joint delays
    assert 0.6 * baseline < expected < baseline, label

    dashes = [(m.path.name, ref, name) for m in quarter for ref, name in m.dashes]
    not_reported = [note for note in notes if "not reported" in note]
    assert len(not_reported) == len(dashes), (label, not_reported)
    for file_name, ref, name in dashes:
        assert any(file_name in note and f"!{ref}:" in note and name in note for note in not_reported), (
            label,
            file_name,
            ref,
        )


def test_city_of_london_not_reporting_in_april_2018_counts_as_zero(months, run_quarter):
    """April 2018's City of London row is '-' in NHS, Social Care and Both: 2018-19 Q1 is May and June over
    91 days, and the run's notes name the three cells."""
    april, may, june = (months[date(2018, m, 1)] for m in (4, 5, 6))
    assert [name for _, name in april.dashes] == ["City Of London"] * 3
    table, notes = run_quarter("2018-19Q1")
    city = table.filter(table["hwb_code"] == "E09000001").row(0, named=True)
    for index, key in enumerate(("nhs", "asc", "joint"), start=1):
        assert april.areas["E09000001"][index] == 0  # the reader's 0 for '-'
        expected = (may.areas["E09000001"][index] + june.areas["E09000001"][index]) / (30 + 31 + 30)
        assert city[f"baseline_{key}_daily"] == pytest.approx(expected, rel=1e-12)
    city_notes = [n for n in notes if "City Of London" in n and "April 2018" in n]
    assert len(city_notes) == 3 and all("'-'" in n and april.path.name in n for n in city_notes)
