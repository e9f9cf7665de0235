"""Suite of the published table: expectations (one row per HWB)."""

from __future__ import annotations

from dtoc.vocabulary import ATTRIBUTIONS, BANDED, BANDS, BY_SHORT, PUBLISHED_COLUMNS, TOTAL_LABEL
from expectations.definitions.helpers import MINUS_TOLERANCE, TOLERANCE, between, expect, in_set, not_null

CONTRACT_COLUMNS = list(PUBLISHED_COLUMNS)
FRAME_COLUMNS = ["expectation_rows", "in_hwb_areas", "total_relative_difference", "location"] + [
    f"{a.short}_{kind}_reduction" for a in ATTRIBUTIONS for kind in ("rate", "daily")
]
NAMES = {a.short: a.phrase if a.banded else a.short for a in ATTRIBUTIONS}


def coverage_checks() -> list[dict]:
    """The table's columns and its one row per HWB of hwb_areas."""
    return [
        expect(
            "contract_columns",
            "expect_table_columns_to_match_set",
            "The table has exactly the contract columns (the frame adds the checks' derived columns).",
            column_set=CONTRACT_COLUMNS + FRAME_COLUMNS,
            exact_match=True,
        ),
        not_null("hwb_code", "Every row has an HWB code."),
        not_null("region", "Every HWB has a region (the workbooks' Region column).", show=("hwb_code",)),
        expect("hwb_code_unique", "expect_column_values_to_be_unique", "Each HWB has one row.", column="hwb_code"),
        between("every_hwb_has_a_row", "expectation_rows", "Every HWB of hwb_areas has a row.", min_value=1),
        in_set("only_known_hwbs", "in_hwb_areas", [True], "Every row is an HWB of hwb_areas."),
        *(
            in_set(
                f"{a.band_column}_allowed",
                a.band_column,
                list(BANDS),
                f"The {NAMES[a.short]} band is one of " + ", ".join(BANDS) + ".",
            )
            for a in BANDED
        ),
    ]


def attribution_checks(part: str) -> list[dict]:
    """Expected rate and daily delays of one attribution against its baseline."""
    name = NAMES[part]
    checks = [
        between(
            f"expected_{part}_{kind}_not_negative",
            f"expected_{part}_{kind}",
            f"The expected {name} {label} is not negative.",
            min_value=0,
        )
        for kind, label in (("rate", "rate"), ("daily", "daily delays"))
    ]
    for kind, label in (("rate", "rate"), ("daily", "daily delays")):
        show = (f"baseline_{part}_{kind}", f"expected_{part}_{kind}")
        if not BY_SHORT[part].banded:
            checks.append(
                between(
                    f"{part}_{kind}_held_at_baseline",
                    f"{part}_{kind}_reduction",
                    f"The expected {part} {label} equals the baseline (within 1e-9 relative).",
                    MINUS_TOLERANCE,
                    TOLERANCE,
                    show=show,
                )
            )
        else:
            checks.append(
                between(
                    f"{part}_{kind}_not_above_baseline",
                    f"{part}_{kind}_reduction",
                    f"The expected {name} {label} is not above the baseline (within 1e-9 relative).",
                    min_value=MINUS_TOLERANCE,
                    show=show,
                )
            )
    return checks


def policy_checks() -> list[dict]:
    """Reductions within the policy's largest (max of 1 - target/upper and the cap), and the totals."""
    return [
        between(
            f"{part}_reduction_within_policy",
            f"{part}_rate_reduction",
            f"The {NAMES[part]} reduction (1 - expected/baseline rate) is at most the policy's largest: "
            f"max(1 - target/upper, cap).",
            max_value={"$PARAMETER": f"{part}_reduction_limit"},
            show=(f"{part}_band", f"baseline_{part}_rate", f"expected_{part}_rate"),
        )
        for part in (a.short for a in BANDED)
    ] + [
        between(
            "total_is_sum_of_attributions",
            "total_relative_difference",
            f"The expected {TOTAL_LABEL.lower()} equals "
            + " + ".join(a.label if a.label.isupper() else a.label.lower() for a in ATTRIBUTIONS)
            + " daily delays (within 1e-9 relative).",
            MINUS_TOLERANCE,
            TOLERANCE,
            show=("expected_total_daily", *(a.column("expected", "daily") for a in ATTRIBUTIONS)),
        )
    ]


def expectations_suite() -> list[dict]:
    """The expectations table (frame expectations)."""
    return coverage_checks() + [c for a in ATTRIBUTIONS for c in attribution_checks(a.short)] + policy_checks()
