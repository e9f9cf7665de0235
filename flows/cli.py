"""The `dtoc` command line: parses options, runs the pre-flight checks, starts Prefect only for work that passed
them, and reports. Every failure ends in one `dtoc: error: ...` line (flows/reporting.py)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import typer

from dtoc.config import load_config
from dtoc.errors import DtocError
from dtoc.paths import DERIVED_DIR, SOURCES_MANIFEST
from dtoc.scenarios import DEFAULT_TOLERANCE
from dtoc.scenarios.budget import LONG_FORM_HELP
from flows.progress import progress
from flows.reporting import main_guarded, run_flow

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags without a "<bool>" metavar, options with the metavars given below
    help="Recompute and publish the BCF Delayed Transfers of Care expectations per HWB (the plan year and baseline "
    "quarter are those of the parameters file).",
)

DATA_DIR_HELP = "Folder scanned recursively for DToC and MYE workbooks (default: $DTOC_DATA_DIR or data/raw)"
BASELINE_HELP = (
    "Financial-year quarter YYYY-YYQn, Q1 = April-June (default: the parameters file's; another quarter derives "
    "its plan: the next financial year, target 30 September)"
)
CONFIG_HELP = "Another parameters file, checked as the packaged dtoc/parameters.toml is (default: that file)"
USE_HELP = (
    "Where several workbooks hold the same month, the one to use instead of the latest revision; also a "
    "population workbook of the vintage used (repeatable; the file may lie outside the data folder)"
)
SOURCES_HELP = "Sources manifest (official URL, sha256, period per file) used to download what is missing"
VERBOSE_HELP = "Show Prefect's own log lines (otherwise they go to the Prefect run log only)"


@app.callback()
def dtoc_commands() -> None:
    """dtoc: Better Care Fund DToC expectations, from the published workbooks to per-HWB files."""


def default_data_dir() -> Path:
    from dtoc.api import data_folder

    return data_folder(None)


def default_out_dir(label: str) -> Path:
    return DERIVED_DIR / label


def offline(fetch: bool) -> bool:
    return not fetch or os.environ.get("DTOC_OFFLINE", "") not in ("", "0")


@app.command()
def run(
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP, metavar="DIR"),
    population: Path | None = typer.Option(
        None, help="One ONS MYE2 workbook (default: the configured vintage found in the data folder)", metavar="FILE"
    ),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP, metavar="QUARTER"),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/<baseline>/)", metavar="DIR"),
    use: list[Path] = typer.Option([], help=USE_HELP, metavar="FILE"),
    fetch: bool = typer.Option(
        True,
        help="Download the quarter's workbooks or the population file when the data "
        "folder lacks them (off with --no-fetch or DTOC_OFFLINE=1)",
    ),
    sources_manifest: Path = typer.Option(SOURCES_MANIFEST, help=SOURCES_HELP, metavar="FILE"),
    force: bool = typer.Option(
        False, "--force", help="Rerun even when up to date; replace a publication whose files were edited"
    ),
    config_file: Path | None = typer.Option(None, "--config", help=CONFIG_HELP, metavar="FILE"),
    verbose: bool = typer.Option(False, "--verbose", help=VERBOSE_HELP),
) -> None:
    """Compute the expectations for the baseline quarter and publish them (atomically) to the output folder."""
    from dtoc.commands.handover import hand_over
    from dtoc.commands.run import ExpectationsRequest, RunPlan, run_expectations
    from dtoc.report.summary import format_run_report

    config = load_config(config_file).with_baseline(baseline)
    data = data_dir or default_data_dir()
    request = ExpectationsRequest(
        data,
        out or default_out_dir(config.baseline.label),
        config,
        population,
        tuple(use),
        None if offline(fetch) else sources_manifest,
        force,
    )

    def publish(plan: RunPlan):
        for line in plan.cleaned:
            typer.echo(line)
        from expectations.worker import prestart

        prestart()  # the validation process imports GX while Prefect starts
        return run_flow(
            "flows.expectations_flow:expectations_flow",
            verbose,
            data_dir=str(data),
            out_dir=str(plan.out),
            baseline=config.baseline.label,
            population=str(population) if population else None,
            use=tuple(str(p) for p in use),
            config_file=str(config.source_file),
            force=force,
            prepared=hand_over(plan),
        )

    progress("checking the options, the inputs and the output folder")
    outcome = run_expectations(request, publish, typer.echo)
    plan = outcome.plan
    if outcome.published is None:
        for line in plan.cleaned:
            typer.echo(line)
        typer.echo(
            f"{plan.out} is up to date: inputs, parameters and code are those it was published from (--force reruns)"
        )
        return
    typer.echo(format_run_report(outcome.published, config, plan.out, plan.warnings, plan.choices))


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The earlier publication folder"),
    new: Path = typer.Argument(..., help="The later publication folder"),
    output_format: str = typer.Option("text", "--format", help="text or json", metavar="text|json"),
) -> None:
    """Per HWB, which baseline, band or expected figures changed, and the source cells whose values changed."""
    from dtoc.audit.diff import diff_publications
    from dtoc.report.diff_text import format_diff

    check_format(output_format)
    result = diff_publications(old, new)
    typer.echo(json.dumps(result, indent=2, default=str) if output_format == "json" else format_diff(result))


@app.command()
def monitor(
    year: str | None = typer.Option(
        None, help="Financial year to monitor, YYYY-YY (default: the plan year of the expectations)", metavar="YYYY-YY"
    ),
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP, metavar="DIR"),
    population: Path | None = typer.Option(
        None, help="ONS MYE2 workbook, only when the expectations are computed here (none is published)", metavar="FILE"
    ),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/monitor-<year>/)", metavar="DIR"),
    expectations: Path | None = typer.Option(
        None,
        help="A `dtoc run` publication to monitor against (default: data/derived/<baseline>/, or computed here "
        "when nothing is published there)",
        metavar="DIR",
    ),
    use: list[Path] = typer.Option([], help=USE_HELP, metavar="FILE"),
    force: bool = typer.Option(
        False, "--force", help="Rerun even when up to date; replace a publication whose files were edited"
    ),
    config_file: Path | None = typer.Option(None, "--config", help=CONFIG_HELP, metavar="FILE"),
    verbose: bool = typer.Option(False, "--verbose", help=VERBOSE_HELP),
) -> None:
    """Track each HWB's monthly delays in a year against its expectation and glide path."""
    from dtoc.commands.handover import hand_over
    from dtoc.commands.monitor import MonitorPlan, MonitorRequest, monitor_year
    from dtoc.monitor.coverage import format_monitoring_summary

    config = load_config(config_file)
    data = data_dir or default_data_dir()
    request = MonitorRequest(
        data,
        config,
        default_out_dir(config.baseline.label),
        year,
        out,
        expectations,
        population,
        tuple(use),
        force,
    )

    def publish(plan: MonitorPlan):
        for line in plan.cleaned:
            typer.echo(line)
        return run_flow(
            "flows.monitor_flow:monitor_flow",
            verbose,
            data_dir=str(data),
            default_expectations=str(request.default_expectations),
            year=plan.year,
            out_dir=str(plan.out),
            expectations_dir=str(expectations) if expectations else None,
            population=str(population) if population else None,
            use=tuple(str(p) for p in use),
            config_file=str(config.source_file),
            force=force,
            prepared=hand_over(plan),
        )

    progress("checking the options, the year's workbooks, the expectations and the output folder")
    outcome = monitor_year(request, publish, typer.echo)
    if outcome.summary is None:
        for line in outcome.plan.cleaned:
            typer.echo(line)
        typer.echo(
            f"{outcome.plan.out} is up to date: the year's workbooks, the expectations and the code are those "
            "it was published from (--force reruns)"
        )
        return
    typer.echo(format_monitoring_summary(outcome.summary, outcome.plan.year, outcome.plan.out))


