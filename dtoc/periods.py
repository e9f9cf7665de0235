"""Calendar facts: financial-year quarters, months read from workbook cells, days in a month."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from dtoc.errors import DtocError

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
QUARTER_PATTERN = re.compile(r"^\s*(\d{4})-(\d{2})\s*Q([1-4])\s*$", re.IGNORECASE)
MONTH_YEAR_PATTERN = re.compile(r"\b([A-Za-z]{3,9})\.?[\s\-/]+(\d{4}|\d{2})\b")


@dataclass(frozen=True)
class FinancialQuarter:
    """A quarter of an April-March financial year; months are first days of the three months."""

    label: str
    months: tuple[date, date, date]

    @property
    def days(self) -> int:
        return sum(days_in_month(m) for m in self.months)

    def describe(self) -> str:
        return f"{self.label} ({month_label(self.months[0])} to {month_label(self.months[-1])})"


# Financial years dtoc accepts: any the DToC statistics could cover, and no year a date cannot hold.
FIRST_YEAR, LAST_YEAR = 1990, 2098
DAY_PATTERN = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})\s*$")


def parse_quarter(text: str) -> FinancialQuarter:
    """'2017-18Q3' -> October-December 2017. Q1 is April-June."""
    match = QUARTER_PATTERN.match(text or "")
    if not match:
        raise DtocError(f"baseline quarter {text!r}: expected YYYY-YYQn, e.g. 2017-18Q3 (Q1 = April-June)")
    start_year, end_suffix, quarter = int(match[1]), int(match[2]), int(match[3])
    if not FIRST_YEAR <= start_year <= LAST_YEAR:
        raise DtocError(f"baseline quarter {text!r}: the year must lie from {FIRST_YEAR} to {LAST_YEAR}")
    if (start_year + 1) % 100 != end_suffix:
        raise DtocError(f"baseline quarter {text!r}: {start_year}-{end_suffix:02d} is not a financial year")
    first_month = 4 + 3 * (quarter - 1)
    first, second, third = (
        date(start_year + (index - 1) // 12, (index - 1) % 12 + 1, 1) for index in range(first_month, first_month + 3)
    )
    return FinancialQuarter(f"{start_year}-{end_suffix:02d}Q{quarter}", (first, second, third))


def financial_year_months(year_label: str) -> list[date]:
    """'2018-19' -> April 2018 ... March 2019."""
    return [m for q in range(1, 5) for m in parse_quarter(f"{year_label}Q{q}").months]


def financial_year_label(day: date) -> str:
    """'2018-19' for any day from April 2018 to March 2019."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def month_label(month: date) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"


def parse_month(value: object) -> date | None:
    """A month from a workbook cell: 'December 2017', 'Dec-17', or a date. None if it holds none."""
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    for name, year in MONTH_YEAR_PATTERN.findall(str(value or "")):
        number = MONTHS.get(name.lower())
        if number:
            full_year = int(year) if len(year) == 4 else 2000 + int(year)
            return date(full_year, number, 1)
    return None


FINANCIAL_YEAR_PATTERN = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


def parse_financial_year(text: str) -> list[date]:
    """'2018-19' -> the twelve months April 2018 ... March 2019 (first days)."""
    match = FINANCIAL_YEAR_PATTERN.match(text or "")
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise DtocError(f"financial year {text!r}: expected YYYY-YY with consecutive years, e.g. 2018-19")
    return financial_year_months(f"{match[1]}-{match[2]}")


def months_between(first: date, month: date) -> int:
    """Whole months from first to month: April 2018 -> September 2018 is 5."""
    return (month.year - first.year) * 12 + month.month - first.month


def parse_day(text: object) -> date | None:
    """A date as the workbooks print it ('10th May 2018', '10 May 2018', or a date cell); None otherwise."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    match = DAY_PATTERN.match(str(text or ""))
    number = MONTHS.get(match[2].lower()) if match else None
    if not match or not number:
        return None
    try:
        return date(int(match[3]), number, int(match[1]))
    except ValueError:
        return None
