"""The Python API, reading a finished publication (any command's): its manifest, a table of it as a polars
DataFrame, and the lineage of an HWB's figures (what `dtoc explain` prints). Nothing is recomputed or written.

A folder that holds no publication, or not the table asked for, is one DtocError naming the folder and what it
holds. The examples run in the tests in a folder where data/derived/2017-18Q3 is a `dtoc run` publication.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from dtoc.api import PathLike
from dtoc.errors import DtocError
from dtoc.publish.output_folders import MANIFEST_FILE
from dtoc.publish.reading import read_parquet


def read_manifest(folder: PathLike) -> dict:
    """A publication's manifest.json: its kind, inputs (path, sha256, period), parameters, code, outputs.

    >>> import dtoc
    >>> manifest = dtoc.read_manifest("data/derived/2017-18Q3")
    >>> manifest["kind"], manifest["parameters"]["baseline_quarter"]
    ('expectations', '2017-18Q3')
    >>> sorted(i["period"] for i in manifest["inputs"] if i["role"] == "delays")
    ['2017-10-01', '2017-11-01', '2017-12-01']
    """
    path = Path(folder) / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DtocError(
            f"{folder} holds no dtoc publication (no manifest.json); name a folder a dtoc command published to"
        ) from None
    except (OSError, ValueError) as error:
        raise DtocError(f"{path} cannot be read ({error}); publish the folder again") from error
    if not isinstance(manifest, dict):
        raise DtocError(f"{path} is not a dtoc manifest; publish the folder again")
    return manifest


def publication_tables(folder: Path) -> list[str]:
    """The tables a publication holds as Parquet files (their names without .parquet), sorted."""
    return sorted(p.stem for p in folder.glob("*.parquet"))


def read_table(folder: PathLike, table: str | None = None) -> pl.DataFrame:
    """A table of a publication, as published (its Parquet file): by default its main one (expectations,
    monitoring, assurance, ccg_split or scenarios: the table named after the manifest's kind); else the one
    named.

    >>> import dtoc
    >>> table = dtoc.read_table("data/derived/2017-18Q3")
    >>> table.height, table.columns[:3]
    (151, ['hwb_code', 'hwb_name', 'population_18plus'])
    >>> dtoc.read_table("data/derived/2017-18Q3", "monitoring")
    Traceback (most recent call last):
    dtoc.errors.DtocError: data/derived/2017-18Q3 holds no table monitoring: its tables are expectations
    """
    from dtoc.publish.output_folders import manifest_kind

    name = table or manifest_kind(read_manifest(folder))  # the main table is named after the kind
    tables = publication_tables(Path(folder))
    if name not in tables:
        raise DtocError(f"{folder} holds no table {name}: its tables are {', '.join(tables) or 'none'}")
    return read_parquet(Path(folder) / f"{name}.parquet", "publish it again")


def explain(folder: PathLike, hwb: str, metric: str | None = None) -> dict:
    """Everything behind an HWB's published figures (or one figure, with metric), as `dtoc explain --format
    json` gives it: each month's delayed days with its workbook, sheet and cell, the population cells, the rule
    and band, the sources with their official URLs. The HWB is named by its ONS or LA code, a name the
    workbooks or estimates use, or an area it covers.

    >>> import dtoc
    >>> lineage = dtoc.explain("data/derived/2017-18Q3", "Shropshire", metric="expected_asc_daily")
    >>> lineage["hwb_code"], lineage["attribution"]["key"]
    ('E06000051', 'social_care')
    >>> [(c["month"], c["cell_ref"], c["name_ref"]) for c in lineage["attribution"]["cells"]][0]
    ('2017-10-01', 'G144', 'E144')
    """
    from dtoc.audit.explain import explain_publication

    return explain_publication(Path(folder), hwb, metric)


__all__ = ["explain", "read_manifest", "read_table"]
