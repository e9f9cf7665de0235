"""The `dtoc` command line: parses options, sets quiet defaults for Prefect and GX, calls the flows."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from dtoc.config import load_config
from dtoc.errors import DtocError
from dtoc.ingest.sources import SOURCES_MANIFEST
from dtoc.scenarios import DEFAULT_TOLERANCE

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Recompute and publish the 2018-19 BCF Delayed Transfers of Care expectations per HWB.")

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "DO_NOT_TRACK": "1",
}
DATA_DIR_HELP = "Folder scanned recursively for DToC and MYE workbooks [default: $DTOC_DATA_DIR or data/raw]"
BASELINE_HELP = "Financial-year quarter YYYY-YYQn, Q1 = April-June [default: 2017-18Q3 = October-December 2017]"
SOURCES_HELP = "Sources manifest (official URL, sha256, period per file) used to download what is missing"


@app.callback()
def dtoc_commands() -> None:
    """dtoc: Better Care Fund DToC expectations, from the published workbooks to per-HWB files."""


def default_data_dir() -> Path:
    return Path(os.environ.get("DTOC_DATA_DIR") or "data/raw")


def default_out_dir(baseline: str) -> Path:
    return Path("data/derived") / baseline


class HideInputErrorTracebacks:
    """A logging filter: a DtocError is a finding about the inputs, reported in one line at the end, so
    Prefect's records of it keep their message but lose the Python traceback. Other errors keep theirs."""

    def filter(self, record) -> bool:
        if record.exc_info and record.exc_info[0] and issubclass(record.exc_info[0], DtocError):
            record.exc_info, record.exc_text = None, None
        return True


def quiet_prefect_tracebacks() -> None:
    import logging
    for name in ("prefect.flow_runs", "prefect.task_runs", "prefect.engine"):
        logging.getLogger(name).addFilter(HideInputErrorTracebacks())


def set_quiet_defaults() -> None:
    """No analytics, no tracking, no warnings for tasks outside flows, unless the user set otherwise."""
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)


