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
    """Who a delay is attributed to, in every spelling the project uses, whether Annex 3 bands it (else its
    delays are held at the baseline), and the colour of its line in charts."""

    key: str
    short: str
    header: str
    label: str
    long_label: str
    phrase: str
    banded: bool
    colour: str

    def column(self, stage: str, kind: str) -> str:
        """'baseline_asc_daily' for (stage='baseline', kind='daily')."""
        return f"{stage}_{self.short}_{kind}"

    @property
    def band_column(self) -> str:
        return f"{self.short}_band"


NHS = Attribution("nhs", "nhs", "NHS", "NHS", "NHS", "NHS", banded=True, colour="#1f4e79")
SOCIAL_CARE = Attribution(
    "social_care", "asc", "Social Care", "Social care", "Social care", "social care", banded=True, colour="#c2571a"
)
JOINT = Attribution(
    "joint", "joint", "Both", "Joint", "Joint (NHS and social care)", "both (joint)", banded=False, colour="#7f7f7f"
)
ATTRIBUTIONS = (NHS, SOCIAL_CARE, JOINT)
BANDED = tuple(a for a in ATTRIBUTIONS if a.banded)
BY_KEY = {a.key: a for a in ATTRIBUTIONS}
BY_SHORT = {a.short: a for a in ATTRIBUTIONS}
TOTAL_KEY, TOTAL_LABEL, TOTAL_COLOUR = "total", "Total", "#111111"
# Each attribution then the total, with its label: by key (the long tables' attribution column) and by short
# name (the wide columns' nhs_..., asc_..., joint_..., total_...)
PART_LABELS = {**{a.key: a.label for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_LABEL}
SHORT_PART_LABELS = {**{a.short: a.label for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_LABEL}
# the workbook's fourth value column, beside the three attributions
TOTAL_HEADER = "Total"


def cell_reference(file: str, sheet: str, ref: str) -> str:
    """The one way dtoc writes a cell of an input file: "LA-Type-B-December-2017.xls 'LA - by responsible org'!G144"."""
    return f"{file} '{sheet}'!{ref}"


@dataclass(frozen=True)
class Band:
    """One band of the Annex 3 rule: its name in the data, its label and meaning in words, its short label (in
    tables, with the label on hover), its colour in charts, and its wording with a policy's numbers (format fields rate, target, upper, cap, expected; measured
    in `reason` is the baseline rate as a phrase): `derivation` as `dtoc explain` prints it, `clause` in the
    rule's sentence, `reason` in a brief. sql/macros/band_rule.sql decides the band and its expected rate."""

    key: str
    label: str
    short_label: str
    meaning: str
    colour: str
    derivation: str = ""
    clause: str = ""
    reason: str = ""


# The bands, in order from the least to the most asked of an area: the one list every label, meaning, colour,
# count, sentence and check is made from.
BAND_LIST = (
    Band(
        "maintain",
        "Keep the rate",
        "Keep",
        "below the target: keep the rate",
        "#1b7837",
        "rate {rate:.4f} is below the target {target:g}: the baseline rate is kept",
        "below {target:g} {unit} the rate is kept",
        "{measured} is below the target of {target:g}, so the expectation is to keep it at that level.",
    ),
    Band(
        "reduce_to_target",
        "Reduce to the target",
        "To target",
        "from the target to the upper threshold: reduce to the target",
        "#e08214",
        "rate {rate:.4f} lies from {target:g} to {upper:g} (inclusive): reduce to {target:g}",
        "from {target:g} to {upper:g} it is to come down to {target:g}",
        "{measured} lies from {target:g} to {upper:g}, so the expectation is to bring it down to {target:g}.",
    ),
    Band(
        "reduce_by_cap",
        "Reduce by the cap",
        "By cap",
        "above the upper threshold: reduce by the cap",
        "#b2182b",
        "rate {rate:.4f} is above {upper:g}: reduce by {cap:.0%}",
        "above {upper:g} it is to fall by {cap:.0%}",
        "{measured} is above {upper:g}, so the expectation is to cut it by {cap:.0%}, to {expected:.2f}.",
    ),
)
JOINT_BAND_INFO = Band(
    "held_at_baseline",
    "Held at the baseline",
    "Held",
    "joint delays are held at the baseline",
    "#7f7f7f",
    reason="Delays attributed to both NHS and social care are held at the baseline level.",
)
BY_BAND = {b.key: b for b in (*BAND_LIST, JOINT_BAND_INFO)}
BANDS = tuple(b.key for b in BAND_LIST)
JOINT_BAND = JOINT_BAND_INFO.key
BAND_LABELS = {b.key: b.label for b in (*BAND_LIST, JOINT_BAND_INFO)}
BAND_SHORT_LABELS = {b.key: b.short_label for b in (*BAND_LIST, JOINT_BAND_INFO)}
BAND_COLOURS = {b.key: b.colour for b in BAND_LIST}


@dataclass(frozen=True)
class Verdict:
    """One verdict of plan assurance (`dtoc assure`, BCF KLOE 33-35): its name in the data, its label, its
    meaning, and its colour in workbooks. dtoc.assure.verdicts holds the rules that reach it."""

    key: str
    label: str
    meaning: str
    colour: str


VERDICT_LIST = (
    Verdict(
        "in_line",
        "In line",
        "NHS, social care and joint delays each in line with the expectation in every month (KLOE 33, 34)",
        "#DFF3E4",
    ),
    Verdict(
        "reattributed_evidenced",
        "Reattributed, with evidence",
        "The total in line in every month, an attribution above its own expectation in some month, with evidence "
        "and rationale for the change (KLOE 35)",
        "#FFF2CC",
    ),
    Verdict(
        "reattributed_unevidenced",
        "Reattributed, no evidence",
        "The total in line in every month, an attribution above its own expectation in some month, with no "
        "evidence for the change (KLOE 35)",
        "#FFF2CC",
    ),
    Verdict(
        "not_in_line", "Not in line", "The total above the expected total in at least one month (KLOE 33)", "#FBE0E0"
    ),
    Verdict("no_plan", "No plan", "No rows for the HWB in the plans file", "#EEEEEE"),
)
IN_LINE, REATTRIBUTED_EVIDENCED, REATTRIBUTED_UNEVIDENCED, NOT_IN_LINE, NO_PLAN = (v.key for v in VERDICT_LIST)
VERDICTS = tuple(v.key for v in VERDICT_LIST)
VERDICT_LABELS = {v.key: v.label for v in VERDICT_LIST}
VERDICT_MEANINGS = {v.key: v.meaning for v in VERDICT_LIST}
VERDICT_COLOURS = {v.key: v.colour for v in VERDICT_LIST}
# The order an assurer reads them in: the HWBs that need attention first, those in line last.
ATTENTION_ORDER = (NOT_IN_LINE, REATTRIBUTED_UNEVIDENCED, NO_PLAN, REATTRIBUTED_EVIDENCED, IN_LINE)
# Plans are whole days and the expected days are not: a planned figure up to this far above is in line (the
# number and its sentence, for dtoc.assure.judge, the pages and the workbooks' Columns sheets).
ALLOWANCE_DAYS = 0.5
IN_LINE_RULE = f"the planned figure at most the expected days + {ALLOWANCE_DAYS:g} (plans count whole days)"

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


BAND_MEANINGS = {b.key: b.meaning for b in BAND_LIST}
JOINT_RULE = JOINT_BAND_INFO.meaning


def band_of(key: str) -> Band:
    """The band named key; ValueError naming it if the vocabulary has no such band."""
    try:
        return BY_BAND[key]
    except KeyError:
        raise ValueError(f"unknown band {key!r}: dtoc.vocabulary.BAND_LIST has {', '.join(BY_BAND)}") from None


def band_derivation(band: str, rate: float, target: float, upper: float, cap: float) -> str:
    """The band's rule applied to one rate, as `dtoc explain` prints it."""
    return band_of(band).derivation.format(rate=rate, target=target, upper=upper, cap=cap)


def policy_sentence(label: str, policy: Policy) -> str:
    """Every band of one attribution in one sentence, each band named as a reader sees it."""
    numbers = {"target": policy.target_rate, "upper": policy.upper_rate, "cap": policy.reduction_cap}
    clauses = [f"{band.clause.format(unit=RATE_UNIT, **numbers)} ({band.label})" for band in BAND_LIST]
    return f"{label}: " + "; ".join(clauses) + "."


def expectation_sentence(label: str, expected_daily: str, target_date: str) -> str:
    """'Social care: at most 1.3 delayed transfers a day by 30 September 2018, and no more thereafter.'
    (expected_daily and target_date already formatted for display)."""
    return f"{label}: at most {expected_daily} delayed transfers a day by {target_date}, and no more thereafter."


def band_reason(band: str, rate: float, expected_rate: float, policy: Policy | None, shown: str = "") -> str:
    """Why the expectation is what it is, in a sentence a person can read (policy None: joint delays); `shown` is
    the baseline rate as displayed (dtoc.report.display.rate), else it is written with two decimals."""
    if policy is None:
        return JOINT_BAND_INFO.reason
    return band_of(band).reason.format(
        measured=f"The baseline rate of {shown or format(rate, '.2f')} {RATE_UNIT}",
        target=policy.target_rate,
        upper=policy.upper_rate,
        cap=policy.reduction_cap,
        expected=expected_rate,
    )


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
    parts = SHORT_PART_LABELS.items()
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


def assurance_columns() -> dict[str, tuple[str, str]]:
    """Header and meaning of the columns of `dtoc assure`'s tables: one row per HWB, and the counts by region."""
    return {
        "verdict": (
            "Verdict",
            "The judgement of the HWB's plan (KLOE 33 to 35): " + "; ".join(VERDICT_LABELS.values()),
        ),
        "kloe33_total_in_line": ("Total in line (KLOE 33)", "The planned total in line in every month assessed"),
        "kloe34_nhs_in_line": ("NHS in line (KLOE 34)", "Planned NHS delays in line in every month assessed"),
        "kloe34_asc_in_line": ("Social care in line (KLOE 34)", "Planned social care delays in line every month"),
        "joint_in_line": ("Joint in line", "Planned joint delays in line in every month assessed"),
        "kloe35_evidence": ("Evidence given (KLOE 35)", "Whether the plan gives evidence for a change of attribution"),
        "evidence": ("Evidence", "The evidence and rationale the plan gives for a change of attribution"),
        "months_planned": ("Months planned", "Months of the plan year the plans file holds for the HWB"),
        "worst_month": ("Worst month", "The month assessed with the largest planned minus expected total"),
        "worst_total_gap_days": ("Worst gap, days", "Planned minus expected total delayed days in the worst month"),
        "feedback": ("Feedback", "One sentence on the plan, for the Better Care Manager"),
        **{v.key: (v.label, f"HWBs whose verdict is {v.label}: {v.meaning}") for v in VERDICT_LIST if v.key != IN_LINE},
        "hwbs": ("HWBs", "Health and Wellbeing Boards"),
    }


def plan_month_columns() -> dict[str, tuple[str, str]]:
    """Header and meaning of the columns of `dtoc assure`'s months: the long form (assurance_months, one row per
    HWB, month and attribution) and its workbook's Months sheet (the attributions side by side)."""
    parts = PART_LABELS.items()
    long_form = "(assurance_months.csv: {column} where attribution is {key})"
    return {
        "comparison": ("Compared with", "The expectation from the target month on; the glide path before it"),
        "assessed": ("Assessed", "Whether the month is judged (from the target month on) or shown for information"),
        "planned_days": ("Planned days", "Delayed days the plan gives for the month"),
        "expected_days": ("Expected days", "The month's expected daily delays (or glide path) x its days"),
        "gap_days": ("Gap, days", "Planned minus expected delayed days"),
        "in_line": (
            VERDICT_LABELS[IN_LINE],
            f"In a month: {IN_LINE_RULE}; in a count by region: the HWBs whose verdict is {VERDICT_LABELS[IN_LINE]}",
        ),
        **{
            f"{key}_{column}": (f"{label} {words}", f"{label}: {meaning} {long_form.format(column=column, key=key)}")
            for key, label in parts
            for column, words, meaning in (
                ("planned_days", "planned days", "planned delayed days"),
                ("expected_days", "expected days", "expected delayed days"),
                ("in_line", "in line", "whether the planned figure is in line"),
            )
        },
        f"{TOTAL_KEY}_gap_days": ("Total gap, days", "Planned minus expected total delayed days in the month"),
    }


def split_columns() -> dict[str, tuple[str, str]]:
    """Header and meaning of the columns of `dtoc split`'s table (ccg_split)."""
    share = "the CCG's share of the HWB's"
    return {
        "ccg_code": ("CCG code", "The Clinical Commissioning Group's code, as the shares file gives it"),
        "ccg_name": ("CCG", "The Clinical Commissioning Group's name, as the shares file gives it"),
        "nhs_share": ("Share of NHS delays", "The CCG's share of the HWB's NHS figures, a fraction from 0 to 1"),
        "reduction_nhs_daily": ("NHS reduction, daily", f"Baseline minus expected NHS daily delays: {share}"),
        "path_nhs_daily": ("NHS path, daily", f"The month's NHS level (glide path, then expectation): {share}"),
        "path_nhs_delayed_days": ("NHS path, delayed days", "The month's NHS level x its days: the CCG's share"),
        "path_reduction_nhs_daily": ("NHS reduction that month, daily", f"Baseline minus the month's level: {share}"),
        "path_reduction_nhs_delayed_days": (
            "NHS reduction that month, delayed days",
            "Baseline minus the month's level, x its days: the CCG's share",
        ),
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
    **assurance_columns(),
    **plan_month_columns(),
    **split_columns(),
}


def column_header(name: str) -> str:
    """The header a person reads for a machine column name; KeyError names a column nobody described."""
    try:
        return COLUMNS[name][0]
    except KeyError:
        raise KeyError(f"column {name!r} has no header in dtoc.vocabulary.COLUMNS") from None


# Coded values as a person reads them in a workbook, by column (CSV, Parquet and JSON keep the codes).
PATH_LABELS = {"glide path": "Glide path", "glide_path": "Glide path", "expectation": "Expectation"}
VALUE_LABELS: dict[str, dict[str, str]] = {
    **{a.band_column: BAND_LABELS for a in BANDED},
    "band": BAND_LABELS,
    "verdict": VERDICT_LABELS,
    "attribution": PART_LABELS,
    "comparator": {**PATH_LABELS, "expected": "Expectation"},
    "comparison": PATH_LABELS,
    "path": PATH_LABELS,
}


def worded(column: str, value: object) -> object:
    """The value of a column as a workbook shows it: a band, verdict, attribution or comparator in words, the
    attributions flagged in band_sensitive by their labels ('nhs; asc' -> 'NHS; Social care'); anything else as
    it is."""
    if not isinstance(value, str):
        return value
    if column == "band_sensitive":
        return "; ".join(BY_SHORT[part].label if part in BY_SHORT else part for part in value.split("; "))
    return VALUE_LABELS.get(column, {}).get(value, value)
