"""Prefect flow `dtoc-expectations`: wires the dtoc domain steps into tasks. No logic lives here."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from dtoc.ingest import ingest_code_digest
from dtoc.model import pipeline
from dtoc.publish import files, manifest, refresh, transaction as publish
from dtoc.audit.diff import format_diff
from dtoc.errors import ValidationFailed
from dtoc.report.pack import write_index, write_publication_pack
from dtoc.config import load_config
from dtoc.report.summary import summarise_expectations

DATABASE_FILE = "dtoc.duckdb"

def source_cache_key(context, parameters: dict) -> str:
    """Cache an ingest by the input's content (sha256), its name (kept in lineage) and the ingest code."""
    source = parameters["source"]
    return f"{context.task.name}-{source.sha256}-{hashlib.sha256(source.path.name.encode()).hexdigest()[:12]}-" \
           f"{ingest_code_digest()}"


find_inputs = task(pipeline.find_run_inputs, name="find-inputs", cache_policy=NO_CACHE)
ingest_delays = task(pipeline.ingest_delays, name="ingest-delays-workbook", cache_key_fn=source_cache_key,
                     persist_result=True, cache_expiration=timedelta(days=90))
ingest_population = task(pipeline.ingest_population, name="ingest-population", cache_key_fn=source_cache_key,
                         persist_result=True, cache_expiration=timedelta(days=90))
combine_delays = task(pipeline.combine_delays, name="combine-delays", cache_policy=NO_CACHE)
build_database = task(pipeline.build_database, name="build-database", cache_policy=NO_CACHE)
write_table = task(files.write_table, name="write-expectations", cache_policy=NO_CACHE)
@task(name="start-validation", cache_policy=NO_CACHE)
def start_validation(database_path: Path, report_dir: Path, parameters: dict):
    """Hand the run's database to the validation worker (Great Expectations, in its own process)."""
    from expectations.worker import take_worker
    return take_worker().submit(database_path, report_dir, parameters)


@task(name="validate", cache_policy=NO_CACHE)
def finish_validation(worker, report_dir: Path, failure_dir: Path) -> dict[str, object]:
    """The gate's verdict: any error-severity failure stops the run before publishing (the report of a
    failed run is kept in failure_dir); warnings are logged."""
    result = worker.result()
    logger = get_run_logger()
    for warning in result.warnings:
        logger.warning(warning)
    summary = {"passed": result.passed, "checks": len(result.checks),
               "failed": sum(1 for c in result.checks if not c["success"] and c["severity"] == "error"),
               "warnings": len(result.warnings), "report": "validation.html"}
    if not result.passed:
        publish.keep_reports(report_dir, failure_dir, ("validation.html", "validation.json"))
        raise ValidationFailed(f"validation failed ({summary['failed']} check(s)); nothing was published "
                               f"(report: {failure_dir / 'validation.html'}):\n  " + "\n  ".join(result.failures))
    return summary


write_pack = task(write_publication_pack, name="write-publication-pack", cache_policy=NO_CACHE)


def write_change_report(out: Path, staging: Path, fingerprint: dict) -> None:
    """changes.json and changes.txt: what changed since the publication in `out` (if any)."""
    report = refresh.change_report(out, staging, fingerprint)
    text = report["input_changes"] + ([format_diff(report["differences"])] if "differences" in report else [])
    for line in report["input_changes"]:
        get_run_logger().info(line)
    (staging / "changes.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    files.write_lines(staging / "changes.txt", text)


@flow(name="dtoc-expectations", log_prints=True, validate_parameters=False)
def expectations_flow(data_dir: str, out_dir: str, baseline: str | None = None, population: str | None = None,
                      use: tuple[str, ...] = (), fetch_from: str | None = None) -> dict[str, object]:
    """Compute the expectation table for the baseline quarter and publish it to out_dir atomically."""
    started = datetime.now(timezone.utc)
    logger = get_run_logger()
    config = load_config().with_baseline(baseline)
    out = Path(out_dir)
    with publish.publication(out, logger.warning) as staging:
        inputs = find_inputs(Path(data_dir), config, Path(population) if population else None,
                             tuple(Path(p) for p in use), publish.sibling(out, "input-catalog.json"),
                             Path(fetch_from) if fetch_from else None, logger.info)
        workbooks = [ingest_delays(source) for source in inputs.delays]
        population_workbook = ingest_population(inputs.population)
        delayed_days, totals, missing = combine_delays(workbooks)
        for note in inputs.notes + missing:
            logger.warning(note)
        sources = pipeline.source_files_table(workbooks, population_workbook)
        expectations = build_database(staging / DATABASE_FILE, delayed_days, totals, population_workbook,
                                      sources, config)
        write_table(expectations, staging, "expectations")
        files.write_lines(staging / "run-log.txt", inputs.notes + missing)
        gate = start_validation(staging / DATABASE_FILE, staging, config.sql_parameters())
        fingerprint = refresh.run_fingerprint(config, inputs.delays, inputs.population)
        write_change_report(out, staging, fingerprint)
        write_pack(staging, staging / DATABASE_FILE, config, index=False)  # while the gate validates
        validation = finish_validation(gate, staging, publish.sibling(out, "failed-validation"))
        write_index(staging)
        record = manifest.build_manifest(sources, config, validation, staging, flow_run.id, started,
                                         datetime.now(timezone.utc))
        manifest.write_manifest(staging, {**record, "fingerprint": fingerprint})
    return summarise_expectations(expectations)
