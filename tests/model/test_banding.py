"""The Annex 3 banding, run through the real SQL models on tiny synthetic inputs in an in-memory DuckDB.

Thresholds and caps come from dtoc/parameters.toml (the `config` fixture); expected values are worked out
here with exact fractions, independently of the SQL.
"""

from __future__ import annotations

import math
from fractions import Fraction

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtoc.ingest.delays import DELAYED_DAYS_SCHEMA
from dtoc.ingest.population import POPULATION_SCHEMA
from dtoc.model import database
from dtoc.model.geography import load_geography_lookup
from dtoc.model.pipeline import MODEL_ORDER

BANDS = {"maintain", "reduce_to_target", "reduce_by_cap"}
POPULATION = 1_000_000


def delayed_days_frame(config, hwbs: list[dict]) -> pl.DataFrame:
    """delayed_days_raw rows: each HWB's quarter total split over the baseline quarter's three months."""
    rows = []
    for hwb in hwbs:
        for attribution, key in (("nhs", "nhs"), ("social_care", "asc"), ("joint", "joint")):
            total = hwb[key]
            parts = [total // 3, total // 3, total - 2 * (total // 3)]
            for month, days in zip(config.baseline.months, parts, strict=True):
                rows.append(
                    {
                        "month": month,
                        "ons_code": hwb["code"],
                        "la_code": "999",
                        "area_name": hwb["code"],
                        "region": "Test",
                        "area_type": "local_authority",
                        "attribution": attribution,
                        "delayed_days": days,
                        "source_file": "test.xls",
                        "sheet": "LA - by responsible org",
                        "row_number": 1,
                        "cell_ref": "F17",
                    }
                )
    return pl.DataFrame(rows, schema=DELAYED_DAYS_SCHEMA)


def population_frame(hwbs: list[dict]) -> pl.DataFrame:
    rows = [
        {"ons_code": h["code"], "area_name": h["code"], "population_18plus": h["population"], "vintage": "mid-2016"}
        for h in hwbs
    ]
    return pl.DataFrame(rows, schema=POPULATION_SCHEMA)


# the models that make `expectations`, in the pipeline's order (later models, e.g. lineage, are not needed)
MODELS = MODEL_ORDER[: MODEL_ORDER.index("expectations") + 1]


def run_all_models(connection, config, hwbs: list[dict], lookup: pl.DataFrame | None = None) -> pl.DataFrame:
    """Load the inputs, run the models from hwb_areas to expectations, return `expectations`."""
    database.load_table(connection, "delayed_days_raw", delayed_days_frame(config, hwbs))
    database.load_table(connection, "population_raw", population_frame(hwbs))
    if lookup is None:
        lookup = load_geography_lookup(config.geography_lookup)
    database.load_table(connection, "geography_lookup", lookup)
    database.load_table(connection, "policies", config.policy_table())
    parameters = config.sql_parameters()
    for name in MODELS:
        database.run_model(connection, name, parameters)
    return database.read_table(connection, "expectations")


def policy(config, attribution):
    return config.band_policy("nhs") if attribution == "nhs" else config.band_policy("asc")


def exact_rate(days: int, days_in_quarter: int, population: int) -> Fraction:
    return Fraction(days * 100_000, days_in_quarter * population)


def days_at_rate(rate: float, days_in_quarter: int, population: int) -> int:
    """Delayed days in the quarter that give exactly this rate (the threshold in decimal, as written)."""
    days = Fraction(repr(rate)) * days_in_quarter * population / 100_000
    assert days.denominator == 1, f"choose a population giving whole days at rate {rate}"
    return int(days)


# (threshold name, offset in delayed days, band expected)
THRESHOLD_CASES = [
    ("target_rate", -1, "maintain"),
    ("target_rate", 0, "reduce_to_target"),
    ("target_rate", +1, "reduce_to_target"),
    ("upper_rate", -1, "reduce_to_target"),
    ("upper_rate", 0, "reduce_to_target"),
    ("upper_rate", +1, "reduce_by_cap"),
]


@pytest.mark.parametrize("attribution", ["nhs", "asc"])
@pytest.mark.parametrize("threshold, offset, band", THRESHOLD_CASES)
def test_band_at_and_either_side_of_each_threshold(config, attribution, threshold, offset, band):
    rules = policy(config, attribution)
    days_in_quarter = config.baseline.days
    days = days_at_rate(getattr(rules, threshold), days_in_quarter, POPULATION) + offset
    other = "asc" if attribution == "nhs" else "nhs"
    hwb = {"code": "E99000001", "population": POPULATION, attribution: days, other: 0, "joint": 7}
    with duckdb.connect() as connection:
        row = run_all_models(connection, config, [hwb]).row(0, named=True)

    rate = exact_rate(days, days_in_quarter, POPULATION)
    assert row[f"{attribution}_band"] == band
    assert row[f"baseline_{attribution}_rate"] == pytest.approx(float(rate), rel=1e-12)
    if band == "maintain":
        expected_rate = float(rate)
        expected_daily = days / days_in_quarter
    elif band == "reduce_to_target":
        expected_rate = rules.target_rate
        expected_daily = float(Fraction(repr(rules.target_rate)) * POPULATION / 100_000)
    else:
        expected_rate = float(rate * (1 - Fraction(repr(rules.reduction_cap))))
        expected_daily = float(rate * (1 - Fraction(repr(rules.reduction_cap))) * POPULATION / 100_000)
    if band == "reduce_to_target":
        assert row[f"expected_{attribution}_rate"] == rules.target_rate  # exactly the target
    assert row[f"expected_{attribution}_rate"] == pytest.approx(expected_rate, rel=1e-12)
    assert row[f"expected_{attribution}_daily"] == pytest.approx(expected_daily, rel=1e-12)
    # the other attribution (no delays) is kept at 0 and joint delays are held at the baseline
    assert row[f"{other}_band"] == "maintain" and row[f"expected_{other}_daily"] == 0
    assert row["expected_joint_daily"] == row["baseline_joint_daily"] == 7 / days_in_quarter
    assert row["expected_total_daily"] == pytest.approx(
        row["expected_nhs_daily"] + row["expected_asc_daily"] + row["expected_joint_daily"], rel=1e-15
    )


def rates_frame(rows: list[tuple[str, float, float]]) -> pl.DataFrame:
    """A `rates` table with the given NHS and ASC rates, population 100,000 (so rate = daily)."""
    return pl.DataFrame(
        {
            "hwb_code": [r[0] for r in rows],
            "population_18plus": [100_000] * len(rows),
            "population_vintage": ["mid-2016"] * len(rows),
            "baseline_nhs_daily": [r[1] for r in rows],
            "baseline_asc_daily": [r[2] for r in rows],
            "baseline_joint_daily": [1.0] * len(rows),
            "baseline_nhs_rate": [r[1] for r in rows],
            "baseline_asc_rate": [r[2] for r in rows],
            "baseline_joint_rate": [1.0] * len(rows),
        }
    )


def test_banding_model_compares_exact_rates_against_the_configured_thresholds(config):
    """Rates exactly at a threshold and one floating-point step either side of it, straight into `banding`."""
    nhs, asc = config.band_policy("nhs"), config.band_policy("asc")
    cases = []  # (rate, attribution, band)
    for rules, attribution in ((nhs, "nhs"), (asc, "asc")):
        cases += [
            (math.nextafter(rules.target_rate, 0), attribution, "maintain"),
            (rules.target_rate, attribution, "reduce_to_target"),
            (rules.upper_rate, attribution, "reduce_to_target"),
            (math.nextafter(rules.upper_rate, math.inf), attribution, "reduce_by_cap"),
        ]
    rows = [
        (f"E99{i:06d}", rate if a == "nhs" else 0.0, rate if a == "asc" else 0.0)
        for i, (rate, a, _) in enumerate(cases)
    ]
    with duckdb.connect() as connection:
        database.load_table(connection, "rates", rates_frame(rows))
        database.load_table(connection, "policies", config.policy_table())
        database.load_table(
            connection,
            "hwb_areas",
            pl.DataFrame(
                {"hwb_code": [r[0] for r in rows], "hwb_name": [r[0] for r in rows], "region": ["Test"] * len(rows)}
            ),
        )
        database.run_model(connection, "banding", config.sql_parameters())
        database.run_model(connection, "expectations", config.sql_parameters())
        result = database.read_table(connection, "expectations")
    assert result["hwb_code"].to_list() == sorted(r[0] for r in rows)
    for (code, _, _), (rate, attribution, band) in zip(rows, cases, strict=True):
        row = result.filter(pl.col("hwb_code") == code).row(0, named=True)
        rules = policy(config, attribution)
        assert row[f"{attribution}_band"] == band, (attribution, rate)
        expected = {
            "maintain": rate,
            "reduce_to_target": rules.target_rate,
            "reduce_by_cap": rate * (1 - rules.reduction_cap),
        }[band]
        assert row[f"expected_{attribution}_rate"] == pytest.approx(expected, rel=1e-15)
        # population 100,000: expected daily = expected rate
        assert row[f"expected_{attribution}_daily"] == pytest.approx(expected, rel=1e-12)
        assert row["expected_joint_daily"] == 1.0


@st.composite
def hwb_inputs(draw, index: int):
    population = draw(st.integers(min_value=1_000, max_value=3_000_000))
    # up to a rate of about 20 per 100,000 aged 18+ per day
    most = max(1, 20 * 92 * population // 100_000)
    return {
        "code": f"E99{index:06d}",
        "population": population,
        "nhs": draw(st.integers(0, most)),
        "asc": draw(st.integers(0, most)),
        "joint": draw(st.integers(0, most)),
    }


@st.composite
def quarter_inputs(draw):
    size = draw(st.integers(min_value=1, max_value=8))
    return [draw(hwb_inputs(i)) for i in range(size)]


def largest_reduction(rules) -> float:
    """Reducing to target from at most the upper rate, or by the cap above it."""
    return max(rules.reduction_cap, 1 - rules.target_rate / rules.upper_rate)


def test_expectations_properties_on_random_inputs(config):
    days_in_quarter = config.baseline.days
    assert largest_reduction(config.band_policy("nhs")) == pytest.approx(1 - 5.5 / 7.9)  # Annex 3's NHS figures
    assert largest_reduction(config.band_policy("asc")) == pytest.approx(0.40)  # and its social care cap

    lookup = load_geography_lookup(config.geography_lookup)
    with duckdb.connect() as connection:

        @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(quarter_inputs())
        def check(hwbs):
            result = run_all_models(connection, config, hwbs, lookup)
            assert result.height == len(hwbs)
            assert result["hwb_code"].to_list() == sorted(h["code"] for h in hwbs)
            inputs = {h["code"]: h for h in hwbs}
            for row in result.iter_rows(named=True):
                hwb = inputs[row["hwb_code"]]
                assert row["population_18plus"] == hwb["population"]
                for attribution, rules in (("nhs", config.band_policy("nhs")), ("asc", config.band_policy("asc"))):
                    baseline = row[f"baseline_{attribution}_daily"]
                    expected = row[f"expected_{attribution}_daily"]
                    band = row[f"{attribution}_band"]
                    assert band in BANDS
                    assert baseline == pytest.approx(hwb[attribution] / days_in_quarter, rel=1e-15)
                    assert expected >= 0
                    assert expected <= baseline * (1 + 1e-12)
                    if baseline > 0:
                        assert 1 - expected / baseline <= largest_reduction(rules) + 1e-12
                    rate = exact_rate(hwb[attribution], days_in_quarter, hwb["population"])
                    wanted = (
                        "maintain"
                        if rate < Fraction(repr(rules.target_rate))
                        else "reduce_to_target"
                        if rate <= Fraction(repr(rules.upper_rate))
                        else "reduce_by_cap"
                    )
                    assert band == wanted, (attribution, float(rate))
                    assert expected == pytest.approx(
                        row[f"expected_{attribution}_rate"] * hwb["population"] / 100_000, rel=1e-9
                    )
                assert row["expected_joint_daily"] == row["baseline_joint_daily"]
                assert row["expected_joint_rate"] == row["baseline_joint_rate"]
                assert row["expected_total_daily"] == pytest.approx(
                    row["expected_nhs_daily"] + row["expected_asc_daily"] + row["expected_joint_daily"], rel=1e-12
                )

        check()
