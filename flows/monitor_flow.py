"""Prefect flow `dtoc-monitor`: `dtoc monitor`'s one composition (dtoc.commands.monitor) with each step of the
computation as a Prefect task. No logic lives here: the command checks everything and hands the checked plan over
(`prepared`); without one (a run started from Prefect), the flow runs the same composition from its checks on."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from dtoc.commands.handover import take_over
from dtoc.commands.monitor import MonitorPlan, MonitorRequest, monitor_year, publish_monitor
from dtoc.config import load_config
from dtoc.monitor import comparison, compute
from flows.steps import served, step

TASK_STEPS = compute.MonitorSteps(
    combine_delays=step(compute.combine_year_delays, "combine-year-delays"),
    build_database=step(comparison.build_monitoring_database, "build-monitoring-database"),
)


def publish_plan(plan: MonitorPlan):
    return publish_monitor(plan, TASK_STEPS, get_run_logger().info, str(flow_run.id))


@flow(name="dtoc-monitor", log_prints=True, validate_parameters=False)
def monitor_flow(
    data_dir: str,
    default_expectations: str,
    year: str | None = None,
    out_dir: str | None = None,
    expectations_dir: str | None = None,
    population: str | None = None,
    use: tuple[str, ...] = (),
    config_file: str | None = None,
    force: bool = False,
    prepared: str | None = None,
):
    """Compare each month's actual delays of the year with the expectations and publish the monitoring: the plan
    the command checked (`prepared`), or the whole composition from its checks on."""
    if prepared is not None:
        return publish_plan(take_over(prepared))

    def compose():
        request = MonitorRequest(
            Path(data_dir),
            load_config(Path(config_file) if config_file else None),
            Path(default_expectations),
            year,
            Path(out_dir) if out_dir else None,
            Path(expectations_dir) if expectations_dir else None,
            Path(population) if population else None,
            tuple(Path(p) for p in use),
            force,
        )
        outcome = monitor_year(request, publish_plan, get_run_logger().info)
        return outcome.plan.out, outcome.summary

    return served(compose)
