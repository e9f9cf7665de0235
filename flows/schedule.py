"""The monthly refresh: serve `dtoc-expectations` as a Prefect deployment on a cron schedule.

    PREFECT_API_URL=http://127.0.0.1:4200/api dtoc serve --data-dir data/raw --cron "0 7 15 * *"

NHS England published the monthly DToC statistics on the second Thursday of the month; the default schedule
runs on the 15th at 07:00 UTC. Each scheduled run fetches what the quarter lacks, reruns the pipeline and
publishes atomically with a change report (a run with nothing changed still recomputes: schedules
are for catching revisions, and --force semantics are the safe default for an unattended job).
"""

from __future__ import annotations

from pathlib import Path

from flows.expectations_flow import expectations_flow

DEPLOYMENT_NAME = "monthly-refresh"
DEFAULT_CRON = "0 7 15 * *"


def serve_monthly_refresh(
    data_dir: Path, out_dir: Path, baseline: str, cron: str = DEFAULT_CRON, fetch_from: Path | None = None
) -> None:
    """Register the deployment and run its scheduled (and manually triggered) flow runs until stopped."""
    expectations_flow.serve(
        name=DEPLOYMENT_NAME,
        cron=cron,
        enforce_parameter_schema=False,
        description="Rerun the BCF DToC expectations on the latest (revised) monthly workbooks",
        parameters={
            "data_dir": str(data_dir.resolve()),
            "out_dir": str(out_dir.resolve()),
            "baseline": baseline,
            "fetch_from": str(fetch_from) if fetch_from else None,
        },
    )
