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

from dtoc.audit.explain import explain_hwb
from dtoc.errors import DtocError
from dtoc.model.pipeline import compute_expectations
from dtoc.vocabulary import FIGURE_FORMULAS as FIGURES

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
        figures.update(
            {
                f"baseline_{short}_daily": daily,
                f"baseline_{short}_rate": rate,
                f"expected_{short}_rate": expected_rate,
                f"expected_{short}_daily": expected_daily,
            }
        )
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
        with pytest.raises(DtocError, match=r"did you mean: .*Shropshire"):
            explain_hwb(connection, "Shropshir County")
        assert explain_hwb(connection, "shropsh")["hwb_code"] == "E06000051"  # a unique prefix matches
        with pytest.raises(DtocError, match="unknown metric"):
            explain_hwb(connection, "E06000051", "nonsense")
        assert set(FIGURES) >= {"expected_total_daily", "nhs_band", "baseline_joint_rate"}


def test_explain_command_prints_the_derivation(run_database):
    folder, _ = run_database
    text = subprocess.run([DTOC, "explain", "cornwall", "--out", str(folder)], capture_output=True, text=True)
    assert text.returncode == 0, text.stderr
    assert "E06000053 Isles of Scilly" in text.stdout and "is above 7.9: reduce by 30%" in text.stdout
    as_json = subprocess.run(
        [DTOC, "explain", "E06000052", "--out", str(folder), "--format", "json", "--metric", "population_18plus"],
        capture_output=True,
        text=True,
    )
    data = json.loads(as_json.stdout)
    assert data["value"] == sum(c["value"] for c in data["population"]["cells"])
    missing = subprocess.run([DTOC, "explain", "Atlantis", "--out", str(folder)], capture_output=True, text=True)
    assert missing.returncode == 1 and "no HWB called or coded 'Atlantis'" in missing.stderr


def test_sensitivity_flag_marks_rates_near_a_threshold(run_database, config):
    _, table = run_database
    for row in table.iter_rows(named=True):
        near = [
            name
            for name, policy in (("nhs", config.band_policy("nhs")), ("asc", config.band_policy("asc")))
            if min(
                abs(row[f"baseline_{name}_rate"] - policy.target_rate),
                abs(row[f"baseline_{name}_rate"] - policy.upper_rate),
            )
            < config.sensitivity_margin
        ]
        assert (row["band_sensitive"] or "") == "; ".join(near), row["hwb_code"]
    assert table.columns[19] == "band_sensitive"


def test_database_holds_the_formula_of_every_figure_and_the_parameters(run_database, config):
    folder, table = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        formulas = dict(connection.execute("select figure, formula from figure_formulas").fetchall())
        stored = json.loads(connection.execute("select value from run_parameters").fetchall()[0][0])
        lookups = connection.execute("select component_code, hwb_code from geography_lookup").fetchall()
    assert set(formulas) == set(table.columns) - {
        "hwb_code",
        "hwb_name",
        "population_vintage",
        "band_sensitive",
        "region",
    }
    assert stored == json.loads(json.dumps(config.as_dict()))
    assert ("E06000053", "E06000052") in lookups


def xls_cell(book: xlrd.book.Book, sheet: str, ref: str) -> object:
    letters, number = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    return book.sheet_by_name(sheet).cell_value(int(number) - 1, ord(letters) - 65)


def test_each_cell_names_its_row_and_column_as_the_workbook_prints_them(run_database, real_workbook):
    folder, _ = run_database
    december = xlrd.open_workbook(str(real_workbook("December 2017")))
    sheet = "LA - by responsible org"
    # read from the workbook, not from dtoc: G144 holds 24, its row is Shropshire's, its column Social Care
    assert (xls_cell(december, sheet, "G144"), xls_cell(december, sheet, "E144"), xls_cell(december, sheet, "G14")) == (
        24,
        "Shropshire",
        "Social Care",
    )
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        explanation = explain_hwb(connection, "E06000051")
    cell = next(c for c in explanation["attributions"]["social_care"]["cells"] if c["month"] == "2017-12-01")
    assert (
        cell["cell_ref"],
        cell["value"],
        cell["name_ref"],
        cell["area_name"],
        cell["header_ref"],
        cell["header_text"],
    ) == ("G144", 24, "E144", "Shropshire", "G14", "Social Care")
    from dtoc.audit.explain_text import format_explanation

    assert "!G144 (revised 10th May 2018)" in format_explanation(explanation)
    assert "= row of E144 'Shropshire', column of G14 'Social Care'" in format_explanation(explanation)


def test_every_cell_s_row_name_and_header_are_the_workbook_s(run_database, real_data):
    folder, table = run_database
    books: dict[str, xlrd.book.Book] = {}
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        for code in table["hwb_code"].to_list()[::10]:
            for part in explain_hwb(connection, code)["attributions"].values():
                for cell in part["cells"]:
                    path = str(next(real_data.rglob(cell["source_file"])))
                    book = books.setdefault(path, xlrd.open_workbook(path))
                    assert xls_cell(book, cell["sheet"], cell["name_ref"]).strip() == cell["area_name"]
                    assert xls_cell(book, cell["sheet"], cell["header_ref"]) == cell["header_text"]
                    assert cell["name_ref"][1:] == cell["cell_ref"][1:] and cell["header_ref"][0] == cell["cell_ref"][0]