def run_flow(flow, *arguments):
    """Call a Prefect flow as a command does: input-error tracebacks hidden, no heartbeat wait at the end."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    quiet_prefect_tracebacks()
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return flow(*arguments)


def fail(error: BaseException) -> None:
    typer.echo(f"dtoc: error: {error}", err=True)
    raise typer.Exit(code=1)


@app.command()
def run(
    data_dir: Optional[Path] = typer.Option(None, help=DATA_DIR_HELP),
    population: Optional[Path] = typer.Option(None, help="One ONS MYE2 workbook [default: the configured "
                                              "vintage (mid-2016) found in the data folder]"),
    baseline: Optional[str] = typer.Option(None, help=BASELINE_HELP),
    out: Optional[Path] = typer.Option(None, help="Output folder [default: data/derived/<baseline>/]"),
    use: list[Path] = typer.Option([], help="Where two workbooks hold the same month, the one to use (repeatable)"),
    fetch: bool = typer.Option(True, help="Download the quarter's workbooks or the population file when the data "
                               "folder lacks them (off with --no-fetch or DTOC_OFFLINE=1)"),
    sources_manifest: Path = typer.Option(SOURCES_MANIFEST, help=SOURCES_HELP),
    force: bool = typer.Option(False, "--force", help="Rerun even when the publication is up to date"),
) -> None:
    """Compute the expectations for the baseline quarter and publish them (atomically) to the output folder."""
    set_quiet_defaults()
    try:
        config = load_config().with_baseline(baseline)
        data = data_dir or default_data_dir()
        out_dir = out or default_out_dir(config.baseline.label)
        from dtoc.publish.transaction import ensure_not_locked
        ensure_not_locked(out_dir)
        offline = not fetch or os.environ.get("DTOC_OFFLINE", "") not in ("", "0")
        if not force and publication_is_current(data, out_dir, config, population, tuple(use)):
            typer.echo(f"{out_dir} is up to date: inputs, parameters and code are those it was published from "
                       "(--force reruns)")
            return
        from expectations.worker import prestart
        prestart()  # the validation process imports GX while Prefect starts
        from dtoc.report.summary import format_summary
        from flows.expectations_flow import expectations_flow
        summary = run_flow(expectations_flow, str(data), str(out_dir), config.baseline.label,
                           str(population) if population else None, tuple(str(p) for p in use),
                           None if offline else str(sources_manifest))
    except DtocError as error:
        fail(error)
    typer.echo(format_summary(summary, config.baseline.describe(), out_dir))


def publication_is_current(data: Path, out_dir: Path, config, population: Optional[Path],
                           use: tuple[Path, ...]) -> bool:
    """True when the inputs the run would choose, the parameters and the code match the publication's."""
    from dtoc.model import pipeline
    from dtoc.publish import refresh, transaction as publish
    if not (out_dir / "manifest.json").is_file():
        return False
    try:
        inputs = pipeline.find_run_inputs(data, config, population, use, publish.sibling(out_dir, "input-catalog.json"))
    except DtocError:
        return False  # let the flow fetch what is missing, or report it
    return refresh.is_up_to_date(out_dir, refresh.run_fingerprint(config, inputs.delays, inputs.population))


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The earlier publication folder"),
    new: Path = typer.Argument(..., help="The later publication folder"),
    output_format: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Per HWB, which baseline, band or expected figures changed, and the source cells whose values changed."""
    from dtoc.audit.diff import diff_publications, format_diff
    try:
        result = diff_publications(old, new)
    except DtocError as error:
        fail(error)
    typer.echo(json.dumps(result, indent=2, default=str) if output_format == "json" else format_diff(result))


@app.command()
def monitor(
    year: str = typer.Option("2018-19", help="Financial year to monitor, YYYY-YY"),
    data_dir: Optional[Path] = typer.Option(None, help=DATA_DIR_HELP),
    population: Optional[Path] = typer.Option(None, help="ONS MYE2 workbook, used only if the expectations "
                                              "are computed here"),
    out: Optional[Path] = typer.Option(None, help="Output folder [default: data/derived/monitor-<year>/]"),
    expectations: Optional[Path] = typer.Option(None, help="A published expectations folder [default: "
                                                "data/derived/<baseline>/; computed here if absent]"),
) -> None:
    """Track each HWB's monthly delays in the year against its expectation and glide path."""
    set_quiet_defaults()
    try:
        config = load_config()
        data = data_dir or default_data_dir()
        out_dir = out or Path("data/derived") / f"monitor-{year}"
        from dtoc.publish.transaction import ensure_not_locked
        ensure_not_locked(out_dir)
        from dtoc.monitor.coverage import format_monitoring_summary
        from flows.monitor_flow import monitor_flow
        summary = run_flow(monitor_flow, str(data), str(out_dir), year, str(population) if population else None,
                           str(expectations or default_out_dir(config.baseline.label)))
    except DtocError as error:
        fail(error)
    typer.echo(format_monitoring_summary(summary, year, out_dir))


@app.command()
def serve(
    data_dir: Optional[Path] = typer.Option(None, help=DATA_DIR_HELP),
    baseline: Optional[str] = typer.Option(None, help=BASELINE_HELP),
    out: Optional[Path] = typer.Option(None, help="Output folder [default: data/derived/<baseline>/]"),
    cron: str = typer.Option("0 7 15 * *", help="Schedule (cron, UTC) of the refresh runs"),
    fetch: bool = typer.Option(True, help="Download missing inputs before each run"),
) -> None:
    """Serve the monthly refresh deployment (needs PREFECT_API_URL pointing at a Prefect server)."""
    set_quiet_defaults()
    if not os.environ.get("PREFECT_API_URL"):
        fail(DtocError("set PREFECT_API_URL to a running Prefect server (e.g. `prefect server start`) to serve "
                       "the schedule"))
    config = load_config().with_baseline(baseline)
    from flows.schedule import serve_monthly_refresh
    serve_monthly_refresh(data_dir or default_data_dir(), out or default_out_dir(config.baseline.label),
                          config.baseline.label, cron, SOURCES_MANIFEST if fetch else None)


