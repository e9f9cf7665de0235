"""Suites of the population tables: population_raw, population_totals, hwb_population."""

from __future__ import annotations

from expectations.definitions.helpers import between, expect, not_null, required_columns


def population_raw_suite() -> list[dict]:
    """Rows of the mid-year estimates workbook (frame population_raw)."""
    columns = [
        "ons_code",
        "area_name",
        "population_18plus",
        "population_all_ages",
        "vintage",
        "source_file",
        "sheet",
        "row_number",
    ]
    checks = [
        required_columns(columns, "population_raw"),
        not_null("ons_code", "Every population row has an ONS code."),
        expect(
            "ons_code_unique",
            "expect_column_values_to_be_unique",
            "Each ONS code appears once.",
            show=("population_18plus",),
            column="ons_code",
        ),
    ]
    for column, label in (("population_18plus", "aged 18+"), ("population_all_ages", "of all ages")):
        checks += [
            not_null(column, f"Every area has a population {label}."),
            between(f"{column}_positive", column, f"The population {label} is positive.", min_value=1),
            between(
                f"{column}_whole_number",
                f"{column}_fraction",
                f"The population {label} is a whole number.",
                0,
                0,
                show=(column,),
            ),
        ]
    return [
        *checks,
        expect(
            "adults_within_all_ages",
            "expect_column_pair_values_a_to_be_greater_than_b",
            "The population of all ages is at least the population aged 18+.",
            column_A="population_all_ages",
            column_B="population_18plus",
            or_equal=True,
        ),
    ]


def population_totals_suite() -> list[dict]:
    """England's population against its upper-tier areas (frame population_totals)."""
    return [
        not_null("england_population", "The workbook has an England row (E92000001).", show=("measure",)),
        between(
            "upper_tier_adds_up_to_england",
            "difference",
            "Unitary authorities, metropolitan districts, London boroughs and counties (E06, E08, E09, "
            "E10; not the E07 districts inside counties) add up to England (E92000001).",
            0,
            0,
            show=("england_population", "upper_tier_population"),
        ),
    ]


def hwb_population_suite() -> list[dict]:
    """Each HWB's population after the geography lookup (frame hwb_population). That every HWB has one is checked
    in one place, before the expectation models run (dtoc.model.pipeline.check_population)."""
    return [
        between("population_18plus_positive", "population_18plus", "Every HWB's population is positive.", min_value=1),
        expect(
            "hwb_code_unique",
            "expect_column_values_to_be_unique",
            "Each HWB has one population row.",
            column="hwb_code",
        ),
    ]
