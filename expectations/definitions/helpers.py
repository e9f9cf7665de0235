"""Builders of expectations in GX's suite-JSON form (plain dictionaries: no GX import needed).

Each expectation's meta holds its check name, a plain-English description, its severity ('error' fails the
gate, 'warning' is listed) and `show`: columns printed beside the bad value in messages. GX's own `severity`
field is set to match ('critical' for errors). Values that depend on the run's policy are suite parameters
({"$PARAMETER": name}), filled in by expectations.gate.suite_parameters.
"""

from __future__ import annotations

TOLERANCE = {"$PARAMETER": "tolerance"}
MINUS_TOLERANCE = {"$PARAMETER": "minus_tolerance"}


def expect(
    check: str, kind: str, description: str, severity: str = "error", show: tuple[str, ...] = (), **kwargs: object
) -> dict:
    """One expectation in suite-JSON form, e.g. expect('x_unique', 'expect_column_values_to_be_unique', ...)."""
    return {
        "type": kind,
        "kwargs": kwargs,
        "severity": "critical" if severity == "error" else "warning",
        "meta": {"check": check, "description": description, "severity": severity, "show": list(show)},
    }


def not_null(column: str, description: str, severity: str = "error", show: tuple[str, ...] = ()) -> dict:
    return expect(
        f"{column}_not_null", "expect_column_values_to_not_be_null", description, severity, show, column=column
    )


def between(
    check: str,
    column: str,
    description: str,
    min_value: object = None,
    max_value: object = None,
    show: tuple[str, ...] = (),
) -> dict:
    return expect(
        check,
        "expect_column_values_to_be_between",
        description,
        "error",
        show,
        column=column,
        min_value=min_value,
        max_value=max_value,
    )


def in_set(check: str, column: str, values: list, description: str) -> dict:
    return expect(check, "expect_column_values_to_be_in_set", description, column=column, value_set=values)


def required_columns(columns: list[str], table: str) -> dict:
    return expect(
        "required_columns",
        "expect_table_columns_to_match_set",
        f"The {table} table has the columns {', '.join(columns)}.",
        column_set=columns,
        exact_match=False,
    )
