"""Prefect flow `dtoc-monitor`: the domain's one composition (dtoc.monitor.publish.publish_monitoring) run with
each step as a Prefect task. No logic lives here."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from dtoc.config import Config, load_config
from dtoc.model import run_inputs
from dtoc.monitor import compute
from dtoc.monitor.publish import MonitorRequest, publish_monitoring


def uncached(function, name: str):
    return task(function, name=name, cache_policy=NO_CACHE)


TASK_STEPS = compute.MonitorSteps(
    find_inputs=uncached(compute.find_monitoring_inputs, "find-monitoring-inputs"),
    ingest_delays=uncached(run_inputs.ingest_delays, "ingest-delays-workbook"),
    load_expectations=uncached(compute.load_expectations, "load-expectations"),
    combine_delays=uncached(compute.combine_year_delays, "combine-year-delays"),
    build_database=uncached(compute.build_monitoring_database, "build-monitoring-database"),
)


@flow(name="dtoc-monitor", log_prints=True, validate_parameters=False)
def monitor_flow(
    data_dir: str,
    out_dir: str,
    year: str = "2018-19",
    population: str | None = None,
    expectations_dir: str | None = None,
    use: tuple[str, ...] = (),
    config: Config | None = None,
) -> dict[str, object]:
    """Compare each month's actual delays of the year with the expectations (read from expectations_dir's
    expectations.parquet, else computed in-process) and publish the monitoring to out_dir atomically."""
    request = MonitorRequest(
        Path(data_dir),
        year,
        config or load_config(),
        Path(expectations_dir) if expectations_dir else None,
        Path(population) if population else None,
        tuple(Path(p) for p in use),
    )
    return publish_monitoring(request, Path(out_dir), TASK_STEPS, get_run_logger().info, str(flow_run.id))
