"""The project's vocabulary, written once: attributions, bands, the published columns, and their wording, and
every column's header a person reads (COLUMNS: machine name -> header, meaning).

Everything that names an attribution or a band, lists the published columns, or describes a band in words
reads it from here. SQL cannot import Python: tests/test_vocabulary.py checks the SQL models against this
module instead.

Attributions have three spellings that must never drift apart:
  key     the value in the long-form tables (delayed_days_raw.attribution, monitoring.attribution)
  short   the infix of the published columns (baseline_<short>_daily, <short>_band)
  header  the column header as the NHS England workbooks print it ('Social Care')
and three forms in words: `label` in tables and charts ('Joint'), `long_label` where it stands alone
('Joint (NHS and social care)'), `phrase` inside a sentence ('both (joint)').
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Attribution:
    """Who a delay is attributed to, in every spelling the project uses."""

    key: str
    short: str
    header: str
    label: str
    long_label: str
    phrase: str
    banded: bool

    def column(self, stage: str, kind: str) -> str:
        """'baseline_asc_daily' for (stage='baseline', kind='daily')."""
        return f"{stage}_{self.short}_{kind}"

    @property
    def band_column(self) -> str:
        return f"{self.short}_band"


NHS = Attribution("nhs", "nhs", "NHS", "NHS", "NHS", "NHS", banded=True)
SOCIAL_CARE = Attribution("social_care", "asc", "Social Care", "Social care", "Social care", "social care", banded=True)
JOINT = Attribution("joint", "joint", "Both", "Joint", "Joint (NHS and social care)", "both (joint)", banded=False)
ATTRIBUTIONS = (NHS, SOCIAL_CARE, JOINT)
BANDED = tuple(a for a in ATTRIBUTIONS if a.banded)
BY_KEY = {a.key: a for a in ATTRIBUTIONS}
BY_SHORT = {a.short: a for a in ATTRIBUTIONS}
TOTAL_KEY, TOTAL_LABEL = "total", "Total"
# the workbook's fourth value column, beside the three attributions
TOTAL_HEADER = "Total"

# Bands, in order from the least to the most asked of an area.
MAINTAIN, REDUCE_TO_TARGET, REDUCE_BY_CAP = "maintain", "reduce_to_target", "reduce_by_cap"
BANDS = (MAINTAIN, REDUCE_TO_TARGET, REDUCE_BY_CAP)
JOINT_BAND = "held_at_baseline"
BAND_LABELS = {
    MAINTAIN: "Keep the rate",
    REDUCE_TO_TARGET: "Reduce to the target",
    REDUCE_BY_CAP: "Reduce by the cap",
    JOINT_BAND: "Held at the baseline",
}

# The published table: the 19 contract columns in order, then the columns added after the contract.
CONTRACT_COLUMNS = (
    "hwb_code",
    "hwb_name",
    "population_18plus",
    "population_vintage",
    *(a.column("baseline", "daily") for a in ATTRIBUTIONS),
    *(a.column("baseline", "rate") for a in ATTRIBUTIONS),
    *(a.band_column for a in BANDED),
    *(a.column("expected", "rate") for a in ATTRIBUTIONS),
    *(a.column("expected", "daily") for a in ATTRIBUTIONS),
    "expected_total_daily",
)
ADDED_COLUMNS = ("band_sensitive", "region")
PUBLISHED_COLUMNS = CONTRACT_COLUMNS + ADDED_COLUMNS
# The figures of a row (everything but its identity and the flags), in published order.
FIGURE_COLUMNS = tuple(c for c in CONTRACT_COLUMNS if c not in ("hwb_code", "hwb_name", "population_vintage"))
DAILY_COLUMNS = tuple(c for c in CONTRACT_COLUMNS if c.endswith("_daily"))

RATE_UNIT = "per 100,000 aged 18+"

# Each published figure: the attribution whose cells it depends on (key; None for all) and its formula in words.
FIGURE_FORMULAS: dict[str, tuple[str | None, str]] = {
    "population_18plus": (
        None,
        "ONS mid-year estimate, single years of age 18 to 90+ summed, over the areas the HWB's DToC row covers",
    ),
    **{
        a.column("baseline", "daily"): (a.key, "sum of the quarter's delayed days / days in the quarter")
        for a in ATTRIBUTIONS
    },
    **{a.column("baseline", "rate"): (a.key, "baseline daily / population 18+ x 100,000") for a in ATTRIBUTIONS},
    **{
        a.band_column: (a.key, f"by the baseline rate against the {a.phrase} target and upper thresholds")
        for a in BANDED
    },
    **{
        a.column("expected", "rate"): (
            a.key,
            "by band: maintain = baseline rate; reduce_to_target = target; "
            "reduce_by_cap = baseline rate x (1 - cap); joint = baseline rate",
        )
        for a in ATTRIBUTIONS
    },
    **{
        a.column("expected", "daily"): (
            a.key,
            "expected rate x population 18+ / 100,000 (the baseline daily "
            "figure itself where the band keeps the baseline)",
        )
        for a in ATTRIBUTIONS
    },
    "expected_total_daily": (None, "expected NHS + social care + joint daily delays"),
}


class Policy(Protocol):
    """One attribution's thresholds (dtoc.config.BandPolicy, a frozen dataclass, satisfies it: read-only)."""

    @property
    def target_rate(self) -> float: ...
    @property
    def upper_rate(self) -> float: ...
    @property
    def reduction_cap(self) -> float: ...


