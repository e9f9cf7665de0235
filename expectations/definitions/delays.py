"""Suites of the DToC monthly tables: delayed_days, reported_totals, england_totals, quarter_months, area_months."""

from __future__ import annotations

from dtoc.vocabulary import ATTRIBUTIONS
from expectations.definitions.helpers import between, expect, in_set, not_null, required_columns

DELAY_ATTRIBUTIONS = [a.key for a in ATTRIBUTIONS]
AREA_TYPES = ["local_authority", "england", "non_england"]


def delayed_days_suite() -> list[dict]:
    """Cells of the monthly workbooks (frame delayed_days)."""
    columns = [
        "month",
        "ons_code",
        "la_code",
        "area_name",
        "region",
        "area_type",
        "attribution",
        "delayed_days",
        "source_file",
        "source_sha256",
        "sheet",
        "cell_ref",
        "row_number",
    ]
    return [
        required_columns(columns, "delayed_days_raw"),
        *[
            not_null(column, f"Every delayed-days cell has its {column}.")
            for column in ("month", "area_name", "source_file", "sheet", "cell_ref")
        ],
        in_set("area_type_known", "area_type", AREA_TYPES, "The area type is one of " + ", ".join(AREA_TYPES) + "."),
        in_set(
            "attribution_known",
            "attribution",
            DELAY_ATTRIBUTIONS,
            "The attribution is one of " + ", ".join(DELAY_ATTRIBUTIONS) + ".",
        ),
        not_null("delayed_days", "The cell holds a number; '-' (not reported) is counted as 0.", "warning"),
        between("delayed_days_not_negative", "delayed_days", "Delayed days are not negative.", min_value=0),
        between(
            "delayed_days_whole_number",
            "delayed_days_fraction",
            "Delayed days are whole numbers.",
            0,
            0,
            show=("delayed_days",),
        ),
        expect(
            "one_row_per_area_month_attribution",
            "expect_compound_columns_to_be_unique",
            "Each area has one row per month and attribution.",
            show=("area_name",),
            column_list=["month", "area_key", "attribution"],
        ),
    ]


def reported_totals_suite() -> list[dict]:
    """Total cells against the three attribution cells of the same row (frame reported_totals)."""
    columns = [
        "month",
        "ons_code",
        "area_name",
        "area_type",
        "reported_total",
        "cell_ref",
        "source_file",
        "sheet",
        "row_number",
    ]
    parts = ("reported_total", "attributions_total")
    return [
        required_columns(columns, "reported_totals"),
        not_null("reported_total", "The Total cell holds a number ('-' is counted as 0).", "warning"),
        between("total_not_negative", "reported_total", "Reported totals are not negative.", min_value=0),
        between(
            "attributions_add_up_to_total",
            "total_difference",
            "NHS + Social Care + Both = Total on the row ('-' counted as 0).",
            0,
            0,
            show=parts,
        ),
        between(
            "three_attributions_per_total",
            "attribution_rows",
            "Each Total cell has exactly one NHS, one Social Care and one Both cell beside it.",
            3,
            3,
        ),
        expect(
            "one_row_per_area_month",
            "expect_compound_columns_to_be_unique",
            "Each area has one Total per month.",
            column_list=["month", "area_key"],
        ),
    ]


def england_totals_suite() -> list[dict]:
    """England rows against the sum of the area rows (frame england_totals)."""
    return [
        between("one_england_row", "england_rows", "Each month has one England row per attribution.", 1, 1),
        between(
            "areas_add_up_to_england",
            "difference",
            "Per month and attribution, the area rows plus the non-England rows add up to the England row.",
            0,
            0,
            show=("england_days", "area_days", "non_england_days"),
        ),
    ]


def quarter_months_suite() -> list[dict]:
    """The months of the delayed days against the requested quarter (frame quarter_months)."""
    return [
        in_set("month_in_quarter", "requested", [True], "Every month of the data is in the requested quarter."),
        in_set("month_present", "present", [True], "Every month of the requested quarter has data."),
    ]


def area_months_suite() -> list[dict]:
    """Areas against months (frame area_months)."""
    return [
        between(
            "same_areas_each_month",
            "months_missing",
            "England and the non-England rows appear in every month of the quarter (local authorities are checked "
            "before the models run).",
            0,
            0,
            show=("missing_months",),
        )
    ]
