"""Support for the assurance tests (no tests here): a publication built in-process from the real workbooks,
plans files written from it, and the expected figures derived independently of dtoc.assure.

The rules are taken from the Operating Guidance and the issue, not from the code under test: the target is the
end of September 2018, held to March 2019; expected days in a month = expected daily delays x the calendar
days of the month; before September, the published glide path: a straight line by month index from the
baseline daily level (April 2018, index 0) to the expected level (September 2018, index 5). A planned figure
is in line when at most the expected days + 0.5.
"""

from __future__ import annotations

import calendar
import csv
import json
from datetime import date
from pathlib import Path

import polars as pl

PLAN_YEAR = [date(2018, m, 1) for m in range(4, 13)] + [date(2019, m, 1) for m in (1, 2, 3)]
ASSESSED = PLAN_YEAR[5:]  # September 2018 to March 2019
PARTS = {"nhs": "nhs", "social_care": "asc", "joint": "joint"}  # long-form key -> plans/published infix
HEADER = ["hwb_code", "month", "nhs_days", "asc_days", "joint_days", "evidence"]
_BUILT: dict[str, Path] = {}


def days(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def expected_daily(row: dict, infix: str, month: date) -> float:
    """The daily level the plan is compared with in month: the glide path before September, then expected."""
    baseline, expected = row[f"baseline_{infix}_daily"], row[f"expected_{infix}_daily"]
    index = PLAN_YEAR.index(month)
    return expected if index >= 5 else baseline + (expected - baseline) * index / 5


def expected_days(row: dict, key: str, month: date) -> float:
    if key == "total":
        return sum(expected_days(row, k, month) for k in PARTS)
    return expected_daily(row, PARTS[key], month) * days(month)


def build_publication(real_data: Path, config, root: Path) -> Path:
    """A finished-run folder (expectations.parquet/.csv, dtoc.duckdb, manifest.json) from the real Q3 data,
    built once per session."""
    if "folder" not in _BUILT:
        from dtoc.model.pipeline import compute_expectations
        from dtoc.publish.files import write_table

        folder = root / "published"
        folder.mkdir(parents=True)
        table, _ = compute_expectations(real_data, config, database_path=folder / "dtoc.duckdb")
        write_table(table, folder, "expectations")
        (folder / "manifest.json").write_text(json.dumps({"finished": "test", "fingerprint": {"test": 1}}))
        _BUILT["folder"] = folder
    return _BUILT["folder"]


def published_rows(folder: Path) -> dict[str, dict]:
    """hwb_code -> the published row, read from expectations.parquet as a reader of the publication would."""
    return {row["hwb_code"]: row for row in pl.read_parquet(folder / "expectations.parquet").iter_rows(named=True)}


def plan_rows(code: str, figures: dict[date, tuple[int, int, int]], evidence: dict[date, str] | None = None) -> list:
    evidence = evidence or {}
    return [[code, f"{m:%Y-%m}", *figures[m], evidence.get(m, "")] for m in sorted(figures)]


def write_plans(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def floor_plan(row: dict, months: list[date] = PLAN_YEAR) -> dict[date, list[int]]:
    """Whole days just below each expectation (in line with room to spare)."""
    return {m: [int(expected_days(row, k, m)) for k in PARTS] for m in months}


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def synthetic_row(code: str, name: str, region: str, nhs: float, asc: float, joint: float) -> dict:
    """A published row whose baseline equals its expectation (daily figures chosen by the test)."""
    return {
        "hwb_code": code,
        "hwb_name": name,
        "region": region,
        "baseline_nhs_daily": nhs,
        "baseline_asc_daily": asc,
        "baseline_joint_daily": joint,
        "expected_nhs_daily": nhs,
        "expected_asc_daily": asc,
        "expected_joint_daily": joint,
        "expected_total_daily": nhs + asc + joint,
    }


def write_synthetic_publication(folder: Path, rows: list[dict]) -> Path:
    """A publication with only expectations.parquet (carrying `region`) and manifest.json: no database."""
    folder.mkdir(parents=True)
    pl.DataFrame(rows).write_parquet(folder / "expectations.parquet")
    (folder / "manifest.json").write_text("{}")
    return folder
