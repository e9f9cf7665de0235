"""Publish a year's monitoring, composed once: compute, write the tables and the report, swap into place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dtoc.config import Config
from dtoc.monitor.compute import MonitorSteps, compute_monitoring
from dtoc.monitor.coverage import summarise_monitoring
from dtoc.monitor.report import build_monitoring_manifest, write_monitoring_report
from dtoc.publish import files
from dtoc.publish.manifest import write_manifest
from dtoc.publish.transaction import publication, sibling

DATABASE_FILE = "dtoc.duckdb"
KIND = "monitoring"


@dataclass(frozen=True)
class MonitorRequest:
    """What one monitoring is asked for."""

    data_dir: Path
    year: str
    config: Config
    expectations_dir: Path | None = None
    population_path: Path | None = None
    preferred: tuple[Path, ...] = ()


def publish_monitoring(
    request: MonitorRequest,
    out: Path,
    steps: MonitorSteps = MonitorSteps(),
    log: Callable[[str], None] = print,
    run_id: str | None = None,
) -> dict[str, object]:
    """Compare each month of the year with the expectations and publish the monitoring to out atomically;
    returns the short summary."""
    started = datetime.now(UTC)
    with publication(out, KIND, log) as staging:
        result = compute_monitoring(
            request.data_dir,
            request.year,
            request.config,
            request.expectations_dir,
            request.population_path,
            staging / DATABASE_FILE,
            sibling(out, "input-catalog.json"),
            steps,
            request.preferred,
        )
        files.write_table(result.monitoring, staging, "monitoring")
        files.write_table(result.national, staging, "monitoring_national")
        write_monitoring_report(
            staging,
            result.monitoring,
            result.national,
            result.notes,
            result.months,
            request.year,
            result.expectations_source,
        )
        files.write_lines(staging / "run-log.txt", result.notes)
        record = build_monitoring_manifest(
            staging,
            request.year,
            result.sources,
            result.missing_months,
            result.expectations_source,
            run_id,
            started,
            datetime.now(UTC),
        )
        write_manifest(staging, {"kind": KIND, **record})
    return {
        **summarise_monitoring(result.monitoring, result.national, result.missing_months),
        "notes": len(result.notes),
    }
