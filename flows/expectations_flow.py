"""Prefect flow `dtoc-expectations`: `dtoc run`'s one composition (dtoc.commands.run) with each step of the
publication as a Prefect task and the validation gate in its worker process. No logic lives here.

The command line checks everything before Prefect starts and hands the checked plan to the flow (`prepared`);
a run started by the scheduled deployment has no plan, so the flow runs the same composition from its start:
the same checks, lock, output-folder and revision rules. A scheduled run the checks refuse ends Failed, its state
message the one line the command would print.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from dtoc.commands import run_publish
from dtoc.commands.handover import take_over
from dtoc.commands.run import ExpectationsRequest, RunPlan, publish_checked, run_expectations
from dtoc.config import load_config
from dtoc.model import pipeline
from dtoc.publish import files
from dtoc.report.pack import write_data_files, write_pages
from flows.steps import served, step

TASK_STEPS = run_publish.PublishSteps(
    combine_delays=step(pipeline.combine_delays, "combine-delays"),
    build_database=step(pipeline.build_database, "build-database"),
    write_table=step(files.write_table, "write-expectations"),
    write_data_files=step(write_data_files, "write-data-files"),
    write_pages=step(write_pages, "write-pages"),
)


def submit_validation(database_path: Path, report_dir: Path, parameters: dict):
    """Hand the run's database to the validation worker (Great Expectations, in its own process)."""
    from expectations.worker import take_worker

    return take_worker().submit(database_path, report_dir, parameters)


def wait_for_verdict(worker):
    """Wait for the worker's verdict."""
    return worker.result()


start_validation = step(submit_validation, "start-validation")
validation_verdict = step(wait_for_verdict, "validate")


class WorkerGate:
    """The gate as tasks: validation runs in the worker process while the pack's data files are written; the
    pages, which state the verdict, are written after `verdict`."""

    def start(self, database_path: Path, report_dir: Path, parameters: dict):
        return start_validation(database_path, report_dir, parameters)

    def verdict(self, handle):
        return validation_verdict(handle)


def publish_plan(plan: RunPlan) -> run_publish.Published:
    return publish_checked(plan, WorkerGate(), TASK_STEPS, get_run_logger().info, str(flow_run.id))


@flow(name="dtoc-expectations", log_prints=True, validate_parameters=False)
def expectations_flow(
    data_dir: str,
    out_dir: str,
    baseline: str | None = None,
    population: str | None = None,
    use: tuple[str, ...] = (),
    fetch_from: str | None = None,
    config_file: str | None = None,
    force: bool = False,
    prepared: str | None = None,
):
    """Publish the expectations for the baseline quarter to out_dir: the plan the command checked (`prepared`),
    or, for a deployment's run, the whole composition from its checks on."""
    if prepared is not None:
        return publish_plan(take_over(prepared))

    def compose():
        config = load_config(Path(config_file) if config_file else None).with_baseline(baseline)
        request = ExpectationsRequest(
            Path(data_dir),
            Path(out_dir),
            config,
            Path(population) if population else None,
            tuple(Path(p) for p in use),
            Path(fetch_from) if fetch_from else None,
            force,
        )
        outcome = run_expectations(request, publish_plan, get_run_logger().info)
        return outcome.plan.out, outcome.published

    return served(compose)