BAND_MEANINGS = {
    MAINTAIN: "below the target: keep the rate",
    REDUCE_TO_TARGET: "from the target to the upper threshold: reduce to the target",
    REDUCE_BY_CAP: "above the upper threshold: reduce by the cap",
}
JOINT_RULE = "joint delays are held at the baseline"


def band_derivation(band: str, rate: float, target: float, upper: float, cap: float) -> str:
    """The band's rule applied to one rate, as `dtoc explain` prints it."""
    if band == MAINTAIN:
        return f"rate {rate:.4f} is below the target {target:g}: the baseline rate is kept"
    if band == REDUCE_TO_TARGET:
        return f"rate {rate:.4f} lies from {target:g} to {upper:g} (inclusive): reduce to {target:g}"
    if band == REDUCE_BY_CAP:
        return f"rate {rate:.4f} is above {upper:g}: reduce by {cap:.0%}"
    raise ValueError(f"unknown band {band!r}")


def policy_sentence(label: str, policy: Policy) -> str:
    """All three bands of one attribution in one sentence, each band named as a reader sees it."""
    return (
        f"{label}: below {policy.target_rate:g} {RATE_UNIT} the rate is kept ({BAND_LABELS[MAINTAIN]}); "
        f"from {policy.target_rate:g} to {policy.upper_rate:g} it is to come down to {policy.target_rate:g} "
        f"({BAND_LABELS[REDUCE_TO_TARGET]}); above {policy.upper_rate:g} it is to fall by "
        f"{policy.reduction_cap:.0%} ({BAND_LABELS[REDUCE_BY_CAP]})."
    )


def expectation_sentence(label: str, expected_daily: str, target_date: str) -> str:
    """'Social care: at most 1.3 delayed transfers a day by 30 September 2018, and no more thereafter.'
    (expected_daily and target_date already formatted for display)."""
    return f"{label}: at most {expected_daily} delayed transfers a day by {target_date}, and no more thereafter."


def band_reason(band: str, rate: float, expected_rate: float, policy: Policy | None) -> str:
    """Why the expectation is what it is, in a sentence a person can read (policy None: joint delays)."""
    if policy is None:
        return "Delays attributed to both NHS and social care are held at the baseline level."
    target, upper = f"{policy.target_rate:g}", f"{policy.upper_rate:g}"
    measured = f"The baseline rate of {rate:.2f} {RATE_UNIT}"
    if band == MAINTAIN:
        return f"{measured} is below the target of {target}, so the expectation is to keep it at that level."
    if band == REDUCE_TO_TARGET:
        return f"{measured} lies from {target} to {upper}, so the expectation is to bring it down to {target}."
    if band == REDUCE_BY_CAP:
        return (
            f"{measured} is above {upper}, so the expectation is to cut it by {policy.reduction_cap:.0%}, "
            f"to {expected_rate:.2f}."
        )
    raise ValueError(f"unknown band {band!r}")


def figure_columns() -> dict[str, tuple[str, str]]:
    """Header and meaning of every published figure, built from the attributions' labels and FIGURE_FORMULAS."""
    columns = {"population_18plus": ("Population aged 18+", FIGURE_FORMULAS["population_18plus"][1])}
    for part in ATTRIBUTIONS:
        for stage in ("baseline", "expected"):
            for kind, words in (("daily", "daily delays"), ("rate", f"rate {RATE_UNIT}")):
                name = part.column(stage, kind)
                columns[name] = (f"{part.label} {stage} {words}", FIGURE_FORMULAS[name][1])
        if part.banded:
            columns[part.band_column] = (f"{part.label} band", FIGURE_FORMULAS[part.band_column][1])
    columns["expected_total_daily"] = ("Expected total daily delays", FIGURE_FORMULAS["expected_total_daily"][1])
    return columns