def test_sources_carry_their_official_urls(run_database, real_data):
    import csv

    with (real_data / "SOURCES.tsv").open(newline="") as handle:  # the data folder's own record, not dtoc's
        official = {row["sha256"]: row["official_url"] for row in csv.DictReader(handle, delimiter="\t")}
    folder, _ = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        sources = explain_hwb(connection, "Shropshire")["sources"]
    assert len(sources) == 4 and [s["file"] for s in sources if s["file"].startswith("ukmid")] == [
        "ukmidyearestimates2016.xls"
    ]
    assert all(s["url"] == official[s["sha256"]] for s in sources)


def test_a_file_not_in_the_sources_list_has_no_url():
    from dtoc.audit.explain import list_sources
    from dtoc.audit.explain_text import format_sources

    cells = [{"source_file": "december.xls", "source_sha256": "0" * 64}] * 3
    sources = list_sources(cells, {"1" * 64: "https://example.org/x.xls"})
    assert sources == [{"file": "december.xls", "sha256": "0" * 64, "url": None}]
    assert format_sources(sources) == [
        "Sources:",
        "  december.xls: no official URL known (not in dtoc/reference/sources.csv)",
    ]


def test_the_annex_3_rule_and_the_population_vintage_are_explained(run_database):
    folder, _ = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        explanation = explain_hwb(connection, "Shropshire")
    parts = explanation["attributions"]
    # Annex 3: NHS below 5.5 keep, 5.5..7.9 reduce to 5.5, above 7.9 reduce by 30%; ASC 2.6, 4.3, 40%
    for key, numbers in (("nhs", ("5.5", "7.9", "30%")), ("social_care", ("2.6", "4.3", "40%"))):
        assert parts[key]["rule"].startswith("Annex 3:") and all(n in parts[key]["rule"] for n in numbers)
    assert "held at the baseline" in parts["joint"]["rule"]
    reason = explanation["population"]["vintage_reason"]
    assert reason.startswith("mid-2016: ") and "before the 2018-19 expectations were set" in reason
    assert explanation["region"] == "West Midlands"


def mye_name(real_data, code: str) -> str:
    """The area's name in the mid-2016 MYE2 sheet, read with xlrd (column B beside the code in column A)."""
    sheet = xlrd.open_workbook(str(real_data / "ons-mye" / "ukmidyearestimates2016.xls")).sheet_by_name("MYE2 - All")
    return next(sheet.cell_value(r, 1) for r in range(sheet.nrows) if sheet.cell_value(r, 0) == code)


def test_an_area_is_found_by_any_spelling_the_sources_use_and_by_its_parts(run_database, real_data, real_workbook):
    folder, _ = run_database
    december = xlrd.open_workbook(str(real_workbook("December 2017")))
    la_code = xls_cell(december, "LA - by responsible org", "D144")  # Shropshire's row, column 'Code'
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        for query, code in (
            (la_code, "E06000051"),
            (mye_name(real_data, "E06000015"), "E06000015"),
            ("Derby UA", "E06000015"),
            ("telford and wrekin", "E06000020"),
            ("Isles of Scilly", "E06000052"),
            ("E06000053", "E06000052"),
        ):
            assert explain_hwb(connection, query)["hwb_code"] == code, query
        scilly = explain_hwb(connection, "isles of scilly")
        assert scilly["found"].startswith("Isles of Scilly is part of Cornwall's DToC row")
        assert "population estimates" in explain_hwb(connection, mye_name(real_data, "E06000015"))["found"]
        assert "found" not in explain_hwb(connection, "E06000051")


def test_a_word_of_one_hwb_s_name_finds_it(run_database):
    """'Hull' is a word of one HWB's name only (Kingston upon Hull); 'Solihull' does not count."""
    import duckdb

    from dtoc.audit.find import find_hwb

    folder, _ = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        assert find_hwb(connection, "Hull").hwb_code == "E06000010"


def test_suggestions_put_names_that_start_with_or_hold_the_query_first(run_database):
    """'Kingston' starts two HWBs' names (Kingston upon Thames, Kingston upon Hull): those two are named, not
    Islington or Warrington, which are only spelt like it; a misspelling is still helped by the spelling."""
    import duckdb

    from dtoc.audit.find import find_hwb, suggestions

    folder, _ = run_database
    with duckdb.connect(str(folder / "dtoc.duckdb"), read_only=True) as connection:
        with pytest.raises(DtocError) as kingston:
            find_hwb(connection, "Kingston")
        assert str(kingston.value).startswith("'Kingston' could be 2 HWBs: Kingston Upon ")
        assert "Thames" in str(kingston.value) and "Hull" in str(kingston.value)
        assert "Islington" not in str(kingston.value) and "give more of the name or the ONS code" in str(kingston.value)
        with pytest.raises(DtocError, match=r"'Thames' could be 2 HWBs: Kingston Upon Thames, Richmond Upon Thames;"):
            find_hwb(connection, "Thames")
        with pytest.raises(DtocError, match=r"did you mean: Islington, "):
            find_hwb(connection, "Islingtn")
    aliases = [
        ("E1", "Islington", "published", None, "Islington"),
        ("E2", "Warrington UA", "published", None, "Warrington UA"),
        ("E3", "Kingston upon Thames", "published", None, "Kingston upon Thames"),
        ("E4", "Royal Borough of Kingstonia", "published", None, "Kingstonia"),
        ("E5", "West Kingston", "published", None, "West Kingston"),
    ]
    assert (
        suggestions(aliases, "kingston")
        == [
            "Kingston upon Thames",  # starts with it
            "West Kingston",  # holds it as a word
            "Kingstonia",  # a word starts with it
            "Islington",  # spelt like it
            "Warrington UA",
        ][: len(suggestions(aliases, "kingston"))]
    )
