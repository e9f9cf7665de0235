"""`dtoc monitor`, composed once: checks, inputs, compute, publish. The CLI and the Python API go through
`monitor_year`, so every way in takes the same checks, the output folder's lock and rules.

`check_monitor` decides, in about a second: the expectations (the publication --expectations names, which must be
one; else the default publication of the baseline; else, when there is none, computed here, and said so), the year
(the expectations' plan year unless --year), the year's workbooks (one per month, chosen among revisions, --use
honoured), the output folder (locked), whether the monitoring is already up to date, and every cell of the year's
workbooks (read once, here, and handed to the computation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dtoc.commands.datapackage import write_datapackage
from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.choice import Needs, check_use
from dtoc.ingest.delays import DelaysWorkbook
from dtoc.ingest.inputs import SourceFile, scan_data_dir
from dtoc.model.run_inputs import check_files_unchanged, choose_run_inputs, ingest_delays, run_needs
from dtoc.monitor.comparison import check_year_follows_plan
from dtoc.monitor.compute import (
    MonitoringInputs,
    MonitoringResult,
    MonitorSteps,
    choose_monitoring_inputs,
    compute_monitoring_read,
)
from dtoc.monitor.coverage import MonitoringSummary, summarise_monitoring
from dtoc.monitor.monitoring_xlsx import monitoring_about, write_monitoring_workbook
from dtoc.monitor.page import write_monitoring_report
from dtoc.monitor.source import ExpectationsSource, computed_source, read_published_source
from dtoc.paths import DERIVED_DIR
from dtoc.periods import parse_financial_year
from dtoc.preflight import check_data_dir, check_file_option, claim_output
from dtoc.publish import files, refresh
from dtoc.publish.manifest import Stamp, publication_manifest, write_manifest
from dtoc.publish.reading import check_publication
from dtoc.publish.transaction import publication, release_lock
from dtoc.report.about import About

KIND, DATABASE_FILE = "monitoring", "dtoc.duckdb"


@dataclass(frozen=True)
class MonitorRequest:
    """What a monitoring is asked for (None: the default), and the folder expectations are published to by
    default (data/derived/<baseline>/)."""

    data_dir: Path
    config: Config
    default_expectations: Path
    year: str | None = None
    out: Path | None = None
    expectations: Path | None = None
    population: Path | None = None
    use: tuple[Path, ...] = ()
    force: bool = False


@dataclass
class MonitorPlan:
    """What a monitoring will use, decided by its checks (workbooks None when up to date: nothing is read), and
    the files its result depends on (the year's workbooks, and the baseline's when computed here)."""

    request: MonitorRequest
    year: str
    out: Path
    inputs: MonitoringInputs
    source: ExpectationsSource
    workbooks: list[DelaysWorkbook] | None
    fingerprint: dict
    files: list[SourceFile] = field(default_factory=list)
    up_to_date: bool = False
    cleaned: list[str] = field(default_factory=list)


def default_out(year: str) -> Path:
    return DERIVED_DIR / f"monitor-{year}"


def published_in(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def read_source(request: MonitorRequest) -> ExpectationsSource | None:
    """The published expectations: those --expectations names (which must be a `dtoc run` publication, and then
    --population cannot apply), else the default publication if there is one; None when none is published."""
    if request.expectations is not None:
        check_publication(request.expectations)
        if request.population is not None:
            raise DtocError(
                f"--population applies only when the expectations are computed here; they are read from "
                f"{request.expectations}: leave out --population or --expectations"
            )
        return read_published_source(request.expectations, request.config)
    if published_in(request.default_expectations):
        check_publication(request.default_expectations)
        return read_published_source(request.default_expectations, request.config)
    return None


def compute_source(
    request: MonitorRequest, files: list[SourceFile], named: list[SourceFile], log: Callable[[str], None]
) -> tuple[ExpectationsSource, list[SourceFile]]:
    """The expectations computed here from the baseline quarter (no publication to read), said so."""
    quarter = {m.isoformat() for m in request.config.baseline.months}
    use = [f for f in named if f.kind == "population" or f.period in quarter]
    inputs = choose_run_inputs(files, use, request.data_dir, request.config, request.population)
    source = computed_source(inputs, request.config, request.data_dir)
    log(f"no expectations published in {request.default_expectations}: {source.description}")
    return source, inputs.files


def check_monitor(request: MonitorRequest, log: Callable[[str], None]) -> MonitorPlan:
    """Every check `dtoc monitor` can make before computing (see the module docstring); the output folder's lock
    is held on return, and released here if a check fails."""
    check_data_dir(request.data_dir)
    check_file_option(request.population, "--population")
    source = read_source(request)
    year = request.year or (source.plan if source else request.config.plan).year
    months = parse_financial_year(year)
    check_year_follows_plan(months, source.plan if source else request.config.plan)
    quarter = run_needs(request.config, request.population) if source is None else Needs(())
    needs = Needs((*months, *quarter.months), quarter.vintages, f"the year {year}")
    files = scan_data_dir(request.data_dir)
    named = check_use(request.use, files, needs)
    inputs = choose_monitoring_inputs(files, months, [f for f in named if f.kind == "delays"], request.data_dir)
    if not inputs.delays:
        raise DtocError(
            f"no DToC workbook for any month of {year} in {request.data_dir} or its subfolders; add the monthly "
            "workbooks or name the folder that holds them with --data-dir"
        )
    baseline_files: list[SourceFile] = []
    if source is None:
        source, baseline_files = compute_source(request, files, named, log)
    protected = {"data folder": request.data_dir, "expectations folder": request.expectations or request.data_dir}
    out, cleaned = claim_output(request.out or default_out(year), KIND, protected, request.force)
    try:
        fingerprint = monitor_fingerprint(year, inputs, source, request.config)
        current = not request.force and refresh.is_up_to_date(out, fingerprint)
        workbooks = None if current else [ingest_delays(s) for s in inputs.delays]
    except BaseException:
        release_lock(out)
        raise
    return MonitorPlan(
        request, year, out, inputs, source, workbooks, fingerprint, [*inputs.delays, *baseline_files], current, cleaned
    )


def monitor_fingerprint(year: str, inputs: MonitoringInputs, source: ExpectationsSource, config: Config) -> dict:
    """What a monitoring depends on: the year, its workbooks (by sha256), the expectations, the config, the code."""
    return {
        "year": year,
        "inputs": sorted([str(s.period), s.path.name, s.sha256] for s in inputs.delays),
        "expectations": source.identity,
        "parameters": config.as_dict(),
        "code": refresh.code_digest(),
    }


def publish_monitor(
    plan: MonitorPlan,
    steps: MonitorSteps = MonitorSteps(),
    log: Callable[[str], None] = print,
    run_id: str | None = None,
) -> MonitoringSummary:
    """Compare each month of the year with the expectations and publish the monitoring atomically, from what
    the checks read (every input shown unchanged before the swap)."""
    if plan.workbooks is None:
        raise DtocError(f"internal error: the monitoring plan for {plan.out} holds no workbooks read")
    started = datetime.now(UTC)
    with publication(plan.out, KIND, log) as staging:
        result = compute_monitoring_read(
            plan.inputs, plan.workbooks, plan.source, plan.year, staging / DATABASE_FILE, steps
        )
        files.write_table(result.monitoring, staging, "monitoring")
        files.write_table(result.national, staging, "monitoring_national")
        write_monitoring_report(staging, result, plan.source.plan)
        about = write_workbook(staging, plan, result)
        files.write_lines(staging / "run-log.txt", result.notes)
        write_datapackage(staging, KIND)
        write_manifest(
            staging, monitoring_manifest(staging, plan, result, about, Stamp(started, datetime.now(UTC), run_id))
        )
        check_files_unchanged(plan.files)
    return summarise_monitoring(result.monitoring, result.national, result.missing_months, result.boundaries)


def write_workbook(staging: Path, plan: MonitorPlan, result: MonitoringResult) -> About:
    """monitoring.xlsx with its Summary sheet (over the one the page's writer left without it); its About."""
    source = plan.source
    about = monitoring_about(
        plan.year, source.plan, result.sources, result.expectations_source, source.inputs, source.validation
    )
    write_monitoring_workbook(result.monitoring, result.national, result.notes, staging / "monitoring.xlsx", about)
    return about


def monitoring_manifest(staging: Path, plan: MonitorPlan, result: MonitoringResult, about: About, stamp: Stamp) -> dict:
    """The monitoring's manifest: the year, its workbooks, the months missing, the expectations and the plan
    compared against, the boundary changes apportioned across, and the fingerprint an unchanged rerun is
    recognised by."""
    body = {
        "year": plan.year,
        "inputs": result.sources.to_dicts(),
        "missing_months": [m.isoformat() for m in result.missing_months],
        "expectations": result.expectations_source,
        "plan": plan.source.plan.as_dict(),
        "boundary_changes": result.boundaries,
        "publication_date": about.published.isoformat(),
        "fingerprint": plan.fingerprint,
    }
    return publication_manifest(staging, KIND, body, plan.request.config, stamp)


@dataclass
class MonitorOutcome:
    plan: MonitorPlan
    summary: MonitoringSummary | None


def monitor_year(
    request: MonitorRequest, publish: Callable[[MonitorPlan], MonitoringSummary], log: Callable[[str], None]
) -> MonitorOutcome:
    """`dtoc monitor`: check, then (unless up to date) publish with the caller's `publish`; the output folder's
    lock is released whatever happens."""
    plan = check_monitor(request, log)
    try:
        return MonitorOutcome(plan, None if plan.up_to_date else publish(plan))
    finally:
        release_lock(plan.out)
