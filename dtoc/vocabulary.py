"""The project's vocabulary, written once: attributions, bands, the published columns, and their wording.

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
BAND_LABELS = {MAINTAIN: "Keep the rate", REDUCE_TO_TARGET: "Reduce to the target",
               REDUCE_BY_CAP: "Reduce by the cap", JOINT_BAND: "Held at the baseline"}

# The published table: the 19 contract columns in order, then the columns added after the contract.
CONTRACT_COLUMNS = (
    "hwb_code", "hwb_name", "population_18plus", "population_vintage",
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
    "population_18plus": (None, "ONS mid-year estimate, single years of age 18 to 90+ summed, over the "
                                "areas the HWB's DToC row covers"),
    **{a.column("baseline", "daily"): (a.key, "sum of the quarter's delayed days / days in the quarter")
       for a in ATTRIBUTIONS},
    **{a.column("baseline", "rate"): (a.key, "baseline daily / population 18+ x 100,000") for a in ATTRIBUTIONS},
    **{a.band_column: (a.key, f"by the baseline rate against the {a.phrase} target and upper thresholds")
       for a in BANDED},
    **{a.column("expected", "rate"): (a.key, "by band: maintain = baseline rate; reduce_to_target = target; "
                                             "reduce_by_cap = baseline rate x (1 - cap); joint = baseline rate")
       for a in ATTRIBUTIONS},
    **{a.column("expected", "daily"): (a.key, "expected rate x population 18+ / 100,000 (the baseline daily "
                                              "figure itself where the band keeps the baseline)")
       for a in ATTRIBUTIONS},
    "expected_total_daily": (None, "expected NHS + social care + joint daily delays"),
}


class Policy(Protocol):
    """One attribution's thresholds (dtoc.config.BandPolicy satisfies it)."""

    target_rate: float
    upper_rate: float
    reduction_cap: float


BAND_MEANINGS = {MAINTAIN: "below the target: keep the rate",
                 REDUCE_TO_TARGET: "from the target to the upper threshold: reduce to the target",
                 REDUCE_BY_CAP: "above the upper threshold: reduce by the cap"}
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
    """All three bands of one attribution in one sentence, with the band names."""
    return (f"{label}: below {policy.target_rate:g} {RATE_UNIT} the rate is kept ({MAINTAIN}); from "
            f"{policy.target_rate:g} to {policy.upper_rate:g} it is to come down to {policy.target_rate:g} "
            f"({REDUCE_TO_TARGET}); above {policy.upper_rate:g} it is to fall by {policy.reduction_cap:.0%} "
            f"({REDUCE_BY_CAP}).")


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
        return (f"{measured} is above {upper}, so the expectation is to cut it by {policy.reduction_cap:.0%}, "
                f"to {expected_rate:.2f}.")
    raise ValueError(f"unknown band {band!r}")
