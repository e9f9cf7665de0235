"""Expand a --grid TOML file into policies: every combination of the values given for each parameter.

The file sets the six numbers under the POLICIES column names (nhs_target, nhs_upper, nhs_cap, asc_target,
asc_upper, asc_cap), each as a number, a list of numbers, or a range {start = 5.0, stop = 6.0, step = 0.1}
(stop included); `baseline` and `population_vintage` may be set to one label or a list. Numbers are read as
decimals, so a range's values are exactly the decimals written (5.5, not 5.500000000000001). A combination
whose target is above its upper threshold is not a policy: it is left out and counted in a note; any other
breach of the band rule (dtoc.config.BandPolicy.check) refuses the grid. The product is bounded before it is
expanded. One row of the result is one policy, as in dtoc.scenarios.policies.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import polars as pl
from polars.datatypes import DataTypeClass

from dtoc.config import POLICY_FIELDS, BandPolicy
from dtoc.errors import DtocError
from dtoc.periods import parse_quarter
from dtoc.scenarios.table import INPUT_NAMES, MAX_POLICIES, OPTIONAL, PARAMETERS, SCHEMA, PolicySet
from dtoc.vocabulary import BANDED

MAX_GRID_BYTES = 1024 * 1024


def decimal_text(value: Decimal) -> str:
    """'5.5', '0.3', '10': the shortest plain decimal."""
    return format(value.normalize(), "f")


def show(spec: object) -> str:
    """A setting as the TOML file wrote it: 0.3, [0.3, 0.4], {start = 5, stop = 6, step = 0.1}, "x"."""
    if isinstance(spec, Decimal):
        return str(spec)
    if isinstance(spec, dict):
        return "{" + ", ".join(f"{key} = {show(value)}" for key, value in spec.items()) + "}"
    if isinstance(spec, list):
        return "[" + ", ".join(show(value) for value in spec) + "]"
    return f'"{spec}"' if isinstance(spec, str) else str(spec).lower()


def expand_range(spec: dict, name: str, where: str) -> list[Decimal]:
    if set(spec) != {"start", "stop", "step"}:
        raise DtocError(f"{where}: {name} as a range needs exactly start, stop and step, not {', '.join(spec)}")
    start, stop, step = (Decimal(str(spec[key])) for key in ("start", "stop", "step"))
    if not step > 0 or stop < start:
        raise DtocError(f"{where}: {name} needs step > 0 and stop >= start, got {show(spec)}")
    count = int((stop - start) // step) + 1
    if count > MAX_POLICIES:
        raise DtocError(f"{where}: {name} has {count:,} values, more than the {MAX_POLICIES:,} policies a sweep allows")
    return [start + index * step for index in range(count)]


def parameter_values(raw: dict, name: str, where: str) -> list[Decimal]:
    """The values of one numeric parameter: a number, a list of numbers or a range; each finite, none twice."""
    if name not in raw:
        raise DtocError(f"{where}: {name} is not set (give a number, a list or {{start, stop, step}})")
    spec = raw[name]
    try:
        values = (
            expand_range(spec, name, where)
            if isinstance(spec, dict)
            else [Decimal(str(v)) for v in (spec if isinstance(spec, list) else [spec])]
        )
    except (InvalidOperation, TypeError, ValueError):
        raise DtocError(f"{where}: {name} = {show(spec)} is not a number, a list of numbers or a range") from None
    if not values or any(not v.is_finite() for v in values):
        raise DtocError(f"{where}: {name} = {show(spec)} must hold finite numbers")
    if len({v.normalize() for v in values}) < len(values):
        raise DtocError(f"{where}: {name} lists a value twice")
    return values


def option_values(raw: dict, name: str, where: str) -> list[str | None]:
    spec = raw.get(name)
    values = [None] if spec is None else spec if isinstance(spec, list) else [spec]
    if not values or any(v is not None and not isinstance(v, str) for v in values) or len(set(values)) < len(values):
        raise DtocError(f"{where}: {name} must be a label or a list of different labels, got {show(spec)}")
    return values


def attribution_frame(short: str, lists: list[list[Decimal]], where: str) -> tuple[pl.DataFrame, int]:
    """The valid (target, upper, cap) combinations of one attribution, with a label; and how many were left
    out because the target was above the upper threshold."""
    rows, skipped = [], 0
    for target, upper, cap in itertools.product(*lists):
        if target > upper:
            skipped += 1
            continue
        try:
            BandPolicy(short, float(target), float(upper), float(cap)).check()
        except DtocError as error:
            raise DtocError(f"{where}: {short} target {target}, upper {upper}, cap {cap}: {error}") from None
        rows.append(
            (
                float(target),
                float(upper),
                float(cap),
                f"{short} {decimal_text(target)}/{decimal_text(upper)}/{decimal_text(cap)}",
            )
        )
    columns = [f"{short}_{name}" for name in POLICY_FIELDS]
    return pl.DataFrame(rows, schema=[*columns, f"{short}_label"], orient="row"), skipped


def read_grid_file(path: Path, where: str) -> dict:
    if not path.is_file():
        raise DtocError(f"grid file {path} does not exist")
    if path.stat().st_size > MAX_GRID_BYTES:
        raise DtocError(f"{where}: larger than {MAX_GRID_BYTES // 1024} KB")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DtocError(f"{where}: not a readable TOML file ({error})") from None
    unknown = sorted(set(raw) - set(PARAMETERS) - set(OPTIONAL))
    if unknown:
        raise DtocError(
            f"{where}: unknown setting(s) {', '.join(unknown)}; expected {', '.join(PARAMETERS)} "
            f"and optionally {', '.join(OPTIONAL)}"
        )
    return raw


def inputs_frame(raw: dict, default_baseline: str, where: str) -> pl.DataFrame:
    """One row per (baseline, population vintage) the grid asks for, with the part of a policy's name it adds."""
    baselines = option_values(raw, "baseline", where)
    try:
        labels = [parse_quarter(b).label if b else default_baseline for b in baselines]
    except DtocError as error:
        raise DtocError(f"{where}: {error}") from None
    vintages = option_values(raw, "population_vintage", where)
    rows = [
        (b, v, " ".join(part for part, many in ((b, len(labels) > 1), (v or "", len(vintages) > 1)) if many))
        for b, v in itertools.product(labels, vintages)
    ]
    return pl.DataFrame(rows, schema=["baseline", "population_vintage", "inputs_label"], orient="row")