@app.command("fetch")
def fetch_sources(
    data_dir: Optional[Path] = typer.Option(None, help="Folder to download into [default: $DTOC_DATA_DIR or "
                                            "data/raw]"),
    baseline: Optional[str] = typer.Option(None, help=BASELINE_HELP),
    population_vintage: Optional[str] = typer.Option(None, help="e.g. mid-2016 [default: from the parameters]"),
    sources_manifest: Path = typer.Option(SOURCES_MANIFEST, help=SOURCES_HELP),
) -> None:
    """Download the baseline quarter's workbooks and the population file that the data folder lacks."""
    from dataclasses import replace
    from dtoc.ingest.sources import fetch_absent_inputs
    from dtoc.ingest.inputs import scan_data_dir
    try:
        config = load_config().with_baseline(baseline)
        config = replace(config, population_vintage=population_vintage or config.population_vintage)
        data = data_dir or default_data_dir()
        files = scan_data_dir(data) if data.is_dir() else []
        fetched = fetch_absent_inputs(data, files, config, False, sources_manifest, typer.echo)
    except DtocError as error:
        fail(error)
    typer.echo(f"{len(fetched)} file(s) downloaded into {data}" if fetched else f"{data} has every file needed")


@app.command()
def explain(
    hwb: str = typer.Argument(..., help="ONS code or name of the Health and Wellbeing Board"),
    out: Optional[Path] = typer.Option(None, help="A finished run's output folder [default: "
                                       "data/derived/<baseline>/]"),
    baseline: Optional[str] = typer.Option(None, help=BASELINE_HELP),
    metric: Optional[str] = typer.Option(None, help="Narrow to one figure, e.g. expected_asc_daily"),
    output_format: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Show how an HWB's published figures were derived, cell by cell (reads the run; recomputes nothing)."""
    import duckdb
    from dtoc.audit.explain_text import format_explanation
    from dtoc.audit.explain import explain_hwb
    try:
        if output_format not in ("text", "json"):
            raise DtocError(f"--format must be text or json, not {output_format!r}")
        out_dir = out or default_out_dir(load_config().with_baseline(baseline).baseline.label)
        database_file = out_dir / "dtoc.duckdb"
        if not database_file.is_file():
            raise DtocError(f"{out_dir} holds no finished run (no dtoc.duckdb); run `dtoc run` first or pass --out")
        with duckdb.connect(str(database_file), read_only=True) as connection:
            explanation = explain_hwb(connection, hwb, metric)
    except duckdb.Error as error:
        fail(DtocError(f"{database_file} cannot be explained ({error}); it may come from an older dtoc: rerun"))
    except DtocError as error:
        fail(error)
    typer.echo(json.dumps(explanation, indent=2, default=str) if output_format == "json"
               else format_explanation(explanation))


@app.command()
def scenarios(
    policies: Optional[Path] = typer.Argument(None, help="CSV, one row per policy: policy, nhs_target, "
                                              "nhs_upper, nhs_cap, asc_target, asc_upper, asc_cap [, baseline, "
                                              "population_vintage]"),
    grid: Optional[Path] = typer.Option(None, help="TOML file of values or ranges (start, stop, step) per parameter; "
                                        "every combination is a policy (instead of POLICIES)"),
    data_dir: Optional[Path] = typer.Option(None, help=DATA_DIR_HELP),
    population: Optional[Path] = typer.Option(None, help="One ONS MYE2 workbook for policies without a "
                                              "population_vintage [default: the configured vintage]"),
    baseline: Optional[str] = typer.Option(None, help=BASELINE_HELP + "; a policy's baseline column overrides it"),
    out: Path = typer.Option(Path("data/derived/scenarios"), help="Output folder"),
    ambition: Optional[float] = typer.Option(None, help="National ambition, daily delays [default: from the "
                                             "parameters, 4,000]"),
    tolerance: float = typer.Option(DEFAULT_TOLERANCE, help="Policies within this many daily delays of the "
                                    "ambition are ranked"),
) -> None:
    """Every HWB's expectation under each policy, computed set-wise in DuckDB and published atomically."""
    from dtoc.scenarios.command import ScenarioRequest, run_scenarios
    try:
        result = run_scenarios(ScenarioRequest(policies, grid, data_dir or default_data_dir(), population, baseline,
                                               out, ambition, tolerance))
    except DtocError as error:
        fail(error)
    typer.echo("\n".join([*result["notes"], *result["answer"], f"{result['policies']:,} policies "
                          f"({result['groups']} baseline and population group(s)) published to {result['out']}"]))


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="dtoc")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
