"""The question a sweep answers (policies within a tolerance of the national ambition) and what the answer and
the page show, read once from the sweep's database: the counts, the best policies near the ambition (or the
closest when none is), and the policies with the run's (Annex 3's) numbers. Each row is a dict of one policy's
columns from `scenario_ranked` or `scenarios`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from dtoc.model.database import row_dicts

PAGE_TOP = 25  # policies the page lists (the answer lists the first ANSWER_TOP of them)
CLOSEST = 5  # policies listed as the closest when none lands near the ambition
ANNEX3_LINES = 5  # policies with Annex 3's numbers placed in the answer


@dataclass(frozen=True)
class Question:
    """Policies within `tolerance` daily delays of the national `ambition` (both daily delays)."""

    ambition: float
    tolerance: float

    def describe(self) -> str:
        return (
            f"within {self.tolerance:,g} of the ambition of {self.ambition:,g} daily delays "
            f"({self.ambition - self.tolerance:,g} to {self.ambition + self.tolerance:,g})"
        )

    def table(self) -> pl.DataFrame:
        """The one-row `question` table sql/scenario_ranked.sql reads."""
        return pl.DataFrame({"ambition": [self.ambition], "tolerance": [self.tolerance]})


def rows_of(connection: duckdb.DuckDBPyConnection, query: str, parameters: list) -> list[dict]:
    return row_dicts(connection.execute(query, parameters))


@dataclass(frozen=True)
class Findings:
    """What the answer and the page show, read once from the sweep's database: how many policies and how many
    near the ambition; `best`, the best PAGE_TOP of those (or the CLOSEST closest when none is near); `annex3`,
    up to ANNEX3_LINES + 1 policies with the run's numbers, in input order, with their rank (None: not near)."""

    policies: int
    ranked: int
    best: list[dict]
    annex3: list[dict]


def read_findings(connection: duckdb.DuckDBPyConnection, question: Question) -> Findings:
    distance = "expected_total_daily - ? as distance_to_ambition"
    policies = connection.sql("select count(*) from scenarios").fetchall()[0][0]
    ranked = connection.sql("select count(*) from scenario_ranked").fetchall()[0][0]
    best = (
        rows_of(connection, "select * from scenario_ranked order by rank limit ?", [PAGE_TOP])
        if ranked
        else rows_of(
            connection,
            f"select *, {distance} from scenarios order by abs(expected_total_daily - ?), policy_number limit ?",
            [question.ambition, question.ambition, CLOSEST],
        )
    )
    annex3 = rows_of(
        connection,
        f"select scenarios.*, ranked.rank, scenarios.{distance} from scenarios left join scenario_ranked as "
        "ranked using (policy_number) where scenarios.annex3 order by policy_number limit ?",
        [question.ambition, ANNEX3_LINES + 1],
    )
    return Findings(policies, ranked, best, annex3)
