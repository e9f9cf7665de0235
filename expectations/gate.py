"""The validation gate: check frames from the run's DuckDB file, validated by the committed GX suites.

`run_gate` is what the validation worker (expectations.worker) runs for the flow; GX is imported only when it
runs (in expectations.validate).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from dtoc.vocabulary import BANDED
from expectations.definitions import load_suite_json
from expectations.findings import check_messages, check_record
from expectations.frames import list_frame_names, read_check_frame
from expectations.report import report_data, write_report
from expectations.result import GateResult

RELATIVE_TOLERANCE = 1e-9


def suite_parameters(parameters: Mapping[str, Any]) -> dict[str, float]:
    """The suites' $PARAMETER values from the run's policy: float tolerance, and each attribution's largest
    allowed reduction, max(1 - target/upper, cap) (reducing to target from at most the upper rate, or by the
    cap above it), plus the tolerance."""
    limits = {
        f"{part}_reduction_limit": max(
            1 - parameters[f"{part}_target_rate"] / parameters[f"{part}_upper_rate"],
            parameters[f"{part}_reduction_cap"],
        )
        + RELATIVE_TOLERANCE
        for part in (a.short for a in BANDED)
    }
    return {"tolerance": RELATIVE_TOLERANCE, "minus_tolerance": -RELATIVE_TOLERANCE, **limits}


def frame_error_record(name: str, error: Exception) -> dict:
    """A failing check for a check frame whose SQL could not run (a table or column missing, say)."""
    return {
        "suite": name,
        "check": "frame_computed",
        "description": f"The check frame {name} can be computed from the database (expectations/checks/{name}.sql).",
        "severity": "error",
        "expectation": "sql",
        "success": False,
        "status": "fail",
        "error": f"{type(error).__name__}: {str(error).splitlines()[0]}",
        "unexpected_count": 1,
        "rows_checked": None,
        "examples": [],
    }


def read_frames(database_path: Path, parameters: dict[str, object]) -> tuple[dict, list[dict]]:
    """The check frames that could be computed, and a failing record for each that could not."""
    frames, errors = {}, []
    with duckdb.connect(str(database_path), read_only=True) as connection:
        for name in list_frame_names():
            try:
                frames[name] = read_check_frame(connection, name, parameters)
            except (duckdb.Error, KeyError) as error:
                errors.append(frame_error_record(name, error))
    return frames, errors


def run_gate(database_path: Path, report_dir: Path, parameters: dict) -> GateResult:
    """Validate the run's database; write validation.json and validation.html into report_dir."""
    from expectations.validate import validate_frames

    frames, records = read_frames(database_path, parameters)
    limits = suite_parameters(parameters)
    outcomes = validate_frames(frames, {name: load_suite_json(name) for name in frames}, limits)
    records += [check_record(outcome, frames[outcome["suite"]]) for outcome in outcomes]
    records.sort(key=lambda record: (record["suite"], record["check"]))
    messages = {
        status: [m for r in records if r["status"] == status for m in check_messages(r)] for status in ("fail", "warn")
    }
    result = GateResult(
        passed=not messages["fail"], failures=messages["fail"], warnings=messages["warn"], checks=records
    )
    write_report(report_dir, report_data(result, {**parameters, **limits}, Path(database_path).name))
    return result
