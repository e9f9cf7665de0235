"""The one rule for counts (delayed days, people, planned days): a number by dtoc.ingest.numbers that is whole,
not negative and no larger than its bound in dtoc.ingest.limits. Workbook cells are read here; the plans
reader (dtoc.assure.fields) applies the same check_count with its own wording.
"""

from __future__ import annotations

from dtoc.errors import InputError, Location
from dtoc.ingest.numbers import NumberProblem, read_number


def plain_count(value: object, limit: int) -> int | None:
    """The common case, decided before any error location is built: a numeric cell holding a whole number from
    0 to limit. None for anything else (read_whole_count then says what is wrong, or reads the text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if 0 <= value <= limit and float(value).is_integer() else None


def check_count(number: float, limit: int) -> int:
    """A finite number as a count; NumberProblem (negative, fraction, too_large) if it is not one."""
    if number < 0:
        raise NumberProblem("negative", "is negative")
    if not number.is_integer():
        raise NumberProblem("fraction", "is not a whole number")
    if number > limit:
        raise NumberProblem("too_large", f"is more than {limit:,}")
    return int(number)


def shown_number(number: float) -> str:
    """1e308 -> '1e+308'; 20_000_000 -> '20,000,000'; -5.0 -> '-5'."""
    return f"{number:,.0f}" if number.is_integer() and abs(number) < 1e15 else f"{number:g}"


def read_whole_count(value: object, what: str, limit: int, where: Location, or_else: str = "") -> int:
    """A cell value (number or text) -> int, or InputError at `where` (file, sheet, cell) saying what is wrong:
    an Excel error, text that is not a number, not a number at all, NaN or infinity, negative, a fraction, or
    over `limit`. `what` names the things counted ('delayed days'); `or_else` adds what else the cell may hold
    (" or '-'")."""
    expected = f"expected a whole number of {what}{or_else}"
    try:
        number = read_number(value)
    except NumberProblem as problem:
        found = f"text {value!r}" if isinstance(value, str) else repr(value)
        if problem.kind == "excel_error":
            message = f"{problem.phrase}; {expected}: correct the cell, or use the workbook as published"
        else:
            message = f"{expected}, found {found}, which {problem.phrase}"
        raise InputError(message, **where) from None
    try:
        return check_count(number, limit)
    except NumberProblem as problem:
        raise InputError(describe_count_problem(problem, number, what, limit), **where) from None


def describe_count_problem(problem: NumberProblem, number: float, what: str, limit: int) -> str:
    if problem.kind == "negative":
        return f"a count of {what} cannot be negative, found {number:g}"
    if problem.kind == "fraction":
        return f"a count of {what} must be a whole number, found {number!r}"
    return (
        f"{shown_number(number)} {what} is more than {limit:,}, the most one cell can plausibly hold; the cell "
        "is damaged or does not hold a count"
    )
