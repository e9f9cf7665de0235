"""How each Python value becomes a spreadsheet cell, one explicit rule per type; anything else is refused.

str                                     text (at most 32,767 characters, Excel's limit)
bool, numpy bool                        boolean
int, numpy integers                     number, within 2**53 (beyond it a double cannot hold it exactly)
float, numpy floats, Decimal, Fraction  number, float(value), if finite (NaN and infinities are refused)
datetime (naive), date                  date (a datetime with a time zone is refused: which local time?)
None                                    empty cell
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from numbers import Integral, Real

MAX_TEXT, MAX_EXACT_INTEGER = 32767, 2**53


class Refused(Exception):
    """A value no rule converts; write_cells adds the sheet and cell."""


def excel_value(value: object) -> tuple[str, object]:
    """(kind, value) for one cell: kind is 'blank', 'string', 'boolean', 'number' or 'datetime'."""
    kind = type(value)
    if kind is str or kind is float or kind is int or value is None:  # the common cases first
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise Refused(f"text longer than {MAX_TEXT:,} characters")
        if isinstance(value, float) and not math.isfinite(value):
            raise Refused("not a finite number")
        if isinstance(value, int) and abs(value) > MAX_EXACT_INTEGER:
            raise Refused("an integer beyond 2**53 is not stored exactly")
        return ("string" if kind is str else "blank" if value is None else "number"), value
    if isinstance(value, bool) or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")):
        return "boolean", bool(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise Refused("a datetime with a time zone (convert it to a naive local time)")
        return "datetime", value
    if isinstance(value, date):
        return "datetime", value
    if isinstance(value, str):
        return excel_value(str(value))
    if isinstance(value, Integral):
        return excel_value(int(value))
    if isinstance(value, (Real, Decimal)):
        try:
            return excel_value(float(value))
        except (ValueError, InvalidOperation):
            raise Refused("not a finite number") from None
    raise Refused("no rule converts this type")
