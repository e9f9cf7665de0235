"""Explain a published figure: the input cells, the sums, the population, the band and why, the result.

Reads a finished run's database (its `lineage`, `expectations`, `baseline` and `run_parameters` tables);
never recomputes. The explanation is data (a dict, JSON-ready) that `format_explanation` renders as text.
"""
from __future__ import annotations

import difflib
import json

import duckdb
from pathlib import Path

from dtoc.errors import DtocError
from dtoc.vocabulary import ATTRIBUTIONS, BY_KEY, FIGURE_FORMULAS, JOINT_RULE, band_derivation

def find_hwb(connection: duckdb.DuckDBPyConnection, query: str) -> tuple[str, str]:
    """(code, name) for an ONS code or a name (case-insensitive; a unique name prefix also matches)."""
    rows = connection.execute("select hwb_code, hwb_name from expectations order by hwb_code").fetchall()
    wanted = query.strip().lower()
    exact = [r for r in rows if wanted in (r[0].lower(), r[1].lower())]
    prefix = [r for r in rows if r[1].lower().startswith(wanted)]
    if exact or len(prefix) == 1:
        return (exact or prefix)[0]
    names = {r[1].lower(): r[1] for r in rows}
    close = [names[n] for n in difflib.get_close_matches(wanted, names, n=5, cutoff=0.5)]
    close += [r[1] for r in prefix if r[1] not in close]
    hint = f"; did you mean: {', '.join(close[:8])}?" if close else ""
    raise DtocError(f"no HWB called or coded {query!r} in this publication{hint}")


def query_dicts(connection: duckdb.DuckDBPyConnection, sql: str, parameters: list[object]) -> list[dict]:
    cursor = connection.execute(sql, parameters)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def read_parameters(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    return json.loads(connection.execute("select value from run_parameters where name = 'config'").fetchall()[0][0])


LINEAGE_CELLS = ("select hwb_code, input, month, value, not_reported, source_file, source_sha256, sheet, cell_ref, "
                 "revised, population_area, lookup_reason from lineage {where} order by hwb_code, input, month, "
                 "population_area")


def load_lineage(connection: duckdb.DuckDBPyConnection, code: str | None = None) -> tuple[dict, dict, dict]:
    """Published rows by hwb_code, lineage cells by (hwb_code, input), and the run's parameters: one read each."""
    where, arguments = ("where hwb_code = ?", [code]) if code else ("", [])
    rows = {r["hwb_code"]: r for r in query_dicts(connection, f"select * from expectations {where}", arguments)}
    cells: dict[tuple[str, str], list[dict]] = {}
    for cell in query_dicts(connection, LINEAGE_CELLS.format(where=where), arguments):
        cells.setdefault((cell.pop("hwb_code"), cell.pop("input")), []).append(cell)
    return rows, cells, read_parameters(connection)


def explain_attribution(cells: list[dict], attribution: str, row: dict, parameters: dict) -> dict:
    """The derivation of one attribution's figures for one HWB."""
    part = BY_KEY[attribution]
    short, label = part.short, part.phrase
    cells = [{"month": c["month"].isoformat(), "value": c["value"], "not_reported": c["not_reported"],
              "source_file": c["source_file"], "source_sha256": c["source_sha256"], "sheet": c["sheet"],
              "cell_ref": c["cell_ref"], "revised": c["revised"]} for c in cells]
    explained = {
        "label": label, "cells": cells, "delayed_days_sum": sum(c["value"] or 0 for c in cells),
        "days_in_quarter": parameters["days_in_quarter"],
        **{f"{stage}_{short}_{kind}": row[f"{stage}_{short}_{kind}"]
           for stage in ("baseline", "expected") for kind in ("daily", "rate")},
    }
    if attribution == "joint":
        explained["band"], explained["band_reason"] = "held", JOINT_RULE
    else:
        band = row[f"{short}_band"]
        explained["band"], explained["band_reason"] = band, band_derivation(
            band, row[f"baseline_{short}_rate"], *(parameters[short][k] for k in ("target_rate", "upper_rate",
                                                                                  "reduction_cap")))
        explained["policy"] = parameters[short]
    return explained


def build_explanation(row: dict, cells: dict, parameters: dict) -> dict:
    """Everything behind one HWB's published row, from already-loaded lineage."""
    code = row["hwb_code"]
    population_cells = [{"population_area": c["population_area"], "value": c["value"],
                         "source_file": c["source_file"], "source_sha256": c["source_sha256"], "sheet": c["sheet"],
                         "cells_summed": c["cell_ref"], "lookup_reason": c["lookup_reason"]}
                        for c in cells.get((code, "population_18plus"), [])]
    return {
        "hwb_code": code, "hwb_name": row["hwb_name"], "baseline_quarter": parameters["baseline_quarter"],
        "baseline_months": parameters["baseline_months"], "days_in_quarter": parameters["days_in_quarter"],
        "population": {"population_18plus": row["population_18plus"], "vintage": row["population_vintage"],
                       "cells": population_cells},
        "attributions": {a: explain_attribution(cells.get((code, a), []), a, row, parameters) for a in BY_KEY},
        "expected_total_daily": row["expected_total_daily"], "band_sensitive": row.get("band_sensitive"),
        "sensitivity_margin": parameters["sensitivity_margin"], "target_date": parameters["target_date"],
    }


def explain_all(connection: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """hwb_code -> explanation, for every HWB of the run (three queries in all)."""
    rows, cells, parameters = load_lineage(connection)
    return {code: build_explanation(rows[code], cells, parameters) for code in sorted(rows)}


def explain_hwb(connection: duckdb.DuckDBPyConnection, query: str, metric: str | None = None) -> dict:
    """Everything behind one HWB's published row (or one figure of it, with metric)."""
    if metric is not None and metric not in FIGURE_FORMULAS:
        raise DtocError(f"unknown metric {metric!r}; choose one of: {', '.join(FIGURE_FORMULAS)}")
    code, _ = find_hwb(connection, query)
    rows, cells, parameters = load_lineage(connection, code)
    row, explanation = rows[code], build_explanation(rows[code], cells, parameters)
    if metric is None:
        return explanation
    attribution, formula = FIGURE_FORMULAS[metric]
    narrowed = {k: explanation[k] for k in ("hwb_code", "hwb_name", "baseline_quarter", "days_in_quarter")}
    narrowed.update(metric=metric, value=row[metric], formula=formula, population=explanation["population"])
    if attribution:
        narrowed["attribution"] = {"key": attribution, **explanation["attributions"][attribution]}
    elif metric == "expected_total_daily":
        narrowed["parts"] = {a.column("expected", "daily"): row[a.column("expected", "daily")] for a in ATTRIBUTIONS}
    return narrowed


def explain_publication(folder: Path, query: str, metric: str | None = None) -> dict:
    """explain_hwb on the database of the publication in folder (opened read-only)."""
    database_file = folder / "dtoc.duckdb"
    if not database_file.is_file():
        raise DtocError(f"{folder} holds no finished run (no dtoc.duckdb); run `dtoc run` first or pass --out")
    try:
        with duckdb.connect(str(database_file), read_only=True) as connection:
            return explain_hwb(connection, query, metric)
    except duckdb.Error as error:
        raise DtocError(f"{database_file} cannot be explained ({str(error).splitlines()[0]}); it may come from an "
                        "older dtoc: run `dtoc run` again") from error
