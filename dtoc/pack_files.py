"""Writing helpers for the publication pack: cells into dtoc.xlsx_writer sheets, CSV and JSON files.

Text never becomes a formula: in a workbook every string is a string cell, so '=cmd|x' shows as typed and never
runs; in CSV, text a spreadsheet would run gets a leading apostrophe (dtoc.publish.neutralise_formula); JSON
keeps the text as it is. Numbers are written as numbers at full precision (shortest round-trip repr); number
formats only change how a workbook displays them.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence

from dtoc.publish import neutralise_formula
from dtoc.xlsx_writer import Sheet, Style


def put(sheet: Sheet, row: int, column: int, value: object, number_format: str | None = None,
        font: str = "normal", fill: bool = False, wrap: bool = False) -> None:
    sheet.put(row, column, value, Style(number_format, font, fill, wrap))


def put_row(sheet: Sheet, row: int, values: Sequence[object], formats: Sequence[str | None] = (),
            font: str = "normal", fill: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, formats[column - 1] if column <= len(formats) else None, font, fill)


def put_header(sheet: Sheet, row: int, labels: Sequence[str]) -> None:
    put_row(sheet, row, labels, font="bold", fill=True)


def set_widths(sheet: Sheet, widths: Sequence[float]) -> None:
    sheet.widths.update(enumerate(widths, start=1))


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
