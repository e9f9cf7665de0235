"""The policies table, one row per policy: `policy` (its unique name), `policy_number` (1 for the first),
the six numbers under the names sql/banding.sql reads (nhs_target_rate, ..., asc_reduction_cap), `baseline`
(a quarter label) and `population_vintage` (null: the run's population); and the POLICIES column names
(nhs_target, ..., asc_cap) that a CSV and a grid use for the six numbers. The bounds on a sweep's inputs are in
dtoc.ingest.limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from polars.datatypes import DataTypeClass

from dtoc.config import INPUT_NAMES, POLICY_FIELDS
from dtoc.vocabulary import BANDED

# the POLICIES column for each policy field (dtoc.config.INPUT_NAMES): nhs_target, nhs_upper, nhs_cap, asc_target, ...
PARAMETERS = {f"{a.short}_{INPUT_NAMES[name]}": f"{a.short}_{name}" for a in BANDED for name in POLICY_FIELDS}
REQUIRED = ("policy", *PARAMETERS)
OPTIONAL = ("baseline", "population_vintage")
SCHEMA: dict[str, DataTypeClass] = {
    "policy": pl.String,
    "policy_number": pl.Int64,
    **{c: pl.Float64 for c in PARAMETERS.values()},
    "baseline": pl.String,
    "population_vintage": pl.String,
}


@dataclass
class PolicySet:
    """Checked policies (`frame`, one row per policy as above), the file they came from, and for a CSV the
    spreadsheet row of each policy (for messages); notes say what a grid left out."""

    frame: pl.DataFrame
    source: Path
    kind: str  # "policies file" or "grid"
    rows: pl.Series | None = None
    notes: list[str] = field(default_factory=list)
    released: int | None = field(default=None, init=False, repr=False)

    @property
    def count(self) -> int:
        """How many policies (also once the frame is released)."""
        return self.frame.height if self.released is None else self.released

    def release(self) -> None:
        """Empty `frame` and `rows`, keeping `count`: once the policies are in the sweep's database the process
        need not hold them twice (2,000,000 policies with long names take about 1 GB in Python)."""
        self.released, self.frame, self.rows = self.count, self.frame.clear(), None

    def where(self, number: int) -> str:
        """'policies file P, row 7 (policy 'x')' for the policy numbered `number` (1 = the first)."""
        name = self.frame["policy"][number - 1]
        place = f"row {self.rows[number - 1]}" if self.rows is not None else f"combination {number}"
        return f"{self.kind} {self.source}, {place} (policy {name!r})"
