"""Reading a finished `dtoc run` publication back, the one way every command that builds on one does (monitor,
assure, split, diff): its expectations table (checked, a damaged file named in one line), its manifest, the plan
its expectations were made for, each HWB's region, the population estimates it used, and what identifies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.inputs import sha256_of
from dtoc.model.database import frame_from_arrow
from dtoc.periods import financial_year_label
from dtoc.plan import Plan
from dtoc.publish.output_folders import MANIFEST_FILE, read_manifest
from dtoc.vocabulary import ATTRIBUTIONS

EXPECTATIONS_FILE, DATABASE_FILE = "expectations.parquet", "dtoc.duckdb"
# the columns the commands that build on a publication read (monitor, assure, split, diff)
EXPECTATION_FIGURES = (  # the figures of a row that add up across areas
    *(a.column(stage, "daily") for stage in ("baseline", "expected") for a in ATTRIBUTIONS),
    "expected_total_daily",
)
EXPECTATION_COLUMNS = ("hwb_code", "hwb_name", *EXPECTATION_FIGURES)


def read_parquet(path: Path, remedy: str) -> pl.DataFrame:
    """A published Parquet file; one that cannot be read (a damaged publication) is one line naming it."""
    try:
        return pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DtocError(f"{path} cannot be read ({first_line}); {remedy}") from error


def read_published_expectations(path: Path) -> pl.DataFrame:
    """A published expectations.parquet, checked for the columns the commands need, one row per HWB; a file that
    cannot be read (a damaged publication) is one line naming it."""
    table = read_parquet(path, "publish it again with `dtoc run`")
    absent = [c for c in EXPECTATION_COLUMNS if c not in table.columns]
    if absent:
        raise DtocError(f"{path} lacks the column(s) {', '.join(absent)}; publish it again with `dtoc run`")
    if (
        table["hwb_code"].is_duplicated().any()
        or table.select(EXPECTATION_COLUMNS).null_count().sum_horizontal().item()
    ):
        raise DtocError(f"{path} has repeated HWB codes or empty figures; publish it again with `dtoc run`")
    return table


def plan_of(parameters: dict | None, config: Config) -> Plan:
    """The plan a publication's parameters record; the config's for a folder that records none. A publication
    made before plans were recorded has its target date: the plan year is the target date's, glide path from its
    April."""
    if not parameters:
        return config.plan
    recorded = parameters.get("plan")
    if isinstance(recorded, dict):
        return Plan(
            str(recorded["year"]),
            date.fromisoformat(str(recorded["target_date"])),
            date.fromisoformat(f"{recorded['glide_path_start']}-01"),
            recorded.get("national_ambition_daily"),
            bool(recorded.get("derived_from_baseline")),
        )
    target = date.fromisoformat(str(parameters["target_date"]))
    year = financial_year_label(target)
    return Plan(year, target, date(int(year[:4]), 4, 1), parameters.get("national_ambition_daily"))


def check_publication(folder: Path, option: str = "--expectations") -> None:
    """A folder named as a `dtoc run` publication must hold one: anything else is an error (never replaced by a
    computation, or read as something it is not, in silence)."""
    if not folder.is_dir():
        raise DtocError(f"{option} {folder} does not exist; name a `dtoc run` publication folder")
    manifest = read_manifest(folder)
    kind = manifest.get("kind", "expectations") if manifest is not None else None
    if kind != "expectations" or not (folder / EXPECTATIONS_FILE).is_file():
        what = f"a dtoc {kind} publication" if kind else f"no finished dtoc run (no {MANIFEST_FILE})"
        raise DtocError(
            f"{option} {folder} holds {what}, not the expectations of `dtoc run` ({EXPECTATIONS_FILE}); "
            "name the folder `dtoc run` published to, or run `dtoc run` first"
        )


@dataclass
class Publication:
    """An expectations publication: its table (one row per HWB), its manifest (empty if it has none), and what
    identifies it (folder, sha256 of its manifest and table, its fingerprint, code and finish time if recorded)."""

    folder: Path
    table: pl.DataFrame
    manifest: dict = field(default_factory=dict)
    identity: dict[str, object] = field(default_factory=dict)

    def rows_by_code(self) -> dict[str, dict]:
        return {row["hwb_code"]: row for row in self.table.iter_rows(named=True)}

    def plan(self, config: Config) -> Plan:
        """The plan the publication's expectations were made for (plan_of)."""
        return plan_of(self.manifest.get("parameters"), config)

    def population(self) -> dict[str, int] | None:
        """Population aged 18+ by ONS code of every area of the estimates it used (None without its database)."""
        database = self.folder / DATABASE_FILE
        if not database.is_file():
            return None
        try:
            with duckdb.connect(str(database), read_only=True) as connection:
                return dict(connection.execute("select ons_code, population_18plus from population_raw").fetchall())
        except duckdb.Error:
            return None


def read_publication(folder: Path) -> Publication:
    """The publication in folder (its table, manifest and identity); DtocError if its table cannot be read."""
    parquet = folder / EXPECTATIONS_FILE
    table = read_published_expectations(parquet)
    manifest = read_manifest(folder) or {}
    identity: dict[str, object] = {
        "folder": str(folder.resolve()),
        "expectations_sha256": sha256_of(parquet),
        **({"manifest_sha256": sha256_of(folder / MANIFEST_FILE)} if manifest else {}),
        **{key: manifest[key] for key in ("fingerprint", "code", "finished") if key in manifest},
    }
    return Publication(folder, table, manifest, identity)


def with_regions(publication: Publication) -> Publication:
    """The publication with each HWB's region (the workbooks' Region column): the table's own column where it has
    one, else the database's hwb_areas; DtocError naming the HWBs without one."""
    folder, table = publication.folder, publication.table
    if "region" not in table.columns:
        table = table.join(region_table(folder), on="hwb_code", how="left")
    absent = table.filter(pl.col("region").is_null())["hwb_code"].to_list()
    if absent:
        raise DtocError(f"{folder}: no region for HWB(s) {', '.join(absent[:5])}; publish it again with `dtoc run`")
    return Publication(folder, table.sort("hwb_code"), publication.manifest, publication.identity)


def region_table(folder: Path) -> pl.DataFrame:
    """hwb_code -> region from the publication database's hwb_areas."""
    database = folder / DATABASE_FILE
    if not database.is_file():
        raise DtocError(
            f"{folder}: expectations.parquet has no region column and there is no {DATABASE_FILE} "
            "to read hwb_areas from; publish it again with `dtoc run`"
        )
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            arrow = connection.sql("select hwb_code, region from hwb_areas").to_arrow_table()
    except duckdb.Error as error:
        raise DtocError(
            f"{database}: cannot read the regions from table hwb_areas ({error}); publish it again with `dtoc run`"
        ) from error
    return frame_from_arrow(arrow).with_columns(pl.col("region").cast(pl.String))
