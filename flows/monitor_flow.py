"""Prefect flow `dtoc-monitor`: a financial year's actual delays against the expectations, per HWB and month.
Wires the dtoc.monitor.compute domain steps into tasks and publishes atomically. No logic lives here."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from dtoc.model import pipeline
from dtoc.monitor import compute as monitoring
from dtoc.publish import files, manifest, transaction as publish
from dtoc.config import load_config
from dtoc.monitor.coverage import describe_coverage, summarise_monitoring
from dtoc.monitor.report import build_monitoring_manifest, write_monitoring_report

DATABASE_FILE = "dtoc.duckdb"

find_inputs = task(monitoring.find_monitoring_inputs, name="find-monitoring-inputs", cache_policy=NO_CACHE)
ingest_delays = task(pipeline.ingest_delays, name="ingest-delays-workbook", cache_policy=NO_CACHE)
load_expectations = task(monitoring.load_expectations, name="load-expectations", cache_policy=NO_CACHE)
combine_delays = task(monitoring.combine_year_delays, name="combine-year-delays", cache_policy=NO_CACHE)
build_database = task(monitoring.build_monitoring_database, name="build-monitoring-database", cache_policy=NO_CACHE)
write_table = task(files.write_table, name="write-monitoring-table", cache_policy=NO_CACHE)
write_report = task(write_monitoring_report, name="write-monitoring-report", cache_policy=NO_CACHE)


@flow(name="dtoc-monitor", log_prints=True, validate_parameters=False)
def monitor_flow(data_dir: str, out_dir: str, year: str = "2018-19", population: str | None = None,
                 expectations_dir: str | None = None) -> dict[str, object]:
    """Compare each month's actual delays of the year with the expectations (read from expectations_dir's
    expectations.parquet, else computed in-process) and publish the monitoring to out_dir atomically."""
    started = datetime.now(timezone.utc)
    logger = get_run_logger()
    config = load_config()
    out, data = Path(out_dir), Path(data_dir)
    with publish.publication(out, logger.warning) as staging:
        inputs = find_inputs(data, year, publish.sibling(out, "input-catalog.json"))
        workbooks = [ingest_delays(source) for source in inputs.delays]
        expectations, source, expectation_notes = load_expectations(
            Path(expectations_dir) if expectations_dir else None, data, config,
            Path(population) if population else None, staging / DATABASE_FILE)
        delayed_days, cell_notes = combine_delays(workbooks)
        notes = inputs.notes + describe_coverage(delayed_days, expectations) + expectation_notes + cell_notes
        for note in notes:
            logger.warning(note)
        table, national = build_database(staging / DATABASE_FILE, delayed_days, expectations, inputs.months,
                                         config)
        write_table(table, staging, "monitoring")
        write_table(national, staging, "monitoring_national")
        write_report(staging, table, national, notes, inputs.months, year, source)
        files.write_lines(staging / "run-log.txt", notes)
        manifest.write_manifest(staging, build_monitoring_manifest(
            staging, year, monitoring.sources_table(workbooks), inputs.missing_months, source, flow_run.id,
            started, datetime.now(timezone.utc)))
    return summarise_monitoring(table, national, inputs.missing_months)
