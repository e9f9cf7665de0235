"""Annex 3 of the BCF Operating Guidance 2017-19, pinned from its text, not from dtoc's configuration.

Annex 3: the baseline is the average daily delays in Q3 2017-18 (October-December 2017), per 100,000 population
aged 18+. NHS: a rate below 5.5 is kept; from 5.5 to 7.9 it is reduced to 5.5; above 7.9 it is reduced by 30%.
Adult social care: below 2.6 kept; from 2.6 to 4.3 reduced to 2.6; above 4.3 reduced by 40%. Joint delays are
held at the baseline. The expectations are to be met by the end of September 2018.

Every number below is written from that text. The boundary tests run the whole in-process pipeline (workbooks
read, DuckDB models, the shipped dtoc/parameters.toml) on small workbooks written here, with one HWB of exactly
1,000,000 adults per case, so a rate of r per 100,000 is r x 920 delayed days in the 92-day quarter.
"""

from __future__ import annotations

from datetime import date

import pytest

from dtoc.config import load_config
from dtoc.model.pipeline import compute_expectations
from tests.support.workbooks import Area, write_population_workbook, write_quarter_workbooks

ADULTS = 1_000_000
DAYS = 31 + 30 + 31  # October, November, December 2017
DAYS_PER_UNIT_RATE = DAYS * ADULTS // 100_000  # 920 delayed days in the quarter = a rate of 1 per 100,000


def test_the_shipped_parameters_are_annex_3s():
    """Fails if dtoc/parameters.toml (read as every run reads it) drifts from any figure of Annex 3."""
    config = load_config()
    assert (
        config.band_policy("nhs").target_rate,
        config.band_policy("nhs").upper_rate,
        config.band_policy("nhs").reduction_cap,
    ) == (5.5, 7.9, 0.30)
    assert (
        config.band_policy("asc").target_rate,
        config.band_policy("asc").upper_rate,
        config.band_policy("asc").reduction_cap,
    ) == (2.6, 4.3, 0.40)
    assert config.baseline.label == "2017-18Q3"
    assert config.baseline.months == (date(2017, 10, 1), date(2017, 11, 1), date(2017, 12, 1))
    assert config.baseline.days == 92
    assert config.plan.target_date == date(2018, 9, 30)
    assert config.population_vintage == "mid-2016"
    assert config.plan.national_ambition_daily == 4000


def quarter_days(rate_times_10: int, offset: int = 0) -> int:
    """Delayed days in the quarter giving rate_times_10 / 10 per 100,000 (exact: 92 x 10 = 920 per unit)."""
    return rate_times_10 * DAYS_PER_UNIT_RATE // 10 + offset


# code -> (NHS delayed days in the quarter, social care delayed days, the bands Annex 3 gives them)
CASES = {
    "E06000001": (quarter_days(55), quarter_days(26), ("reduce_to_target", "reduce_to_target")),  # 5.5 and 2.6
    "E06000002": (quarter_days(79), quarter_days(43), ("reduce_to_target", "reduce_to_target")),  # 7.9 and 4.3
    "E06000003": (quarter_days(55, -1), quarter_days(26, -1), ("maintain", "maintain")),  # a day below each
    "E06000004": (quarter_days(79, +1), quarter_days(43, +1), ("reduce_by_cap", "reduce_by_cap")),  # a day above
    "E06000005": (quarter_days(100), quarter_days(50), ("reduce_by_cap", "reduce_by_cap")),  # 10.0 and 5.0
    "E06000006": (0, 0, ("maintain", "maintain")),
}
JOINT_DAYS = 184  # 2 a day, held at the baseline


def split_over_months(total: int) -> tuple[int, int, int]:
    return total // 3, total // 3, total - 2 * (total // 3)


