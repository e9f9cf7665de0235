"""Refresh decisions and the failed-validation report, in-process (no Prefect flow run).

The session's in-process publication of the real Q3 2017-18 quarter (tests/conftest.py), whose manifest holds
its fingerprint, is the starting point. Then: unchanged inputs, parameters and code are up to date; changed
parameters, code, a revised or a new input, or a damaged output are not, and the change is described. Finally
the publication's validation step (dtoc.commands.run_publish.judge_validation), given a database that fails a check, keeps
its report in `.OUT.failed-validation/` and raises.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pytest

from dtoc.commands.run_publish import judge_validation
from dtoc.errors import ValidationFailed
from dtoc.ingest.inputs import SourceFile
from dtoc.model import run_inputs
from dtoc.publish import refresh
from dtoc.publish.transaction import sibling
from tests.conftest import tree_digest
from tests.support.workbooks import read_real_sheet, set_cell, write_grid

Q3 = ("October 2017", "November 2017", "December 2017")


@dataclass
class Publication:
    data: Path
    out: Path
    delays: list[SourceFile]
    population: SourceFile


def quarter_folder(folder: Path, real_workbook, real_data: Path, december: Path | None = None) -> Path:
    """Links to the real Q3 workbooks and the mid-2016 estimates; december replaces December 2017's workbook."""
    folder.mkdir(parents=True)
    for period in Q3:
        source = december if (period == "December 2017" and december) else real_workbook(period)
        os.symlink(source, folder / source.name)
    os.symlink(real_data / "ons-mye" / "ukmidyearestimates2016.xls", folder / "ukmidyearestimates2016.xls")
    return folder


@pytest.fixture(scope="module")
def publication(real_publication, config) -> Publication:
    """The session's in-process publication of the real quarter and the inputs it chose."""
    data = real_publication.parent / "data"
    inputs = run_inputs.find_run_inputs(data, config, log=lambda message: None)
    return Publication(data, real_publication, inputs.delays, inputs.population)


def fingerprint_now(data: Path, config, population_path: Path | None = None) -> dict:
    """What a rerun on data would fingerprint, found the way a run finds its inputs."""
    inputs = run_inputs.find_run_inputs(data, config, population_path, log=lambda message: None)
    return refresh.run_fingerprint(config, inputs.delays, inputs.population)


def changes(publication: Publication, fingerprint: dict) -> list[str]:
    return refresh.describe_input_changes(refresh.read_manifest(publication.out), fingerprint)


def test_nothing_changed_is_up_to_date(publication, config):
    fingerprint = fingerprint_now(publication.data, config)
    assert refresh.is_up_to_date(publication.out, fingerprint)
    assert changes(publication, fingerprint) == ["nothing changed"]


def test_changed_parameters_invalidate(publication, config):
    """Fails if the fingerprint leaves out a policy figure (a rerun would then keep stale expectations)."""
    for changed in (
        config.with_policy(replace(config.band_policy("nhs"), reduction_cap=0.25)),
        config.with_policy(replace(config.band_policy("asc"), upper_rate=4.0)),
        replace(config, sensitivity_margin=0.2),
    ):
        fingerprint = fingerprint_now(publication.data, changed)
        assert not refresh.is_up_to_date(publication.out, fingerprint)
        assert changes(publication, fingerprint) == ["the parameters changed"]


