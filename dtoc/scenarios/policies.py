"""Read and check a POLICIES CSV: one row per policy, its six Annex 3 numbers and optional inputs.

One row of the table returned is one policy: `policy` (its unique name), `policy_number` (1 for the file's first
policy), the six numbers under the names the SQL reads (nhs_target_rate, ..., asc_reduction_cap), `baseline`
(a quarter label) and `population_vintage` (null: the run's population). The numbers obey the band rule of
dtoc.config.BandPolicy.check, the one rule `dtoc run` applies to parameters.toml. Every check happens before
any data are read; a bad row stops the command with one line naming the file, the row and the policy.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from dtoc.config import POLICY_FIELDS, BandPolicy
from dtoc.errors import DtocError
from dtoc.periods import parse_quarter
from dtoc.vocabulary import BANDED

MAX_POLICIES = 2_000_000
MAX_NAME_LENGTH = 200
MAX_FILE_BYTES = 512 * 1024 * 1024
# the POLICIES column for each policy field: nhs_target, nhs_upper, nhs_cap, asc_target, ...
INPUT_NAMES = {"target_rate": "target", "upper_rate": "upper", "reduction_cap": "cap"}
PARAMETERS = {f"{a.short}_{INPUT_NAMES[name]}": f"{a.short}_{name}" for a in BANDED for name in POLICY_FIELDS}
REQUIRED = ("policy", *PARAMETERS)
OPTIONAL = ("baseline", "population_vintage")
SCHEMA = {"policy": pl.String, "policy_number": pl.Int64, **{c: pl.Float64 for c in PARAMETERS.values()},
          "baseline": pl.String, "population_vintage": pl.String}


@dataclass
class PolicySet:
    """Checked policies (`frame`, one row per policy as above), the file they came from, and for a CSV the
    spreadsheet row of each policy (for messages); notes say what a grid left out."""

    frame: pl.DataFrame
    source: Path
    kind: str  # "policies file" or "grid"
    rows: pl.Series | None = None
    notes: list[str] = field(default_factory=list)

    def where(self, number: int) -> str:
        """'policies file P, row 7 (policy 'x')' for the policy numbered `number` (1 = the first)."""
        name = self.frame["policy"][number - 1]
        place = f"row {self.rows[number - 1]}" if self.rows is not None else f"combination {number}"
        return f"{self.kind} {self.source}, {place} (policy {name!r})"


def number_problems(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The rows whose cell in `column` is not a finite number, with what is wrong."""
    text = pl.col(column).str.strip_chars()
    value = text.cast(pl.Float64, strict=False)
    return frame.select("row", "policy", pl.col(column).alias("text"), pl.when(text.fill_null("") == "")
                        .then(pl.lit("is empty"))
                        .when(value.is_null()).then(pl.lit("is not a number"))
                        .when(~value.is_finite()).then(pl.lit("is not a finite number")).alias("problem")
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
                first = frame.filter(pl.all_horizontal(pl.col(c) == v for c, v in zip(columns, values)))
                raise DtocError(f"{where(first['row'][0])}: {error}") from None


def check_names(frame: pl.DataFrame, where) -> None:
    """Every policy has a name, of at most MAX_NAME_LENGTH characters, used by no other row."""
    named = frame.with_columns(pl.col("policy").str.strip_chars().fill_null(""))
    for problem, rows in (("the policy has no name", named.filter(pl.col("policy") == "")),
                          (f"the policy name is longer than {MAX_NAME_LENGTH} characters",
                           named.filter(pl.col("policy").str.len_chars() > MAX_NAME_LENGTH))):
        if rows.height:
            raise DtocError(f"{where(rows['row'][0])}: {problem}")
    repeated = named.filter(pl.col("policy").is_duplicated())
    if repeated.height:
        first = repeated.filter(pl.col("policy") == repeated["policy"][0])["row"]
        raise DtocError(f"{where(first[1])}: the name is already used by row {first[0]}; names must be unique")


def check_header(header: list[str], path: Path) -> list[str]:
    names = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [c for c in names if c not in REQUIRED + OPTIONAL]
    duplicated = sorted({c for c in names if names.count(c) > 1})
    if missing or unknown or duplicated:
        found = "; ".join(part for part in (f"missing {', '.join(missing)}" if missing else "",
                                            f"unknown {', '.join(unknown)}" if unknown else "",
                                            f"repeated {', '.join(duplicated)}" if duplicated else "") if part)
        raise DtocError(f"policies file {path}, row 1: the header needs the columns {', '.join(REQUIRED)} "
                        f"(and optionally {', '.join(OPTIONAL)}); {found}")
    return names


def describe_ragged_row(path: Path, width: int) -> str:
    """'row R: K values, ...' for the first row whose number of values is not the header's ('' if none)."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        for row, record in enumerate(csv.reader(handle), start=1):
            if record and len(record) != width:
                return f"row {row}: {len(record)} values, not {width} as in the header"
    return ""


def read_cells(path: Path) -> pl.DataFrame:
    """The CSV's cells as text (empty cells null), one row per non-blank line after the header, with its row
    number as a spreadsheet shows it (header = row 1)."""
    if not path.is_file():
        raise DtocError(f"policies file {path} does not exist")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DtocError(f"policies file {path} is larger than {MAX_FILE_BYTES // 2**20} MB; split the sweep")
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        header = next(csv.reader(handle), [])
    names = check_header(header, path)
    try:
        cells = pl.read_csv(path, infer_schema=False, has_header=False, skip_rows=1, new_columns=names,
                            n_rows=MAX_POLICIES + 1, raise_if_empty=False)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise DtocError(f"policies file {path}: " + (describe_ragged_row(path, len(names)) or
                        f"not a readable UTF-8 CSV ({str(error).splitlines()[0]})")) from None
    cells = cells.with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64)).filter(
        ~pl.all_horizontal(pl.col(names).is_null()))
    if cells.height > MAX_POLICIES:
        raise DtocError(f"policies file {path} has more than {MAX_POLICIES:,} policies; split the sweep, e.g. by "
                        "baseline quarter and population vintage")
    if not cells.height:
        raise DtocError(f"policies file {path} holds no policy")
    return cells


def read_policies_csv(path: Path, default_baseline: str) -> PolicySet:
    """The policies of a POLICIES CSV, checked (names, numbers, band rule, quarters) before any data are read."""
    cells = read_cells(path)

    def where(row: int) -> str:
        name = (cells.filter(pl.col("row") == row)["policy"][0] or "").strip()
        return f"policies file {path}, row {row} (policy {name!r})"

    check_names(cells, where)
    numbers = parse_numbers(cells, where)
    check_band_rules(numbers, where)
    frame = numbers.with_columns(
        pl.col("policy").str.strip_chars(), pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("policy_number"),
        *(pl.col(name).str.strip_chars().replace("", None) if name in cells.columns
          else pl.lit(None, pl.String).alias(name) for name in OPTIONAL)).select(list(SCHEMA))
    policies = PolicySet(frame, path, "policies file", cells["row"])
    policies.frame = with_checked_quarters(policies, default_baseline)
    return policies


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