def check_size(inputs: pl.DataFrame, lists: dict[str, list[list[Decimal]]], where: str) -> None:
    """Refuse a grid whose full product (before combinations are left out) passes MAX_POLICIES."""
    size = inputs.height
    for values in lists.values():
        size *= math.prod(len(v) for v in values)
    if size > MAX_POLICIES:
        raise DtocError(
            f"{where}: {size:,} combinations, more than the {MAX_POLICIES:,} policies a sweep allows; "
            "split the grid, e.g. by baseline quarter and population vintage"
        )


def expand_grid(path: Path, default_baseline: str) -> PolicySet:
    """Every policy of the grid, in the order baseline, vintage, then the NHS and social care numbers."""
    where = f"grid {path}"
    raw = read_grid_file(path, where)
    inputs = inputs_frame(raw, default_baseline, where)
    lists = {
        a.short: [parameter_values(raw, f"{a.short}_{INPUT_NAMES[name]}", where) for name in POLICY_FIELDS]
        for a in BANDED
    }
    check_size(inputs, lists, where)
    parts, notes = [inputs], []
    for short, values in lists.items():
        frame, left_out = attribution_frame(short, values, where)
        parts.append(frame)
        if left_out:
            notes.append(
                f"{where}: {left_out:,} {short} combination(s) with a target above the upper threshold left out"
            )
    if not parts[1].height * parts[2].height:
        raise DtocError(f"{where}: no combination has a target at or below its upper threshold")
    product = parts[0].join(parts[1], how="cross").join(parts[2], how="cross")
    frame = product.with_columns(
        pl.concat_str([pl.col("inputs_label"), *(pl.col(f"{a.short}_label") for a in BANDED)], separator=" ")
        .str.strip_chars()
        .alias("policy"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("policy_number"),
    ).select(list(SCHEMA))
    # polars declares cast's mapping with a key union, which no dict[str, ...] matches (Mapping keys are invariant)
    return PolicySet(frame.cast(cast(Mapping[Any, DataTypeClass], SCHEMA)), path, "grid", None, notes)
