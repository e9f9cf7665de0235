"""How a figure is printed on a page, in a brief and in its PDF, written once so that they all agree.

Data files keep full precision; these are for people only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

MOST_DECIMALS = 8


def daily(value: float) -> str:
    """Average daily delays: one decimal, thousands separated ('1,234.5')."""
    return f"{value:,.1f}"


def rate(value: float, thresholds: Iterable[float] = (), margin: float = 0.0) -> str:
    """A rate per 100,000 aged 18+: two decimals; where it lies within `margin` of one of the band `thresholds` (a
    distance below the margin, as sql/expectations.sql flags it), as many more as its distance to that threshold
    needs to show (two significant digits of the distance), so a rate just above a threshold never reads as on it
    or below it (5.5025 against 5.5, not 5.50). report.html's what-if (templates/whatif.js) copies this rule."""
    return f"{value:,.{rate_decimals(value, thresholds, margin)}f}"


def rate_decimals(value: float, thresholds: Iterable[float] = (), margin: float = 0.0) -> int:
    """The decimals `rate` shows: 2, or more near a threshold (at most MOST_DECIMALS)."""
    decimals = 2
    for threshold in thresholds:
        distance = abs(value - threshold)
        if 0 < distance < margin:
            decimals = max(decimals, min(MOST_DECIMALS, 1 - math.floor(math.log10(distance))))
    return decimals


def whole(value: int) -> str:
    """A count: thousands separated ('449,506')."""
    return f"{value:,}"


def long_date(day: date) -> str:
    """'30 September 2018'."""
    return f"{day.day} {day:%B %Y}"
