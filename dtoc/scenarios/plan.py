"""A sweep's plan and its results: what the command line asked (`ScenarioRequest`), what was checked and found
before any data are read (`SweepPlan`: a bad policy, an unknown quarter, a missing vintage or --long-form past
its bound stops here, in one line, with nothing written), and what the computation leaves for the answer, the
page and the manifest (`Sweep`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from dtoc.config import Config, load_config
from dtoc.errors import DtocError
from dtoc.publish.output_folders import check_output_folder
from dtoc.scenarios.answer import Naming
from dtoc.scenarios.budget import Budget, long_form_decision
from dtoc.scenarios.findings import Findings, Question
from dtoc.scenarios.grid import expand_grid
from dtoc.scenarios.groups import Group, plan_groups
from dtoc.scenarios.policies import read_policies_csv
from dtoc.scenarios.table import PolicySet

KIND = "scenarios"


@dataclass
class SweepPlan:
    """The checked policies, their groups (files found, not read), the question, the run's config (its
    thresholds are Annex 3's), the budget, whether the long form is written and, if not, the note saying why
    and how to get it."""

    policies: PolicySet
    groups: list[Group]
    question: Question
    config: Config
    budget: Budget
    long_form: bool
    long_form_note: str | None
    started: datetime


@dataclass
class Sweep:
    """What the computation leaves once its tables are written: each group's source_files table, the long
    form's rows (None when not written), the answer's findings, the charts' series and how policies are named."""

    sources: list[pl.DataFrame]
    long_form_rows: int | None
    findings: Findings
    series: list[dict]
    naming: Naming


@dataclass(frozen=True)
class ScenarioRequest:
    """What the command line asked for (exactly one of policies and grid); `long_form` True for --long-form,
    False for --no-long-form, None for neither; `budget` the stated one unless a test lowers it."""

    policies: Path | None
    grid: Path | None
    data_dir: Path
    population: Path | None
    baseline: str | None
    out: Path
    ambition: float | None
    tolerance: float
    long_form: bool | None = None
    budget: Budget = field(default_factory=Budget)
    use: tuple[Path, ...] = ()
    config_file: Path | None = None
    force: bool = False


def read_request_policies(request: ScenarioRequest, config: Config) -> PolicySet:
    if request.grid is not None and request.policies is None:
        return expand_grid(request.grid, config.baseline.label)
    if request.policies is not None and request.grid is None:
        return read_policies_csv(request.policies, config.baseline.label)
    raise DtocError("give either a POLICIES file or --grid FILE (exactly one)")


def make_question(request: ScenarioRequest, config: Config) -> Question:
    ambition = config.plan.national_ambition_daily if request.ambition is None else request.ambition
    if ambition is None:
        raise DtocError(
            f"--ambition is needed: the plan {config.plan.year} states no national ambition to rank the policies by"
        )
    if not (math.isfinite(ambition) and ambition > 0 and math.isfinite(request.tolerance) and request.tolerance >= 0):
        raise DtocError(
            f"--ambition must be a positive number and --tolerance at least 0, got {ambition} and {request.tolerance}"
        )
    return Question(ambition, request.tolerance)


def plan_sweep(request: ScenarioRequest) -> SweepPlan:
    """Everything checked before any data are read: the question, the policies, the long form's bound, the
    output folder, each group's files."""
    started = datetime.now(UTC)
    config = load_config(request.config_file).with_baseline(request.baseline)
    question = make_question(request, config)
    policies = read_request_policies(request, config)
    long_form, note = long_form_decision(request.long_form, policies.count, request.budget)
    check_output_folder(request.out, KIND, {"data folder": request.data_dir}, request.force)
    groups = plan_groups(policies, config, request.data_dir, request.population, request.use)
    return SweepPlan(policies, groups, question, config, request.budget, long_form, note, started)
