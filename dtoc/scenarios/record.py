"""What a scenarios publication says about itself: the facts on its page and its manifest (inputs, question,
budget, long form, outputs). One key of the manifest is one thing a reader may want to check or reproduce.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from dtoc.ingest.inputs import sha256_of
from dtoc.publish.manifest import Stamp, publication_manifest
from dtoc.scenarios.plan import KIND, SweepPlan


def describe_long_form(plan: SweepPlan, rows: int | None) -> str:
    if rows is not None:
        return f"scenarios_hwb.parquet, {rows:,} rows (one per policy and HWB)"
    return plan.long_form_note or ""


def facts(plan: SweepPlan, long_form_rows: int | None) -> dict[str, str]:
    """The page's table of facts: the policies, each group's inputs, the question, the long form."""
    inputs = "; ".join(
        f"{g.config.baseline.describe()}, population {g.population_vintage} ({g.policies:,} "
        f"polic{'y' if g.policies == 1 else 'ies'})"
        for g in plan.groups
    )
    return {
        "Policies": f"{plan.policies.count:,} from {plan.policies.source.name}",
        "Baseline and population": inputs,
        "Ambition": f"{plan.question.ambition:,g} daily delays, tolerance {plan.question.tolerance:,g}",
        "Long form": describe_long_form(plan, long_form_rows),
    }


def build_manifest(
    plan: SweepPlan, sources: list[pl.DataFrame], long_form_rows: int | None, staging: Path
) -> dict[str, object]:
    """The manifest (dtoc.publish.manifest's one builder): what was asked, read, bounded and written (every output
    with its sha256)."""
    policies = plan.policies
    body = {
        "command": "dtoc scenarios",
        "policies": {
            "kind": policies.kind,
            "path": str(policies.source),
            "sha256": sha256_of(policies.source),
            "count": policies.count,
            "notes": policies.notes,
        },
        "question": {"ambition_daily": plan.question.ambition, "tolerance_daily": plan.question.tolerance},
        "groups": [
            {
                "baseline_quarter": g.config.baseline.label,
                "population_vintage": g.population_vintage,
                "policies": g.policies,
                "inputs": s.to_dicts(),
            }
            for g, s in zip(plan.groups, sources, strict=True)
        ],
        "budget": asdict(plan.budget),
        "long_form": {"written": long_form_rows is not None, "rows": long_form_rows, "note": plan.long_form_note},
    }
    return publication_manifest(staging, KIND, body, plan.config, Stamp(plan.started, datetime.now(UTC)))
