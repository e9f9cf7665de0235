"""`dtoc scenarios`, in process (no Prefect): plan the sweep (dtoc.scenarios.plan: the policies, the long form's
bound, each group's input files), then compute and publish it in one publication transaction
(dtoc.publish.transaction.publication), held to its budget (dtoc.scenarios.budget).

Nothing is written before the policies are checked and every group's files are found: a bad policy, an
unknown quarter, a missing vintage or --long-form past its bound stops the command with one line and leaves
the output folder as it was. DuckDB's database and spill folder live in the staging folder; the spill folder
is removed when the sweep ends, however it ends.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TypedDict

import duckdb
import polars as pl

from dtoc.commands.datapackage import write_datapackage
from dtoc.errors import DtocError
from dtoc.model import database
from dtoc.publish import files
from dtoc.publish.manifest import write_manifest
from dtoc.publish.transaction import publication
from dtoc.scenarios.answer import format_answer, naming_of
from dtoc.scenarios.findings import read_findings
from dtoc.scenarios.groups import load_group, load_policies
from dtoc.scenarios.page import write_scenarios_page
from dtoc.scenarios.plan import KIND, ScenarioRequest, Sweep, SweepPlan, plan_sweep
from dtoc.scenarios.record import build_manifest, facts
from dtoc.scenarios.series import sweep_series
from dtoc.scenarios.stream import ParquetStream, TableStream
from dtoc.scenarios.sweep import BATCH_ROWS, connect_sweep, run_sweep

DATABASE_FILE = "scenarios.duckdb"
SPILL_FOLDER = "scenarios.spill"
LONG_FORM_FILE = "scenarios_hwb.parquet"
RANKED_ROWS = "select * exclude (policy_number) from scenario_ranked order by rank"


def sweep_database(connection: duckdb.DuckDBPyConnection, staging: Path, plan: SweepPlan) -> Sweep:
    """Each group's files read once and its models run, the policies loaded (and released from Python), then
    every policy on every HWB, chunk by chunk; scenarios, ranked and, if asked, the long form streamed."""
    cache: dict = {}
    sources = [load_group(connection, group, cache) for group in plan.groups]
    database.load_table(connection, "question", plan.question.table())
    # the run's own numbers side by side, one row, to mark the policy that has them (Annex 3's)
    database.load_table(connection, "run_policy", pl.DataFrame([plan.config.policy_values()]))
    load_policies(connection, plan.policies, plan.groups)
    plan.policies.release()
    with TableStream(staging, "scenarios") as table, ParquetStream(staging / LONG_FORM_FILE) as hwb:
        run_sweep(connection, plan.policies.count, plan.groups, plan.budget, table, hwb if plan.long_form else None)
    with TableStream(staging, "ranked") as ranked:
        ranked.write(connection.sql(RANKED_ROWS).to_arrow_reader(BATCH_ROWS))
    findings, series = read_findings(connection, plan.question), sweep_series(connection)
    naming = naming_of(connection, plan.policies.kind == "grid")
    return Sweep(sources, hwb.rows if plan.long_form else None, findings, series, naming)


def compute_sweep(staging: Path, plan: SweepPlan) -> Sweep:
    """The sweep in its database in staging, held to the budget: past DuckDB's limits, one line; the spill
    folder removed however the sweep ends."""
    spill = staging / SPILL_FOLDER
    try:
        with connect_sweep(staging / DATABASE_FILE, spill, plan.budget) as connection:
            return sweep_database(connection, staging, plan)
    except duckdb.OutOfMemoryException as error:
        raise DtocError(
            f"the sweep went past its budget (DuckDB memory {plan.budget.memory_limit}, spill files at most "
            f"{plan.budget.max_spill}): {str(error).splitlines()[0]}; split the policies into smaller parts"
        ) from None
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def write_answer(staging: Path, plan: SweepPlan, sweep: Sweep) -> list[str]:
    """answer.txt, run-log.txt, scenarios.html and the manifest (last: it lists the others); the answer."""
    answer = format_answer(sweep.findings, plan.question, sweep.naming)
    files.write_lines(staging / "answer.txt", answer)
    note = [plan.long_form_note] if plan.long_form_note else []
    files.write_lines(
        staging / "run-log.txt", [*plan.policies.notes, *note, *(n for g in plan.groups for n in g.notes)]
    )
    described = facts(plan, sweep.long_form_rows)
    write_scenarios_page(
        staging / "scenarios.html", sweep.findings, sweep.series, plan.question, answer, described, sweep.naming
    )
    write_datapackage(staging, KIND)
    write_manifest(staging, build_manifest(plan, sweep.sources, sweep.long_form_rows, staging))
    return answer


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
    plan = plan_sweep(request)
    with publication(request.out, KIND) as staging:
        answer = write_answer(staging, plan, compute_sweep(staging, plan))
    return {
        "answer": answer,
        "policies": plan.policies.count,
        "groups": len(plan.groups),
        "out": request.out,
        "notes": plan.policies.notes,
        "long_form": [plan.long_form_note] if plan.long_form_note else [],
    }
