"""Publish one expectations run, from the inputs its checks chose and read: compute, validate, write the pack,
check the inputs are unchanged, swap into place.

The pack's data files are written while the gate validates (they state no verdict); the files that state the
verdict (workbooks, briefs, report.html) after it, with the publication date the manifest records. A failed gate
is reported even when the pack failed too: the gate's verdict is never hidden by a later crash.

`publish_expectations` is what `dtoc run` does once its checks passed (dtoc.commands.run), inside the
publication transaction. The Prefect flow passes task-wrapped steps and a gate that validates in a worker
process; tests pass the plain steps and a gate that validates in-process. Nothing here knows Prefect or Great
Expectations: the gate is handed in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from dtoc.audit.changes import ChangeReport, change_report
from dtoc.commands.datapackage import write_datapackage
from dtoc.config import Config
from dtoc.errors import ValidationFailed
from dtoc.model.pipeline import Steps, compute_read
from dtoc.model.run_inputs import ReadInputs, RunInputs, check_inputs_unchanged
from dtoc.publish import files, manifest, refresh
from dtoc.publish.transaction import keep_reports, publication, sibling
from dtoc.report.diff_text import format_diff
from dtoc.report.pack import write_data_files, write_index, write_pages
from dtoc.report.release import publication_date
from dtoc.report.summary import summarise_expectations

DATABASE_FILE = "dtoc.duckdb"
KIND = "expectations"
REPORTS = ("validation.html", "validation.json")


class Gate(Protocol):
    """The validation gate: `start` hands it the run's database and returns a handle; `verdict` waits for the
    result (an object with passed, checks, failures and warnings)."""

    def start(self, database_path: Path, report_dir: Path, parameters: dict) -> object: ...

    def verdict(self, handle: object) -> object: ...


@dataclass(frozen=True)
class PublishSteps(Steps):
    """The pipeline's steps plus the publishing ones, by name (the flow wraps each as a task)."""

    write_table: Callable = files.write_table
    write_data_files: Callable = write_data_files
    write_pages: Callable = write_pages


@dataclass
class Published:
    """What a run published: the summary of the table, the validation summary and what changed."""

    summary: dict[str, Any]
    validation: dict[str, object]
    changes: ChangeReport = field(default_factory=lambda: ChangeReport())


def judge_validation(result, report_dir: Path, failure_dir: Path) -> dict[str, object]:
    """The gate's verdict as a summary; a failure keeps its report in failure_dir and raises ValidationFailed."""
    statuses = [check["status"] for check in result.checks]
    failed = statuses.count("fail")
    summary = {
        "passed": result.passed,
        "checks": len(statuses),
        "checks_passed": statuses.count("pass"),
        "failed": failed,
        "warnings": statuses.count("warn"),  # checks with warnings, as validation.html counts them
        "warning_rows": len(result.warnings),
        "report": REPORTS[0],
    }
    if not result.passed:
        keep_reports(report_dir, failure_dir, REPORTS)
        shown = "; ".join(result.failures[:3]) + (
            f"; and {len(result.failures) - 3} more" if len(result.failures) > 3 else ""
        )
        raise ValidationFailed(
            f"validation failed ({failed} check(s)); nothing was published; report: {failure_dir / REPORTS[0]}; {shown}"
        )
    return summary


def write_change_report(out: Path, staging: Path, fingerprint: refresh.Fingerprint) -> ChangeReport:
    """changes.json and changes.txt: what changed since the publication in `out` (if any)."""
    report = change_report(out, staging, fingerprint)
    text = report["input_changes"] + ([format_diff(report["differences"])] if "differences" in report else [])
    (staging / "changes.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    files.write_lines(staging / "changes.txt", text)
    return report


def write_data_then_judge(
    steps: PublishSteps, gate: Gate, handle: object, staging: Path, failure_dir: Path, config
) -> dict:
    """Write the pack's data files while the gate validates, then take the verdict (first, if writing failed)."""
    try:
        steps.write_data_files(staging, staging / DATABASE_FILE, config)
    except Exception:
        judge_validation(gate.verdict(handle), staging, failure_dir)
        raise
    return judge_validation(gate.verdict(handle), staging, failure_dir)


def publish_expectations(
    inputs: RunInputs,
    read: ReadInputs,
    fingerprint: refresh.Fingerprint,
    config: Config,
    out: Path,
    gate: Gate,
    steps: PublishSteps = PublishSteps(),
    log: Callable[[str], None] = print,
    run_id: str | None = None,
) -> Published:
    """Compute the expectations from the inputs read, validate them, write the publication pack and swap it into
    place as out (once every input file is shown unchanged); fingerprint is what the checks found it depends on."""
    started = datetime.now(UTC)
    with publication(out, KIND, log) as staging:
        computed = compute_read(inputs, read, config, staging / DATABASE_FILE, steps)
        steps.write_table(computed.expectations, staging, KIND)
        files.write_lines(staging / "run-log.txt", computed.notes)
        handle = gate.start(staging / DATABASE_FILE, staging, config.sql_parameters())
        changes = write_change_report(out, staging, fingerprint)
        validation = write_data_then_judge(steps, gate, handle, staging, sibling(out, "failed-validation"), config)
        published = publication_date()
        steps.write_pages(staging, staging / DATABASE_FILE, config, validation, published)
        write_datapackage(staging, KIND)
        write_index(staging)
        body = {
            "inputs": computed.sources.to_dicts(),
            "population_vintage": read.population.vintage,
            "parameters": config.as_dict(),
            "validation": validation,
            "publication_date": published.isoformat(),
            "fingerprint": fingerprint,
        }
        stamp = manifest.Stamp(started, datetime.now(UTC), run_id)
        manifest.write_manifest(staging, manifest.publication_manifest(staging, KIND, body, config, stamp))
        check_inputs_unchanged(inputs)
    return Published(summarise_expectations(computed.expectations), validation, changes)
