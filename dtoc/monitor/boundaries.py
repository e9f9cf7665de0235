"""Boundary changes between the expectations and a later year's workbooks (April 2019: Bournemouth, Poole and
Christchurch became one unitary, the rest of Dorset another): the expectations of the old areas apportioned to
the new ones by population aged 18+.

The mapping is a reference file of the package, dtoc/reference/boundary_changes.csv, one row per old area and new
area it (partly) became: effective date, old code and name, new code and name, share, source. A share is a
number from 0 to 1, or a ratio of ONS codes' populations aged 18+ in the publication's population vintage:
'E07000048/E10000009' is Christchurch's share of Dorset county, 'A+B/C' adds A's and B's. The shares of each old
area must add up to 1. Every figure of a new area is the sum over its old areas of share x the old area's figure.

A workbook area that is no HWB of the expectations and that no row of the mapping makes is an error naming it:
an area is never dropped in silence.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dtoc.errors import DtocError
from dtoc.ingest.delays import ONS_CODE_PATTERN
from dtoc.paths import REFERENCE_DIR
from dtoc.publish.reading import EXPECTATION_FIGURES

BOUNDARY_CHANGES = REFERENCE_DIR / "boundary_changes.csv"
COLUMNS = ["effective", "old_code", "old_name", "new_code", "new_name", "share", "source"]
RATIO = re.compile(rf"^({ONS_CODE_PATTERN}(?:\+{ONS_CODE_PATTERN})*)/({ONS_CODE_PATTERN}(?:\+{ONS_CODE_PATTERN})*)$")
# the figures of an expectations row that add up across areas (monitoring reads these)
ADDITIVE = ("population_18plus", *EXPECTATION_FIGURES)


@dataclass(frozen=True)
class Change:
    """One row of the mapping: part of an old area that lies in a new one, and why."""

    effective: str
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    share: str
    source: str


def read_changes(path: Path = BOUNDARY_CHANGES) -> list[Change]:
    """The mapping's rows, each share a number in [0, 1] or a ratio of codes (checked)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise DtocError(f"{path}: columns are {reader.fieldnames}, expected {COLUMNS}")
        changes = [Change(**{k: (row[k] or "").strip() for k in COLUMNS}) for row in reader]
    for line, change in enumerate(changes, start=2):
        if not RATIO.match(change.share) and not is_fraction(change.share):
            raise DtocError(f"{path}, row {line}: share {change.share!r} is neither a number from 0 to 1 nor A/B")
    return changes


def is_fraction(text: str) -> bool:
    try:
        return 0 <= float(text) <= 1
    except ValueError:
        return False


def share_of(change: Change, population: dict[str, int] | None, vintage: str) -> float:
    """The share of the old area's population aged 18+ that lies in the new area."""
    match = RATIO.match(change.share)
    if match is None:
        return float(change.share)
    codes = [part.split("+") for part in match.groups()]
    absent = sorted({c for part in codes for c in part} - set(population or {}))
    if population is None or absent:
        raise DtocError(
            f"the share of {change.old_code} {change.old_name} in {change.new_code} {change.new_name} is "
            f"{change.share} by population aged 18+, but the {vintage} population estimates of the expectations "
            f"have no row for {', '.join(absent) or 'any area'}"
        )
    numerator, denominator = (sum(population[c] for c in part) for part in codes)
    return numerator / denominator


@dataclass
class Apportioned:
    """The expectations on the year's boundaries, and a sentence per new area saying how it was made."""

    table: pl.DataFrame
    notes: list[str]


def apportion(
    expectations: pl.DataFrame,
    areas: dict[str, str],
    population: dict[str, int] | None,
    vintage: str,
    changes: list[Change],
) -> Apportioned:
    """The expectations for the year's areas (code -> name, as the workbooks list them): unchanged where an HWB
    is one of them, else made from old areas by the mapping; an area neither is an error naming it."""
    known = set(expectations["hwb_code"].to_list())
    new = {code: name for code, name in areas.items() if code not in known}
    if not new:
        return Apportioned(expectations, [])
    used = [c for c in changes if c.new_code in new and c.old_code in known]
    unmapped = sorted(set(new) - {c.new_code for c in used})
    if unmapped:
        raise DtocError(
            f"{len(unmapped)} area(s) in the year's workbooks are no HWB of the expectations and no boundary change "
            f"in {BOUNDARY_CHANGES.name} makes them from one: "
            + "; ".join(f"{code} {new[code]}" for code in unmapped)
            + ". Add the change to the mapping, or monitor against expectations on the same boundaries"
        )
    check_shares(used, changes, population, vintage)
    rows = {row["hwb_code"]: row for row in expectations.iter_rows(named=True)}
    made = [
        combine(code, new[code], [c for c in used if c.new_code == code], rows, population, vintage) for code in new
    ]
    dropped = {c.old_code for c in used} - set(areas)
    kept = expectations.filter(~pl.col("hwb_code").is_in(sorted(dropped)))
    table = pl.concat([kept, pl.DataFrame(made, schema=expectations.schema)]).sort("hwb_code")
    return Apportioned(table, [describe(code, new[code], used, population, vintage) for code in sorted(new)])


def check_shares(used: list[Change], changes: list[Change], population: dict[str, int] | None, vintage: str) -> None:
    """The shares of every old area apportioned, over all the new areas the mapping gives it, must add up to 1
    (a part left over would be lost, a part counted twice doubled)."""
    for old in sorted({c.old_code for c in used}):
        rows = [c for c in changes if c.old_code == old]
        total = sum(share_of(c, population, vintage) for c in rows)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise DtocError(
                f"the shares of {old} {rows[0].old_name} in {BOUNDARY_CHANGES.name} add up to {total:.6f}, not 1"
            )


def combine(
    code: str, name: str, parts: list[Change], rows: dict[str, dict], population: dict[str, int] | None, vintage: str
) -> dict:
    """One new area's expectations row: each additive figure the share-weighted sum of its old areas'."""
    row: dict[str, object] = {column: None for column in next(iter(rows.values()))}
    row.update(hwb_code=code, hwb_name=name)
    for column in ADDITIVE:
        if column in row:
            total = sum(share_of(p, population, vintage) * rows[p.old_code][column] for p in parts)
            row[column] = round(total) if column == "population_18plus" else total
    return row


def describe(code: str, name: str, used: list[Change], population: dict[str, int] | None, vintage: str) -> str:
    """'E06000058 Bournemouth, Christchurch and Poole (from 2019-04-01): the expectations of E06000028
    Bournemouth (all), ... apportioned by population aged 18+ (mid-2016)'."""
    parts = [f"{c.old_code} {c.old_name} ({share_of(c, population, vintage):.2%})" for c in used if c.new_code == code]
    effective = sorted({c.effective for c in used if c.new_code == code})
    return (
        f"boundary change: {code} {name} (from {', '.join(effective)}) is given the expectations of "
        f"{', '.join(parts)}, apportioned by the share of each old area's population aged 18+ ({vintage}) that "
        "lies in it"
    )
