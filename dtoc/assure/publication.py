"""The expectations publication a plan is judged against: its table, each HWB's region, and its identity.

A finished `dtoc run` folder holds manifest.json, expectations.parquet and dtoc.duckdb. The region is the
Region column of the DToC workbooks: read from expectations.parquet once it carries a `region` column, else
from the publication database's hwb_areas table (`region_table`, the one place that decides).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dtoc.errors import DtocError
from dtoc.ingest.inputs import sha256_of
from dtoc.publish.manifest import MANIFEST_FILE
from dtoc.publish.reading import EXPECTATIONS_FILE, read_published_expectations

DATABASE_FILE = "dtoc.duckdb"


@dataclass(frozen=True)
class Publication:
    """An expectations publication: one row per HWB (expectations and region) and what identifies it."""

    folder: Path
    table: pl.DataFrame
    identity: dict[str, object]

    def rows_by_code(self) -> dict[str, dict]:
        return {row["hwb_code"]: row for row in self.table.iter_rows(named=True)}


def read_publication(folder: Path) -> Publication:
    """The publication in folder, with a `region` column; DtocError if it is not a finished run."""
    manifest, parquet = folder / MANIFEST_FILE, folder / EXPECTATIONS_FILE
    if not manifest.is_file() or not parquet.is_file():
        raise DtocError(
            f"{folder} holds no finished dtoc run (it needs {MANIFEST_FILE} and {EXPECTATIONS_FILE}); "
            "run `dtoc run` first or pass --expectations"
        )
    table = read_published_expectations(parquet)
    regions = region_table(folder, table)
    table = table.drop("region", strict=False).join(regions, on="hwb_code", how="left")
    absent = table.filter(pl.col("region").is_null())["hwb_code"].to_list()
    if absent:
        raise DtocError(f"{folder}: no region for HWB(s) {', '.join(absent[:5])}; publish it again with `dtoc run`")
    return Publication(folder, table.sort("hwb_code"), publication_identity(folder, manifest, parquet))


def region_table(folder: Path, table: pl.DataFrame) -> pl.DataFrame:
    """hwb_code -> region: the published table's own column if it has one, else the database's hwb_areas."""
    if "region" in table.columns:
        return table.select("hwb_code", "region")
    database = folder / DATABASE_FILE
    if not database.is_file():
        raise DtocError(
            f"{folder}: expectations.parquet has no region column and there is no {DATABASE_FILE} "
            "to read hwb_areas from; publish it again with `dtoc run`"
        )
    import duckdb

    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            arrow = connection.sql("select hwb_code, region from hwb_areas").to_arrow_table()
    except duckdb.Error as error:
        raise DtocError(
            f"{database}: cannot read the regions from table hwb_areas ({error}); publish it again with `dtoc run`"
        ) from error
    from dtoc.model.database import frame_from_arrow

    return frame_from_arrow(arrow).with_columns(pl.col("region").cast(pl.String))


def publication_identity(folder: Path, manifest: Path, parquet: Path) -> dict[str, object]:
    """Where the publication is and the sha256 of its manifest and table; its fingerprint and code if recorded."""
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DtocError(f"{manifest} cannot be read as JSON ({error}); publish it again with `dtoc run`") from error
    recorded = recorded if isinstance(recorded, dict) else {}
    return {
        "folder": str(folder.resolve()),
        "manifest_sha256": sha256_of(manifest),
        "expectations_sha256": sha256_of(parquet),
        **{key: recorded[key] for key in ("fingerprint", "code", "finished") if key in recorded},
    }