def copy_code(target: Path) -> Path:
    for folder in refresh.CODE_FOLDERS:
        shutil.copytree(refresh.PROJECT_ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_changed_code_invalidates(publication, config, tmp_path, monkeypatch):
    """The digest of a copy of the code is the publication's; editing one SQL model's text changes it, while a
    byte-code cache or a note beside the code does not (else every run would recompute)."""
    monkeypatch.setattr(refresh, "PROJECT_ROOT", copy_code(tmp_path / "project"))
    assert refresh.is_up_to_date(publication.out, fingerprint_now(publication.data, config))
    (tmp_path / "project" / "dtoc" / "__pycache__").mkdir(exist_ok=True)
    (tmp_path / "project" / "dtoc" / "__pycache__" / "config.cpython-311.pyc").write_bytes(b"cache")
    (tmp_path / "project" / "sql" / "NOTES.md").write_text("a note\n")
    assert refresh.is_up_to_date(publication.out, fingerprint_now(publication.data, config))
    with (tmp_path / "project" / "sql" / "banding.sql").open("a") as handle:
        handle.write("\n-- edited\n")
    fingerprint = fingerprint_now(publication.data, config)
    assert not refresh.is_up_to_date(publication.out, fingerprint)
    assert changes(publication, fingerprint) == ["the code changed"]


def test_a_revised_workbook_invalidates(publication, config, real_workbook, real_data, tmp_path):
    grid = read_real_sheet(real_workbook("December 2017"))
    set_cell(grid, "G144", grid[143][6] + 1)  # one cell of December 2017 revised
    revised = write_grid(tmp_path / "december-revised.xls", {"LA - by responsible org": grid})
    data = quarter_folder(tmp_path / "data", real_workbook, real_data, december=revised)
    fingerprint = fingerprint_now(data, config)
    assert not refresh.is_up_to_date(publication.out, fingerprint)
    described = changes(publication, fingerprint)
    assert len(described) == 1 and described[0].startswith(
        "revised delays input for 2017-12-01: december-revised.xls (sha256 "
    ), described


def test_a_new_population_input_invalidates(publication, config, real_data):
    newer = real_data / "ons-mye" / "ukmidyearestimates2017finalversion.xls"
    fingerprint = fingerprint_now(publication.data, config, population_path=newer)
    assert not refresh.is_up_to_date(publication.out, fingerprint)
    assert changes(publication, fingerprint)[0].startswith(f"new population input for mid-2017: {newer.name}")


def test_a_damaged_publication_is_not_up_to_date(publication, config, tmp_path):
    copy = tmp_path / "published"
    shutil.copytree(publication.out, copy)
    fingerprint = fingerprint_now(publication.data, config)
    assert refresh.is_up_to_date(copy, fingerprint)
    with (copy / "expectations.csv").open("a") as handle:
        handle.write("E99999999,Nowhere\n")
    assert not refresh.is_up_to_date(copy, fingerprint)


def gate_verdict(database: Path, report_dir: Path, config):
    """run_gate's result, as the worker hands it back."""
    from expectations.gate import run_gate

    return run_gate(database, report_dir, config.sql_parameters())


def test_a_failed_gate_keeps_its_report_beside_the_publication(publication, config, tmp_path):
    """judge_validation (the publication's validation step) must raise and copy validation.html/.json out of
    the staging folder into .OUT.failed-validation/, replacing an older failed run's report, and leave OUT alone."""
    out = tmp_path / "published"
    shutil.copytree(publication.out, out)
    before = tree_digest(out)
    staging, failure_dir = sibling(out, "staging-1"), sibling(out, "failed-validation")
    staging.mkdir()
    failure_dir.mkdir()
    (failure_dir / "stale.txt").write_text("from an older failed run\n")
    shutil.copy(out / "dtoc.duckdb", staging / "dtoc.duckdb")
    with duckdb.connect(str(staging / "dtoc.duckdb")) as connection:
        connection.execute("update expectations set nhs_band = 'increase' where hwb_code = 'E06000003'")

    with pytest.raises(ValidationFailed) as error:
        judge_validation(gate_verdict(staging / "dtoc.duckdb", staging, config), staging, failure_dir)
    assert "nothing was published" in str(error.value) and str(failure_dir / "validation.html") in str(error.value)
    assert sorted(p.name for p in failure_dir.iterdir()) == ["validation.html", "validation.json"]
    report = json.loads((failure_dir / "validation.json").read_text(encoding="utf-8"))
    assert report["passed"] is False
    assert any(f.startswith("expectations.nhs_band_allowed: ") and "E06000003" in f for f in report["failures"])
    assert "FAILED" in (failure_dir / "validation.html").read_text(encoding="utf-8")
    assert tree_digest(out) == before


def test_a_passing_gate_keeps_no_failure_report(publication, config, tmp_path):
    staging, failure_dir = tmp_path / "staging", tmp_path / ".published.failed-validation"
    staging.mkdir()
    shutil.copy(publication.out / "dtoc.duckdb", staging / "dtoc.duckdb")
    summary = judge_validation(gate_verdict(staging / "dtoc.duckdb", staging, config), staging, failure_dir)
    assert summary["passed"] is True and summary["failed"] == 0 and summary["warnings"] == 1
    assert summary["warning_rows"] == 3 and summary["checks_passed"] == summary["checks"] - 1
    assert not failure_dir.exists()
