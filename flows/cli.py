"""The `dtoc` command line: parses options, runs the pre-flight checks, starts Prefect only for work that passed
them, and reports. Every failure ends in one `dtoc: error: ...` line (flows/reporting.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from dtoc.config import load_config
from dtoc.errors import DtocError
from dtoc.paths import SOURCES_MANIFEST
from dtoc.scenarios import DEFAULT_TOLERANCE
from dtoc.scenarios.budget import LONG_FORM_HELP
from flows.reporting import main_guarded, run_flow

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Recompute and publish the 2018-19 BCF Delayed Transfers of Care expectations per HWB.",
)

DATA_DIR_HELP = "Folder scanned recursively for DToC and MYE workbooks (default: $DTOC_DATA_DIR or data/raw)"
BASELINE_HELP = "Financial-year quarter YYYY-YYQn, Q1 = April-June (default: 2017-18Q3 = October-December 2017)"
SOURCES_HELP = "Sources manifest (official URL, sha256, period per file) used to download what is missing"
VERBOSE_HELP = "Show Prefect's own log lines (otherwise they go to the Prefect run log only)"


@app.callback()
def dtoc_commands() -> None:
    """dtoc: Better Care Fund DToC expectations, from the published workbooks to per-HWB files."""


def default_data_dir() -> Path:
    return Path(os.environ.get("DTOC_DATA_DIR") or "data/raw")


def default_out_dir(label: str) -> Path:
    return Path("data/derived") / label


def offline(fetch: bool) -> bool:
    return not fetch or os.environ.get("DTOC_OFFLINE", "") not in ("", "0")


@app.command()
def run(
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP),
    population: Path | None = typer.Option(
        None, help="One ONS MYE2 workbook (default: the configured vintage (mid-2016) found in the data folder)"
    ),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/<baseline>/)"),
    use: list[Path] = typer.Option([], help="Where two workbooks hold the same month, the one to use (repeatable)"),
    fetch: bool = typer.Option(
        True,
        help="Download the quarter's workbooks or the population file when the data "
        "folder lacks them (off with --no-fetch or DTOC_OFFLINE=1)",
    ),
    sources_manifest: Path = typer.Option(SOURCES_MANIFEST, help=SOURCES_HELP),
    force: bool = typer.Option(False, "--force", help="Rerun even when the publication is up to date"),
    verbose: bool = typer.Option(False, "--verbose", help=VERBOSE_HELP),
) -> None:
    """Compute the expectations for the baseline quarter and publish them (atomically) to the output folder."""
    from dtoc.preflight import prepare_run
    from dtoc.report.summary import format_run_report

    config = load_config().with_baseline(baseline)
    data = data_dir or default_data_dir()
    plan = prepare_run(
        data,
        out or default_out_dir(config.baseline.label),
        config,
        population,
        tuple(use),
        None if offline(fetch) else sources_manifest,
        force,
        typer.echo,
    )
    for line in plan.cleaned:
        typer.echo(line)
    if plan.up_to_date:
        typer.echo(
            f"{plan.out} is up to date: inputs, parameters and code are those it was published from (--force reruns)"
        )
        return
    from expectations.worker import prestart

    prestart()  # the validation process imports GX while Prefect starts
    published = run_flow(
        "flows.expectations_flow:expectations_flow",
        verbose,
        str(data),
        str(plan.out),
        config.baseline.label,
        str(population) if population else None,
        tuple(str(p) for p in use),
        None,
        config,
    )
    typer.echo(format_run_report(published, config.baseline.describe(), plan.out, plan.warnings))


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The earlier publication folder"),
    new: Path = typer.Argument(..., help="The later publication folder"),
    output_format: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Per HWB, which baseline, band or expected figures changed, and the source cells whose values changed."""
    from dtoc.audit.diff import diff_publications, format_diff

    check_format(output_format)
    result = diff_publications(old, new)
    typer.echo(json.dumps(result, indent=2, default=str) if output_format == "json" else format_diff(result))


