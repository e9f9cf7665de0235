"""The validation gate (expectations/): passes on the real quarter with the three '-' cells as warnings, and
fails with a message naming the location when a copy of the database is tampered with.

The real database is built once per session; GX is imported once (by the first run_gate)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from expectations.definitions import SUITE_DEFINITIONS, SUITES_DIR, build_suite_json, load_suite_json
from expectations.frames import list_frame_names
from expectations.gate import run_gate
from expectations.result import GateResult

PROJECT_ROOT = Path(__file__).resolve().parents[2]
OCTOBER, NOVEMBER, DECEMBER = (
    "LA-Type-B-October-2017-B2B1c.xls",
    "LA-Type-B-November-2017-0smeW.xls",
    "LA-Type-B-December-2018-3SmuW.xls",
)


@pytest.fixture(scope="session")
def real_database(real_publication) -> Path:
    """The DuckDB file of a real run (2017-18 Q3), the session's in-process publication's (read only)."""
    return real_publication / "dtoc.duckdb"


@pytest.fixture(scope="session")
def real_gate(real_database, config, tmp_path_factory) -> tuple[GateResult, Path]:
    report_dir = tmp_path_factory.mktemp("gate-report")
    return run_gate(real_database, report_dir, config.sql_parameters()), report_dir


def tampered_gate(real_database: Path, tmp_path: Path, config, statements: list[str]) -> GateResult:
    """run_gate on a copy of the real database after the SQL statements ran on it."""
    copy = tmp_path / "tampered.duckdb"
    shutil.copy(real_database, copy)
    with duckdb.connect(str(copy)) as connection:
        for statement in statements:
            connection.execute(statement)
    return run_gate(copy, tmp_path / "report", config.sql_parameters())


def test_real_quarter_passes_with_the_not_reported_cells_as_warnings(real_gate):
    result, _ = real_gate
    assert result.passed, result.failures
    assert result.failures == []
    assert len(result.warnings) == 3
    for cell, warning in zip(("F168", "G168", "H168"), result.warnings, strict=True):
        assert warning.startswith("delayed_days.delayed_days_not_null: ")
        assert f"{NOVEMBER} sheet 'LA - by responsible org' cell {cell} (Resident in Scotland" in warning
        assert "delayed_days = null" in warning
    statuses = {(c["suite"], c["check"]): c["status"] for c in result.checks}
    assert statuses[("delayed_days", "delayed_days_not_null")] == "warn"
    assert {status for key, status in statuses.items() if key[1] != "delayed_days_not_null"} == {"pass"}


def test_every_check_is_reported_with_its_meta(real_gate):
    result, _ = real_gate
    expected = {(name, e["meta"]["check"]) for name in SUITE_DEFINITIONS for e in load_suite_json(name)["expectations"]}
    assert {(c["suite"], c["check"]) for c in result.checks} == expected
    assert len(result.checks) == len(expected)
    assert result.checks == sorted(result.checks, key=lambda c: (c["suite"], c["check"]))
    for check in result.checks:
        assert check["description"] and check["severity"] in {"error", "warning"}
        assert set(check) >= {"suite", "check", "description", "severity", "success", "examples"}


def test_report_files_are_deterministic_and_self_contained(real_gate, real_database, config, tmp_path):
    result, report_dir = real_gate
    first = (report_dir / "validation.json").read_text(encoding="utf-8")
    run_gate(real_database, tmp_path, config.sql_parameters())
    assert (tmp_path / "validation.json").read_text(encoding="utf-8") == first
    data = json.loads(first)
    assert data["passed"] is True and data["counts"]["warn"] == 1 and data["counts"]["fail"] == 0
    assert data["warnings"] == result.warnings
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", first), "no timestamps in validation.json"
    html = (report_dir / "validation.html").read_text(encoding="utf-8")
    assert html == (tmp_path / "validation.html").read_text(encoding="utf-8")
    assert "<style>" in html and "PASSED" in html and "cell F168" in html
    assert not re.search(r"https?://|<script|@import|src=", html, re.IGNORECASE)
    assert html.count("<link") == html.count('<link rel="icon" href="data:,">') == 1  # the shared page head


TAMPERS = {
    "negative delayed days": (
        [
            "UPDATE delayed_days_raw SET delayed_days = -5 WHERE month = DATE '2017-10-01' "
            "AND ons_code = 'E06000001' AND attribution = 'nhs'"
        ],
        "delayed_days.delayed_days_not_negative",
        [OCTOBER, "cell F73", "Hartlepool UA", "delayed_days = -5"],
    ),
    "duplicated area row": (
        [
            "INSERT INTO delayed_days_raw SELECT * FROM delayed_days_raw WHERE month = DATE '2017-11-01' "
            "AND ons_code = 'E08000016' AND attribution = 'social_care'"
        ],
        "delayed_days.one_row_per_area_month_attribution",
        [NOVEMBER, "cell G153", "Barnsley", "area_key = E08000016"],
    ),
    "total mismatch": (
        [
            "UPDATE reported_totals SET reported_total = reported_total + 7 WHERE month = DATE '2017-12-01' "
            "AND ons_code = 'E09000001'"
        ],
        "reported_totals.attributions_add_up_to_total",
        [DECEMBER, "cell I43", "City Of London", "total_difference = 7", "reported_total = 19"],
    ),
    "england row mismatch": (
        [
            "UPDATE delayed_days_raw SET delayed_days = delayed_days + 100 WHERE area_type = 'england' "
            "AND month = DATE '2017-10-01' AND attribution = 'joint'"
        ],
        "england_totals.areas_add_up_to_england",
        [OCTOBER, "England row cell H15", "joint", "difference = 100"],
    ),
    "missing month": (
        [
            "DELETE FROM delayed_days_raw WHERE month = DATE '2017-12-01'",
            "DELETE FROM reported_totals WHERE month = DATE '2017-12-01'",
        ],
        "quarter_months.month_present",
        ["month December 2017", "no rows in delayed_days_raw", "present = false"],
    ),
    "month outside the quarter": (
        [
            "INSERT INTO delayed_days_raw SELECT * REPLACE (DATE '2018-01-01' AS month) FROM delayed_days_raw "
            "WHERE month = DATE '2017-12-01'"
        ],
        "quarter_months.month_in_quarter",
        ["month January 2018", "requested = false"],
    ),
    "non-England row missing from one month": (
        ["DELETE FROM delayed_days_raw WHERE area_name = 'Resident in Scotland' AND month = DATE '2017-11-01'"],
        "area_months.same_areas_each_month",
        ["Resident in Scotland (9901)", "missing_months = November 2017"],
    ),
    "dropped column": (
        ["ALTER TABLE delayed_days_raw DROP COLUMN cell_ref"],
        "delayed_days.frame_computed",
        ["could not run", "cell_ref"],
    ),
    "population duplicated code": (
        ["INSERT INTO population_raw SELECT * FROM population_raw WHERE ons_code = 'E06000001'"],
        "population_raw.ons_code_unique",
        ["ukmidyearestimates2016.xls sheet 'MYE2 - All' row 13", "E06000001 Hartlepool", "ons_code = E06000001"],
    ),
    "upper tier not adding up": (
        ["UPDATE population_raw SET population_18plus = population_18plus + 1 WHERE ons_code = 'E10000007'"],
        "population_totals.upper_tier_adds_up_to_england",
        ["row 9 E92000001 ENGLAND", "difference = -1"],
    ),
    # an HWB without a population is stopped before the models that use it, in one place (tests/commands/test_bad_inputs.py)
    "expectation above baseline": (
        ["UPDATE expectations SET expected_asc_daily = baseline_asc_daily * 1.5 WHERE hwb_code = 'E06000002'"],
        "expectations.asc_daily_not_above_baseline",
        ["HWB E06000002 Middlesbrough UA", "asc_daily_reduction = -0.5"],
    ),
    "reduction beyond policy": (
        ["UPDATE expectations SET expected_nhs_rate = baseline_nhs_rate * 0.5 WHERE hwb_code = 'E06000001'"],
        "expectations.nhs_reduction_within_policy",
        ["HWB E06000001 Hartlepool UA", "nhs_rate_reduction = 0.5", "nhs_band = reduce_by_cap"],
    ),
    "total not the sum": (
        ["UPDATE expectations SET expected_total_daily = expected_total_daily + 1 WHERE hwb_code = 'E06000003'"],
        "expectations.total_is_sum_of_attributions",
        ["HWB E06000003 Redcar & Cleveland UA"],
    ),
    "contract column missing": (
        ["ALTER TABLE expectations DROP COLUMN band_sensitive", "ALTER TABLE expectations ADD COLUMN extra INTEGER"],
        "expectations.contract_columns",
        ["missing = ['band_sensitive']", "unexpected = ['extra']"],
    ),
    "hwb without region": (
        ["UPDATE expectations SET region = NULL WHERE hwb_code = 'E06000051'"],
        "expectations.region_not_null",
        ["HWB E06000051 Shropshire"],
    ),
    "band outside the allowed set": (
        ["UPDATE expectations SET nhs_band = 'increase' WHERE hwb_code = 'E06000003'"],
        "expectations.nhs_band_allowed",
        ["HWB E06000003 Redcar & Cleveland UA", "nhs_band = increase"],
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERS))
def test_tampered_database_fails_naming_the_location(case, real_database, config, tmp_path):
    statements, check, fragments = TAMPERS[case]
    result = tampered_gate(real_database, tmp_path, config, statements)
    assert not result.passed
    messages = [m for m in result.failures if m.startswith(f"{check}: ")]
    assert messages, f"no failure of {check} among {result.failures}"
    assert any(all(fragment in m for fragment in fragments) for m in messages), messages
    suite, name = check.split(".")
    record = next(c for c in result.checks if (c["suite"], c["check"]) == (suite, name))
    assert record["status"] == "fail" and not record["success"]
    report = json.loads((tmp_path / "report" / "validation.json").read_text(encoding="utf-8"))
    assert report["passed"] is False and report["failures"] == result.failures
    assert "FAILED" in (tmp_path / "report" / "validation.html").read_text(encoding="utf-8")


def test_committed_suites_match_their_definitions(real_gate):
    for name in SUITE_DEFINITIONS:
        assert load_suite_json(name) == json.loads(json.dumps(build_suite_json(name))), (
            f"suites/{name}.json is stale: run `python -m expectations.definitions`"
        )


def test_every_check_frame_has_a_suite_and_every_suite_a_frame():
    assert list_frame_names() == sorted(SUITE_DEFINITIONS) == sorted(p.stem for p in SUITES_DIR.glob("*.json"))
    for name in SUITE_DEFINITIONS:
        checks = [e["meta"]["check"] for e in load_suite_json(name)["expectations"]]
        assert len(checks) == len(set(checks)), f"duplicate check names in {name}"
        assert all(e["meta"]["severity"] in {"error", "warning"} for e in load_suite_json(name)["expectations"])


def test_an_expectation_that_cannot_run_is_an_error_not_a_pass(real_gate):
    import pandas as pd

    from expectations.definitions.helpers import between, not_null
    from expectations.findings import check_messages, check_record
    from expectations.validate import validate_frames

    frame = pd.DataFrame({"value": [1, 2], "location": ["a", "b"]})
    suite = {
        "name": "probe",
        "expectations": [
            between("no_such_column_positive", "no_such_column", "probe", 0),
            not_null("value", "probe warning", "warning"),
        ],
    }
    outcomes = validate_frames({"probe": frame}, {"probe": suite}, {})
    records = {o["check"]: check_record(o, frame) for o in outcomes}
    assert records["no_such_column_positive"]["status"] == "fail" and records["no_such_column_positive"]["error"]
    assert "could not run" in check_messages(records["no_such_column_positive"])[0]
    assert records["value_not_null"]["status"] == "pass"


def test_gx_is_imported_only_when_the_gate_runs():
    code = (
        "import sys, dtoc.model.pipeline, dtoc.config, expectations.gate, expectations.definitions; "
        "print(sorted(m for m in sys.modules if m.startswith('great_expectations')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"
    for path in (PROJECT_ROOT / "dtoc").rglob("*.py"):
        assert "great_expectations" not in path.read_text(encoding="utf-8"), path
