"""The CLI contract's 19 columns of expectations.csv, in order, written once for the tests (from the issue that
set them, not from the code under test)."""

CONTRACT = [
    "hwb_code",
    "hwb_name",
    "population_18plus",
    "population_vintage",
    "baseline_nhs_daily",
    "baseline_asc_daily",
    "baseline_joint_daily",
    "baseline_nhs_rate",
    "baseline_asc_rate",
    "baseline_joint_rate",
    "nhs_band",
    "asc_band",
    "expected_nhs_rate",
    "expected_asc_rate",
    "expected_joint_rate",
    "expected_nhs_daily",
    "expected_asc_daily",
    "expected_joint_daily",
    "expected_total_daily",
]

# monitoring.csv's columns, in order (issue 5's monitoring table)
MONITORING_COLUMNS = [
    "hwb_code",
    "hwb_name",
    "month",
    "month_index",
    "attribution",
    "actual_delayed_days",
    "cells_not_reported",
    "days_in_month",
    "actual_daily",
    "baseline_daily",
    "expected_daily",
    "glide_path_daily",
    "comparator",
    "comparator_daily",
    "met",
    "distance",
    "months_missed_to_date",
]
