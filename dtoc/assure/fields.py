"""Single cells of a plans or shares file, read strictly: a code, a month, whole delayed days, a share.

Numbers follow the one rule of dtoc.ingest.numbers, and planned days the count rule of dtoc.ingest.counts, as
in the workbooks. Each reader returns the value or raises the file's InputError naming the row, the column and
the value.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from dtoc.assure.plan_files import Rows
from dtoc.ingest.counts import check_count
from dtoc.ingest.limits import MAX_PLANNED_DAYS
from dtoc.ingest.numbers import NumberProblem
from dtoc.ingest.numbers import read_number as read_number_cell
from dtoc.ingest.text import visible

MONTH_PATTERN = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def shown(value: object) -> str:
    """A cell value as the message quotes it."""
    return repr(value.isoformat() if isinstance(value, (date, datetime)) else value)


def read_code(rows: Rows, number: int, column: str, value: object) -> str:
    """A non-empty code, trimmed, in upper case (ONS codes are written in capitals)."""
    if value is None:
        raise rows.error(f"{column} is empty", number)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().upper()


def read_hwb_code(rows: Rows, number: int, value: object, hwb_names: dict[str, str], publication: object) -> str:
    """An hwb_code cell that must name an HWB of the expectations publication; the error names row and value."""
    code = read_code(rows, number, "hwb_code", value)
    if code not in hwb_names:
        raise rows.error(
            f"hwb_code {shown(value)} is not a Health and Wellbeing Board of the publication {publication}", number
        )
    return code


def read_month(rows: Rows, number: int, value: object) -> date:
    """'YYYY-MM' text; a date cell on the first of a month at midnight is the same month (Excel turns
    typed 2018-09 into such a date). Anything else is refused."""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime) and value.day == 1:
        return value
    match = MONTH_PATTERN.match(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match[2]) <= 12:
        raise rows.error(f"month {shown(value)} is not a month written YYYY-MM, e.g. 2018-09", number)
    return date(int(match[1]), int(match[2]), 1)


def read_number(rows: Rows, number: int, column: str, value: object) -> float:
    """A finite number from a number cell or from text such as '12', '1,234' or '0.25'."""
    if value is None:
        raise rows.error(f"{column} is empty; it needs a number", number)
    try:
        return read_number_cell(value)
    except NumberProblem as problem:
        raise rows.error(f"{column} {shown(value)} {problem.phrase}", number) from None


def read_days(rows: Rows, number: int, column: str, value: object) -> int:
    """Planned delayed days: a whole number from 0 to MAX_PLANNED_DAYS (plans count whole days)."""
    days = read_number(rows, number, column, value)
    try:
        return check_count(days, MAX_PLANNED_DAYS)
    except NumberProblem as problem:
        problem_words = {
            "negative": "is negative; planned delayed days are 0 or more",
            "fraction": "is not a whole number of days; plans count whole delayed days",
            "too_large": f"is more than {MAX_PLANNED_DAYS:,} delayed days in a month, the most one HWB's plan "
            "can hold (the largest HWBs plan a few thousand); the figure is damaged or not a count of days",
        }[problem.kind]
        raise rows.error(f"{column} {shown(value)} {problem_words}", number) from None


def read_share(rows: Rows, number: int, column: str, value: object) -> float:
    """A fraction from 0 to 1."""
    share = read_number(rows, number, column, value)
    if not 0 <= share <= 1:
        raise rows.error(f"{column} {shown(value)} is not a fraction from 0 to 1", number)
    return share


def read_text(value: object) -> str | None:
    """Free text (trimmed), None when it holds no visible character (blank, spaces, zero-width characters)."""
    if value is None:
        return None
    return visible(value.isoformat() if isinstance(value, (date, datetime)) else str(value))
