"""Every kind of workbook dtoc publishes, read back as a person would: no band or verdict code and no machine name
in a cell a person reads (the Columns sheet excepted), and a Summary sheet whose sources, dates and validation
agree with the publication's own manifest.

The publications are made here in-process from the real Q3 2017-18 run (`real_publication`): the monitoring of
2018-19 against it, the assurance of plans written from its table (some above their expectation, some
reattributed, some missing) and a CCG split.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from dtoc.commands.assure import assure_plans, split_shares
from dtoc.commands.monitor import MonitorRequest, monitor_year, publish_monitor
from tests.support.assure_support import ASSESSED, floor_plan, plan_rows, published_rows, write_plans
from tests.support.workbook_reading import about_block, codes_left, manifest_sources, shown_sources

EPOCH = "1546300800"  # SOURCE_DATE_EPOCH: the publication date is 1 January 2019
HWB_SAMPLE = ("E06000001", "E06000052", "E10000034")  # the first HWB, Cornwall (two areas), the last


def plans(rows: dict[str, dict]) -> list[list[object]]:
    """Plans for the first 40 HWBs: every fourth 30 NHS days above in December 2018, every fifth with 3 days a
    month moved from social care to NHS (every other time with evidence); the rest just in line."""
    lines = []
    for i, code in enumerate(sorted(rows)[:40]):
        plan = floor_plan(rows[code])
        if i % 4 == 0:
            plan[date(2018, 12, 1)][0] += 30
        elif i % 5 == 0 and all(plan[m][1] >= 3 for m in ASSESSED):
            plan = {m: [n + 3, a - 3, j] if m in ASSESSED else [n, a, j] for m, (n, a, j) in plan.items()}
        lines += plan_rows(code, plan, {date(2019, 1, 1): "minutes of 3 May"} if i % 10 == 5 else None)
    return lines


@pytest.fixture(scope="module")
def publications(real_publication, real_data, config, tmp_path_factory):
    root = tmp_path_factory.mktemp("workbooks")
    codes = sorted(published_rows(real_publication))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        request = MonitorRequest(
            real_data, config, root / "none", "2018-19", root / "monitor", real_publication, None, (), True
        )
        monitor_year(request, lambda plan: publish_monitor(plan, log=lambda line: None), lambda line: None)
        plans_file = write_plans(root / "plans.csv", plans(published_rows(real_publication)))
        assure_plans(plans_file, real_publication, root / "assurance", config)
        shares = root / "shares.csv"
        shares.write_text(
            f"hwb_code,ccg_code,ccg_name,nhs_share\n{codes[0]},00A,Alpha CCG,0.25\n{codes[0]},00B,Beta CCG,0.75\n"
            f"{codes[1]},01A,Solo CCG,1\n",
            encoding="utf-8",
        )
        split_shares(shares, real_publication, root / "split", config)
    return SimpleNamespace(
        run=real_publication, monitor=root / "monitor", assurance=root / "assurance", split=root / "split"
    )


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def workbooks(publications) -> list[Path]:
    hwbs = [next((publications.run / "hwb").glob(f"{code}-*.xlsx")) for code in HWB_SAMPLE]
    return [
        publications.run / "expectations.xlsx",
        *hwbs,
        publications.monitor / "monitoring.xlsx",
        publications.assurance / "assurance.xlsx",
        publications.split / "ccg_split.xlsx",
    ]


def test_no_workbook_leaves_a_code_or_a_machine_name_for_a_person_to_read(publications):
    found = [line for path in workbooks(publications) for line in codes_left(path)]
    assert found == [], "\n".join(found[:20])


def test_every_workbook_maps_each_header_to_its_csv_column(publications):
    for path in workbooks(publications):
        book = openpyxl.load_workbook(path, read_only=True)
        assert book.sheetnames[-1] == "Columns" and "Summary" in book.sheetnames, path.name
        mapping = list(book["Columns"].iter_rows(min_row=2, values_only=True))
        assert mapping and all(sheet in book.sheetnames and header and name for sheet, header, name, _ in mapping)


def test_the_run_s_summary_sheets_state_its_manifest_s_sources_date_and_validation(publications):
    recorded = manifest(publications.run)
    wanted = manifest_sources(recorded["inputs"])
    assert len(wanted) == 4  # the quarter's three workbooks and the population estimates
    for path in workbooks(publications)[:4]:
        about = about_block(openpyxl.load_workbook(path)["Summary"])
        assert shown_sources(about) == wanted, path.name
        assert about["published"].isoformat() == recorded["publication_date"], path.name
        validation = recorded["validation"]
        assert about["validation"].startswith(
            f"Validation passed: {validation['checks']} checks, {validation['checks_passed']} passed, 0 failed"
        )
        assert about["parameters"]["Population estimates"] == recorded["population_vintage"] == "mid-2016"
        assert all(s[4].startswith("https://") for s in about["sources"])


def test_the_other_summary_sheets_state_their_sources_and_the_expectations_validation(publications):
    run = manifest(publications.run)
    gate = f"Validation passed: {run['validation']['checks']} checks"
    monitoring = manifest(publications.monitor)
    about = about_block(openpyxl.load_workbook(publications.monitor / "monitoring.xlsx")["Summary"])
    year = [(i["file_name"], i["published"], i["revised"]) for i in monitoring["inputs"]]
    assert len(year) == 12 and shown_sources(about) == year + manifest_sources(run["inputs"])
    assert about["published"] == date(2019, 1, 1) and monitoring["publication_date"] == "2019-01-01"
    assert about["validation"].startswith(gate)
    for folder, name, record in (
        (publications.assurance, "assurance.xlsx", "plans"),
        (publications.split, "ccg_split.xlsx", "shares"),
    ):
        recorded = manifest(folder)
        about = about_block(openpyxl.load_workbook(folder / name)["Summary"])
        assert shown_sources(about)[:-1] == manifest_sources(run["inputs"]), name
        assert about["sources"][-1][0] == Path(recorded[record]["path"]).name
        assert recorded[record]["sha256"] in about["sources"][-1][1]
        assert about["published"].isoformat() == recorded["publication_date"] == "2019-01-01"
        assert about["validation"].startswith(gate) and f"{recorded[record]['rows']:,} rows" in about["validation"]
        assert about["parameters"]["Expectations table sha256"] == recorded["expectations"]["expectations_sha256"]


def test_monitoring_opens_with_the_hwbs_furthest_above_their_expectation(publications):
    import polars as pl

    book = openpyxl.load_workbook(publications.monitor / "monitoring.xlsx", read_only=True)
    assert book.sheetnames[0] == "Furthest above"
    rows = list(book["Furthest above"].iter_rows(min_row=4, values_only=True))
    table = pl.read_csv(publications.monitor / "monitoring.csv", try_parse_dates=True)
    march = table.filter((pl.col("attribution") == "total") & (pl.col("month") == date(2019, 3, 1)))
    gaps = {r["hwb_code"]: r["actual_daily"] - r["expected_daily"] for r in march.iter_rows(named=True)}
    assert [r[1] for r in rows] == sorted(gaps, key=lambda code: -gaps[code])  # every cell of March 2019 reported
    assert [r[5] for r in rows] == pytest.approx(sorted(gaps.values(), reverse=True), rel=1e-12)
