"""The monthly refresh: serve `dtoc-expectations` as a Prefect deployment on a cron schedule.

    PREFECT_API_URL=http://127.0.0.1:4200/api dtoc serve --data-dir data/raw --cron "0 7 15 * *"

NHS England published the monthly DToC statistics on the second Thursday of the month; the default schedule
runs on the 15th at 07:00 UTC. Each scheduled run is `dtoc run` from its first check on (flows/expectations_flow.py
runs the command's one composition): it downloads what the quarter lacks, takes the output folder's lock and
rules and the rule that revisions only move forward, stops when the publication is up to date, and otherwise
publishes atomically with a change report. A run the checks refuse ends Failed with the command's one line.
"""

from __future__ import annotations

from pathlib import Path

from dtoc.commands.run import ExpectationsRequest
from flows.expectations_flow import expectations_flow

DEPLOYMENT_NAME = "monthly-refresh"


def deployment_parameters(request: ExpectationsRequest, fetch_from: Path | None) -> dict[str, object]:
    """The flow's parameters for a scheduled run of `request` (plain data: the server keeps them)."""
    return {
        "data_dir": str(request.data_dir.resolve()),
        "out_dir": str(request.out.resolve()),
        "baseline": request.config.baseline.label,
        "use": [str(p.resolve()) for p in request.use],
        "fetch_from": str(fetch_from) if fetch_from else None,
        "config_file": str(request.config.source_file.resolve()),
        "force": request.force,
    }


def serve_monthly_refresh(request: ExpectationsRequest, cron: str, fetch_from: Path | None = None) -> None:
    """Register the deployment and run its scheduled (and manually triggered) flow runs on cron (the CLI's
    --cron, whose default is the schedule above) until stopped."""
    expectations_flow.serve(
        name=DEPLOYMENT_NAME,
        cron=cron,
        enforce_parameter_schema=False,
        description="Rerun the BCF DToC expectations on the latest (revised) monthly workbooks",
        parameters=deployment_parameters(request, fetch_from),
    )
