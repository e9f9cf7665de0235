"""`dtoc run` as a user runs it: a whole process, through the Prefect flow, on the real Q3 2017-18 data."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import run_dtoc, tree_digest

CONTRACT = ("hwb_code,hwb_name,population_18plus,population_vintage,baseline_nhs_daily,baseline_asc_daily,"
            "baseline_joint_daily,baseline_nhs_rate,baseline_asc_rate,baseline_joint_rate,nhs_band,asc_band,"
            "expected_nhs_rate,expected_asc_rate,expected_joint_rate,expected_nhs_daily,expected_asc_daily,"
            "expected_joint_daily,expected_total_daily").split(",")

pytestmark = pytest.mark.flow


@pytest.fixture(scope="module")
def published(good_publication):
    return good_publication


def test_run_publishes_the_contract_table(published):
    result, out = published
    assert result.returncode == 0, result.stderr[-3000:]
    assert "151 Health and Wellbeing Boards" in result.stdout
    assert f"Published to {out}" in result.stdout
    table = pl.read_csv(out / "expectations.csv")
    assert table.columns[:19] == CONTRACT
    assert table.height == 151 and table["hwb_code"].to_list() == sorted(table["hwb_code"].to_list())
    parquet = pl.read_parquet(out / "expectations.parquet")
    assert parquet.columns == table.columns
    assert (parquet["expected_total_daily"] - table["expected_total_daily"]).abs().max() == 0
    assert 3900 <= table["expected_total_daily"].sum() <= 4050
    assert (out / "dtoc.duckdb").is_file()
    assert "Resident in Scotland" in (out / "run-log.txt").read_text()


def test_failed_run_publishes_nothing_and_keeps_the_last_publication(published, real_workbook, real_data,
                                                                    prefect_server, tmp_path):
    _, good = published
    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(good), str(out)], check=True)
    before = tree_digest(out)
    data = tmp_path / "data"
    data.mkdir()
    for source in (real_workbook("October 2017"), real_workbook("November 2017"),
                   real_data / "ons-mye" / "ukmidyearestimates2016.xls"):
        os.symlink(source, data / source.name)
    result = run_dtoc(["run", "--data-dir", str(data), "--out", str(out)], {**prefect_server, "DTOC_OFFLINE": "1"},
                      tmp_path)
    assert result.returncode == 1
    assert "no DToC workbook" in result.stderr and "December 2017" in result.stderr
    assert "Traceback" not in result.stderr  # an input error is reported, not a crash
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".out.staging-*"))


def test_a_second_run_stops_while_another_holds_the_output(published, real_data, prefect_server, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys; from pathlib import Path; from dtoc.publish import transaction as publish\n"
                               f"with publish.publication_lock(Path({str(out)!r})):\n"
                               "    print('locked', flush=True); sys.stdin.readline()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run_dtoc(["run", "--data-dir", str(real_data), "--out", str(out)], prefect_server, tmp_path)
    finally:
        holder.communicate("\n", timeout=10)
    assert result.returncode == 1
    assert "another dtoc run is in progress" in result.stderr
    assert not out.exists()


def test_run_needs_no_prefect_server(real_data, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    result = run_dtoc(["run", "--data-dir", str(real_data), "--out", str(tmp_path / "out")], env, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert pl.read_csv(tmp_path / "out" / "expectations.csv").height == 151


def test_bad_baseline_label_is_a_clear_error(tmp_path):
    result = run_dtoc(["run", "--baseline", "2017Q3", "--out", str(tmp_path / "o")], dict(os.environ), tmp_path)
    assert result.returncode == 1 and "expected YYYY-YYQn" in result.stderr


VOLATILE_MANIFEST_KEYS = {"started", "finished", "prefect_flow_run_id", "outputs"}


def test_two_runs_on_the_same_inputs_write_identical_data_files(published, real_data, prefect_server, tmp_path):
    _, first = published
    second = tmp_path / "second"
    result = run_dtoc(["run", "--data-dir", str(real_data), "--out", str(second)], prefect_server, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    not_data = ("dtoc.duckdb", "manifest.json", "index.csv")  # index.csv lists the database's own sha256
    data_files = {name: digest for name, digest in tree_digest(first).items() if name not in not_data}
    assert "expectations.csv" in data_files and "expectations.parquet" in data_files and len(data_files) > 700
    second_files = tree_digest(second)
    assert {name: second_files.get(name) for name in data_files} == data_files
    indexes = [[line for line in (folder / "index.csv").read_text().splitlines() if "dtoc.duckdb" not in line]
               for folder in (first, second)]
    assert indexes[0] == indexes[1] and len(indexes[0]) > 700
    import json
    manifests = [json.loads((folder / "manifest.json").read_text()) for folder in (first, second)]
    assert [{k: v for k, v in m.items() if k not in VOLATILE_MANIFEST_KEYS} for m in manifests][0] == \
           [{k: v for k, v in m.items() if k not in VOLATILE_MANIFEST_KEYS} for m in manifests][1]
    listed = {o["path"]: o["sha256"] for o in manifests[1]["outputs"]}
    assert {name: listed[name] for name in data_files} == {name: second_files[name] for name in data_files}
