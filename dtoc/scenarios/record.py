"""What a scenarios publication says about itself: the facts on its page and its manifest (inputs, question,
budget, long form, outputs). One key of the manifest is one thing a reader may want to check or reproduce.
"""

from __future__ import annotations

import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from dtoc.config import Config
from dtoc.ingest.inputs import sha256_of
from dtoc.publish.manifest import code_version, describe_outputs, package_versions
from dtoc.scenarios.answer import Question
from dtoc.scenarios.budget import Budget
from dtoc.scenarios.groups import Group
from dtoc.scenarios.table import PolicySet

KIND = "scenarios"


def describe_long_form(rows: int | None, note: str | None) -> str:
    return f"scenarios_hwb.parquet, {rows:,} rows (one per policy and HWB)" if rows is not None else note or ""


def facts(
    policies: PolicySet, groups: list[Group], question: Question, long_form: tuple[int | None, str | None]
) -> dict[str, str]:
    """The page's table of facts: the policies, each group's inputs, the question, the long form."""
    inputs = "; ".join(
        f"{g.config.baseline.describe()}, population {g.population_vintage} ({g.policies:,} "
        f"polic{'y' if g.policies == 1 else 'ies'})"
        for g in groups
    )
    return {
        "Policies": f"{policies.count:,} from {policies.source.name}",
        "Baseline and population": inputs,
        "Ambition": f"{question.ambition:,g} daily delays, tolerance {question.tolerance:,g}",
        "Long form": describe_long_form(*long_form),
    }


def build_manifest(
    policies: PolicySet,
    groups: list[Group],
    sources: list[pl.DataFrame],
    question: Question,
    budget: Budget,
    long_form: tuple[int | None, str | None],
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
            "count": policies.count,
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
        "budget": asdict(budget),
        "long_form": {"written": long_form[0] is not None, "rows": long_form[0], "note": long_form[1]},
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
