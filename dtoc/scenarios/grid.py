"""Expand a --grid TOML file into policies: every combination of the values given for each parameter.

The file sets the six numbers under the POLICIES column names (nhs_target, nhs_upper, nhs_cap, asc_target,
asc_upper, asc_cap), each as a number, a list of numbers, or a range {start = 5.0, stop = 6.0, step = 0.1}
(stop included; dtoc.scenarios.grid_values reads them); `baseline` and `population_vintage` may be set to one
label or a list. The number of combinations is the product of each setting's count, computed before any value is
made, and bounded by MAX_POLICIES. A combination whose target is above its upper threshold is not a policy: it
is left out and counted in a note; any other breach of the band rule (dtoc.config.BandPolicy.check) refuses
the grid. One row of the result is one policy, as in dtoc.scenarios.policies, named by its compact values.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import polars as pl
from polars.datatypes import DataTypeClass

from dtoc.config import POLICY_FIELDS, BandPolicy
from dtoc.errors import DtocError
from dtoc.ingest import limits
from dtoc.ingest.text import check_file_name
from dtoc.periods import parse_quarter
from dtoc.scenarios.grid_values import Setting, labelled_values, large_count, read_setting, show
from dtoc.scenarios.table import INPUT_NAMES, OPTIONAL, PARAMETERS, SCHEMA, PolicySet
from dtoc.vocabulary import BANDED


def option_values(raw: dict, name: str, where: str) -> list[str | None]:
    spec = raw.get(name)
    values = [None] if spec is None else spec if isinstance(spec, list) else [spec]
    if not values or any(v is not None and not isinstance(v, str) for v in values) or len(set(values)) < len(values):
        raise DtocError(f"{where}: {name} must be a label or a list of different labels, got {show(spec)}")
    if any(v and len(v) > limits.MAX_LABEL_CHARS for v in values):
        raise DtocError(f"{where}: {name} holds a label longer than {limits.MAX_LABEL_CHARS} characters")
    return values


def attribution_frame(short: str, lists: list[list[tuple[Decimal, str]]], where: str) -> tuple[pl.DataFrame, int]:
    """The valid (target, upper, cap) combinations of one attribution, with a label; and how many were left
    out because the target was above the upper threshold."""
    rows, skipped = [], 0
    for (target, t), (upper, u), (cap, c) in itertools.product(*lists):
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
                f"{short} {t}/{u}/{c}",
            )
        )
    columns = [f"{short}_{name}" for name in POLICY_FIELDS]
    return pl.DataFrame(rows, schema=[*columns, f"{short}_label"], orient="row"), skipped


def read_grid_file(path: Path, where: str) -> dict:
    check_file_name(path, "grid file")
    if not path.is_file():
        raise DtocError(f"grid file {path} does not exist")
    if path.stat().st_size > limits.MAX_GRID_FILE_BYTES:
        raise DtocError(f"{where}: larger than {limits.describe_bytes(limits.MAX_GRID_FILE_BYTES)}")
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


def check_size(inputs: pl.DataFrame, settings: dict[str, list[Setting]], where: str) -> None:
    """Refuse a grid whose full product (before combinations are left out) passes MAX_POLICIES: the product of
    the settings' counts, known before any value is made."""
    size = inputs.height * math.prod(s.count for group in settings.values() for s in group)
    if size > limits.MAX_POLICIES:
        raise DtocError(
            f"{where}: {large_count(size)} combinations, more than the {limits.MAX_POLICIES:,} policies a sweep allows; "
            "split the grid, e.g. by baseline quarter and population vintage"
        )


def expand_grid(path: Path, default_baseline: str) -> PolicySet:
    """Every policy of the grid, in the order baseline, vintage, then the NHS and social care numbers."""
    where = f"grid {path}"
    raw = read_grid_file(path, where)
    inputs = inputs_frame(raw, default_baseline, where)
    settings = {
        a.short: [read_setting(raw, f"{a.short}_{INPUT_NAMES[n]}", where, limits.MAX_POLICIES) for n in POLICY_FIELDS]
        for a in BANDED
    }
    check_size(inputs, settings, where)
    parts, notes = [inputs], []
    for short, group in settings.items():
        frame, left_out = attribution_frame(short, [labelled_values(s, where) for s in group], where)
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
