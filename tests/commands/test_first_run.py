"""A fresh clone in two commands (issue 21): `dtoc run` with no data at all downloads the inputs it needs into
data/raw, from a loopback server standing in for the official sites (the sources manifest's URLs pointed at it),
says so a line per file, and publishes; offline it stops in one line naming every missing file, where it goes,
and --data-dir / DTOC_DATA_DIR. A data folder named explicitly that does not exist stays an error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from dtoc.errors import DtocError
from tests.conftest import invoke_cli, run_in_process
from tests.support.loopback import closed_port_url, loopback_manifest

QUARTER_FILES = {  # what a first run of the default quarter (2017-18 Q3, mid-2016 estimates) needs, by the README
    "nhse-dtoc-la/LA-Type-B-October-2017-B2B1c.xls",
    "nhse-dtoc-la/LA-Type-B-November-2017-0smeW.xls",
    "nhse-dtoc-la/LA-Type-B-December-2018-3SmuW.xls",
    "ons-mye/ukmidyearestimates2016.xls",
}


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_first_run_with_no_data_folder_downloads_what_it_needs_and_publishes(
    official_site, real_data, config, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # a clone where data/raw does not exist at all
    said: list[str] = []
    manifest = loopback_manifest(tmp_path / "sources.csv", official_site)
    outcome = run_in_process(Path("data/raw"), tmp_path / "out", config, fetch_from=manifest, log=said.append)
    raw = tmp_path / "data" / "raw"
    assert files_under(raw) == QUARTER_FILES
    for name in QUARTER_FILES:
        assert (
            hashlib.sha256((raw / name).read_bytes()).digest()
            == hashlib.sha256((real_data / name).read_bytes()).digest()
        )
    progress = [line for line in said if "downloading" in line]
    assert [line.split("(")[1].split(")")[0] for line in progress] == ["1 of 4", "2 of 4", "3 of 4", "4 of 4"]
    assert all(official_site in line and "sha256-checked" in line for line in progress)
    assert outcome.published is not None and pl.read_csv(tmp_path / "out" / "expectations.csv").height == 151


def test_offline_the_first_run_names_every_missing_file_in_one_line(config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    manifest = loopback_manifest(tmp_path / "sources.csv", closed_port_url())
    with pytest.raises(DtocError) as caught:
        run_in_process(Path("data/raw"), tmp_path / "out", config, fetch_from=manifest)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("cannot download LA-Type-B-October-2017-B2B1c.xls")
    assert all(Path(name).name in message for name in QUARTER_FILES)
    for fragment in ("data/raw/nhse-dtoc-la", "data/raw/ons-mye", "--data-dir", "DTOC_DATA_DIR", "offline"):
        assert fragment in message, (fragment, message)
    assert files_under(tmp_path / "data") == set() and not (tmp_path / "out").exists()


def test_the_command_line_says_it_in_one_line_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DTOC_DATA_DIR", raising=False)
    monkeypatch.setenv("DTOC_OFFLINE", "0")  # the tests' default is never to download
    manifest = loopback_manifest(tmp_path / "sources.csv", closed_port_url())
    result = invoke_cli(["run", "--sources-manifest", str(manifest), "--out", str(tmp_path / "out")])
    errors = [line for line in result.stderr.splitlines() if line]
    assert result.exit_code == 1 and len(errors) == 1 and errors[0].startswith("dtoc: error: cannot download")
    assert "ukmidyearestimates2016.xls" in errors[0] and "DTOC_DATA_DIR" in errors[0]
    assert "holds no file with the DToC workbook for October 2017: downloading" in result.stdout


@pytest.mark.parametrize("how", ["--data-dir", "DTOC_DATA_DIR"])
def test_a_data_folder_named_but_absent_stays_an_error(tmp_path, monkeypatch, how):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DTOC_OFFLINE", "0")
    missing = tmp_path / "nowhere"
    manifest = loopback_manifest(tmp_path / "sources.csv", closed_port_url())
    args = ["run", "--sources-manifest", str(manifest), "--out", str(tmp_path / "out")]
    if how == "--data-dir":
        monkeypatch.delenv("DTOC_DATA_DIR", raising=False)
        args += ["--data-dir", str(missing)]
    else:
        monkeypatch.setenv("DTOC_DATA_DIR", str(missing))
    result = invoke_cli(args)
    assert result.exit_code == 1 and f"data folder {missing} does not exist" in result.stderr
    assert not missing.exists() and not (tmp_path / "data").exists()


def test_without_downloads_the_default_folder_is_not_made(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DTOC_DATA_DIR", raising=False)
    result = invoke_cli(["run", "--no-fetch", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "data folder data/raw does not exist" in result.stderr
    assert not (tmp_path / "data").exists()
