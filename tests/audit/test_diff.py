"""`dtoc diff` in process: headline counts first (HWBs changed, band changes, national totals before and after),
warnings when two publications differ in baseline quarter or parameters, then the detail.

Publications are computed here from the real workbooks (expectations.parquet + dtoc.duckdb, as a run leaves
them); the revision is the real December 2017 sheet with Shropshire's social care cell G144 raised by 500."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from dtoc.audit.diff import diff_publications, format_diff
from dtoc.model.pipeline import compute_expectations
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
    for ref, value in {"G144": grid[143][6] + 500, "I144": grid[143][8] + 500}.items():
        set_cell(grid, ref, value)
    write_grid(revised / "december.xls", {"LA - by responsible org": grid})
    other_policy = config.with_policy(replace(config.band_policy("nhs"), target_rate=6.0))
    return {
        "base": publish(root / "base", real_data, config),
        "revised": publish(root / "revised", revised, config),
        "policy": publish(root / "policy", real_data, other_policy),
        "quarter": publish(root / "quarter", real_data, config.with_baseline("2017-18Q4")),
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
    assert (
        lines[lines.index("Bands that changed:") + 1]
        == "  Shropshire (E06000051): social care maintain -> reduce_to_target"
    )
    detail = next(i for i, line in enumerate(lines) if "G144" in line)
    assert detail > 4 and "E06000051 Shropshire:" in lines[detail + 1 :]
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


def test_other_population_estimates_are_warned_about_and_cells_show_both_files(
    real_publication, real_data, config, tmp_path
):
    from tests.conftest import publish_in_process

    newer = tmp_path / "mid-2017"
    population = real_data / "ons-mye" / "ukmidyearestimates2017finalversion.xls"
    publish_in_process(real_publication.parent / "data", newer, config, population=population)
    diff = diff_publications(real_publication, newer)
    assert any(w.startswith("the population estimates differ (mid-2016 -> mid-2017)") for w in diff["warnings"])
    text = format_diff(diff)
    line = next(line for line in text.split("\n") if line.startswith("population E06000001 "))
    assert "ukmidyearestimates2016.xls" in line and "ukmidyearestimates2017finalversion.xls" in line


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
