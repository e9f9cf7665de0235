"""One HWB's brief as data: every sentence, figure and source line its HTML page and its PDF print.

`build_brief(row, explanation, config, release)` takes one row of the `expectations` table, its explanation
(dtoc.audit.explain: the cells behind each figure), the config and the publication's facts (dtoc.report.release).
Figures are formatted here, once (dtoc.report.display), so the HTML brief, the PDF brief and report.html print
the same numbers; the wording comes from dtoc.vocabulary and dtoc.report.caveats; the monthly path is
dtoc.model.glide_path.monthly_rows (each month's daily level and delayed days). The HWB is named as ONS publishes
it (the release's display name), the workbooks' name beside it; the data checks are said in board words about
this HWB only (dtoc.report.validation_words).
"""

from __future__ import annotations

from datetime import date

from dtoc.config import Config
from dtoc.model.glide_path import baseline_total_daily, monthly_rows, path_sentence
from dtoc.periods import month_label
from dtoc.report import display
from dtoc.report.caveats import general_caveats, hwb_caveats
from dtoc.report.hwb_content import shown_rate, summary_rows
from dtoc.report.hwb_files import hwb_file_stem
from dtoc.report.release import Release
from dtoc.report.shapes import Series
from dtoc.report.validation_words import validation_statement
from dtoc.vocabulary import (
    ATTRIBUTIONS,
    BAND_LABELS,
    SHORT_PART_LABELS,
    TOTAL_COLOUR,
    TOTAL_KEY,
    TOTAL_LABEL,
    expectation_sentence,
)

COLOURS = {**{a.short: a.colour for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_COLOUR}
LABELS = SHORT_PART_LABELS
AXIS_TITLE = "Delayed transfers a day (average)"
# an HWB's files: (link text, short link text for report.html's table, file suffix)
FILE_LINKS = (
    ("Brief (PDF)", "PDF", ".pdf"),
    ("Workbook", "XLSX", ".xlsx"),
    ("Summary CSV", "summary", ".summary.csv"),
    ("Monthly CSV", "monthly", ".monthly.csv"),
    ("Derivation CSV", "derivation", ".derivation.csv"),
    ("JSON", "JSON", ".json"),
)


def cell_lines(cells: list[dict]) -> list[dict]:
    """The baseline cells of one attribution: month, value as printed, the cell in the month's workbook (the
    Sources table names each month's file)."""
    return [
        {
            "month": month_label(date.fromisoformat(c["month"])),
            "value": "- (not reported, counted as 0)" if c["not_reported"] else display.whole(c["value"]),
            "where": f"'{c['sheet']}'!{c['cell_ref']}",
            "file": c["source_file"],
        }
        for c in cells
    ]


def part_lines(row: dict, explanation: dict, config: Config) -> list[dict]:
    """One dict per attribution and the total: band in words, baseline and expected figures as displayed,
    the expectation in a sentence and why, and the cells behind the baseline."""
    target = display.long_date(config.plan.target_date)
    parts = []
    for summary, attribution in zip(summary_rows(row, config), (*ATTRIBUTIONS, None), strict=True):
        label = attribution.label if attribution else TOTAL_LABEL
        explained = explanation["attributions"][attribution.key] if attribution else None
        expected_daily = display.daily(summary["expected_daily"])
        short = attribution.short if attribution else TOTAL_KEY
        parts.append(
            {
                "label": label,
                "key": short,
                "band_label": BAND_LABELS.get(summary["band"], ""),
                "expected_daily": expected_daily,
                "baseline_daily": display.daily(summary["baseline_daily"]),
                "baseline_rate": shown_rate(summary["baseline_rate"], short, config),
                "expected_rate": shown_rate(summary["expected_rate"], short, config),
                "sentence": expectation_sentence(label, expected_daily, target),
                "reason": summary["reason"],
                "cells": cell_lines(explained["cells"]) if explained else [],
                "delayed_days": display.whole(explained["delayed_days_sum"]) if explained else "",
            }
        )
    return parts


def headline(row: dict, name: str, config: Config) -> str:
    """The whole expectation of the HWB (named `name`) in one sentence, with the change from its baseline."""
    baseline, expected = baseline_total_daily(row), row["expected_total_daily"]
    change = f", {1 - expected / baseline:.0%} fewer than" if baseline and expected < baseline else ", the same as"
    return (
        f"{name} is expected to have at most {display.daily(expected)} delayed transfers of care a "
        f"day on average by {display.long_date(config.plan.target_date)}, and no more thereafter{change} the "
        f"baseline of {display.daily(baseline)} a day in {config.baseline.describe()}."
    )


def monthly_lines(months: list[dict]) -> tuple[list[dict], list[Series]]:
    """One line per month of the year (glide_path.monthly_rows) as displayed: per attribution and the total, the
    month's daily level and its delayed days (the level x the days; plans are written in delayed days); and the
    chart's series (full precision), each labelled at its end with its last level."""
    lines = [
        {
            "month": month_label(month["month"]),
            "path": month["path"],
            **{key: display.daily(month[f"{key}_daily"]) for key in COLOURS},
            **{f"{key}_days": display.daily(month[f"{key}_delayed_days"]) for key in COLOURS},
        }
        for month in months
    ]
    series = [
        Series(
            LABELS[key],
            [m[f"{key}_daily"] for m in months],
            colour,
            width=2.2 if key == TOTAL_KEY else 1.4,
            end_label=f"{LABELS[key]} {display.daily(months[-1][f'{key}_daily'])}" if months else "",
        )
        for key, colour in COLOURS.items()
    ]
    return lines, series


def population_lines(explanation: dict) -> dict:
    population = explanation["population"]
    return {
        "total": display.whole(population["population_18plus"]),
        "vintage": population["vintage"],
        "cells": [
            {
                "area": c["population_area"],
                "value": display.whole(c["value"]),
                "file": c["source_file"],
                "where": f"'{c['sheet']}'!{c['cells_summed']}",
            }
            for c in population["cells"]
        ],
    }


def build_brief(row: dict, explanation: dict, config: Config, release: Release) -> dict:
    """Everything one HWB's brief says (see the module docstring)."""
    stem = hwb_file_stem(row["hwb_code"], row["hwb_name"])
    months = monthly_rows(row, config.plan)
    monthly, series = monthly_lines(months)
    name = release.display_name(row["hwb_code"], row["hwb_name"])
    return {
        "code": row["hwb_code"],
        "name": name,
        "workbook_name": row["hwb_name"],
        "region": release.regions.get(row["hwb_code"], ""),
        "stem": stem,
        "year": config.plan.year,
        "path_sentence": path_sentence(config.plan),
        "target": display.long_date(config.plan.target_date),
        "baseline_quarter": config.baseline.describe(),
        "published": display.long_date(release.published),
        "validation": validation_statement(release.validation, release.findings, row["hwb_code"], explanation),
        "headline": headline(row, name, config),
        "parts": part_lines(row, explanation, config),
        "population": population_lines(explanation),
        "monthly": monthly,
        "series": series,
        "axis_title": AXIS_TITLE,
        "months": [m["month"] for m in months],
        "sources": release.sources,
        "caveats": hwb_caveats(explanation) + general_caveats(release, config, row["population_vintage"]),
        "files": [(label, f"{stem}{suffix}") for label, _, suffix in FILE_LINKS],
    }
