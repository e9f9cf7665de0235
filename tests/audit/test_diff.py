"""`dtoc diff` in process: headline counts first (HWBs changed, band changes, national totals before and after),
warnings when two publications differ in baseline quarter or parameters, then the detail.

Publications are computed here from the real workbooks (expectations.parquet + dtoc.duckdb, as a run leaves
them); the revision is the real December 2017 sheet with Shropshire's social care cell G144 (and England's) raised
by 500."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from dtoc.audit.diff import diff_publications
from dtoc.model.pipeline import compute_expectations
from dtoc.report.diff_text import format_diff
from tests.support.workbooks import read_real_sheet, set_cell, write_grid


def publish(folder: Path, data: Path, config) -> Path:
    folder.mkdir(parents=True)
    table, _ = compute_expectations(data, config, database_path=folder / "dtoc.duckdb")
    table.write_parquet(folder / "expectations.parquet")
    return folder


@pytest.fixture(scope="module")
def publications(real_data, real_workbook, config, tmp_path_factory):
    root = tmp_path_factory.mktemp("diff")
    revised = root / "revised-data"
    revised.mkdir()
    for period in ("October 2017", "November 2017"):
        os.symlink(real_workbook(period), revised / real_workbook(period).name)
    os.symlink(real_data / "ons-mye" / "ukmidyearestimates2016.xls", revised / "ukmidyearestimates2016.xls")
    grid = read_real_sheet(real_workbook("December 2017"))
    england = next(r for r, row in enumerate(grid) if "England" in row) + 1  # the England row, revised too
    for ref, value in {
        "G144": grid[143][6] + 500,
        "I144": grid[143][8] + 500,
        f"G{england}": grid[england - 1][6] + 500,
        f"I{england}": grid[england - 1][8] + 500,
    }.items():
        set_cell(grid, ref, value)
    write_grid(revised / "december.xls", {"LA - by responsible org": grid})
    other_policy = config.with_policy(replace(config.band_policy("nhs"), target_rate=6.0))
    return {
        "base": publish(root / "base", real_data, config),
        "revised": publish(root / "revised", revised, config),
        "policy": publish(root / "policy", real_data, other_policy),
        "quarter": publish(root / "quarter", real_data, config.with_baseline("2017-18Q4")),
        "G144": int(grid[143][6]) - 500,  # the cell as published (the grid now holds the revision)
        "december": real_workbook("December 2017").name,
    }


def sums(folder: Path) -> tuple[float, float]:
    """Baseline and expected national daily delays, summed here from the published table."""
    table = pl.read_parquet(folder / "expectations.parquet")
    baseline = sum(table[f"baseline_{s}_daily"].sum() for s in ("nhs", "asc", "joint"))
    return baseline, table["expected_total_daily"].sum()


def test_a_revision_is_summed_up_before_the_detail(publications):
    diff = diff_publications(publications["base"], publications["revised"])
    head = diff["headline"]
    assert (head["hwbs_in_both"], head["hwbs_changed"], head["hwbs_added"], head["hwbs_removed"]) == (151, 1, 0, 0)
    # 500 more social care days over 92 days move Shropshire's rate into another band (test_refresh.py agrees)
    assert head["band_changes"] == {"nhs_band": 0, "asc_band": 1}
    (old_baseline, old_expected), (new_baseline, new_expected) = (
        sums(publications["base"]),
        sums(publications["revised"]),
    )
    assert head["national"]["baseline_total_daily"]["old"] == pytest.approx(old_baseline, rel=1e-12)
    assert head["national"]["baseline_total_daily"]["new"] == pytest.approx(new_baseline, rel=1e-12)
    assert head["national"]["baseline_total_daily"]["change"] == pytest.approx(500 / 92, rel=1e-9)
    assert head["national"]["expected_total_daily"]["new"] == pytest.approx(new_expected, rel=1e-12)
    assert head["national"]["expected_total_daily"]["old"] == pytest.approx(old_expected, rel=1e-12)
    assert diff["warnings"] == []
    lines = format_diff(diff).split("\n")
    assert lines[1] == "HWBs: 151 in both, 1 changed, 0 added, 0 removed"
    assert lines[2] == "Band changes: NHS 0, social care 1"
    assert lines[3].startswith("National baseline daily delays (sum of the HWBs): ") and lines[3].endswith("(+5.4)")
    assert head["band_change_lines"] == ["Shropshire (E06000051): social care Keep the rate -> Reduce to the target"]
    hwb = lines.index("HWB-level changes (1 HWBs; figures rounded as published, band changes first):")
    g144 = publications["G144"]
    assert lines[hwb + 1].startswith(
        "  Shropshire (E06000051): social care band Keep the rate -> Reduce to the target; baseline daily: social care "
    )
    assert lines[hwb + 3 :] == [
        "Input cells that changed:",
        "Delayed days: 2 cell(s), 1 of HWBs:",  # Shropshire's and England's social care cells
        f"  December 2017, Shropshire (E06000051), social care: {g144:,} -> {g144 + 500:,}, "
        f"{publications['december']} 'LA - by responsible org'!G144 -> december.xls 'LA - by responsible org'!G144",
        "  and 1 cell(s) of rows that are no HWB (England, the non-England rows), not listed: --format json lists them",
    ]
    assert json.loads(json.dumps(diff, default=str))["headline"] == json.loads(json.dumps(head))


def test_other_parameters_are_warned_about(publications):
    diff = diff_publications(publications["base"], publications["policy"])
    assert diff["warnings"] == ["the publications were computed with different parameters: nhs.target_rate 5.5 -> 6.0"]
    text = format_diff(diff)
    assert "warning: the publications were computed with different parameters" in text.split("\n")[5]


def test_another_baseline_quarter_is_warned_about(publications):
    diff = diff_publications(publications["base"], publications["quarter"])
    assert diff["warnings"][0] == (
        "the baseline quarters differ (2017-18Q3 -> 2017-18Q4): the publications are not revisions of one another"
    )
    assert len(diff["warnings"]) == 1  # the months and days follow from the quarter: not listed again


def test_the_same_publication_has_nothing_to_report(publications):
    diff = diff_publications(publications["base"], publications["base"])
    assert diff["headline"]["hwbs_changed"] == 0 and diff["warnings"] == []
    assert format_diff(diff).endswith("no differences in the published figures or source cells")


def test_parameters_come_from_the_manifest_without_a_database_and_unknown_is_said(publications, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(publications["policy"] / "expectations.parquet", copy)
    diff = diff_publications(publications["base"], copy)
    assert diff["warnings"] == [
        f"the parameters of {copy} are not recorded (no dtoc.duckdb or manifest.json "
        "parameters): the figures may not be comparable"
    ]
    parameters = json.loads(json.dumps(diff_parameters(publications["policy"])))
    (copy / "manifest.json").write_text(json.dumps({"parameters": parameters}), encoding="utf-8")
    assert diff_publications(publications["base"], copy)["warnings"] == [
        "the publications were computed with different parameters: nhs.target_rate 5.5 -> 6.0"
    ]


def diff_parameters(folder: Path) -> dict:
    import duckdb

    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        return json.loads(connection.execute("select value from run_parameters").fetchall()[0][0])


BAND_WORDS = {
    "maintain": "Keep the rate",
    "reduce_to_target": "Reduce to the target",
    "reduce_by_cap": "Reduce by the cap",
}


@pytest.fixture(scope="module")
def population_change(real_publication, real_data, config, tmp_path_factory):
    """The real quarter published with the mid-2016 estimates (real_publication) and with the mid-2017 ones."""
    from tests.conftest import publish_in_process

    newer = tmp_path_factory.mktemp("mid-2017") / "published"
    population = real_data / "ons-mye" / "ukmidyearestimates2017finalversion.xls"
    publish_in_process(real_publication.parent / "data", newer, config, population=population)
    return diff_publications(real_publication, newer)


def test_a_population_change_reads_in_a_few_hundred_lines_rounded_as_published(
    population_change, real_data, real_workbook
):
    """Every HWB changes (every rate moves with the population): one line per HWB, then one per population cell
    of an HWB's area (151 HWBs and the Isles of Scilly, Cornwall's); the districts, counties, regions and nations
    that are no HWB counted. Expected figures come from the source cells, read here."""
    from tests.conftest import QUARTER_PERIODS
    from tests.support.source_cells import read_month, read_population, recompute_quarter

    diff = population_change
    assert any(w.startswith("the population estimates differ (mid-2016 -> mid-2017)") for w in diff["warnings"])
    text = format_diff(diff)
    lines = text.split("\n")
    hwb = lines.index("HWB-level changes (151 HWBs; figures rounded as published, band changes first):")
    cells = lines.index("Input cells that changed:")
    assert len([line for line in lines[hwb + 1 : cells] if line.startswith("  ")]) == 151
    population = lines[cells + 1]
    changed = len(diff["source_cells_changed"]["population"])
    assert population == f"Population aged 18+: {changed} cell(s), 152 of HWBs:" and changed > 300
    assert lines[cells + 2 + 152] == (
        f"  and {changed - 152} cell(s) of areas that are no HWB (districts, ...), not listed: --format json lists them"
    )
    assert len(lines) == cells + 2 + 152 + 1 and len(lines) < 330  # 1,691 lines before
    assert not re.search(r"\d\.\d{3}", "\n".join(lines[hwb:])), "a figure printed past the published precision"
    months = [read_month(real_workbook(period)) for period in QUARTER_PERIODS]
    files = ("ukmidyearestimates2016.xls", "ukmidyearestimates2017finalversion.xls")
    old, new = (read_population(real_data / "ons-mye" / name) for name in files)
    before, after = recompute_quarter(months, old), recompute_quarter(months, new)
    for code in ("E06000001", "E09000007", "E06000052"):  # Hartlepool, Camden (a band changes), Cornwall
        line = next(line for line in lines[hwb:cells] if f"({code}): " in line)
        was, now = before[code], after[code]
        assert f"population 18+ {was['population_18plus']:,} -> {now['population_18plus']:,}" in line
        rates = [
            f"{label} {float(was[f'baseline_{k}_rate']):.2f} -> {float(now[f'baseline_{k}_rate']):.2f}"
            for k, label in (("nhs", "NHS"), ("asc", "social care"), ("joint", "joint"))
            if f"{float(was[f'baseline_{k}_rate']):.2f}" != f"{float(now[f'baseline_{k}_rate']):.2f}"
        ]
        assert f"baseline rate: {', '.join(rates)}" in line, line
        if was["nhs_band"] != now["nhs_band"]:
            assert line.index(f"NHS band {BAND_WORDS[was['nhs_band']]} -> {BAND_WORDS[now['nhs_band']]}") < 30
    for code in ("E06000001", "E06000053"):  # an HWB, and the Isles of Scilly, part of Cornwall's row
        line = next(line for line in lines[cells:] if f"({code}): " in line)
        assert line.endswith(
            f": {old.adults[code]:,} -> {new.adults[code]:,}, {files[0]} 'MYE2 - All'!{old.cells[code]} -> "
            f"{files[1]} 'MYE2 - All'!{new.cells[code]}"
        )


def test_the_json_keeps_every_figure_at_full_precision(population_change):
    document = json.loads(json.dumps(population_change, default=str))
    hartlepool = next(h for h in document["hwbs_changed"] if h["hwb_code"] == "E06000001")
    rate = next(f for f in hartlepool["figures"] if f["figure"] == "baseline_nhs_rate")
    assert rate["old"] == float(repr(rate["old"])) and len(repr(rate["old"]).split(".")[1]) > 6
    population = document["source_cells_changed"]["population"]
    assert len(population) > 300 and {c["hwb_code"] for c in population} >= {"E06000052", None}


def test_a_damaged_publication_is_one_line_for_diff_and_monitor(real_publication, real_data, tmp_path):
    from tests.conftest import invoke_cli

    damaged = tmp_path / "damaged"
    shutil.copytree(real_publication, damaged)
    parquet = damaged / "expectations.parquet"
    parquet.write_bytes(parquet.read_bytes()[:200])
    for arguments in (
        ["diff", str(real_publication), str(damaged)],
        [
            "monitor",
            "--data-dir",
            str(real_data),
            "--expectations",
            str(damaged),
            "--out",
            str(tmp_path / "monitor"),
        ],
    ):
        result = invoke_cli(arguments)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert f"{parquet} cannot be read" in result.stderr and "publish it again with `dtoc run`" in result.stderr
