"""Run the GX suites on the check frames. The only module that imports GX, and only inside `validate_frames`."""

from __future__ import annotations

import os
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult
    from great_expectations.data_context import AbstractDataContext
    from great_expectations.datasource.fluent.interfaces import Batch
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

FIRST_PASS = {"result_format": "BOOLEAN_ONLY"}
DETAIL_PASS = {"result_format": "COMPLETE"}


def raised_error(exception_info: object) -> str | None:
    """The exception message GX caught while running an expectation, if any (it then reports success=False)."""
    if not isinstance(exception_info, dict):
        return None
    if "raised_exception" in exception_info:
        if not exception_info["raised_exception"]:
            return None
        return str(exception_info.get("exception_message") or "unknown error")
    nested = [raised_error(value) for value in exception_info.values()]
    return next((message for message in nested if message), None)


def configuration_of(result: ExpectationValidationResult) -> ExpectationConfiguration:
    """The expectation a result is of (GX's type allows none; every result of a suite's expectation has one)."""
    config = result.expectation_config
    if config is None:
        raise ValueError("a GX result without its expectation's configuration")
    return config


def outcome_of(suite: str, result: ExpectationValidationResult) -> dict:
    """One expectation's result as plain data: its meta, success, any error and where it failed."""
    config = configuration_of(result)
    details = dict(result.result or {})
    meta = dict(config.meta or {})
    error = raised_error(result.exception_info)
    return {
        "suite": suite,
        "check": meta.get("check", config.type),
        "type": config.type,
        "description": meta.get("description", ""),
        "severity": meta.get("severity", "error"),
        "show": list(meta.get("show", [])),
        "kwargs": dict(config.kwargs),
        "success": bool(result.success),
        "error": error,
        "unexpected_count": details.get("unexpected_count"),
        "unexpected_index_list": list(details.get("unexpected_index_list") or []),
        "observed_value": details.get("observed_value"),
        "details": details.get("details"),
    }


def open_context() -> tuple[ModuleType, AbstractDataContext]:
    """GX and an ephemeral context without progress bars or analytics."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def validate_suite(
    batch: Batch, suite: ExpectationSuite, parameters: dict[str, float]
) -> list[ExpectationValidationResult]:
    """Each expectation's result: a fast pass/fail pass over the suite, then the failing ones again in detail
    (their failing row indexes, counts and observed values). GX returns results in its own order."""
    results = batch.validate(suite, result_format=FIRST_PASS, expectation_parameters=parameters).results
    return [
        result
        if result.success
        else batch.validate(
            configuration_of(result).to_domain_obj(), result_format=DETAIL_PASS, expectation_parameters=parameters
        )
        for result in results
    ]


def validate_frames(
    frames: dict[str, pd.DataFrame], suites: dict[str, dict], parameters: dict[str, float]
) -> list[dict]:
    """One outcome per expectation of every suite, each suite run on the frame of the same name."""
    gx, context = open_context()
    whole_frame = (
        context.data_sources.add_pandas("check_frames")
        .add_dataframe_asset("check_frame")
        .add_batch_definition_whole_dataframe("whole_frame")
    )
    outcomes = []
    for name in sorted(suites):
        batch = whole_frame.get_batch(batch_parameters={"dataframe": frames[name]})
        results = validate_suite(batch, gx.ExpectationSuite(**suites[name]), parameters)
        outcomes += [outcome_of(name, result) for result in results]
    return outcomes
