"""`dtoc monitor` as a user runs it: the whole command, through its Prefect flow, on the real 2018-19 workbooks."""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import run_dtoc
from tests.support.contract import MONITORING_COLUMNS

pytestmark = pytest.mark.flow


def test_monitor_command_publishes_every_output(real_data, real_publication, prefect_server, tmp_path):
    """`dtoc monitor` as a user runs it: the whole command, through its Prefect flow."""
    out = tmp_path / "monitor-2018-19"
    result = run_dtoc(
        [
            "monitor",
            "--year",
            "2018-19",
            "--data-dir",
            str(real_data),
            "--expectations",
            str(real_publication),
            "--out",
            str(out),
        ],
        prefect_server,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Monitoring 2018-19: 151 Health and Wellbeing Boards, 12 month(s) reported" in result.stdout
    assert "62 of 151 HWBs met their total" in result.stdout and result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == [
        "datapackage.json",
        "dtoc.duckdb",
        "manifest.json",
        "monitoring.csv",
        "monitoring.html",
        "monitoring.parquet",
        "monitoring.xlsx",
        "monitoring_national.csv",
        "monitoring_national.parquet",
        "run-log.txt",
    ]
    assert pl.read_csv(out / "monitoring.csv").columns == MONITORING_COLUMNS
    assert pl.read_parquet(out / "monitoring_national.parquet").height == 48
    import openpyxl

    book = openpyxl.load_workbook(out / "monitoring.xlsx", read_only=True)
    assert book.sheetnames[:3] == ["Furthest above", "National", "By HWB"]
    assert sum(1 for _ in book["By HWB"].iter_rows(values_only=True)) == 1 + 151 * 12 * 4
    page = (out / "monitoring.html").read_text(encoding="utf-8")
    assert "http" not in page and "<script" not in page and page.count("<link") == page.count('href="data:,"') == 1
    assert page.count('<figure id="E') == 151 and page.count("<svg") == 151 + 4 + 1  # HWBs, England, the key
    assert not list(tmp_path.glob(".monitor-2018-19.staging-*"))
