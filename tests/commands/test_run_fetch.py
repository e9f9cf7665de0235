"""`dtoc run` downloads what the data folder lacks (here from a loopback server standing in for the official
site: the manifest's URLs are pointed at it), checks the sha256 and then computes as usual."""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest

from dtoc.ingest.downloads import SOURCES_MANIFEST, absent_sources, read_sources_manifest
from dtoc.ingest.inputs import SourceFile
from tests.conftest import invoke_cli, run_in_process
from tests.support.loopback import QuietHandler


@pytest.fixture()
def official_site(real_data):
    """A loopback HTTP server serving the real published files by name."""
    mirror = real_data / "nhse-dtoc-la"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(mirror)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def loopback_manifest(path: Path, base_url: str) -> Path:
    """The project's sources manifest with each URL's host replaced by the loopback server."""
    with SOURCES_MANIFEST.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["url"] = f"{base_url}/{row['file_name']}"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


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
