"""Checks on policies, each naming the first row that fails: names present, short and unique; the six
numbers finite; the band rule of dtoc.config.BandPolicy.check (the rule `dtoc run` applies to
parameters.toml); quarter labels. `where(row)` says where a row is, for the one-line message.
"""

from __future__ import annotations

import polars as pl

from dtoc.config import POLICY_FIELDS, BandPolicy
from dtoc.errors import DtocError
from dtoc.periods import parse_quarter
from dtoc.scenarios.table import MAX_NAME_LENGTH, PARAMETERS, PolicySet
from dtoc.vocabulary import BANDED


def number_problems(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The rows whose cell in `column` is not a finite number, with what is wrong."""
    text = pl.col(column).str.strip_chars()
    value = text.cast(pl.Float64, strict=False)
    return frame.select(
        "row",
        "policy",
        pl.col(column).alias("text"),
        pl.when(text.fill_null("") == "")
        .then(pl.lit("is empty"))
        .when(value.is_null())
        .then(pl.lit("is not a number"))
        .when(~value.is_finite())
        .then(pl.lit("is not a finite number"))
        .alias("problem"),
    ).filter(pl.col("problem").is_not_null())


def parse_numbers(frame: pl.DataFrame, where) -> pl.DataFrame:
    """The six numbers as floats under the SQL's names; the first cell that is not a finite number stops."""
    for column in PARAMETERS:
        problems = number_problems(frame, column)
        if problems.height:
            row, _, text, problem = problems.row(0)
            shown = "" if problem == "is empty" else f" {text.strip()!r}"
            raise DtocError(f"{where(row)}: {column}{shown} {problem}")
    return frame.with_columns(pl.col(c).str.strip_chars().cast(pl.Float64).alias(PARAMETERS[c]) for c in PARAMETERS)


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
    """Every policy has a name, of at most MAX_NAME_LENGTH characters, used by no other row."""
    named = frame.with_columns(pl.col("policy").str.strip_chars().fill_null(""))
    for problem, rows in (
        ("the policy has no name", named.filter(pl.col("policy") == "")),
        (
            f"the policy name is longer than {MAX_NAME_LENGTH} characters",
            named.filter(pl.col("policy").str.len_chars() > MAX_NAME_LENGTH),
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
