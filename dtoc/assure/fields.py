"""Single cells of a plans or shares file, read strictly: a code, a month, whole delayed days, a share.

Each reader returns the value or raises the file's InputError naming the row, the column and the value.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from dtoc.assure.sources import Rows

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
NUMBER_PATTERN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# A month's planned delayed days for one HWB: the largest HWBs plan a few thousand.
MAX_DAYS = 1_000_000


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
    """A finite number from a number cell or from text such as '12' or '0.25'."""
    if value is None:
        raise rows.error(f"{column} is empty; it needs a number", number)
    if isinstance(value, bool):
        raise rows.error(f"{column} {shown(value)} is not a number", number)
    if isinstance(value, (int, float)) or (isinstance(value, str) and NUMBER_PATTERN.match(value)):
        result = float(value)
    else:
        raise rows.error(f"{column} {shown(value)} is not a number", number)
    if not math.isfinite(result):
        raise rows.error(f"{column} {shown(value)} is not a finite number", number)
    return result


def read_days(rows: Rows, number: int, column: str, value: object) -> int:
    """Planned delayed days: a whole number from 0 to MAX_DAYS (plans count whole days)."""
    days = read_number(rows, number, column, value)
    if days < 0:
        raise rows.error(f"{column} {shown(value)} is negative; planned delayed days are 0 or more", number)
    if not days.is_integer():
        raise rows.error(
            f"{column} {shown(value)} is not a whole number of days; plans count whole delayed days", number
        )
    if days > MAX_DAYS:
        raise rows.error(f"{column} {shown(value)} is more than {MAX_DAYS:,} delayed days in a month", number)
    return int(days)


def read_share(rows: Rows, number: int, column: str, value: object) -> float:
    """A fraction from 0 to 1."""
    share = read_number(rows, number, column, value)
    if not 0 <= share <= 1:
        raise rows.error(f"{column} {shown(value)} is not a fraction from 0 to 1", number)
    return share


def read_text(value: object) -> str | None:
    """Free text (trimmed), None when blank."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return text.strip() or None
