"""Audit trail: every published figure re-adds from the cells `dtoc explain` names, and those cells are the
real workbook cells."""
from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import xlrd

from dtoc.errors import DtocError
from dtoc.audit.explain import explain_hwb
from dtoc.vocabulary import FIGURE_FORMULAS as FIGURES
from dtoc.model.pipeline import compute_expectations

DTOC = str(Path(sys.executable).with_name("dtoc"))


@pytest.fixture(scope="module")
def run_database(real_data, config, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lineage")
    table, _ = compute_expectations(real_data, config, database_path=folder / "dtoc.duckdb")
    return folder, table


def recompute(explanation: dict) -> dict[str, float]:
    """The published figures, rebuilt from nothing but the explanation's cells and policy."""
    population = sum(cell["value"] for cell in explanation["population"]["cells"])
    figures = {"population_18plus": population}
    for key, short in (("nhs", "nhs"), ("social_care", "asc"), ("joint", "joint")):
        part = explanation["attributions"][key]
        days = sum(cell["value"] or 0 for cell in part["cells"])
        daily = days / explanation["days_in_quarter"]
        rate = daily / population * 100000
        if key == "joint":
            expected_rate, expected_daily = rate, daily
        else:
            policy = part["policy"]
            if rate < policy["target_rate"]:
                band, expected_rate, expected_daily = "maintain", rate, daily
            elif rate <= policy["upper_rate"]:
                band, expected_rate = "reduce_to_target", policy["target_rate"]
                expected_daily = expected_rate * population / 100000
            else:
                band, expected_rate = "reduce_by_cap", rate * (1 - policy["reduction_cap"])
                expected_daily = expected_rate * population / 100000
            figures[f"{short}_band"] = band
        figures.update({f"baseline_{short}_daily": daily, f"baseline_{short}_rate": rate,
                        f"expected_{short}_rate": expected_rate, f"expected_{short}_daily": expected_daily})
    return figures


def test_every_figure_of_every_hwb_re_adds_from_its_cells(run_database):
    folder, table = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        for row in table.iter_rows(named=True):
            explanation = explain_hwb(connection, row["hwb_code"])
            assert len(explanation["attributions"]["nhs"]["cells"]) == 3
            for name, value in recompute(explanation).items():
                if isinstance(value, str) or name == "population_18plus":
                    assert row[name] == value, (row["hwb_code"], name)
                else:
                    assert math.isclose(row[name], value, rel_tol=1e-12, abs_tol=1e-12), (row["hwb_code"], name)


def test_cells_named_are_the_real_workbook_cells(run_database, real_data):
    folder, table = run_database
    books: dict[str, xlrd.book.Book] = {}
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        for code in table["hwb_code"].to_list()[::15]:
            explanation = explain_hwb(connection, code)
            for part in explanation["attributions"].values():
                for cell in part["cells"]:
                    path = next(real_data.rglob(cell["source_file"]))
                    book = books.setdefault(str(path), xlrd.open_workbook(str(path)))
                    letters, number = re.fullmatch(r"([A-Z]+)(\d+)", cell["cell_ref"]).groups()
                    value = book.sheet_by_name(cell["sheet"]).cell_value(int(number) - 1, ord(letters) - 65)
                    assert value == cell["value"], (code, cell)


def test_narrowed_to_one_metric_and_name_lookup(run_database):
    folder, _ = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        narrowed = explain_hwb(connection, "SHROPSHIRE", "expected_asc_daily")
        assert narrowed["hwb_code"] == "E06000051" and round(narrowed["value"], 1) == 1.3
        assert narrowed["attribution"]["key"] == "social_care"
        with pytest.raises(DtocError, match="did you mean: .*Shropshire"):
            explain_hwb(connection, "Shropshir County")
        assert explain_hwb(connection, "shropsh")["hwb_code"] == "E06000051"  # a unique prefix matches
        with pytest.raises(DtocError, match="unknown metric"):
            explain_hwb(connection, "E06000051", "nonsense")
        assert set(FIGURES) >= {"expected_total_daily", "nhs_band", "baseline_joint_rate"}


def test_explain_command_prints_the_derivation(run_database):
    folder, _ = run_database
    text = subprocess.run([DTOC, "explain", "cornwall", "--out", str(folder)], capture_output=True, text=True)
    assert text.returncode == 0, text.stderr
    assert "E06000053 Isles of Scilly" in text.stdout and "reduce_by_cap" in text.stdout
    as_json = subprocess.run([DTOC, "explain", "E06000052", "--out", str(folder), "--format", "json",
                              "--metric", "population_18plus"], capture_output=True, text=True)
    data = json.loads(as_json.stdout)
    assert data["value"] == sum(c["value"] for c in data["population"]["cells"])
    missing = subprocess.run([DTOC, "explain", "Atlantis", "--out", str(folder)], capture_output=True, text=True)
    assert missing.returncode == 1 and "no HWB called or coded 'Atlantis'" in missing.stderr


def test_sensitivity_flag_marks_rates_near_a_threshold(run_database, config):
    _, table = run_database
    for row in table.iter_rows(named=True):
        near = [name for name, policy in (("nhs", config.nhs), ("asc", config.asc))
                if min(abs(row[f"baseline_{name}_rate"] - policy.target_rate),
                       abs(row[f"baseline_{name}_rate"] - policy.upper_rate)) < config.sensitivity_margin]
        assert (row["band_sensitive"] or "") == "; ".join(near), row["hwb_code"]
    assert table.columns[19] == "band_sensitive"


def test_database_holds_the_formula_of_every_figure_and_the_parameters(run_database, config):
    folder, table = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        formulas = dict(connection.execute("select figure, formula from figure_formulas").fetchall())
        stored = json.loads(connection.execute("select value from run_parameters").fetchall()[0][0])
        lookups = connection.execute("select component_code, hwb_code from geography_lookup").fetchall()
    assert set(formulas) == set(table.columns) - {"hwb_code", "hwb_name", "population_vintage", "band_sensitive",
                                                     "region"}
    assert stored == json.loads(json.dumps(config.as_dict()))
    assert ("E06000053", "E06000052") in lookups
