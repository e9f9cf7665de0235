"""The tests find their data (issue 21): $DTOC_DATA_DIR, then ../shared/data, then data/raw; when none holds them
they are fetched once into data/raw by dtoc's own fetch (here from a loopback server standing in for the official
sites, with files the test makes), and offline one line says how to provide them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dtoc.errors import DtocError
from dtoc.ingest.downloads import HttpDownloader, SourceEntry
from tests.support.loopback import PayloadHandler, closed_port_url, serving, url_of
from tests.support.real_data import candidate_folders, find_real_data

PAYLOADS = {"oct.xls": b"october " * 500, "pop.xls": b"population " * 500}


def entries(base_url: str) -> list[SourceEntry]:
    listed = [("oct.xls", "delays", "October 2017"), ("pop.xls", "population", "mid-2016")]
    return [
        SourceEntry(name, kind, period, "", "", hashlib.sha256(PAYLOADS[name]).hexdigest(), f"{base_url}/{name}", "")
        for name, kind, period in listed
    ]


@pytest.fixture
def site():
    with serving(PayloadHandler, {f"/{name}": body for name, body in PAYLOADS.items()}) as httpd:
        yield httpd


def holding_folder(folder: Path) -> Path:
    """A folder laid out as ../shared/data is, holding the two files and its record."""
    (folder / "nhse-dtoc-la").mkdir(parents=True)
    (folder / "ons-mye").mkdir()
    (folder / "nhse-dtoc-la" / "oct.xls").write_bytes(PAYLOADS["oct.xls"])
    (folder / "ons-mye" / "pop.xls").write_bytes(PAYLOADS["pop.xls"])
    (folder / "SOURCES.tsv").write_text("path\tperiod_in_file\n")
    return folder


def find(root: Path, listed: list[SourceEntry], environ: dict[str, str], log=lambda line: None) -> Path:
    return find_real_data(root / "project", listed, HttpDownloader(timeout=5), root / "lock", environ, log)


def test_folders_are_tried_in_the_issue_s_order(tmp_path):
    project = tmp_path / "project"
    assert candidate_folders(project, {"DTOC_DATA_DIR": "/elsewhere"}) == [
        Path("/elsewhere"),
        tmp_path / "shared" / "data",
        project / "data" / "raw",
    ]
    assert candidate_folders(project, {})[0] == tmp_path / "shared" / "data"


def test_the_first_folder_that_holds_them_is_used_and_nothing_is_fetched(tmp_path, site):
    holding_folder(tmp_path / "shared" / "data")
    incomplete = tmp_path / "mine"
    (incomplete / "nhse-dtoc-la").mkdir(parents=True)  # DTOC_DATA_DIR set, but lacking the files: passed over
    found = find(tmp_path, entries(url_of(site)), {"DTOC_DATA_DIR": str(incomplete)})
    assert found == tmp_path / "shared" / "data" and site.requests == []
    mine = holding_folder(tmp_path / "complete")
    assert find(tmp_path, entries(url_of(site)), {"DTOC_DATA_DIR": str(mine)}) == mine


def test_none_holds_them_so_they_are_fetched_once_into_data_raw(tmp_path, site):
    said: list[str] = []
    found = find(tmp_path, entries(url_of(site)), {}, said.append)
    assert found == tmp_path / "project" / "data" / "raw"
    assert (found / "nhse-dtoc-la" / "oct.xls").read_bytes() == PAYLOADS["oct.xls"]
    assert (found / "ons-mye" / "pop.xls").read_bytes() == PAYLOADS["pop.xls"]
    record = (found / "SOURCES.tsv").read_text().splitlines()
    assert record[0].split("\t") == ["path", "period_in_file", "published", "revised", "sha256", "official_url"]
    assert record[1].split("\t")[:2] == ["nhse-dtoc-la/oct.xls", "October 2017"]
    assert sorted(site.requests) == ["/oct.xls", "/pop.xls"] and len(said) == 2
    assert find(tmp_path, entries(url_of(site)), {}) == found and len(site.requests) == 2  # once


def test_a_file_already_in_data_raw_is_kept_and_not_downloaded_again(tmp_path, site):
    raw = tmp_path / "project" / "data" / "raw"
    (raw / "nhse-dtoc-la").mkdir(parents=True)
    (raw / "nhse-dtoc-la" / "oct.xls").write_bytes(PAYLOADS["oct.xls"])
    assert find(tmp_path, entries(url_of(site)), {}) == raw and site.requests == ["/pop.xls"]


def test_offline_the_tests_say_in_one_line_how_to_provide_the_data(tmp_path):
    closed = closed_port_url()
    with pytest.raises(DtocError) as caught:
        find(tmp_path, entries(closed), {"DTOC_DATA_DIR": str(tmp_path / "nowhere")})
    message = str(caught.value)
    assert "\n" not in message
    for fragment in ("set DTOC_DATA_DIR", "../shared/data", str(tmp_path / "nowhere"), "cannot download oct.xls"):
        assert fragment in message, (fragment, message)
    raw = tmp_path / "project" / "data" / "raw"
    assert f"fetching them into {raw} failed" in message and "nhse-dtoc-la/ and ons-mye/" in message
    assert [p for p in raw.rglob("*") if p.is_file()] == []
