"""The monitoring report for people: an Excel workbook (National, By HWB, Notes) and a self-contained HTML
page with a national chart per attribution and a chart of total delays per HWB (inline SVG, no URLs)."""
from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

import polars as pl

from dtoc.monitor.charts import Series, line_chart_svg
from dtoc.periods import month_label
from dtoc.vocabulary import ATTRIBUTIONS, TOTAL_KEY, TOTAL_LABEL
from dtoc.monitor.workbook import write_monitoring_workbook

ATTRIBUTION_LABELS = {**{a.key: a.label for a in ATTRIBUTIONS}, TOTAL_KEY: TOTAL_LABEL}
ACTUAL, COMPARATOR, EXPECTED = "#1f4e79", "#d9822b", "#7f7f7f"


def month_slots(frame: pl.DataFrame, months: list[date], column: str) -> list[object]:
    """The column's value for each month of the year, None where the frame has no row for the month."""
    by_month = dict(zip(frame["month"].to_list(), frame[column].to_list()))
    return [by_month.get(m) for m in months]


def chart_for(frame: pl.DataFrame, months: list[date], title: str, show_expected: bool) -> str:
    """Actual daily delays (dots: hollow met, red missed) against the comparator (glide path, then expected)."""
    series = [Series("actual", month_slots(frame, months, "actual_daily"), ACTUAL,
                     marks=month_slots(frame, months, "met")),
              Series("glide / expected", month_slots(frame, months, "comparator_daily"), COMPARATOR, dashed=True)]
    if show_expected:
        series.append(Series("expected", month_slots(frame, months, "expected_daily"), EXPECTED, dashed=True))
    return line_chart_svg(months, series, title)


def national_table_html(national: pl.DataFrame) -> str:
    total = national.filter(pl.col("attribution") == "total").sort("month")
    rows = "".join(
        f"<tr><td>{month_label(r['month'])}</td><td>{r['actual_daily']:,.1f}</td><td>{r['glide_path_daily']:,.1f}</td>"
        f"<td>{r['expected_daily']:,.1f}</td><td>{'met' if r['met'] else 'not met'}</td>"
        f"<td>{'' if r['distance'] is None else format(r['distance'], '+,.1f')}</td>"
        f"<td>{r['hwbs_met']} of {r['hwbs_reported']}</td></tr>" for r in total.iter_rows(named=True))
    return ("<table><tr><th>month</th><th>actual daily</th><th>glide path</th><th>expected</th><th>national</th>"
            f"<th>actual - expected</th><th>HWBs met</th></tr>{rows}</table>")


def hwb_charts_html(monitoring: pl.DataFrame, months: list[date]) -> str:
    """One chart of total delays per HWB, sorted by code, titled with the months missed since the glide end."""
    total = monitoring.filter(pl.col("attribution") == "total").sort("hwb_code", "month")
    charts = []
    for (code,), frame in total.group_by("hwb_code", maintain_order=True):
        assessed = frame.filter(pl.col("comparator") == "expected")
        missed = assessed.height - int(assessed["met"].sum())
        title = f"{frame['hwb_name'][0]} ({code}): missed {missed} of {assessed.height}"
        charts.append(f'<figure id="{escape(code)}">{chart_for(frame, months, title, False)}</figure>')
    return '<div class="grid">' + "".join(charts) + "</div>"


def render_monitoring_html(monitoring: pl.DataFrame, national: pl.DataFrame, notes: list[str], year_months: list[date],
                           year: str, expectations_source: str) -> str:
    """The whole page as one string: notes, the national table and charts, the per-HWB small multiples."""
    national_charts = "".join(
        chart_for(national.filter(pl.col("attribution") == a), year_months, f"England: {label}", True)
        for a, label in ATTRIBUTION_LABELS.items())
    note_items = "".join(f"<li>{escape(n)}</li>" for n in notes) or "<li>none</li>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>DToC monitoring {escape(year)}</title>
<style>body{{font-family:sans-serif;margin:1.5em;color:#222}} table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}} .grid{{display:flex;flex-wrap:wrap}}
figure{{margin:4px}} .key{{font-size:13px}}</style></head><body>
<h1>Delayed transfers of care: monitoring {escape(year)}</h1>
<p class="key">Average daily delayed transfers of care per Health and Wellbeing Board (delayed days / days in the
month) against the 2018-19 expectation. Before September 2018 the comparator is the glide path (a straight line
from the baseline daily in April to the expected daily in September); from September on it is the expectation.
Dots: hollow = met (actual &lt;= comparator), red = not met. Expectations: {escape(expectations_source)}.</p>
<h2>Notes</h2><ul>{note_items}</ul>
<h2>England</h2>{national_table_html(national)}<div class="grid">{national_charts}</div>
<h2>By Health and Wellbeing Board (total delays; missed = months not met from September 2018)</h2>
{hwb_charts_html(monitoring, year_months)}
</body></html>
"""


def write_monitoring_report(folder: Path, monitoring: pl.DataFrame, national: pl.DataFrame, notes: list[str],
                            year_months: list[date], year: str, expectations_source: str) -> list[Path]:
    """monitoring.xlsx and monitoring.html in folder."""
    html_path = folder / "monitoring.html"
    html_path.write_text(render_monitoring_html(monitoring, national, notes, year_months, year, expectations_source),
                         encoding="utf-8")
    return [write_monitoring_workbook(monitoring, national, notes, folder / "monitoring.xlsx"), html_path]


def build_monitoring_manifest(folder: Path, year: str, sources: pl.DataFrame, missing_months: list[date],
                              expectations_source: str, flow_run_id: str | None, started, finished) -> dict:
    """manifest.json of a monitoring publication: inputs, expectations used, outputs with sha256, code."""
    from dtoc.publish.manifest import code_version, describe_outputs, package_versions
    return {
        "year": year, "inputs": sources.to_dicts(), "missing_months": [m.isoformat() for m in missing_months],
        "expectations": expectations_source, "code": code_version(), "packages": package_versions(),
        "outputs": describe_outputs(folder), "prefect_flow_run_id": flow_run_id,
        "started": started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
    }
