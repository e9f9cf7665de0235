"""Writing published files: tables as CSV and Parquet, text lines, CSV rows and JSON documents.

Text never becomes a formula: in CSV, text a spreadsheet would run gets a leading apostrophe
(`neutralise_formula`); Parquet and JSON keep the text as it is. Numbers are written at full precision
(shortest round-trip repr). Every writer is deterministic: the same values give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import polars as pl

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column made formula-safe for CSV and Excel."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(pl.col(c).map_elements(neutralise_formula, return_dtype=pl.String) for c in text_columns)


def write_table(frame: pl.DataFrame, folder: Path, stem: str) -> list[Path]:
    """`stem`.csv (formula-safe text, full precision numbers) and `stem`.parquet, fsynced."""
    csv_path, parquet_path = folder / f"{stem}.csv", folder / f"{stem}.parquet"
    safe_text_columns(frame).write_csv(csv_path, quote_style="necessary")
    frame.write_parquet(parquet_path, statistics=False)
    for path in (csv_path, parquet_path):
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    return [csv_path, parquet_path]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def csv_value(value: object) -> object:
    """A value as a CSV cell: dates in ISO form, None empty, text formula-safe, floats in full (repr)."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return neutralise_formula(value)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """A UTF-8 CSV with '\\n' line ends, quoted where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_value(h) for h in header])
    writer.writerows([csv_value(v) for v in row] for row in rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def json_default(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def write_json(path: Path, document: object) -> Path:
    """Indented UTF-8 JSON; floats in full (shortest round-trip) precision; keys in the order given."""
    text = json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False, default=json_default)
    path.write_bytes((text + "\n").encode("utf-8"))
    return path
