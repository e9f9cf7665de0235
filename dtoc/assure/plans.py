"""The plans file, checked: per HWB and month of the plan year, the planned delayed days per attribution.

Refused (one InputError naming the file, row and value): a missing column, an HWB code the publication does
not have, a month that is not YYYY-MM or is outside the plan year, an HWB-month on two rows, a figure that is
empty, not a number, negative or not whole, and an HWB with some but not all months from the target month to
the year's end. Months before the target month are optional (compared with the glide path for information).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dtoc.assure.fields import read_days, read_hwb_code, read_month, read_text, shown
from dtoc.assure.plan_files import Rows, read_rows
from dtoc.assure.verdicts import EVIDENCE_COLUMN, PLAN_COLUMNS, PLAN_DAY_COLUMNS
from dtoc.periods import month_label


@dataclass
class Plans:
    """Checked plans: hwb_code -> month -> attribution key -> planned days; evidence references per HWB."""

    file: Path
    rows: int
    months: dict[str, dict[date, dict[str, int]]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


def read_plans(
    path: Path, hwb_names: dict[str, str], year_months: list[date], target: date, publication: Path
) -> Plans:
    """Read and check PLANS against the publication's HWBs (code -> name) and the plan year's months."""
    rows = read_rows(path, "plans", PLAN_COLUMNS)
    if not rows.rows:
        raise rows.error("holds a header but no plan rows")
    plans = Plans(path, len(rows.rows))
    seen: dict[tuple[str, date], int] = {}  # (hwb_code, month) -> the row that gave it
    for number, values in rows.rows:
        code = read_hwb_code(rows, number, values["hwb_code"], hwb_names, publication)
        month = read_year_month(rows, number, values["month"], year_months)
        if (code, month) in seen:
            raise rows.error(
                f"{code} {month:%Y-%m} is also on row {seen[code, month]}; one row per HWB and month", number
            )
        seen[code, month] = number
        plans.months.setdefault(code, {})[month] = {
            key: read_days(rows, number, column, values[column]) for key, column in PLAN_DAY_COLUMNS.items()
        }
        plans.lines.setdefault(code, []).append(number)
        note = read_text(values.get(EVIDENCE_COLUMN))
        if note and note not in plans.evidence.setdefault(code, []):
            plans.evidence[code].append(note)
    check_complete(rows, plans, hwb_names, [m for m in year_months if m >= target])
    return plans


def read_year_month(rows: Rows, number: int, value: object, year_months: list[date]) -> date:
    month = read_month(rows, number, value)
    if month not in year_months:
        raise rows.error(
            f"month {shown(value)} is outside the plan year ({month_label(year_months[0])} to "
            f"{month_label(year_months[-1])})",
            number,
        )
    return month


def check_complete(rows: Rows, plans: Plans, hwb_names: dict[str, str], assessed: list[date]) -> None:
    """Every HWB in the file has every assessed month (the target month to the year's end)."""
    for code, months in plans.months.items():
        missing = [m for m in assessed if m not in months]
        if missing:
            lines = plans.lines[code]
            raise rows.error(
                f"{code} ({hwb_names[code]}) has plan rows ({describe_lines(lines)}) but none for "
                f"{', '.join(f'{m:%Y-%m}' for m in missing)}; a plan needs every month from "
                f"{month_label(assessed[0])} to {month_label(assessed[-1])}",
                lines[0],
            )


def describe_lines(lines: list[int]) -> str:
    shown_lines = ", ".join(str(n) for n in lines[:6])
    return f"row{'s' if len(lines) > 1 else ''} {shown_lines}{', ...' if len(lines) > 6 else ''}"
