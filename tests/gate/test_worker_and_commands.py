"""Failure paths of the validation worker and of the small commands (explain, fetch)."""

from __future__ import annotations

import csv
import hashlib
import os

import pytest

from dtoc.errors import ValidationFailed
from expectations.worker import GateWorker
from tests.conftest import run_dtoc
from tests.support.loopback import serving_folder
from tests.support.workbooks import Area, DelaysSheet, write_delays_workbook, write_population_workbook


def test_a_crashed_validation_worker_is_a_clear_failure(tmp_path, config):
    worker = GateWorker()
    with pytest.raises(ValidationFailed, match=r"validation worker failed .*nothing was published"):
        worker.run(tmp_path / "no-such.duckdb", tmp_path, config.sql_parameters())


def test_explain_without_a_finished_run_says_so(tmp_path):
    result = run_dtoc(["explain", "Kent", "--out", str(tmp_path)], dict(os.environ), tmp_path)
    assert result.returncode == 1 and "holds no finished run" in result.stderr


FILES = {
    "oct.xls": ("delays", "October 2017"),
    "nov.xls": ("delays", "November 2017"),
    "dec.xls": ("delays", "December 2017"),
    "pop.xls": ("population", "mid-2016"),
}


def write_manifest(path, url: str, mirror, without_url: str | None = None):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", "kind", "period", "published", "revised", "sha256", "url", "landing_page"])
        for name, (kind, period) in FILES.items():
            digest = hashlib.sha256((mirror / name).read_bytes()).hexdigest()
            writer.writerow(
                [
                    name,
                    kind,
                    period,
                    "",
                    "",
                    digest,
                    "" if name == without_url else f"{url}/{name}",
                    "https://www.ons.gov.uk/mye",
                ]
            )
    return path


def test_fetch_command_downloads_what_is_missing_once(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    areas = [Area("E06000001", "Hartlepool", 30, 12, 3)]
    for name, (kind, period) in FILES.items():
        if kind == "delays":
            write_delays_workbook(mirror / name, DelaysSheet(period, areas))
        else:
            write_population_workbook(mirror / name, {"E06000001": ("Hartlepool", 70000)})
    data = tmp_path / "data"
    with serving_folder(mirror) as url:
        manual = write_manifest(tmp_path / "manual.csv", url, mirror, without_url="pop.xls")
        refused = run_dtoc(
            ["fetch", "--data-dir", str(data), "--sources-manifest", str(manual)], dict(os.environ), tmp_path
        )
        assert refused.returncode == 1
        assert "https://www.ons.gov.uk/mye" in refused.stderr and str(data / "ons-mye") in refused.stderr
        assert not data.exists() or not any(p.is_file() for p in data.rglob("*"))  # nothing half-fetched
        direct = write_manifest(tmp_path / "direct.csv", url, mirror)
        fetched = run_dtoc(
            ["fetch", "--data-dir", str(data), "--sources-manifest", str(direct)], dict(os.environ), tmp_path
        )
        assert fetched.returncode == 0 and "4 file(s) downloaded" in fetched.stdout, fetched.stderr
        assert (data / "nhse-dtoc-la" / "dec.xls").read_bytes() == (mirror / "dec.xls").read_bytes()
        again = run_dtoc(
            ["fetch", "--data-dir", str(data), "--sources-manifest", str(direct)], dict(os.environ), tmp_path
        )
        assert again.returncode == 0 and "has every file needed" in again.stdout
