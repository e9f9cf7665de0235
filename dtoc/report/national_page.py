"""report.html: one self-contained page a person can read, charts as inline SVG (no scripts, nothing fetched).

Sections: the national totals against the ambition, HWBs per band, baseline and expected rate of every HWB for
NHS and for social care with the band thresholds from the config, and a table of every HWB.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import polars as pl

from dtoc.config import BandPolicy, Config
from dtoc.report.svg import band_chart, rate_chart, totals_chart
from dtoc.report.summary import summarise_expectations
from dtoc.vocabulary import ATTRIBUTIONS, BANDED, TOTAL_KEY, TOTAL_LABEL, policy_sentence

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 24px auto; max-width: 1200px;
       line-height: 1.45; padding: 0 16px; }
h1 { font-size: 28px; margin-bottom: 4px; } h2 { font-size: 21px; margin-top: 32px; }
.lede { font-size: 18px; } .figures { display: flex; gap: 16px; flex-wrap: wrap; }
.figure { border-left: 5px solid #2166ac; padding: 4px 12px; min-width: 200px; }
.figure b { display: block; font-size: 28px; } .row { display: flex; gap: 32px; flex-wrap: wrap; }
svg { max-width: 100%; height: auto; } svg .tick { font-size: 12px; fill: #333; }
svg .note { font-size: 12px; fill: #333; }
table { border-collapse: collapse; font-size: 13px; } th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { text-align: left; background: #dce6f1; }
"""
TABLE_COLUMNS = (("hwb_code", "ONS code", None), ("hwb_name", "HWB", None),
                 ("baseline_nhs_rate", "NHS baseline rate", 2), ("nhs_band", "NHS band", None),
                 ("expected_nhs_rate", "NHS expected rate", 2), ("baseline_asc_rate", "Social care baseline rate", 2),
                 ("asc_band", "Social care band", None), ("expected_asc_rate", "Social care expected rate", 2),
                 ("expected_total_daily", "Expected daily delays", 1))


def rate_points(table: pl.DataFrame, short: str) -> list[dict]:
    """One point per HWB: code, name, baseline and expected rate, band."""
    return [{"code": code, "name": name, "baseline": baseline, "expected": expected, "band": band}
            for code, name, baseline, expected, band in table.select(
                "hwb_code", "hwb_name", f"baseline_{short}_rate", f"expected_{short}_rate", f"{short}_band").iter_rows()]


def thresholds(policy: BandPolicy) -> tuple[tuple[str, float], ...]:
    return (("target", policy.target_rate), ("upper", policy.upper_rate))


def headline(summary: dict, config: Config, ambition: float) -> str:
    totals = summary["national_daily_delays"]
    figures = [("Health and Wellbeing Boards", f"{summary['areas']}"),
               (f"Daily delays, baseline {config.baseline.label}", f"{totals['baseline_total_daily']:,.0f}"),
               (f"Expected daily delays by {config.target_date:%d %B %Y}", f"{totals['expected_total_daily']:,.0f}"),
               ("National ambition", f"around {ambition:,.0f}")]
    return '<div class="figures">' + "".join(
        f'<div class="figure">{escape(label)}<b>{escape(value)}</b></div>' for label, value in figures) + "</div>"


def hwb_table(table: pl.DataFrame) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label, _ in TABLE_COLUMNS)
    body = []
    for row in table.iter_rows(named=True):
        cells = [f'<td class="n">{row[c]:,.{d}f}</td>' if d is not None else f"<td>{escape(str(row[c]))}</td>"
                 for c, _, d in TABLE_COLUMNS]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_report(table: pl.DataFrame, config: Config, ambition: float) -> str:
    """The whole page as text (table sorted by hwb_code by the caller)."""
    summary = summarise_expectations(table)
    totals = summary["national_daily_delays"]
    parts = [(label, totals[f"baseline_{s}_daily"], totals[f"expected_{s}_daily"])
             for label, s in [(a.label, a.short) for a in ATTRIBUTIONS] + [(TOTAL_LABEL, TOTAL_KEY)]]
    target = f"{config.target_date:%d %B %Y}"
    sections = [
        f"<h1>Delayed transfers of care: 2018-19 expectations</h1>",
        f'<p class="lede">What each Health and Wellbeing Board (HWB) in England is expected to reach by {target}, '
        f"from its average daily delays in {escape(config.baseline.describe())}.</p>",
        headline(summary, config, ambition),
        '<h2>National daily delays</h2><div class="row">',
        totals_chart(parts, ambition, "National average daily delays, baseline and expected",
                     f"expected by {target}"),
        "<div><h2>HWBs per band</h2>",
        band_chart({a.label: summary[f"{a.short}_bands"] for a in BANDED}, "HWBs per band"),
        "</div></div>",
        "<h2>NHS: baseline and expected rate per HWB</h2>", f"<p>{escape(policy_sentence('NHS', config.nhs))}</p>",
        rate_chart(rate_points(table, "nhs"), thresholds(config.nhs), "NHS delays per 100,000 aged 18+ per HWB"),
        "<h2>Social care: baseline and expected rate per HWB</h2>",
        f"<p>{escape(policy_sentence('Social care', config.asc))} Joint delays are held at the baseline.</p>",
        rate_chart(rate_points(table, "asc"), thresholds(config.asc),
                   "Social care delays per 100,000 aged 18+ per HWB"),
        f"<h2>Every HWB</h2><details><summary>Show the table of all {table.height} HWBs</summary>",
        hwb_table(table), "</details>",
        "<p>Source: NHS England Delayed Transfers of Care (revised) and ONS mid-year population estimates, Open "
        "Government Licence v3.0. Each HWB's figures, monthly path and derivation are in hwb/.</p>",
    ]
    body = "\n".join(sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>DToC expectations 2018-19</title>'
            f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")


def write_report(path: Path, table: pl.DataFrame, config: Config, ambition: float) -> Path:
    path.write_bytes(render_report(table, config, ambition).encode("utf-8"))
    return path
