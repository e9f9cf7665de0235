"""Laying out the publication's workbooks: cells, tables under headers a person reads, and the Columns sheet.

A table's header row shows dtoc.vocabulary.COLUMNS headers and its coded values in words (dtoc.vocabulary.worded:
bands, verdicts, attributions, comparators); every workbook ends with a Columns sheet that maps each header back
to the machine name the CSV, Parquet and JSON files use (which keep the codes), with its meaning. Number formats,
widths and the colour of a verdict follow from the column's name (`number_format`, `column_width`, `COLOURS`):
one rule for every workbook.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from datetime import date

from dtoc.report.xlsx_writer import Sheet, Style, column_letter
from dtoc.vocabulary import COLUMNS, VERDICT_COLOURS, VERDICTS, column_header, worded

COUNT, DAILY, RATE, MONTH, DAY = "#,##0", "#,##0.00", "0.00", "mmm yyyy", "d mmmm yyyy"
DAYS, SHARE = "#,##0.0", "0.0%"
# columns whose cells are coloured by their (coded) value
COLOURS: dict[str, dict[str, str]] = {"verdict": VERDICT_COLOURS}
DATE_WIDTHS: dict[str | None, int] = {MONTH: 8, DAY: 17}  # characters a date takes in these formats
LINE_HEIGHT, WIDEST, NARROWEST = 15, 60, 12


def put(
    sheet: Sheet,
    row: int,
    column: int,
    value: object,
    number_format: str | None = None,
    font: str = "normal",
    fill: bool = False,
    wrap: bool = False,
    colour: str | None = None,
) -> None:
    sheet.put(row, column, value, Style(number_format, font, fill, wrap, colour))


def put_row(
    sheet: Sheet,
    row: int,
    values: Sequence[object],
    formats: Sequence[str | None] = (),
    font: str = "normal",
    fill: bool = False,
) -> None:
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, formats[column - 1] if column <= len(formats) else None, font, fill)


def put_header(sheet: Sheet, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        put(sheet, row, column, label, font="bold", fill=True, wrap=True)


def set_widths(sheet: Sheet, widths: Sequence[float]) -> None:
    sheet.widths.update(enumerate(widths, start=1))


def number_format(name: str) -> str | None:
    """The display format of a column, from its name (the cell keeps the full value)."""
    counts = ("population_18plus", "actual_delayed_days", "months_planned", "hwbs", *VERDICTS)
    if name in counts or name.startswith("hwbs_") or name.endswith("planned_days"):
        return COUNT
    if name.endswith(("_daily", "_delayed_days")) or name == "distance":
        return DAILY
    if name.endswith(("expected_days", "gap_days")):
        return DAYS
    if name.endswith("_rate"):
        return RATE
    return {"month": MONTH, "worst_month": MONTH, "target_date": DAY, "nhs_share": SHARE}.get(name)


def shown_length(value: object, fmt: str | None) -> int:
    """About how many characters the value takes on screen in its format."""
    if isinstance(value, float) or (isinstance(value, int) and fmt in (COUNT, DAILY)):
        return len(f"{value:,.2f}" if fmt in (DAILY, RATE, SHARE) else f"{value:,.0f}")
    if isinstance(value, date):
        return DATE_WIDTHS.get(fmt, 10)
    return len(str(value)) if value is not None else 0


def column_width(header: str, values: Iterable[object], fmt: str | None) -> float:
    """Wide enough for the longest value and the header's longest word (headers wrap), within limits."""
    longest = max([len(word) for word in header.split()] + [shown_length(v, fmt) for v in values])
    return min(max(longest + 2, NARROWEST), WIDEST)


def put_table(
    sheet: Sheet, top: int, columns: Sequence[str], rows: list[Sequence[object]], wrap: Sequence[str] = ()
) -> int:
    """The table with its header row at `top`: headers from the vocabulary, coded values in words, formats,
    colours and widths by column, a filter, the header repeated on every printed page. `wrap` names columns of
    long text (at most WIDEST characters wide). Returns the last row."""
    headers = [column_header(name) for name in columns]
    put_header(sheet, top, headers)
    formats = [number_format(name) for name in columns]
    shown = []
    for number, values in enumerate(rows, start=top + 1):
        shown.append([worded(name, value) for name, value in zip(columns, values, strict=True)])
        for column, (name, value, fmt) in enumerate(zip(columns, values, formats, strict=True), start=1):
            colour = COLOURS[name].get(value) if name in COLOURS and isinstance(value, str) else None
            put(sheet, number, column, shown[-1][column - 1], fmt, wrap=name in wrap, colour=colour)
    for column, (header, fmt) in enumerate(zip(headers, formats, strict=True), start=1):
        width = column_width(header, (r[column - 1] for r in shown), fmt)
        sheet.widths[column] = max(width, sheet.widths.get(column, 0))
    lines = max(len(textwrap.wrap(header, int(sheet.widths[column]) - 1)) for column, header in enumerate(headers, 1))
    sheet.heights[top] = LINE_HEIGHT * max(lines, 1)
    last = top + len(rows)
    sheet.autofilter = f"A{top}:{column_letter(len(columns))}{last}"
    sheet.print_rows = (top, top)
    return last


def table_sheet(
    name: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    frozen_columns: int = 0,
    wrap: Sequence[str] = (),
) -> Sheet:
    """A sheet holding one table from A1, its header row (and `frozen_columns` columns) frozen; `wrap` names
    columns of long text."""
    sheet = Sheet(name)
    put_table(sheet, 1, columns, list(rows), wrap)
    sheet.freeze = f"{column_letter(frozen_columns + 1)}2"
    return sheet


def columns_sheet(tables: Sequence[tuple[str, Sequence[str]]]) -> Sheet:
    """'Columns': for each (sheet name, machine columns) table, one row per column: sheet, header, the machine
    name (as in the CSV, Parquet and JSON files) and its meaning."""
    rows = [(sheet, COLUMNS[name][0], name, COLUMNS[name][1]) for sheet, names in tables for name in names]
    sheet = Sheet("Columns")
    put_header(sheet, 1, ("Sheet", "Header", "Column name in CSV, Parquet and JSON", "Meaning"))
    for number, values in enumerate(rows, start=2):
        put_row(sheet, number, values[:3])
        put(sheet, number, 4, values[3], wrap=True)
    set_widths(
        sheet,
        (max(len(r[0]) for r in rows) + 2, max(len(r[1]) for r in rows) + 2, max(len(r[2]) for r in rows) + 2, 90),
    )
    sheet.heights[1] = 2 * LINE_HEIGHT
    sheet.freeze, sheet.print_rows = "A2", (1, 1)
    sheet.autofilter = f"A1:D{len(rows) + 1}"
    return sheet
