"""Any plan year (issue 17, point 3): the words of the summary, the briefs and the report follow the plan, and
nothing says "2018-19" or "September 2018" unless the plan does. Two publications of the real 2018-19 Q3 data:
one with the plan the shipped parameters derive for that quarter (2019-20, target 30 September 2019), one with a
parameters file that sets its own plan (target 31 December 2019, glide path from June 2019)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import openpyxl
import pytest

from dtoc.config import load_config
from dtoc.report.summary import format_run_report
from tests.conftest import run_in_process
from tests.support.parameters import PLAN_2019_20, parameters_with

QUARTER_2018 = ("October 2018", "November 2018", "December 2018")


def link_2018_quarter(data: Path, real_workbook, real_data: Path) -> Path:
    data.mkdir(parents=True)
    for period in QUARTER_2018:
        os.symlink(real_workbook(period), data / real_workbook(period).name)
    os.symlink(real_data / "ons-mye" / "ukmidyearestimates2016.xls", data / "ukmidyearestimates2016.xls")
    return data


def own_plan(tmp_path: Path) -> Path:
    return parameters_with(
        tmp_path / "plan-2019-20.toml",
        (
            *PLAN_2019_20,
            ("national_ambition_daily = 4000", "national_ambition_daily = 3500"),
            ("the 2018-19 expectations", "these expectations"),  # the file's own reason for its vintage
        ),
    )


@pytest.fixture(scope="module")
def publications(tmp_path_factory, real_workbook, real_data):
    root = tmp_path_factory.mktemp("plan-words")
    data = link_2018_quarter(root / "data", real_workbook, real_data)
    derived = load_config().with_baseline("2018-19Q3")
    configured = load_config(own_plan(root))
    outcomes = {}
    for name, config in (("derived", derived), ("configured", configured)):
        outcome = run_in_process(data, root / name, config)
        outcomes[name] = (root / name, config, outcome)
    return outcomes


def texts(folder: Path) -> dict[str, str]:
    """Every page of a publication as plain text (tags dropped, entities read)."""
    pages = [folder / "report.html", *sorted((folder / "hwb").glob("*.html"))[:5]]
    return {p.name: html.unescape(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8"))) for p in pages}


@pytest.mark.parametrize(
    "name, target, year, glide",
    [
        ("derived", "30 September 2019", "2019-20", "April 2019"),
        ("configured", "31 December 2019", "2019-20", "June 2019"),
    ],
)
def test_the_pages_say_the_plan_s_year_and_dates(publications, name, target, year, glide):
    folder, _, _ = publications[name]
    for page, text in texts(folder).items():
        assert "September 2018" not in text and not re.search(r"2018-19(?!Q)", text), page
        if page != "report.html":
            assert f"by {target}" in text and f"From {glide} a straight line" in text, page
            assert f"Better Care Fund {year}" in text, page
    assert f"{year} expectations" in texts(folder)["report.html"]
    summary = openpyxl.load_workbook(folder / "expectations.xlsx")["Summary"]
    assert summary["A1"].value == f"Delayed transfers of care: {year} expectations, England"


def test_the_summary_states_the_plan_and_whether_it_was_derived(publications):
    for name, words in (("derived", "derived from the baseline quarter"), ("configured", "glide path from June 2019")):
        folder, config, outcome = publications[name]
        printed = format_run_report(outcome.published, config, folder, [], [])
        plan_line = next(line for line in printed.splitlines() if line.startswith("Plan "))
        assert "2019-20" in plan_line and words in plan_line, plan_line
    derived_report = texts(publications["derived"][0])["report.html"]
    assert "the plan states no national ambition" in derived_report
    assert "No plan is set for the baseline" in derived_report  # the caveat of a derived plan
    assert "around 3,500" in texts(publications["configured"][0])["report.html"]