@pytest.fixture(scope="module")
def boundary_table(tmp_path_factory, config):
    data = tmp_path_factory.mktemp("annex3") / "data"
    by_month = {period: [] for period in ("October 2017", "November 2017", "December 2017")}
    for code, (nhs, asc, _) in CASES.items():
        for index, period in enumerate(by_month):
            by_month[period].append(
                Area(
                    code,
                    f"Area {code}",
                    split_over_months(nhs)[index],
                    split_over_months(asc)[index],
                    split_over_months(JOINT_DAYS)[index],
                )
            )
    write_quarter_workbooks(data / "dtoc", list(by_month), by_month)
    (data / "mye").mkdir()
    write_population_workbook(data / "mye" / "population.xls", {code: (f"Area {code}", ADULTS) for code in CASES})
    table, _ = compute_expectations(data, config)
    return {row["hwb_code"]: row for row in table.iter_rows(named=True)}


@pytest.mark.parametrize("code", CASES)
def test_bands_at_and_beside_each_threshold(boundary_table, code):
    """Fails for '<' in place of '<=' (or the reverse) at either threshold, for any threshold other than Annex 3's,
    or for bands swapped between NHS and social care."""
    nhs, asc, bands = CASES[code]
    row = boundary_table[code]
    assert row["population_18plus"] == ADULTS
    assert (row["nhs_band"], row["asc_band"]) == bands
    assert row["baseline_nhs_rate"] == pytest.approx(nhs / 920, rel=1e-12)
    assert row["baseline_asc_rate"] == pytest.approx(asc / 920, rel=1e-12)


# what each band asks, per Annex 3: (target, cap) of each attribution
ANNEX3 = {"nhs": (5.5, 0.30), "asc": (2.6, 0.40)}


@pytest.mark.parametrize("code", CASES)
def test_expected_rates_and_daily_delays_follow_the_band(boundary_table, code):
    """Fails for a wrong target or cap, a cap applied as 'reduce to' rather than 'reduce by', expected daily
    delays not scaled by the population, or joint delays not held at the baseline."""
    row = boundary_table[code]
    nhs, asc, bands = CASES[code]
    for (short, (target, cap)), days, band in zip(ANNEX3.items(), (nhs, asc), bands, strict=True):
        baseline_daily, rate = days / DAYS, days / 920
        expected_rate = {"maintain": rate, "reduce_to_target": target, "reduce_by_cap": rate * (1 - cap)}[band]
        assert row[f"baseline_{short}_daily"] == pytest.approx(baseline_daily, rel=1e-12)
        assert row[f"expected_{short}_rate"] == pytest.approx(expected_rate, rel=1e-12, abs=1e-15)
        # 1,000,000 adults: expected daily delays = expected rate x 10
        assert row[f"expected_{short}_daily"] == pytest.approx(expected_rate * 10, rel=1e-12, abs=1e-15)
    assert row["baseline_joint_daily"] == row["expected_joint_daily"] == pytest.approx(2.0, rel=1e-15)
    assert row["expected_joint_rate"] == row["baseline_joint_rate"] == pytest.approx(0.2, rel=1e-12)
    assert row["expected_total_daily"] == pytest.approx(
        row["expected_nhs_daily"] + row["expected_asc_daily"] + 2.0, rel=1e-12
    )


def test_worked_examples(boundary_table):
    """Annex 3 in figures: NHS 10.0 -> 7.0 (30% off), social care 5.0 -> 3.0 (40% off); at the thresholds the
    expectation is the target itself."""
    capped, at_target = boundary_table["E06000005"], boundary_table["E06000001"]
    assert capped["expected_nhs_rate"] == pytest.approx(7.0, rel=1e-12)
    assert capped["expected_asc_rate"] == pytest.approx(3.0, rel=1e-12)
    assert capped["expected_nhs_daily"] == pytest.approx(70.0, rel=1e-12)
    assert capped["expected_asc_daily"] == pytest.approx(30.0, rel=1e-12)
    assert at_target["expected_nhs_rate"] == 5.5 and at_target["expected_asc_rate"] == 2.6
    assert at_target["expected_nhs_daily"] == pytest.approx(55.0, rel=1e-12)
    assert at_target["expected_asc_daily"] == pytest.approx(26.0, rel=1e-12)
    assert boundary_table["E06000004"]["expected_nhs_rate"] == pytest.approx((7268 + 1) / 920 * 0.7, rel=1e-12)
    assert boundary_table["E06000003"]["expected_asc_daily"] == pytest.approx((2392 - 1) / 92, rel=1e-12)
