"""The analyst's question answered from the sweep's database: which policies land near the ambition, and of
those, which share the reduction most evenly between NHS and social care and ask least of any one HWB.

The ranking itself is sql/scenario_ranked.sql (one row per policy near the ambition, best first); findings.py
reads the few rows an answer shows and this module writes them as lines of text. Each policy is shown once: its name, then
its numbers unless the name already is its numbers (a grid names each policy by them), then its baseline
quarter and population unless every policy shares them (then the first line says them once), and
"(Annex 3)" where its six numbers are the run's (dtoc/parameters.toml).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from dtoc.scenarios.findings import ANNEX3_LINES, Findings, Question
from dtoc.vocabulary import BANDED

ANNEX3_MARK = "(Annex 3)"
ANSWER_TOP = 10  # policies the answer lists


@dataclass(frozen=True)
class Naming:
    """How a policy is shown once: `by_numbers` when its name is its numbers (a grid); `inputs` the baseline
    quarter and population vintage every policy shares, None when they differ."""

    by_numbers: bool
    inputs: tuple[str, str] | None


def naming_of(connection: duckdb.DuckDBPyConnection, by_numbers: bool) -> Naming:
    shared = connection.sql("select distinct baseline, population_vintage from policies limit 2").fetchall()
    return Naming(by_numbers, (shared[0][0], shared[0][1]) if len(shared) == 1 else None)


def describe_numbers(row: dict) -> str:
    """'NHS 5.5/7.9/30%, Social care 2.6/4.3/40%': target/upper/cap per attribution."""
    return ", ".join(
        f"{a.label} {row[f'{a.short}_target']:g}/{row[f'{a.short}_upper']:g}/{row[f'{a.short}_cap'] * 100:g}%"
        for a in BANDED
    )


def describe_policy(row: dict, naming: Naming) -> str:
    """The policy once: 'annex3: NHS 5.5/7.9/30%, Social care 2.6/4.3/40% (2017-18Q2, mid-2016) (Annex 3)',
    or for a grid 'nhs 5.5/7.9/0.3 asc 2.6/4.3/0.4 (Annex 3)'."""
    text = row["policy"]
    if not naming.by_numbers:
        text += f": {describe_numbers(row)}"
        if naming.inputs is None:
            text += f" ({row['baseline']}, {row['population_vintage']})"
    return text + (f" {ANNEX3_MARK}" if row["annex3"] else "")


def describe_ranked(row: dict, naming: Naming) -> str:
    return (
        f"{row['rank']}. {describe_policy(row, naming)}; total {row['expected_total_daily']:,.1f}"
        f" ({row['distance_to_ambition']:+,.1f}); reduction NHS {row['nhs_reduction_daily']:,.1f}, social care "
        f"{row['asc_reduction_daily']:,.1f} (balance {row['reduction_balance']:+,.1f}); largest asked of one HWB "
        f"{row['largest_hwb_reduction_pct']:.1f}%"
    )


def annex3_lines(findings: Findings, shown: int, naming: Naming) -> list[str]:
    """Where each policy with the run's (Annex 3's) numbers stands, unless it is among the first `shown` best."""
    listed = {row["policy_number"] for row in findings.best[:shown]}
    lines = [
        describe_ranked(row, naming)
        if row["rank"] is not None
        else f"{describe_policy(row, naming)}; total {row['expected_total_daily']:,.1f} "
        f"({row['distance_to_ambition']:+,.1f}), not within the tolerance"
        for row in findings.annex3[:ANNEX3_LINES]
        if row["policy_number"] not in listed
    ]
    if len(findings.annex3) > ANNEX3_LINES:
        lines.append("... and more policies with these numbers (ranked.csv marks them in its annex3 column)")
    return lines


def format_answer(findings: Findings, question: Question, naming: Naming) -> list[str]:
    """A short answer in lines of text: how many policies land near the ambition and the best ANSWER_TOP of
    them (or the closest, when none does), then where Annex 3's policy stands if it is among the policies and
    not listed already."""
    inputs = f"; baseline {naming.inputs[0]}, population {naming.inputs[1]}" if naming.inputs else ""
    lines = [f"{findings.ranked:,} of {findings.policies:,} policies land {question.describe()}{inputs}."]
    shown = min(ANSWER_TOP, len(findings.best))
    if findings.ranked:
        lines.append(
            f"Ranked by how evenly NHS and social care share the reduction, then by the largest "
            f"reduction asked of one HWB (best {shown}):"
        )
        lines += ["  " + describe_ranked(row, naming) for row in findings.best[:shown]]
    else:
        lines.append("Closest to the ambition:")
        lines += [
            f"  {describe_policy(row, naming)}; total {row['expected_total_daily']:,.1f} "
            f"({row['distance_to_ambition']:+,.1f})"
            for row in findings.best[:shown]
        ]
    annex3 = annex3_lines(findings, shown, naming)
    return lines + (
        ["Annex 3's thresholds (dtoc/parameters.toml):"] + ["  " + line for line in annex3] if annex3 else []
    )