@app.command()
def serve(
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP, metavar="DIR"),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP, metavar="QUARTER"),
    out: Path | None = typer.Option(None, help="Output folder (default: data/derived/<baseline>/)", metavar="DIR"),
    cron: str = typer.Option("0 7 15 * *", help="Schedule (cron, UTC) of the refresh runs", metavar="CRON"),
    fetch: bool = typer.Option(True, help="Download missing inputs before each run"),
    use: list[Path] = typer.Option([], help=USE_HELP, metavar="FILE"),
    config_file: Path | None = typer.Option(None, "--config", help=CONFIG_HELP, metavar="FILE"),
) -> None:
    """Serve the monthly refresh deployment (needs PREFECT_API_URL pointing at a Prefect server). Each scheduled
    run takes the checks, lock and rules of `dtoc run`; a refused run ends Failed with the same one line."""
    from dtoc.commands.run import ExpectationsRequest, check_request
    from flows.schedule import serve_monthly_refresh
    from flows.server import check_api

    url = os.environ.get("PREFECT_API_URL")
    if not url:
        raise DtocError(
            "set PREFECT_API_URL to a running Prefect server (e.g. `prefect server start`) to serve the schedule"
        )
    check_api(url)
    config = load_config(config_file).with_baseline(baseline)
    data = data_dir or default_data_dir()
    request = ExpectationsRequest(data, out or default_out_dir(config.baseline.label), config, None, tuple(use))
    check_request(request)
    serve_monthly_refresh(request, cron, SOURCES_MANIFEST if fetch else None)


