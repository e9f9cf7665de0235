"""Every publication carries a Frictionless data package (issue 21): one resource per CSV with its Table Schema,
the sources and the licence; `frictionless` (a standard tool, not dtoc) validates each kind of publication.

The constraints expected here are the published method's own words (Annex 3's three bands, the assurance
verdicts of the README, ONS codes of a letter and eight digits), not read from dtoc; a table edited to break
them is caught by frictionless, so a package without them would fail these tests."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from frictionless import validate

from dtoc.commands.assure import assure_plans, split_shares
from dtoc.commands.datapackage import build_datapackage
from dtoc.commands.monitor import MonitorRequest, monitor_year, publish_monitor
from dtoc.commands.package_tables import publication
from dtoc.commands.scenarios import ScenarioRequest, run_scenarios
from dtoc.errors import DtocError

MONTHS = [f"2018-{m:02d}" for m in range(4, 13)] + [f"2019-{m:02d}" for m in (1, 2, 3)]
ANNEX3 = "annex3,5.5,7.9,0.3,2.6,4.3,0.4"


def write_rows(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def publications(real_publication, real_data, config, tmp_path_factory) -> dict[str, Path]:
    """kind -> a folder of each kind of publication, built by the commands' own compositions."""
    root = tmp_path_factory.mktemp("kinds")
    codes = pl.read_csv(real_publication / "expectations.csv")["hwb_code"].to_list()[:3]
    plans = [[code, month, 100, 20, 10, "ref"] for code in codes for month in MONTHS]
    header = ["hwb_code", "month", "nhs_days", "asc_days", "joint_days", "evidence"]
    assure_plans(write_rows(root / "plans.csv", header, plans), real_publication, root / "assurance", config)
    shares = [[codes[0], "00A", "A CCG", "0.25"], [codes[0], "00B", "B CCG", "0.75"], [codes[1], "01X", "X", "1"]]
    split_shares(
        write_rows(root / "shares.csv", ["hwb_code", "ccg_code", "ccg_name", "nhs_share"], shares),
        real_publication,
        root / "split",
        config,
    )
    request = MonitorRequest(real_data, config, real_publication, "2018-19", root / "monitor", real_publication)
    monitor_year(request, lambda plan: publish_monitor(plan, log=lambda m: None), lambda m: None)
    policies = root / "policies.csv"
    policies.write_text(f"policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap\n{ANNEX3}\n")
    run_scenarios(ScenarioRequest(policies, None, real_data, None, None, root / "scenarios", None, 50.0))
    return {
        "expectations": real_publication,
        "monitoring": root / "monitor",
        "assurance": root / "assurance",
        "ccg_split": root / "split",
        "scenarios": root / "scenarios",
    }


def package(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def field(folder: Path, resource: str, name: str) -> dict:
    found = next(r for r in package(folder)["resources"] if r["path"] == resource)
    return next(f for f in found["schema"]["fields"] if f["name"] == name)


@pytest.mark.parametrize("kind", ["expectations", "monitoring", "assurance", "ccg_split", "scenarios"])
def test_every_publication_kind_is_a_valid_data_package_of_its_csvs(publications, kind):
    folder = publications[kind]
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:5]
    csvs = {p.relative_to(folder).as_posix() for p in folder.rglob("*.csv")} - {"index.csv"}
    resources = package(folder)["resources"]
    assert sorted(r["path"] for r in resources) == sorted(csvs) and len(resources) == len(csvs)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == kind and "datapackage.json" in [o["path"] for o in manifest["outputs"]]
    assert package(folder)["licenses"][0]["name"] == "OGL-UK-3.0"
    sources = " ".join(s["title"] for s in package(folder)["sources"])
    assert "NHS England" in sources and "Office for National Statistics" in sources


def test_a_run_lists_the_package_in_its_index_and_has_a_resource_per_hwb_file(publications):
    folder = publications["expectations"]
    with (folder / "index.csv").open(newline="") as handle:
        assert "datapackage.json" in [row["path"] for row in csv.DictReader(handle)]
    paths = [r["path"] for r in package(folder)["resources"]]
    assert len(paths) == 1 + 3 * 151 and paths[0] == "expectations.csv"


def test_the_schema_states_the_method_s_vocabulary(publications):
    run, assurance = publications["expectations"], publications["assurance"]
    bands = ["maintain", "reduce_to_target", "reduce_by_cap"]  # Annex 3's three bands, least asked first
    assert field(run, "expectations.csv", "nhs_band")["constraints"]["enum"] == bands
    assert field(run, "expectations.csv", "asc_band")["constraints"]["enum"] == bands
    verdicts = {"in_line", "reattributed_evidenced", "reattributed_unevidenced", "not_in_line", "no_plan"}
    assert set(field(assurance, "assurance.csv", "verdict")["constraints"]["enum"]) == verdicts
    code = field(run, "expectations.csv", "hwb_code")
    assert code["type"] == "string" and code["constraints"]["required"] is True
    resource = next(r for r in package(run)["resources"] if r["path"] == "expectations.csv")
    assert resource["schema"]["primaryKey"] == ["hwb_code"]
    population = field(run, "expectations.csv", "population_18plus")
    assert population["type"] == "integer" and population["constraints"] == {"minimum": 0}
    assert field(run, "expectations.csv", "expected_total_daily")["type"] == "number"
    monthly = next(p for p in package(run)["resources"] if p["path"].endswith(".monthly.csv"))["path"]
    assert field(run, monthly, "month")["type"] == "date"
    gap = field(assurance, "assurance_months.csv", "gap_days")  # planned minus expected: may be negative
    assert gap["type"] == "number" and "minimum" not in gap.get("constraints", {})


def break_table(folder: Path, name: str, change) -> Path:
    """A copy of the publication with one table changed by `change` and its package built again (so the hashes
    match and only the values can be wrong)."""
    table = pl.read_csv(folder / name, try_parse_dates=True)
    change(table).write_csv(folder / name)
    build = build_datapackage(folder, publication(json.loads((folder / "manifest.json").read_text())["kind"]))
    (folder / "datapackage.json").write_text(json.dumps(build))
    return folder / "datapackage.json"


@pytest.mark.parametrize(
    "name, change, error",
    [
        ("assurance.csv", lambda t: t.with_columns(verdict=pl.lit("maybe")), "constraint-error"),
        ("assurance.csv", lambda t: t.with_columns(hwb_code=pl.lit("Hartlepool")), "constraint-error"),
        ("assurance.csv", lambda t: t.with_columns(hwb_code=pl.first("hwb_code")), "primary-key"),
        ("assurance_months.csv", lambda t: t.with_columns(planned_days=-t["planned_days"]), "constraint-error"),
    ],
)
def test_values_outside_the_vocabulary_are_caught_by_frictionless(publications, tmp_path, name, change, error):
    folder = shutil.copytree(publications["assurance"], tmp_path / "copy")
    report = validate(str(break_table(folder, name, change)))
    assert not report.valid and error in {e.type for task in report.tasks for e in task.errors}


def test_a_csv_no_table_describes_is_refused(publications, tmp_path):
    folder = shutil.copytree(publications["ccg_split"], tmp_path / "copy")
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DtocError, match=r"internal error: notes\.csv in .* belong to no table of its data package"):
        build_datapackage(folder, publication("ccg_split"))


def test_the_frictionless_command_validates_a_publication(publications):
    result = subprocess.run(
        [str(Path(sys.executable).with_name("frictionless")), "validate", "datapackage.json"],
        cwd=publications["scenarios"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:]
