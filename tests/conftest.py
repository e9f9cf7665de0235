"""Shared fixtures: the real published data folder, and small workbooks the tests write themselves."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from dtoc.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def real_data_dir() -> Path:
    """$DTOC_DATA_DIR, else ../shared/data beside the project. Tests that need it fail (not skip) without it."""
    configured = os.environ.get("DTOC_DATA_DIR")
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def real_data() -> Path:
    folder = real_data_dir()
    if not (folder / "nhse-dtoc-la").is_dir():
        pytest.fail(f"the real published workbooks are needed in {folder} (set DTOC_DATA_DIR)")
    return folder


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def real_workbook(real_data):
    """Path of the real monthly workbook for a period label such as 'December 2017' (read from SOURCES.tsv)."""
    import csv
    with (real_data / "SOURCES.tsv").open(newline="") as handle:
        rows = {row["period_in_file"]: real_data / row["path"] for row in csv.DictReader(handle, delimiter="\t")}
    return rows.__getitem__
