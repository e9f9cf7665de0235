"""How a figure is printed on a page, in a brief and in its PDF, written once so that they all agree.

Data files keep full precision; these are for people only.
"""

from __future__ import annotations

from datetime import date


def daily(value: float) -> str:
    """Average daily delays: one decimal, thousands separated ('1,234.5')."""
    return f"{value:,.1f}"


def rate(value: float) -> str:
    """A rate per 100,000 aged 18+: two decimals, so that a rate just below a threshold shows below it."""
    return f"{value:,.2f}"


def whole(value: int) -> str:
    """A count: thousands separated ('449,506')."""
    return f"{value:,}"


def long_date(day: date) -> str:
    """'30 September 2018'."""
    return f"{day.day} {day:%B %Y}"