@app.command()
def monitor(
    year: str = typer.Option("2018-19", help="Financial year to monitor, YYYY-YY"),
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP),
    population: Path | None = typer.Option(
        None, help="ONS MYE2 workbook, used only if the expectations are computed here"
    ),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/monitor-<year>/)"),
    expectations: Path | None = typer.Option(
        None, help="A published expectations folder (default: data/derived/<baseline>/; computed here if absent)"
    ),
    use: list[Path] = typer.Option([], help="Where two workbooks hold the same month, the one to use (repeatable)"),
    verbose: bool = typer.Option(False, "--verbose", help=VERBOSE_HELP),
) -> None:
    """Track each HWB's monthly delays in the year against its expectation and glide path."""
    from dtoc.monitor.coverage import format_monitoring_summary
    from dtoc.preflight import prepare_monitor

    config = load_config()
    data = data_dir or default_data_dir()
    expectations_dir = expectations or default_out_dir(config.baseline.label)
    out_dir, cleaned = prepare_monitor(
        data, out or Path("data/derived") / f"monitor-{year}", year, expectations_dir, config, population, tuple(use)
    )
    for line in cleaned:
        typer.echo(line)
    summary = run_flow(
        "flows.monitor_flow:monitor_flow",
        verbose,
        str(data),
        str(out_dir),
        year,
        str(population) if population else None,
        str(expectations_dir),
        tuple(str(p) for p in use),
        config,
    )
    typer.echo(format_monitoring_summary(summary, year, out_dir))


@app.command()
def serve(
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/<baseline>/)"),
    cron: str = typer.Option("0 7 15 * *", help="Schedule (cron, UTC) of the refresh runs"),
    fetch: bool = typer.Option(True, help="Download missing inputs before each run"),
) -> None:
    """Serve the monthly refresh deployment (needs PREFECT_API_URL pointing at a Prefect server)."""
    from flows.server import check_api

    url = os.environ.get("PREFECT_API_URL")
    if not url:
        raise DtocError(
            "set PREFECT_API_URL to a running Prefect server (e.g. `prefect server start`) to serve the schedule"
        )
    check_api(url)
    config = load_config().with_baseline(baseline)
    data, out_dir = data_dir or default_data_dir(), out or default_out_dir(config.baseline.label)
    from dtoc.publish.outputs import check_output_folder

    check_output_folder(out_dir, "expectations", {"data folder": data})
    from flows.schedule import serve_monthly_refresh

    serve_monthly_refresh(data, out_dir, config.baseline.label, cron, SOURCES_MANIFEST if fetch else None)


@app.command("fetch")
def fetch_sources(
    data_dir: Path | None = typer.Option(None, help="Folder to download into (default: $DTOC_DATA_DIR or data/raw)"),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP),
    population_vintage: str | None = typer.Option(None, help="e.g. mid-2016 (default: from the parameters)"),
    sources_manifest: Path = typer.Option(SOURCES_MANIFEST, help=SOURCES_HELP),
) -> None:
    """Download the baseline quarter's workbooks and the population file that the data folder lacks."""
    from dataclasses import replace

    from dtoc.ingest.inputs import scan_data_dir
    from dtoc.ingest.sources import fetch_absent_inputs

    config = load_config().with_baseline(baseline)
    config = replace(config, population_vintage=population_vintage or config.population_vintage)
    data = data_dir or default_data_dir()
    files = scan_data_dir(data) if data.is_dir() else []
    fetched = fetch_absent_inputs(data, files, config, False, sources_manifest, typer.echo)
    typer.echo(f"{len(fetched)} file(s) downloaded into {data}" if fetched else f"{data} has every file needed")


def check_format(output_format: str) -> None:
    if output_format not in ("text", "json"):
        raise DtocError(f"--format must be text or json, not {output_format!r}")


@app.command()
def explain(
    hwb: str = typer.Argument(
        ...,
        help="The Health and Wellbeing Board: its ONS or LA code, any name the DToC "
        "workbooks or population estimates use, or an area it covers (Isles of Scilly)",
    ),
    out: Path | None = typer.Option(None, help="A finished run's output folder (default: data/derived/<baseline>/)"),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP),
    metric: str | None = typer.Option(None, help="Narrow to one figure, e.g. expected_asc_daily"),
    output_format: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Show how an HWB's published figures were derived, cell by cell (reads the run; recomputes nothing)."""
    from dtoc.audit.explain import explain_publication
    from dtoc.audit.explain_text import format_explanation

    check_format(output_format)
    out_dir = out or default_out_dir(load_config().with_baseline(baseline).baseline.label)
    explanation = explain_publication(out_dir, hwb, metric)
    typer.echo(
        json.dumps(explanation, indent=2, default=str) if output_format == "json" else format_explanation(explanation)
    )


