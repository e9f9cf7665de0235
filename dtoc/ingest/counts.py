"""Read one cell as a count (delayed days, people): a whole, non-negative, finite number no larger than a bound.

The one rule for numbers held as text: digits with an optional decimal part, and thousands separators only in
well-formed groups of three ("1,234" and "1,234,567" yes; "34,3" and "1,23,4" no). Python's float() also
accepts "inf", "nan", "1e308" and "1_000"; none of those is a count in a published workbook.
"""

from __future__ import annotations

import math
import re

from dtoc.errors import InputError, Location

NUMBER_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def number_in_text(text: str) -> float | None:
    """'1,234' -> 1234.0, ' 12 ' -> 12.0, '-5' -> -5.0; None for text that is not a plain number."""
    stripped = text.strip()
    return float(stripped.replace(",", "")) if NUMBER_TEXT.fullmatch(stripped) else None


def plain_count(value: object, limit: int) -> int | None:
    """The common case, decided before any error location is built: a numeric cell holding a whole number from
    0 to limit. None for anything else (read_whole_count then says what is wrong, or reads the text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if 0 <= value <= limit and float(value).is_integer() else None


def read_whole_count(value: object, what: str, limit: int, where: Location, or_else: str = "") -> int:
    """A cell value (number or text) -> int, or InputError at `where` (file, sheet, cell) saying what is wrong:
    text that is not a number, not a number at all, NaN or infinity, negative, a fraction, or over `limit`.
    `what` names the things counted ('delayed days'); `or_else` adds what else the cell may hold (" or '-'")."""
    expected = f"expected a whole number of {what}{or_else}"
    if isinstance(value, str):
        number = number_in_text(value)
        if number is None:
            raise InputError(f"{expected}, found text {value!r}", **where)
        value = number
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{expected}, found {value!r}", **where)
    if not math.isfinite(value):
        raise InputError(f"{expected}, found {value!r}, which is not a finite number", **where)
    if value < 0:
        raise InputError(f"a count of {what} cannot be negative, found {value:g}", **where)
    if value != int(value):
        raise InputError(f"a count of {what} must be a whole number, found {value!r}", **where)
    if value > limit:
        shown = f"{value:,.0f}" if value < 1e15 else f"{value:g}"
        raise InputError(
            f"{shown} {what} is more than {limit:,}, the most one cell can plausibly hold; the cell "
            "is damaged or does not hold a count",
            **where,
        )
    return int(value)
