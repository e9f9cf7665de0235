"""report.html: the national page of a publication, self-contained (inline CSS, SVG and script; nothing fetched).

At the top the publication date, the data's published and revised dates, the validation verdict and the caveats;
then the national totals (the ambition drawn against the total only), HWBs per band, every HWB's baseline and
expected rate for NHS and for social care delays, the what-if of Annex 3's six numbers (dtoc.report.whatif and
templates/whatif.js: the national totals, the HWBs per band and every HWB's row recomputed in the page), a summary
per region, and the table of every HWB (dtoc.report.hwb_table) with its figures, region, bands (short labels, the
wording on hover) and links to its brief and files. A reader can search the table by name or code, sort it and
filter it by region and band (templates/report.js); the address's fragment presets both scripts. Every table fits
a 1,280 px window; printed, the page fits A4 landscape. Rendered from templates/report.html.j2.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from markupsafe import Markup

from dtoc.config import BandPolicy, Config
from dtoc.report import display
from dtoc.report.caveats import general_caveats, hwb_caveats
from dtoc.report.hwb_table import header_rows, hwb_row
from dtoc.report.pages import render_page
from dtoc.report.release import Release
from dtoc.report.summary import summarise_expectations
from dtoc.report.svg import band_chart, rate_chart, totals_chart
from dtoc.report.whatif import whatif_panel
from dtoc.vocabulary import ATTRIBUTIONS, BAND_LIST, BANDED, BANDS, TOTAL_KEY, TOTAL_LABEL, policy_sentence


def rate_points(table: pl.DataFrame, short: str) -> list[dict]:
    """One point per HWB: code, name, baseline and expected rate, band."""
    return [
        {"code": code, "name": name, "baseline": baseline, "expected": expected, "band": band}
        for code, name, baseline, expected, band in table.select(
            "hwb_code", "hwb_name", f"baseline_{short}_rate", f"expected_{short}_rate", f"{short}_band"
        ).iter_rows()
    ]


def thresholds(policy: BandPolicy) -> tuple[tuple[str, float], ...]:
    return (("target", policy.target_rate), ("upper", policy.upper_rate))


def region_rows(table: pl.DataFrame, regions: dict[str, str]) -> list[dict]:
    """One row per region (and England): HWBs, daily delays at baseline and expected, the change, bands."""
    frame = table.with_columns(
        pl.col("hwb_code").replace_strict(regions, default="").alias("region"),
        (pl.col("baseline_nhs_daily") + pl.col("baseline_asc_daily") + pl.col("baseline_joint_daily")).alias(
            "baseline_total_daily"
        ),
    )
    groups = [(name, group) for (name,), group in frame.group_by("region", maintain_order=False)]
    rows = []
    for name, group in [*sorted(groups), ("England", frame)]:
        baseline, expected = float(group["baseline_total_daily"].sum()), float(group["expected_total_daily"].sum())
        rows.append(
            {
                "region": name,
                "hwbs": group.height,
                "baseline": display.daily(baseline),
                "expected": display.daily(expected),
                "change": f"{expected / baseline - 1:+.0%}" if baseline else "",
                "bands": [int((group[a.band_column] == band).sum()) for a in BANDED for band in BANDS],
            }
        )
    return rows


def caveat_lines(table: pl.DataFrame, explanations: dict[str, dict]) -> list[tuple[str, str]]:
    """(caveat, the HWBs it applies to) for every caveat the HWBs' own data give them, in order of first HWB."""
    names = dict(table.select("hwb_code", "hwb_name").iter_rows())
    grouped: dict[str, list[str]] = {}
    for code in sorted(c for c in explanations if c in names):
        for caveat in hwb_caveats(explanations[code]):
            grouped.setdefault(caveat, []).append(names[code])
    return [(caveat, ", ".join(hwbs)) for caveat, hwbs in grouped.items()]


def charts(table: pl.DataFrame, summary: dict, config: Config) -> dict[str, Markup]:
    totals = summary["national_daily_delays"]
    parts = [
        (label, totals[f"baseline_{s}_daily"], totals[f"expected_{s}_daily"])
        for label, s in [(a.label, a.short) for a in ATTRIBUTIONS] + [(TOTAL_LABEL, TOTAL_KEY)]
    ]
    target = display.long_date(config.plan.target_date)
    return {
        "totals": Markup(
            totals_chart(
                parts,
                config.plan.national_ambition_daily,
                "National average daily delays, baseline and expected",
                f"expected by {target}",
            )
        ),
        "bands": Markup(band_chart({a.label: summary[f"{a.short}_bands"] for a in BANDED}, "HWBs per band")),
        **{
            a.short: Markup(
                rate_chart(
                    rate_points(table, a.short),
                    thresholds(config.band_policy(a.short)),
                    f"{a.label} delays per 100,000 aged 18+ per HWB",
                )
            )
            for a in BANDED
        },
    }


def render_report(table: pl.DataFrame, config: Config, release: Release, explanations: dict[str, dict]) -> str:
    """The whole page as text (table sorted by hwb_code by the caller)."""
    summary = summarise_expectations(table)
    totals = summary["national_daily_delays"]
    named = table.with_columns(  # the charts' and caveats' names as ONS publishes them, as in the table
        pl.coalesce(
            pl.col("hwb_code").replace_strict(release.ons_names, default=None, return_dtype=pl.String), "hwb_name"
        ).alias("hwb_name")
    )
    vintage = table["population_vintage"][0] if table.height else config.population_vintage
    return render_page(
        "report.html.j2",
        release=release,
        published=display.long_date(release.published),
        target=display.long_date(config.plan.target_date),
        baseline=config.baseline.describe(),
        areas=table.height,
        baseline_total=display.daily(totals["baseline_total_daily"]),
        expected_total=display.daily(totals["expected_total_daily"]),
        year=config.plan.year,
        ambition=ambition_words(totals["expected_total_daily"], config.plan.national_ambition_daily),
        charts=charts(named, summary, config),
        general=general_caveats(release, config, vintage),
        hwb_caveats=caveat_lines(named, explanations),
        regions=region_rows(table, release.regions),
        policies=[policy_sentence(a.label, config.band_policy(a.short)) for a in BANDED],
        banded=BANDED,
        bands=BAND_LIST,
        region_names=sorted(set(release.regions.values())),
        header=header_rows(),
        rows=[
            hwb_row(
                row,
                release.regions.get(row["hwb_code"], ""),
                release.display_name(row["hwb_code"], row["hwb_name"]),
                config,
            )
            for row in table.iter_rows(named=True)
        ],
        whatif=whatif_panel(table, summary, config),
    )


def ambition_words(expected_total: float, ambition: float | None) -> str:
    """'national ambition: around 4,000; the expected total is 41.3 below it', or that the plan states none."""
    if ambition is None:
        return "the plan states no national ambition"
    side = "below" if expected_total <= ambition else "above"
    return (
        f"national ambition: around {ambition:,.0f}; the expected total is "
        f"{display.daily(abs(expected_total - ambition))} {side} it"
    )


def write_report(
    path: Path, table: pl.DataFrame, config: Config, release: Release, explanations: dict[str, dict]
) -> Path:
    path.write_bytes(render_report(table, config, release, explanations).encode("utf-8"))
    return path