PLANS_HELP = (
    "CSV or Excel workbook (first sheet, or a sheet named 'plans'): hwb_code, month (YYYY-MM), nhs_days, "
    "asc_days, joint_days (whole planned delayed days), optional evidence"
)
SHARES_HELP = "CSV or Excel workbook (first sheet, or a sheet named 'shares'): hwb_code, ccg_code, ccg_name, nhs_share"
EXPECTATIONS_HELP = "A finished `dtoc run` publication (default: data/derived/<baseline>/)"


@app.command()
def assure(
    plans: Path = typer.Argument(..., help=PLANS_HELP),
    expectations: Path | None = typer.Option(None, help=EXPECTATIONS_HELP),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/assurance-<plan year>/)"),
) -> None:
    """Judge each HWB's DToC plan against its expectation (KLOE 33-35) and publish the assurance outputs."""
    from dtoc.assure.commands import assure_plans, format_assurance_summary, plan_year

    config = load_config()
    out_dir = out or Path("data/derived") / f"assurance-{plan_year(config)}"
    summary = assure_plans(plans, expectations or default_out_dir(config.baseline.label), out_dir, config)
    typer.echo(format_assurance_summary(summary))


@app.command()
def split(
    shares: Path = typer.Argument(..., help=SHARES_HELP),
    expectations: Path | None = typer.Option(None, help=EXPECTATIONS_HELP),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/ccg-split-<plan year>/)"),
) -> None:
    """Share each HWB's NHS baseline, expectation and monthly reduction among the CCGs that sign its plan."""
    from dtoc.assure.commands import format_split_summary, plan_year, split_shares

    config = load_config()
    out_dir = out or Path("data/derived") / f"ccg-split-{plan_year(config)}"
    summary = split_shares(shares, expectations or default_out_dir(config.baseline.label), out_dir, config)
    typer.echo(format_split_summary(summary))


@app.command()
def scenarios(
    policies: Path | None = typer.Argument(
        None,
        help="CSV, one row per policy: policy, nhs_target, "
        "nhs_upper, nhs_cap, asc_target, asc_upper, asc_cap [, baseline, "
        "population_vintage]",
    ),
    grid: Path | None = typer.Option(
        None,
        help="TOML file of values or ranges (start, stop, step) per parameter; "
        "every combination is a policy (instead of POLICIES)",
    ),
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP),
    population: Path | None = typer.Option(
        None, help="One ONS MYE2 workbook for policies without a population_vintage (default: the configured vintage)"
    ),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP + "; a policy's baseline column overrides it"),
    out: Path = typer.Option(Path("data/derived/scenarios"), help="Output folder"),
    ambition: float | None = typer.Option(
        None, help="National ambition, daily delays (default: from the parameters, 4,000)"
    ),
    tolerance: float = typer.Option(
        DEFAULT_TOLERANCE, help="Policies within this many daily delays of the ambition are ranked"
    ),
    long_form: bool | None = typer.Option(None, "--long-form/--no-long-form", help=LONG_FORM_HELP),
) -> None:
    """Every HWB's expectation under each policy, computed set-wise in DuckDB and published atomically."""
    from dtoc.scenarios.command import ScenarioRequest, run_scenarios

    result = run_scenarios(
        ScenarioRequest(
            policies, grid, data_dir or default_data_dir(), population, baseline, out, ambition, tolerance, long_form
        )
    )
    typer.echo(
        "\n".join(
            [
                *result["notes"],
                *result["answer"],
                f"{result['policies']:,} policies "
                f"({result['groups']} baseline and population group(s)) published to {result['out']}",
                *result["long_form"],
            ]
        )
    )


def main() -> None:  # pragma: no cover - console entry
    main_guarded(app)


if __name__ == "__main__":  # pragma: no cover
    main()