@app.command("fetch")
def fetch_sources(
    data_dir: Path | None = typer.Option(
        None, help="Folder to download into (default: $DTOC_DATA_DIR or data/raw)", metavar="DIR"
    ),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP, metavar="QUARTER"),
    population_vintage: str | None = typer.Option(
        None, help="e.g. mid-2016 (default: from the parameters)", metavar="mid-YYYY"
    ),
    sources_manifest: Path = typer.Option(SOURCES_MANIFEST, help=SOURCES_HELP, metavar="FILE"),
    use: list[Path] = typer.Option(
        [], help="A workbook that holds a month (or the population) already: not downloaded", metavar="FILE"
    ),
    config_file: Path | None = typer.Option(None, "--config", help=CONFIG_HELP, metavar="FILE"),
) -> None:
    """Download the baseline quarter's workbooks and the population file that the data folder lacks."""
    from dataclasses import replace

    from dtoc.commands.run import fetch_inputs

    config = load_config(config_file).with_baseline(baseline)
    config = replace(config, population_vintage=population_vintage or config.population_vintage)
    data = data_dir or default_data_dir()
    fetched = fetch_inputs(data, config, tuple(use), sources_manifest, typer.echo)
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
    out: Path | None = typer.Option(
        None, help="A finished run's output folder (default: data/derived/<baseline>/)", metavar="DIR"
    ),
    baseline: str | None = typer.Option(None, help=BASELINE_HELP, metavar="QUARTER"),
    metric: str | None = typer.Option(None, help="Narrow to one figure, e.g. expected_asc_daily", metavar="NAME"),
    output_format: str = typer.Option("text", "--format", help="text or json", metavar="text|json"),
    config_file: Path | None = typer.Option(
        None, "--config", help=CONFIG_HELP + "; only its baseline is used", metavar="FILE"
    ),
) -> None:
    """Show how an HWB's published figures were derived, cell by cell (reads the run; recomputes nothing)."""
    from dtoc.api_read import explain as explain_publication
    from dtoc.audit.explain_text import format_explanation

    check_format(output_format)
    if out is not None and (baseline or config_file):
        raise DtocError("--out names the publication to explain: --baseline and --config cannot apply with it")
    out_dir = out or default_out_dir(load_config(config_file).with_baseline(baseline).baseline.label)
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
    expectations: Path | None = typer.Option(None, help=EXPECTATIONS_HELP, metavar="DIR"),
    out: Path | None = typer.Option(
        None, help="Output folder (default: data/derived/assurance-<plan year>/)", metavar="DIR"
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace an earlier output folder whose files were edited since it was published"
    ),
    config_file: Path | None = typer.Option(None, "--config", help=CONFIG_HELP, metavar="FILE"),
) -> None:
    """Judge each HWB's DToC plan against its expectation (KLOE 33-35) and publish the assurance outputs."""
    from dtoc.commands.assure import assure_plans, format_assurance_summary

    config = load_config(config_file)
    published = expectations or default_out_dir(config.baseline.label)
    summary = assure_plans(plans, published, out, config, force)
    typer.echo(format_assurance_summary(summary))


@app.command()
def split(
    shares: Path = typer.Argument(..., help=SHARES_HELP),
    expectations: Path | None = typer.Option(None, help=EXPECTATIONS_HELP, metavar="DIR"),
    out: Path | None = typer.Option(
        None, help="Output folder (default: data/derived/ccg-split-<plan year>/)", metavar="DIR"
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace an earlier output folder whose files were edited since it was published"
    ),
    config_file: Path | None = typer.Option(None, "--config", help=CONFIG_HELP, metavar="FILE"),
) -> None:
    """Share each HWB's NHS baseline, expectation and monthly reduction among the CCGs that sign its plan."""
    from dtoc.commands.assure import format_split_summary, split_shares

    config = load_config(config_file)
    published = expectations or default_out_dir(config.baseline.label)
    summary = split_shares(shares, published, out, config, force)
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
        metavar="FILE",
    ),
    data_dir: Path | None = typer.Option(None, help=DATA_DIR_HELP, metavar="DIR"),
    population: Path | None = typer.Option(
        None,
        help="One ONS MYE2 workbook for policies without a population_vintage (default: the configured vintage)",
        metavar="FILE",
    ),
    baseline: str | None = typer.Option(
        None, help=BASELINE_HELP + "; a policy's baseline column overrides it", metavar="QUARTER"
    ),
    out: Path = typer.Option(DERIVED_DIR / "scenarios", help="Output folder", metavar="DIR"),
    ambition: float | None = typer.Option(
        None, help="National ambition, daily delays (default: from the parameters, 4,000)", metavar="DAILY"
    ),
    tolerance: float = typer.Option(
        DEFAULT_TOLERANCE, help="Policies within this many daily delays of the ambition are ranked", metavar="DAILY"
    ),
    long_form: bool | None = typer.Option(None, "--long-form/--no-long-form", help=LONG_FORM_HELP),
    use: list[Path] = typer.Option([], help=USE_HELP, metavar="FILE"),
    force: bool = typer.Option(
        False, "--force", help="Replace an earlier output folder whose files were edited since it was published"
    ),
    config_file: Path | None = typer.Option(None, "--config", help=CONFIG_HELP, metavar="FILE"),
) -> None:
    """Every HWB's expectation under each policy, computed set-wise in DuckDB and published atomically."""
    from dtoc.commands.scenarios import ScenarioRequest, run_scenarios

    data = data_dir or default_data_dir()
    request = ScenarioRequest(policies, grid, data, population, baseline, out, ambition, tolerance, long_form)
    result = run_scenarios(replace(request, use=tuple(use), config_file=config_file, force=force))
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
    main_guarded(app, whole_process=True)


if __name__ == "__main__":  # pragma: no cover
    main()
