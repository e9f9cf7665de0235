"""Explain a published figure: the input cells, the sums, the population, the band and why, the result.

Reads a finished run's database (its `expectations`, `lineage` and `run_parameters` tables; dtoc.audit.find
also reads the raw inputs and the geography lookup for an HWB's other names); never recomputes. Each cell comes
with what proves which cell it is (the row's area name and the column's header as the workbook prints them, with
their cells), each source file with its official URL (dtoc/reference/sources.csv, by sha256), each band with the
Annex 3 rule it applies, and the population with why its vintage. The explanation is data (a dict, JSON-ready)
that `format_explanation` renders as text.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb

from dtoc.audit.find import find_hwb
from dtoc.config import vintage_reason
from dtoc.errors import DtocError
from dtoc.ingest.downloads import read_sources_manifest
from dtoc.model.database import row_dicts, run_query
from dtoc.vocabulary import (
    ATTRIBUTIONS,
    BY_KEY,
    FIGURE_FORMULAS,
    JOINT_BAND,
    JOINT_RULE,
    band_derivation,
    policy_sentence,
)


def query_dicts(
    connection: duckdb.DuckDBPyConnection, name: str, parameters: dict[str, object] | None = None
) -> list[dict[str, Any]]:
    """The rows of sql/queries/<name>.sql, each a dict by column name."""
    return row_dicts(run_query(connection, name, parameters))


def read_parameters(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    return json.loads(connection.execute("select value from run_parameters where name = 'config'").fetchall()[0][0])


CELL_FIELDS = (
    "value",
    "not_reported",
    "source_file",
    "source_sha256",
    "sheet",
    "cell_ref",
    "revised",
    "area_name",
    "name_ref",
    "header_text",
    "header_ref",
)


def source_urls() -> dict[str, str]:
    """sha256 -> official URL of every file listed in dtoc/reference/sources.csv."""
    return {entry.sha256: entry.url for entry in read_sources_manifest()}


def list_sources(cells: list[dict], urls: dict[str, str]) -> list[dict]:
    """Each file the cells come from, once, with its sha256 and official URL (None if not listed)."""
    files = sorted({(c["source_file"], c["source_sha256"]) for c in cells})
    return [{"file": name, "sha256": digest, "url": urls.get(digest)} for name, digest in files]


def load_lineage(connection: duckdb.DuckDBPyConnection, code: str | None = None) -> tuple[dict, dict, dict]:
    """Published rows by hwb_code, lineage cells by (hwb_code, input), and the run's parameters: one read each."""
    rows = {r["hwb_code"]: r for r in query_dicts(connection, "published_rows", {"hwb_code": code})}
    cells: dict[tuple[str, str], list[dict]] = {}
    for cell in query_dicts(connection, "lineage_cells", {"hwb_code": code}):
        cells.setdefault((cell.pop("hwb_code"), cell.pop("input")), []).append(cell)
    return rows, cells, read_parameters(connection)


def explain_attribution(cells: list[dict], attribution: str, row: dict, parameters: dict) -> dict:
    """The derivation of one attribution's figures for one HWB."""
    part = BY_KEY[attribution]
    short, label = part.short, part.phrase
    cells = [{"month": c["month"].isoformat(), **{k: c[k] for k in CELL_FIELDS}} for c in cells]
    explained = {
        "label": label,
        "cells": cells,
        "delayed_days_sum": sum(c["value"] or 0 for c in cells),
        "days_in_quarter": parameters["days_in_quarter"],
        **{
            f"{stage}_{short}_{kind}": row[f"{stage}_{short}_{kind}"]
            for stage in ("baseline", "expected")
            for kind in ("daily", "rate")
        },
    }
    if not BY_KEY[attribution].banded:
        explained["band"], explained["band_reason"], explained["rule"] = (
            JOINT_BAND,
            JOINT_RULE,
            f"Annex 3: {JOINT_RULE}",
        )
    else:
        band = row[f"{short}_band"]
        explained["band"], explained["band_reason"] = (
            band,
            band_derivation(
                band,
                row[f"baseline_{short}_rate"],
                *(parameters[short][k] for k in ("target_rate", "upper_rate", "reduction_cap")),
            ),
        )
        explained["policy"] = parameters[short]
        explained["rule"] = "Annex 3: " + policy_sentence(part.label, SimpleNamespace(**parameters[short]))
    return explained


def build_explanation(row: dict, cells: dict, parameters: dict, urls: dict[str, str]) -> dict:
    """Everything behind one HWB's published row, from already-loaded lineage and source URLs."""
    code = row["hwb_code"]
    population_cells = [
        {
            "population_area": c["population_area"],
            "value": c["value"],
            "source_file": c["source_file"],
            "source_sha256": c["source_sha256"],
            "sheet": c["sheet"],
            "cells_summed": c["cell_ref"],
            "lookup_reason": c["lookup_reason"],
        }
        for c in cells.get((code, "population_18plus"), [])
    ]
    return {
        "hwb_code": code,
        "hwb_name": row["hwb_name"],
        "region": row.get("region"),
        "baseline_quarter": parameters["baseline_quarter"],
        "baseline_months": parameters["baseline_months"],
        "days_in_quarter": parameters["days_in_quarter"],
        "population": {
            "population_18plus": row["population_18plus"],
            "vintage": row["population_vintage"],
            "vintage_reason": vintage_reason(
                row["population_vintage"], parameters["population_vintage"], parameters.get("population_vintage_reason")
            ),
            "cells": population_cells,
        },
        "attributions": {a: explain_attribution(cells.get((code, a), []), a, row, parameters) for a in BY_KEY},
        "expected_total_daily": row["expected_total_daily"],
        "band_sensitive": row.get("band_sensitive"),
        "sensitivity_margin": parameters["sensitivity_margin"],
        "target_date": parameters["target_date"],
        "sources": list_sources(
            [c for key in (*BY_KEY, "population_18plus") for c in cells.get((code, key), [])], urls
        ),
    }


def explain_all(connection: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """hwb_code -> explanation, for every HWB of the run (three queries in all)."""
    rows, cells, parameters = load_lineage(connection)
    urls = source_urls()
    return {code: build_explanation(rows[code], cells, parameters, urls) for code in sorted(rows)}


def explain_hwb(connection: duckdb.DuckDBPyConnection, query: str, metric: str | None = None) -> dict:
    """Everything behind one HWB's published row (or one figure of it, with metric)."""
    if metric is not None and metric not in FIGURE_FORMULAS:
        raise DtocError(f"unknown metric {metric!r}; choose one of: {', '.join(FIGURE_FORMULAS)}")
    found = find_hwb(connection, query)
    code = found.hwb_code
    rows, cells, parameters = load_lineage(connection, code)
    row, explanation = rows[code], build_explanation(rows[code], cells, parameters, source_urls())
    if found.note:
        explanation = {"found": found.note, **explanation}
    if metric is None:
        return explanation
    attribution, formula = FIGURE_FORMULAS[metric]
    narrowed = {
        k: explanation[k]
        for k in ("found", "hwb_code", "hwb_name", "region", "baseline_quarter", "days_in_quarter", "sources")
        if k in explanation
    }
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
        raise DtocError(
            f"{database_file} cannot be explained ({str(error).splitlines()[0]}); it may come from an "
            "older dtoc: run `dtoc run` again"
        ) from error
