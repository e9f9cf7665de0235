"""A publication as a Frictionless data package: `datapackage.json`, one resource per CSV with its Table Schema.

The schema is generated from the files themselves and the vocabulary, so it cannot drift from them: a field's
type comes from the Parquet file written beside the CSV from the same frame (else from the CSV's own values, for
the per-HWB tables); its title and description from dtoc.vocabulary.COLUMNS; its constraints from the
vocabulary (dtoc.commands.package_tables): the HWB code's pattern, bands, verdicts and attributions as enums,
figures not negative, the table's primary key. Each resource carries its size and sha256. The package names
its sources and their licence; it holds no clock time, so the same files give the same bytes.

Every CSV of the folder (but index.csv, the inventory of files, which lists this package) must belong to a table of the publication's description, and every table must have a
file: a CSV nobody described is an internal error, not a file left out of the package.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import polars as pl

from dtoc.commands import package_tables as described
from dtoc.errors import DtocError
from dtoc.publish.files import write_json
from dtoc.vocabulary import COLUMNS

PACKAGE_FILE = "datapackage.json"
# The publication's inventory of files (like manifest.json): written after the package, which it lists.
INVENTORY = "index.csv"


def field_type(dtype: pl.DataType) -> str:
    """The Table Schema type of a polars column type."""
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "number"
    named = {pl.Boolean: "boolean", pl.Date: "date", pl.Datetime: "datetime", pl.String: "string"}
    return next((kind for base, kind in named.items() if dtype == base), "any")


def describe_field(name: str, dtype: pl.DataType, table: described.Table) -> dict[str, object]:
    """One column as a Table Schema field: type, the words a person reads, the vocabulary's constraints."""
    field: dict[str, object] = {"name": name, "type": field_type(dtype)}
    if name in COLUMNS:
        field["title"], field["description"] = COLUMNS[name]
    constraints: dict[str, object] = {"required": True} if name in table.key else {}
    if name in described.CODE_PATTERNS:
        constraints["pattern"] = described.CODE_PATTERNS[name]
    enum = table.enums.get(name, described.USUAL_ENUMS.get(name))
    if enum is not None:
        constraints["enum"] = list(enum)
    if field["type"] in ("integer", "number") and name not in described.SIGNED:
        constraints["minimum"] = 0
    return {**field, "constraints": constraints} if constraints else field


def table_types(files: list[Path], contents: list[bytes]) -> dict[str, pl.DataType]:
    """Column -> type: from the Parquet beside a single CSV, else read from the CSVs' values (all of a table's
    files together, so every HWB's file gets one schema)."""
    parquet = files[0].with_suffix(".parquet")
    if len(files) == 1 and parquet.is_file():
        return dict(pl.read_parquet_schema(parquet))
    headers = {content.split(b"\n", 1)[0] for content in contents}
    if len(headers) != 1:
        raise DtocError(f"internal error: the files {files[0].name}, ... of one table have different headers")
    rows = b"".join(content.split(b"\n", 1)[1] for content in contents)
    frame = pl.read_csv(io.BytesIO(headers.pop() + b"\n" + rows), infer_schema_length=None, try_parse_dates=True)
    return dict(frame.schema)


def resource_name(relative: str) -> str:
    """'hwb/E06000001-hartlepool-ua.summary.csv' -> 'hwb/e06000001-hartlepool-ua.summary' (the spec's pattern)."""
    return re.sub(r"[^-a-z0-9._/]", "-", relative.removesuffix(".csv").lower())


def table_resources(folder: Path, table: described.Table) -> list[dict[str, object]]:
    """One resource per CSV of the table, all with the table's schema."""
    files = sorted(folder.glob(table.files))
    if not files:
        raise DtocError(f"internal error: the publication in {folder} has no {table.files}")
    contents = [path.read_bytes() for path in files]
    types = table_types(files, contents)
    schema = {
        "fields": [describe_field(name, dtype, table) for name, dtype in types.items()],
        "primaryKey": list(table.key),
    }
    return [
        {
            "name": resource_name(path.relative_to(folder).as_posix()),
            "path": path.relative_to(folder).as_posix(),
            "type": "table",
            "description": table.row,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(content),
            "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
            "schema": schema,
        }
        for path, content in zip(files, contents, strict=True)
    ]


def build_datapackage(folder: Path, publication: described.Publication) -> dict[str, object]:
    """The descriptor of the publication in folder (see the module docstring)."""
    resources = [resource for table in publication.tables for resource in table_resources(folder, table)]
    listed = {str(resource["path"]) for resource in resources}
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*.csv")}
    undescribed = sorted(found - listed - {INVENTORY})
    if undescribed:
        raise DtocError(f"internal error: {', '.join(undescribed)} in {folder} belong to no table of its data package")
    return {
        "name": publication.name,
        "title": publication.title,
        "description": described.attribution(),
        "licenses": [described.LICENCE],
        "sources": described.sources(),
        "resources": resources,
    }


def write_datapackage(folder: Path, kind: str) -> Path:
    """datapackage.json in folder, for the publication of this kind (dtoc.commands.package_tables.PUBLICATIONS);
    write it after every CSV and before the manifest and index, which list it."""
    return write_json(folder / PACKAGE_FILE, build_datapackage(folder, described.publication(kind)))
