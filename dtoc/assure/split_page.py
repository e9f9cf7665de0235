"""ccg_split.html: one offline page (Jinja2, dtoc/report/templates/split_page.html.j2) for the CCGs that share
an HWB's NHS expectation: an index of the HWBs split, then per HWB each CCG's share of the baseline, the
expectation and the reduction, and each month's NHS delayed days on the glide path per CCG. No scripts, nothing
fetched; figures rounded for display only (dtoc.report.display), the CSV keeps them whole.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.assure.split import BASELINE, EXPECTED
from dtoc.periods import month_label
from dtoc.report import display
from dtoc.report.pages import write_page
from dtoc.vocabulary import worded


def ccg_rows(frame: pl.DataFrame) -> list[dict]:
    """One entry per CCG of an HWB: its code, name, share and daily figures as displayed."""
    first = frame.unique("ccg_code", keep="first", maintain_order=True)
    return [
        {
            "code": r["ccg_code"],
            "name": r["ccg_name"],
            "share": f"{r['nhs_share']:.1%}",
            "baseline": display.daily(r[BASELINE]),
            "expected": display.daily(r[EXPECTED]),
            "reduction": display.daily(r["reduction_nhs_daily"]),
        }
        for r in first.iter_rows(named=True)
    ]


def month_rows(frame: pl.DataFrame, ccgs: list[str]) -> list[dict]:
    """One entry per month: what it is compared with, and each CCG's NHS delayed days on the path that month."""
    rows = []
    for (month,), part in frame.sort("month").group_by("month", maintain_order=True):
        days = dict(zip(part["ccg_code"].to_list(), part["path_nhs_delayed_days"].to_list(), strict=True))
        comparison = worded("comparison", part["comparison"][0])
        rows.append(
            {"label": month_label(month), "comparison": comparison, "days": [display.daily(days[c]) for c in ccgs]}
        )
    return rows


def hwb_views(split: pl.DataFrame) -> list[dict]:
    """Per HWB split (by code): its name, its CCGs and its months."""
    views = []
    for (code,), frame in split.group_by("hwb_code", maintain_order=True):
        ccgs = ccg_rows(frame)
        months = month_rows(frame, [c["code"] for c in ccgs])
        views.append({"code": code, "name": frame["hwb_name"][0], "ccgs": ccgs, "months": months})
    return views


def write_split_page(path: Path, split: pl.DataFrame, context: dict[str, object]) -> Path:
    """The page; context gives plan_year, publication, shares_file and shares_sha."""
    hwbs = hwb_views(split)
    return write_page(path, "split_page.html.j2", hwbs=hwbs, ccgs=sum(len(h["ccgs"]) for h in hwbs), **context)
