"""The one rule for numbers, in every reader: workbook cells (dtoc.ingest.counts), plans and shares
(dtoc.assure.fields), policies CSVs (dtoc.scenarios.checks) and grids (dtoc.scenarios.grid).

A number is a numeric cell (int or float; TRUE and FALSE are not numbers) or text that reads, once the spaces
around it are trimmed, as one of
- an optional sign, digits 0-9 with thousands separators only in well-formed groups of three ('1,234',
  '1,234,567'), and an optional decimal part after a point ('0.3', '.3', '1,234.5');
- an optional sign, digits without separators, an optional decimal part, and an exponent ('1e3', '1.5E+06').
Anything else is not a number: '34,3' and '1,23,4' (a decimal comma, or a mistyped group: reading either by
dropping the comma would turn 34.3 into 343), '1_000', '12 000', '0x10', digits of other scripts, and the Excel
error values ('#REF!', '#DIV/0!', ...), which every format reads as the text Excel shows and every reader names
as such. 'inf', 'infinity' and 'nan' (any case, signed) are recognised, to be refused as not finite numbers;
so is a number too large for the arithmetic ('1e400', beyond about 1.8e308).

Exponents are accepted because they are unambiguous and spreadsheets write them: a person typing 1e3 into
Excel gets the number 1000, and a cell shown in scientific format exports to CSV as '1.00E+03'. A damaged value
written with one ('1e308') is then refused for what it is, a count above its bound.

What a reader asks next is its own rule: a count (delayed days, people, planned days; dtoc.ingest.counts) is
whole, not negative and within its bound in dtoc.ingest.limits ('-0' is 0); a threshold, a cap or a share is a
decimal ('5.5', '0.3'), checked against its own range.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

# One pattern for Python's re and for polars (Rust regex): [0-9], not \\d, which would take other scripts' digits.
NUMBER_PATTERN = (
    r"^[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+"
    r"|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+)$"
)
NOT_FINITE_PATTERN = r"(?i)^[+-]?(?:inf|infinity|nan)$"
NUMBER_TEXT = re.compile(NUMBER_PATTERN)
NOT_FINITE_TEXT = re.compile(NOT_FINITE_PATTERN)
LARGEST = Decimal(str(1.7976931348623157e308))  # the largest float: beyond it, arithmetic gives infinity
# Excel's error values as it shows them (xlrd names the legacy .xls codes the same way)
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
    | {"#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!"}
)
# what a reader says after '<column> <value>': one wording for every reader
EMPTY, NOT_A_NUMBER, NOT_FINITE = "is empty", "is not a number", "is not a finite number"
TOO_LARGE = "is too large to compute with (beyond 1.8e308)"
COMMA_HINT = " (a comma only separates thousands, in groups of three as in 1,234; the decimal mark is '.')"


def excel_error_phrase(error: str) -> str:
    return f"holds the Excel error {error}"


class NumberProblem(ValueError):
    """Why a value is not a number a reader can use; `phrase` completes '<column> <value> ...'."""

    def __init__(self, kind: str, phrase: str) -> None:
        super().__init__(phrase)
        self.kind, self.phrase = kind, phrase  # kind: empty, excel_error, not_a_number, not_finite, too_large


def excel_error(value: object) -> str | None:
    """'#REF!' for a cell holding an Excel error (read as the text Excel shows), else None."""
    return value.strip() if isinstance(value, str) and value.strip() in EXCEL_ERRORS else None


def number_in_text(text: str) -> Decimal:
    """'1,234' -> Decimal('1234'), ' 12 ' -> 12, '1e3' -> 1E+3; NumberProblem for text that is no number."""
    stripped = text.strip()
    if NUMBER_TEXT.fullmatch(stripped):
        return Decimal(stripped.replace(",", ""))
    if NOT_FINITE_TEXT.fullmatch(stripped):
        raise NumberProblem("not_finite", NOT_FINITE)
    if not stripped:
        raise NumberProblem("empty", EMPTY)
    error = excel_error(stripped)
    if error:
        raise NumberProblem("excel_error", excel_error_phrase(error))
    raise NumberProblem("not_a_number", NOT_A_NUMBER + (COMMA_HINT if "," in stripped else ""))


def read_decimal(value: object) -> Decimal:
    """A cell value (number or text) as an exact decimal, finite and within the arithmetic's range."""
    if value is None:
        raise NumberProblem("empty", EMPTY)
    if isinstance(value, str):
        number = number_in_text(value)
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise NumberProblem("not_finite", NOT_FINITE)
        number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    else:
        raise NumberProblem("not_a_number", NOT_A_NUMBER)
    if not number.is_finite():
        raise NumberProblem("not_finite", NOT_FINITE)
    if abs(number) > LARGEST:
        raise NumberProblem("too_large", TOO_LARGE)
    return number if number else Decimal(0)  # '-0' is 0


def read_number(value: object) -> float:
    """A cell value (number or text) as a finite float ('-0' is 0.0); NumberProblem saying why not."""
    if isinstance(value, float) and math.isfinite(value):
        return value + 0.0
    return float(read_decimal(value)) + 0.0
