"""The plan the expectations are for: its financial year, the target date, the month the glide path starts from,
and the national ambition. Set in the parameters file ([plan]); for a baseline quarter other than the configured
one, derived from the baseline (the financial year after the baseline quarter's, 30 September of it, the glide
path from its April, no ambition stated).

Every page, workbook, brief and command takes its years and dates from here: nothing else writes a plan year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dtoc.errors import DtocError
from dtoc.periods import FinancialQuarter, financial_year_label, financial_year_months, month_label


@dataclass(frozen=True)
class Plan:
    """The financial year of the expectations ('2018-19'), the date they are to be met by and held from, the
    month the straight-line glide path starts from (a first day), and the national ambition in average daily
    delays (None where none is stated). `derived` says the plan was derived from the baseline quarter."""

    year: str
    target_date: date
    glide_start: date
    national_ambition_daily: float | None
    derived: bool = False

    @property
    def months(self) -> list[date]:
        """April ... March of the plan year (first days)."""
        return financial_year_months(self.year)

    @property
    def target_month(self) -> date:
        return date(self.target_date.year, self.target_date.month, 1)

    def describe(self) -> str:
        """'2018-19 (target 30 September 2018, glide path from April 2018)', and how the plan was set."""
        how = ", derived from the baseline quarter" if self.derived else ""
        return (
            f"{self.year} (target {self.target_date.day} {self.target_date:%B %Y}, glide path from "
            f"{month_label(self.glide_start)}{how})"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "target_date": self.target_date.isoformat(),
            "glide_path_start": f"{self.glide_start:%Y-%m}",
            "national_ambition_daily": self.national_ambition_daily,
            "derived_from_baseline": self.derived,
        }


def derive_plan(baseline: FinancialQuarter) -> Plan:
    """The plan for a baseline quarter no plan was set for: the financial year after the quarter's, its
    30 September as the target date, the glide path from its April, no national ambition."""
    start = baseline.months[0].year if baseline.months[0].month >= 4 else baseline.months[0].year - 1
    year = financial_year_label(date(start + 1, 4, 1))
    return Plan(year, date(start + 1, 9, 30), date(start + 1, 4, 1), None, derived=True)


def check_plan(plan: Plan, baseline: FinancialQuarter) -> None:
    """The plan must follow the baseline: its year starts after the baseline quarter ends, the target date lies
    in the plan year, and the glide path starts in the plan year, on or before the target month."""
    quarter_end = baseline.months[-1]
    first, last = plan.months[0], plan.months[-1]
    if plan.target_month <= quarter_end:
        raise DtocError(
            f"plan.target_date {plan.target_date.isoformat()} is not after the baseline quarter "
            f"{baseline.describe()} ends: the expectations are to be met after the baseline"
        )
    if first <= quarter_end:
        raise DtocError(
            f"plan.year {plan.year} does not follow the baseline quarter {baseline.describe()}: the plan year must "
            "start after the baseline quarter ends"
        )
    if not first <= plan.target_month <= last:
        raise DtocError(
            f"plan.target_date {plan.target_date.isoformat()} is not in the plan year {plan.year} "
            f"({month_label(first)} to {month_label(last)})"
        )
    if not first <= plan.glide_start <= plan.target_month:
        raise DtocError(
            f"plan.glide_path_start {plan.glide_start:%Y-%m} must lie in the plan year {plan.year}, on or before "
            f"the month of the target date ({month_label(plan.target_month)})"
        )