def monthly_columns() -> dict[str, tuple[str, str]]:
    """Header and meaning of the per-attribution columns of an HWB's Monthly table ('nhs_daily', ...)."""
    parts = [(a.short, a.label) for a in ATTRIBUTIONS] + [(TOTAL_KEY, TOTAL_LABEL)]
    return {
        **{
            f"{short}_daily": (f"{label} daily", f"{label}: the month's daily level (glide path or expected)")
            for short, label in parts
        },
        **{
            f"{short}_delayed_days": (f"{label} delayed days", f"{label}: the month's daily level x its days")
            for short, label in parts
        },
    }


# Every column of every table dtoc writes: machine name -> (header a person reads, meaning). Workbooks print the
# header (their Columns sheet maps it back to the machine name); CSV, Parquet and JSON keep the machine name.
COLUMNS: dict[str, tuple[str, str]] = {
    "hwb_code": ("ONS code", "The Health and Wellbeing Board's ONS area code"),
    "hwb_name": ("Health and Wellbeing Board", "The HWB's name as the baseline quarter's last workbook prints it"),
    "population_vintage": ("Population estimates", "The ONS mid-year population estimates used"),
    **figure_columns(),
    "band_sensitive": (
        "Baseline rate near a band threshold",
        "The attributions (nhs, asc) whose baseline rate "
        "lies within the sensitivity margin of a band threshold: a small revision could change the band",
    ),
    "region": ("Region", "The NHS England region, from the workbooks' Region column"),
    "baseline_quarter": ("Baseline quarter", "The quarter whose average daily delays are the baseline"),
    "target_date": ("Target date", "The date by which the expectation is to be reached, and held thereafter"),
    "attribution": ("Attribution", "Who the delays are attributed to: NHS, social care, both (joint), or the total"),
    "band": ("Band", "The Annex 3 band of the baseline rate (joint delays: held at the baseline)"),
    "baseline_daily": ("Baseline daily delays", "Average daily delayed transfers of care in the baseline quarter"),
    "baseline_rate": (f"Baseline {RATE_UNIT}", "The baseline daily delays per 100,000 population aged 18+"),
    "expected_daily": ("Expected daily delays", "Average daily delays expected from the target date on"),
    "expected_rate": (f"Expected {RATE_UNIT}", "The expected daily delays per 100,000 population aged 18+"),
    "reason": ("Reason", "Why the expectation is what it is, in words"),
    "month": ("Month", "The calendar month"),
    "days_in_month": ("Days", "Calendar days in the month"),
    "month_index": ("Month index", "The month's position in the financial year (April = 0)"),
    "path": ("Path", "'glide path' before the target month, 'expectation' from it on"),
    **monthly_columns(),
    "actual_delayed_days": ("Actual delayed days", "Delayed days the month's workbook reports"),
    "cells_not_reported": ("Cells not reported", "Cells the workbook shows as '-' (not reported), counted as 0"),
    "actual_daily": ("Actual daily delays", "Actual delayed days / days in the month"),
    "glide_path_daily": (
        "Glide path daily delays",
        "The straight line from the baseline (April) to the expectation (the target month)",
    ),
    "comparator": ("Compared with", "'glide_path' before the target month, 'expected' from it on"),
    "comparator_daily": ("Comparator daily delays", "The glide path or the expected daily delays, as compared"),
    "met": ("Met", "Actual daily delays at or below the comparator (empty where a cell was not reported)"),
    "distance": ("Actual minus expected", "Actual minus expected daily delays, from the target month on"),
    "months_missed_to_date": ("Months missed to date", "Months from the target month on with the expectation not met"),
    "hwbs_reported": ("HWBs reported", "Health and Wellbeing Boards with a row in the month's workbook"),
    "hwbs_met": ("HWBs met", "HWBs at or below their comparator"),
    "england_published_delayed_days": (
        "England delayed days as published",
        "The workbook's England row (it also counts patients resident in Wales, Scotland and outside Great Britain)",
    ),
    "england_published_daily": ("England daily delays as published", "The workbook's England row / days in the month"),
    "hwbs_not_met": ("HWBs not met", "HWBs reported but not at or below their comparator"),
}


def column_header(name: str) -> str:
    """The header a person reads for a machine column name; KeyError names a column nobody described."""
    try:
        return COLUMNS[name][0]
    except KeyError:
        raise KeyError(f"column {name!r} has no header in dtoc.vocabulary.COLUMNS") from None
