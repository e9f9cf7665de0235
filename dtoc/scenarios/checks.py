"""Checks on policies, each naming the first row that fails: names present, short and unique; the six
numbers read by the one number rule (dtoc.ingest.numbers, here applied to whole columns at once); the band rule
of dtoc.config.BandPolicy.check (the rule `dtoc run` applies to parameters.toml); quarter labels. `where(row)`
says where a row is, for the one-line message.
"""

from __future__ import annotations

import polars as pl

from dtoc.config import POLICY_FIELDS, BandPolicy
from dtoc.errors import DtocError
from dtoc.ingest import numbers
from dtoc.ingest.limits import MAX_POLICY_NAME_CHARS
from dtoc.periods import parse_quarter
from dtoc.scenarios.table import PARAMETERS, PolicySet
from dtoc.vocabulary import BANDED


def number_value(column: str) -> pl.Expr:
    """The cell as a float by the one number rule (null where the text is not a number; '-0' is 0.0)."""
    text = pl.col(column).str.strip_chars()
    plain = text.str.replace_all(",", "").cast(pl.Float64, strict=False)
    return pl.when(~text.str.contains(numbers.NUMBER_PATTERN)).then(None).when(plain == 0).then(0.0).otherwise(plain)


def number_problems(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The rows whose cell in `column` is not a finite number, with what is wrong (numbers' wording)."""
    text = pl.col(column).str.strip_chars()
    value = number_value(column)
    return frame.select(
        "row",
        "policy",
        pl.col(column).alias("text"),
        pl.when(text.fill_null("") == "")
        .then(pl.lit(numbers.EMPTY))
        .when(text.str.contains(numbers.NOT_FINITE_PATTERN))
        .then(pl.lit(numbers.NOT_FINITE))
        .when(text.is_in(sorted(numbers.EXCEL_ERRORS)))
        .then(pl.lit(numbers.excel_error_phrase("")) + text)
        .when(value.is_null() & text.str.contains(","))
        .then(pl.lit(numbers.NOT_A_NUMBER + numbers.COMMA_HINT))
        .when(value.is_null())
        .then(pl.lit(numbers.NOT_A_NUMBER))
        .when(~value.is_finite())
        .then(pl.lit(numbers.TOO_LARGE))
        .alias("problem"),
    ).filter(pl.col("problem").is_not_null())


def parse_numbers(frame: pl.DataFrame, where) -> pl.DataFrame:
    """The six numbers as floats under the SQL's names; the first cell that is not a finite number stops."""
    for column in PARAMETERS:
        problems = number_problems(frame, column)
        if problems.height:
            row, _, text, problem = problems.row(0)
            shown = "" if problem == numbers.EMPTY else f" {text.strip()!r}"
            raise DtocError(f"{where(row)}: {column}{shown} {problem}")
    return frame.with_columns(number_value(column).alias(PARAMETERS[column]) for column in PARAMETERS)


def check_band_rules(frame: pl.DataFrame, where) -> None:
    """BandPolicy.check, the rule `dtoc run` applies to parameters.toml, on every distinct set of numbers of
    each attribution; the first row holding a set that breaks it is named."""
    for attribution in BANDED:
        columns = [f"{attribution.short}_{name}" for name in POLICY_FIELDS]
        for values in frame.select(columns).unique(maintain_order=True).iter_rows():
            try:
                BandPolicy(attribution.short, *values).check()
            except DtocError as error:
                first = frame.filter(pl.all_horizontal(pl.col(c) == v for c, v in zip(columns, values, strict=True)))
                raise DtocError(f"{where(first['row'][0])}: {error}") from None


def check_names(frame: pl.DataFrame, where) -> None:
    """Every policy has a name, of at most MAX_POLICY_NAME_CHARS characters, used by no other row."""
    named = frame.with_columns(pl.col("policy").str.strip_chars().fill_null(""))
    for problem, rows in (
        ("the policy has no name", named.filter(pl.col("policy") == "")),
        (
            f"the policy name is longer than {MAX_POLICY_NAME_CHARS} characters",
            named.filter(pl.col("policy").str.len_chars() > MAX_POLICY_NAME_CHARS),
        ),
    ):
        if rows.height:
            raise DtocError(f"{where(rows['row'][0])}: {problem}")
    repeated = named.filter(pl.col("policy").is_duplicated())
    if repeated.height:
        first = repeated.filter(pl.col("policy") == repeated["policy"][0])["row"]
        raise DtocError(f"{where(first[1])}: the name is already used by row {first[0]}; names must be unique")


def with_checked_quarters(policies: PolicySet, default_baseline: str) -> pl.DataFrame:
    """The frame with empty baselines set to the default and every quarter label checked and written as dtoc
    writes it ('2017-18Q3'); an unknown quarter names the first policy that asks for it."""
    frame = policies.frame.with_columns(pl.col("baseline").fill_null(default_baseline))
    labels = {}
    for row in frame.group_by("baseline").agg(pl.col("policy_number").min()).sort("policy_number").iter_rows():
        try:
            labels[row[0]] = parse_quarter(row[0]).label
        except DtocError as error:
            raise DtocError(f"{policies.where(row[1])}: {error}") from None
    return frame.with_columns(pl.col("baseline").replace_strict(labels, return_dtype=pl.String))
