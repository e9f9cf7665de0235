"""Prefect flow `dtoc-expectations`: the domain's one composition (dtoc.publish.run.publish_expectations) run
with each step as a Prefect task and the validation gate in its worker process. No logic lives here."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from dtoc.config import Config, load_config
from dtoc.ingest import ingest_code_digest
from dtoc.model import pipeline
from dtoc.model.pipeline import RunRequest
from dtoc.publish import files
from dtoc.publish.run import Published, PublishSteps, publish_expectations
from dtoc.publish.transaction import sibling
from dtoc.report.pack import write_data_files, write_pages


def source_cache_key(context, parameters: dict) -> str:
    """Cache an ingest by the input's content (sha256), its name (kept in lineage) and the ingest code."""
    source = parameters["source"]
    return (
        f"{context.task.name}-{source.sha256}-{hashlib.sha256(source.path.name.encode()).hexdigest()[:12]}-"
        f"{ingest_code_digest()}"
    )


def cached(function, name: str):
    return task(
        function, name=name, cache_key_fn=source_cache_key, persist_result=True, cache_expiration=timedelta(days=90)
    )


def uncached(function, name: str):
    return task(function, name=name, cache_policy=NO_CACHE)


TASK_STEPS = PublishSteps(
    find_inputs=uncached(pipeline.find_run_inputs, "find-inputs"),
    ingest_delays=cached(pipeline.ingest_delays, "ingest-delays-workbook"),
    ingest_population=cached(pipeline.ingest_population, "ingest-population"),
    combine_delays=uncached(pipeline.combine_delays, "combine-delays"),
    build_database=uncached(pipeline.build_database, "build-database"),
    write_table=uncached(files.write_table, "write-expectations"),
    write_data_files=uncached(write_data_files, "write-data-files"),
    write_pages=uncached(write_pages, "write-pages"),
)


@task(name="start-validation", cache_policy=NO_CACHE)
def start_validation(database_path: Path, report_dir: Path, parameters: dict):
    """Hand the run's database to the validation worker (Great Expectations, in its own process)."""
    from expectations.worker import take_worker

    return take_worker().submit(database_path, report_dir, parameters)


@task(name="validate", cache_policy=NO_CACHE)
def validation_verdict(worker):
    """Wait for the worker's verdict."""
    return worker.result()


class WorkerGate:
    """The gate as tasks: validation runs in the worker process while the pack's data files are written; the
    pages, which state the verdict, are written after `verdict`."""

    def start(self, database_path: Path, report_dir: Path, parameters: dict):
        return start_validation(database_path, report_dir, parameters)

    def verdict(self, handle):
        return validation_verdict(handle)


@flow(name="dtoc-expectations", log_prints=True, validate_parameters=False)
def expectations_flow(
    data_dir: str,
    out_dir: str,
    baseline: str | None = None,
    population: str | None = None,
    use: tuple[str, ...] = (),
    fetch_from: str | None = None,
    config: Config | None = None,
) -> Published:
    """Compute the expectation table for the baseline quarter and publish it to out_dir atomically. A command
    passes the config it loaded; a deployment's run (parameters from the server) loads it here."""
    config, out = (config or load_config()).with_baseline(baseline), Path(out_dir)
    request = RunRequest(
        Path(data_dir),
        config,
        Path(population) if population else None,
        tuple(Path(p) for p in use),
        sibling(out, "input-catalog.json"),
        Path(fetch_from) if fetch_from else None,
    )
    return publish_expectations(request, out, WorkerGate(), TASK_STEPS, get_run_logger().info, str(flow_run.id))
