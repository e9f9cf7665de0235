"""`dtoc scenarios`, in process (no Prefect): check the policies and the long form's bound, find each group's
input files, then compute and publish the sweep in one publication transaction
(dtoc.publish.transaction.publication), held to its budget (dtoc.scenarios.budget).

Nothing is written before the policies are checked and every group's files are found: a bad policy, an
unknown quarter, a missing vintage or --long-form past its bound stops the command with one line and leaves
the output folder as it was. DuckDB's database and spill folder live in the staging folder; the spill folder
is removed when the sweep ends, however it ends.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import duckdb
import polars as pl

from dtoc.config import Config, load_config
from dtoc.errors import DtocError
from dtoc.model import database
from dtoc.publish import files
from dtoc.publish.manifest import write_manifest
from dtoc.publish.outputs import check_output_folder
from dtoc.publish.transaction import publication
from dtoc.scenarios.answer import Findings, Naming, Question, format_answer, naming_of, read_findings
from dtoc.scenarios.budget import Budget, long_form_decision
from dtoc.scenarios.grid import expand_grid
from dtoc.scenarios.groups import Group, load_group, load_policies, plan_groups
from dtoc.scenarios.page import write_scenarios_page
from dtoc.scenarios.policies import read_policies_csv
from dtoc.scenarios.record import KIND, build_manifest, facts
from dtoc.scenarios.series import sweep_series
from dtoc.scenarios.stream import ParquetStream, TableStream
from dtoc.scenarios.sweep import BATCH_ROWS, connect_sweep, run_sweep
from dtoc.scenarios.table import PolicySet

DATABASE_FILE = "scenarios.duckdb"
SPILL_FOLDER = "scenarios.spill"
LONG_FORM_FILE = "scenarios_hwb.parquet"
RANKED_ROWS = "select * exclude (policy_number) from scenario_ranked order by rank"


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


def read_request_policies(request: ScenarioRequest, config: Config) -> PolicySet:
    if request.grid is not None and request.policies is None:
        return expand_grid(request.grid, config.baseline.label)
    if request.policies is not None and request.grid is None:
        return read_policies_csv(request.policies, config.baseline.label)
    raise DtocError("give either a POLICIES file or --grid FILE (exactly one)")


def make_question(request: ScenarioRequest, config: Config) -> Question:
    ambition = config.national_ambition_daily if request.ambition is None else request.ambition
    if not (math.isfinite(ambition) and ambition > 0 and math.isfinite(request.tolerance) and request.tolerance >= 0):
        raise DtocError(
            f"--ambition must be a positive number and --tolerance at least 0, got {ambition} and {request.tolerance}"
        )
    return Question(ambition, request.tolerance)


@dataclass
class Sweep:
    """What the sweep leaves for the page, the answer and the manifest once its tables are written."""

    sources: list[pl.DataFrame]
    long_form_rows: int | None
    findings: Findings
    series: list[dict]
    naming: Naming


def compute_sweep(
    staging: Path,
    policies: PolicySet,
    groups: list[Group],
    question: Question,
    config: Config,
    budget: Budget,
    long_form: bool,
) -> Sweep:
    """Each group's files read once and its models run, then every policy on every HWB, chunk by chunk;
    scenarios and ranked (CSV and Parquet) and, if asked, the long form streamed from DuckDB into staging."""
    spill = staging / SPILL_FOLDER
    try:
        with connect_sweep(staging / DATABASE_FILE, spill, budget) as connection:
            cache: dict = {}
            sources = [load_group(connection, group, cache) for group in groups]
            database.load_table(connection, "question", question.table())
            database.load_table(connection, "run_policy", config.policy_table())
            load_policies(connection, policies, groups)
            policies.release()
            with TableStream(staging, "scenarios") as table, ParquetStream(staging / LONG_FORM_FILE) as hwb:
                run_sweep(connection, policies.count, groups, budget, table, hwb if long_form else None)
            with TableStream(staging, "ranked") as ranked:
                ranked.write(connection.sql(RANKED_ROWS).to_arrow_reader(BATCH_ROWS))
            findings, series = read_findings(connection, question), sweep_series(connection)
            return Sweep(
                sources,
                hwb.rows if long_form else None,
                findings,
                series,
                naming_of(connection, policies.kind == "grid"),
            )
    except duckdb.OutOfMemoryException as error:
        raise DtocError(
            f"the sweep went past its budget (DuckDB memory {budget.memory_limit}, spill files at most "
            f"{budget.max_spill}): {str(error).splitlines()[0]}; split the policies into smaller parts"
        ) from None
    finally:
        shutil.rmtree(spill, ignore_errors=True)


class SweepResult(TypedDict):
    """What `dtoc scenarios` prints: the grid's notes, the answer's lines, how much was computed, where it went,
    and why the long form was not written (if it was not) and how to get it."""

    answer: list[str]
    policies: int
    groups: int
    out: Path
    notes: list[str]
    long_form: list[str]


def run_scenarios(request: ScenarioRequest) -> SweepResult:
    """Check, compute and publish a sweep; returns the answer and where the outputs went."""
    started = datetime.now(UTC)
    config = load_config().with_baseline(request.baseline)
    question = make_question(request, config)
    policies = read_request_policies(request, config)
    long_form, note = long_form_decision(request.long_form, policies.count, request.budget)
    check_output_folder(request.out, KIND, {"data folder": request.data_dir})
    groups = plan_groups(policies, config, request.data_dir, request.population)
    with publication(request.out, KIND) as staging:
        sweep = compute_sweep(staging, policies, groups, question, config, request.budget, long_form)
        answer = format_answer(sweep.findings, question, sweep.naming)
        files.write_lines(staging / "answer.txt", answer)
        files.write_lines(
            staging / "run-log.txt", [*policies.notes, *([note] if note else []), *(n for g in groups for n in g.notes)]
        )
        described = facts(policies, groups, question, (sweep.long_form_rows, note))
        write_scenarios_page(
            staging / "scenarios.html", sweep.findings, sweep.series, question, answer, described, sweep.naming
        )
        write_manifest(
            staging,
            build_manifest(
                policies,
                groups,
                sweep.sources,
                question,
                request.budget,
                (sweep.long_form_rows, note),
                config,
                staging,
                started,
            ),
        )
    return {
        "answer": answer,
        "policies": policies.count,
        "groups": len(groups),
        "out": request.out,
        "notes": policies.notes,
        "long_form": [note] if note else [],
    }
