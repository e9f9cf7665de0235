"""`dtoc scenarios`, in process (no Prefect): check the policies, find each group's input files, then compute
and publish the sweep in one publication transaction (dtoc.publish.transaction.publication).

Nothing is written before the policies are checked and every group's files are found: a bad policy, an
unknown quarter or a missing vintage stops the command with one line and leaves the output folder as it was.
"""

from __future__ import annotations

import math
import platform
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import polars as pl

from dtoc.config import Config, load_config
from dtoc.errors import DtocError
from dtoc.ingest.inputs import sha256_of
from dtoc.publish import files
from dtoc.publish.datapackage import write_datapackage
from dtoc.publish.manifest import code_version, describe_outputs, package_versions, write_manifest
from dtoc.publish.output_folders import check_output_folder
from dtoc.publish.transaction import publication
from dtoc.scenarios.answer import Question, format_answer, rank_policies, sweep_series
from dtoc.scenarios.grid import expand_grid
from dtoc.scenarios.groups import Group, load_group, plan_groups, with_groups
from dtoc.scenarios.page import write_scenarios_page
from dtoc.scenarios.policies import read_policies_csv
from dtoc.scenarios.sweep import connect_sweep, run_sweep
from dtoc.scenarios.table import PolicySet

DATABASE_FILE = "scenarios.duckdb"
LONG_FORM_FILE = "scenarios_hwb.parquet"


@dataclass(frozen=True)
class ScenarioRequest:
    """What the command line asked for (exactly one of policies and grid)."""

    policies: Path | None
    grid: Path | None
    data_dir: Path
    population: Path | None
    baseline: str | None
    out: Path
    ambition: float | None
    tolerance: float


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


def compute_sweep(staging: Path, policies: PolicySet, groups: list[Group]) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Each group's files read once and its models run, then every policy on every HWB; the long form is
    written to staging by DuckDB. Returns `scenarios` and each group's source_files table."""
    cache: dict = {}
    with connect_sweep(staging / DATABASE_FILE) as connection:
        sources = [load_group(connection, group, cache) for group in groups]
        table = run_sweep(connection, with_groups(policies, groups), groups, staging / LONG_FORM_FILE)
    shutil.rmtree(staging / f"{DATABASE_FILE}.tmp", ignore_errors=True)  # DuckDB's spill folder, if any
    return table, sources


def facts(policies: PolicySet, groups: list[Group], question: Question) -> dict[str, str]:
    inputs = "; ".join(
        f"{g.config.baseline.describe()}, population {g.population_vintage} ({g.policies:,} "
        f"polic{'y' if g.policies == 1 else 'ies'})"
        for g in groups
    )
    return {
        "Policies": f"{policies.frame.height:,} from {policies.source.name}",
        "Baseline and population": inputs,
        "Ambition": f"{question.ambition:,g} daily delays, tolerance {question.tolerance:,g}",
    }


KIND = "scenarios"


def build_manifest(
    request: ScenarioRequest,
    policies: PolicySet,
    groups: list[Group],
    sources: list[pl.DataFrame],
    question: Question,
    config: Config,
    staging: Path,
    started: datetime,
) -> dict[str, object]:
    return {
        "kind": KIND,
        "command": "dtoc scenarios",
        "policies": {
            "kind": policies.kind,
            "path": str(policies.source),
            "sha256": sha256_of(policies.source),
            "count": policies.frame.height,
            "notes": policies.notes,
        },
        "question": {"ambition_daily": question.ambition, "tolerance_daily": question.tolerance},
        "groups": [
            {
                "baseline_quarter": g.config.baseline.label,
                "population_vintage": g.population_vintage,
                "policies": g.policies,
                "inputs": s.to_dicts(),
            }
            for g, s in zip(groups, sources, strict=True)
        ],
        "parameters_file": str(config.source_file),
        "code": code_version(),
        "python": platform.python_version(),
        "packages": package_versions(),
        "outputs": describe_outputs(staging),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "reproducible": "data files (CSV, Parquet, text, HTML) are byte-identical for the same policies, inputs and "
        "code; scenarios.duckdb and this manifest's times are not",
    }


def write_outputs(
    staging: Path, table: pl.DataFrame, question: Question, policies: PolicySet, groups: list[Group]
) -> list[str]:
    """scenarios.csv/.parquet, ranked.csv/.parquet, answer.txt, run-log.txt and scenarios.html; the answer."""
    ranked = rank_policies(table, question)
    answer = format_answer(table, ranked, question)
    files.write_table(table, staging, "scenarios")
    files.write_table(ranked, staging, "ranked")
    files.write_lines(staging / "answer.txt", answer)
    files.write_lines(staging / "run-log.txt", policies.notes + [n for g in groups for n in g.notes])
    write_scenarios_page(
        staging / "scenarios.html",
        table,
        ranked,
        sweep_series(table),
        question,
        answer,
        facts(policies, groups, question),
    )
    return answer


class SweepResult(TypedDict):
    """What `dtoc scenarios` prints: the answer's lines, how much was computed, where it went, the grid's notes."""

    answer: list[str]
    policies: int
    groups: int
    out: Path
    notes: list[str]


def run_scenarios(request: ScenarioRequest) -> SweepResult:
    """Check, compute and publish a sweep; returns the answer and where the outputs went."""
    started = datetime.now(UTC)
    config = load_config().with_baseline(request.baseline)
    question = make_question(request, config)
    policies = read_request_policies(request, config)
    check_output_folder(request.out, KIND, {"data folder": request.data_dir})
    groups = plan_groups(policies, config, request.data_dir, request.population)
    with publication(request.out, KIND) as staging:
        table, sources = compute_sweep(staging, policies, groups)
        answer = write_outputs(staging, table, question, policies, groups)
        write_datapackage(staging, KIND)
        write_manifest(staging, build_manifest(request, policies, groups, sources, question, config, staging, started))
    return {
        "answer": answer,
        "policies": table.height,
        "groups": len(groups),
        "out": request.out,
        "notes": policies.notes,
    }
