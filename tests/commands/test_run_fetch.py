"""`dtoc run` downloads what the data folder lacks (here from a loopback server standing in for the official
site: the manifest's URLs are pointed at it), checks the sha256 and then computes as usual."""

from __future__ import annotations

import hashlib
import os

import polars as pl

from dtoc.ingest.downloads import absent_sources, read_sources_manifest
from dtoc.ingest.inputs import SourceFile
from tests.conftest import invoke_cli, run_in_process
from tests.support.loopback import loopback_manifest


def test_run_downloads_the_missing_month_then_publishes(official_site, real_workbook, real_data, config, tmp_path):
    """`dtoc run`'s checks download what the folder lacks (before Prefect would start), then it computes."""
    data = tmp_path / "data"
    data.mkdir()
    for period in ("October 2017", "November 2017"):
        os.symlink(real_workbook(period), data / real_workbook(period).name)
    os.symlink(real_data / "ons-mye" / "ukmidyearestimates2016.xls", data / "ukmidyearestimates2016.xls")
    manifest = loopback_manifest(tmp_path / "sources.csv", official_site)
    said: list[str] = []
    run_in_process(data, tmp_path / "out", config, fetch_from=manifest, force=False, log=said.append)
    landed = data / "nhse-dtoc-la" / real_workbook("December 2017").name
    assert (
        hashlib.sha256(landed.read_bytes()).digest()
        == hashlib.sha256(real_workbook("December 2017").read_bytes()).digest()
    )
    assert any("holds no file with the DToC workbook for December 2017: downloading" in line for line in said)
    assert not [p for p in data.rglob("*") if ".partial" in p.name]
    assert pl.read_csv(tmp_path / "out" / "expectations.csv").height == 151


def test_offline_run_names_the_missing_month_instead(real_workbook, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(real_workbook("October 2017"), data / "october.xls")
    result = invoke_cli(["run", "--data-dir", str(data), "--out", str(tmp_path / "out"), "--no-fetch"])
    assert result.exit_code == 1 and "November 2017, December 2017" in result.stderr
    assert not (data / "nhse-dtoc-la").exists() and not (tmp_path / "out").exists()


def test_only_absent_periods_are_fetched(config, tmp_path):
    entries = read_sources_manifest()
    present = [
        SourceFile(tmp_path / "x.xls", "0" * 64, "delays", "2017-10-01"),
        SourceFile(tmp_path / "y.xls", "1" * 64, "delays", "2017-12-01"),  # another revision: kept
        SourceFile(tmp_path / "p.xls", "2" * 64, "population", "mid-2016"),
    ]
    wanted = absent_sources(present, config, entries, population_given=False)
    assert [(e.kind, e.period) for e in wanted] == [("delays", "November 2017")]
    assert [e.period for e in absent_sources(present[:2], config, entries, population_given=True)] == ["November 2017"]
    assert [e.period for e in absent_sources(present[:2], config, entries, population_given=False)][-1] == "mid-2016"
