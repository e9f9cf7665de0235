"""Ingest of the monthly 'LA Type B' DToC workbooks: the real published files, then small workbooks the tests
write (good and deliberately broken) in the .xls, .xlsx and CSV layouts."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
import xlrd

from dtoc.errors import InputError
from dtoc.ingest.delays import ingest_delays_workbook
from tests.support.workbooks import HEADER, Area, DelaysSheet, write_delays_workbook

SHEET = "LA - by responsible org"


def real_sheet(path):
    """The real sheet read directly with xlrd, independently of dtoc."""
    book = xlrd.open_workbook(str(path), on_demand=True)
    return book.sheet_by_name(next(n for n in book.sheet_names() if n.lower() == SHEET.lower()))


# --- the real published workbooks ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def december_2017(real_workbook):
    path = real_workbook("December 2017")
    return path, ingest_delays_workbook(path, "sha-of-december")


def test_month_comes_from_the_period_cell_not_the_file_name(december_2017):
    path, workbook = december_2017
    assert "December-2018" in path.name  # the published file name says 2018 ...
    assert workbook.month == date(2017, 12, 1)  # ... the Period: cell says December 2017
    assert workbook.delayed_days["month"].unique().to_list() == [date(2017, 12, 1)]
    assert workbook.sheet == SHEET


def test_published_and_revised_dates_are_the_workbook_strings(december_2017, real_data):
    import csv

    _, workbook = december_2017
    with (real_data / "SOURCES.tsv").open(newline="") as handle:
        source = next(r for r in csv.DictReader(handle, delimiter="\t") if r["period_in_file"] == "December 2017")
    assert (workbook.published, workbook.revised) == (source["published"], source["revised"])
    assert (workbook.published, workbook.revised) == ("8th February 2018", "10th May 2018")
    assert workbook.delayed_days["published"].unique().to_list() == ["8th February 2018"]
    assert workbook.delayed_days["revised"].unique().to_list() == ["10th May 2018"]


def test_cell_references_point_at_the_cells_read(december_2017):
    path, workbook = december_2017
    derby = workbook.delayed_days.filter(pl.col("area_name") == "Derby UA").sort("cell_ref")
    assert derby["cell_ref"].to_list() == ["F17", "G17", "H17"]
    assert derby["attribution"].to_list() == ["nhs", "social_care", "joint"]
    assert derby["ons_code"].unique().to_list() == ["E06000015"]
    sheet = real_sheet(path)
    # F17 is row index 16, column index 5 in xlrd
    assert derby["delayed_days"].to_list() == [int(sheet.cell_value(16, c)) for c in (5, 6, 7)]
    assert derby["row_number"].unique().to_list() == [17]
    assert derby["sheet"].unique().to_list() == [SHEET]
    assert derby["source_file"].unique().to_list() == [path.name]
    assert derby["source_sha256"].unique().to_list() == ["sha-of-december"]


def test_every_value_matches_the_cell_it_names(december_2017):
    path, workbook = december_2017
    sheet = real_sheet(path)
    for row in workbook.delayed_days.iter_rows(named=True):
        ref = row["cell_ref"]
        col, excel_row = ord(ref[0]) - ord("A"), int(ref[1:])
        assert row["delayed_days"] == int(sheet.cell_value(excel_row - 1, col)), ref


def test_area_classification(december_2017):
    _, workbook = december_2017
    areas = workbook.delayed_days.select("area_type", "ons_code", "area_name").unique()
    counts = dict(areas.group_by("area_type").agg(pl.len()).iter_rows())
    assert counts == {"local_authority": 151, "england": 1, "non_england": 3}
    others = areas.filter(pl.col("area_type") == "non_england")
    assert sorted(others["area_name"].str.to_lowercase().to_list()) == [
        "resident in scotland",
        "resident in wales",
        "resident outside gb",
    ]
    assert others["ons_code"].is_null().all()
    local = areas.filter(pl.col("area_type") == "local_authority")
    assert local["ons_code"].str.contains(r"^E\d{8}$").all()
    assert local["ons_code"].n_unique() == 151
    # three attributions per area, none missing in December 2017
    assert workbook.delayed_days.height == 3 * (151 + 1 + 3)
    assert workbook.delayed_days["delayed_days"].null_count() == 0
    assert workbook.missing_cells == []


def test_dash_cells_become_null_with_one_note_each(real_workbook):
    path = real_workbook("November 2017")
    workbook = ingest_delays_workbook(path, "sha")
    assert workbook.month == date(2017, 11, 1)
    nulls = workbook.delayed_days.filter(pl.col("delayed_days").is_null())
    assert sorted(nulls["cell_ref"].to_list()) == ["F168", "G168", "H168"]
    assert nulls["area_name"].unique().to_list() == ["Resident in Scotland"]
    assert real_sheet(path).cell_value(167, 5) == "-"
    assert len(workbook.missing_cells) == 3
    for ref in ("F168", "G168", "H168"):
        assert sum(ref in note for note in workbook.missing_cells) == 1
    assert all(path.name in note and "November 2017" in note for note in workbook.missing_cells)


# --- small workbooks written by the tests ----------------------------------------------------------------

AREAS = [
    Area("E06000015", "Derby UA", 365, 2, 5, la_code="507"),
    Area("E10000007", "Derbyshire", 820, 228, 33, la_code="506"),
]
OTHERS = [Area("-", "Resident In Wales", 10, 4, 1, la_code="9900")]


def write(tmp_path, name="test.xls", **changes):
    sheet = DelaysSheet(
        changes.pop("period", "December 2017"), changes.pop("areas", AREAS), changes.pop("others", OTHERS), **changes
    )
    return write_delays_workbook(tmp_path / name, sheet)


def values_by_cell(workbook) -> dict[str, int | None]:
    return dict(workbook.delayed_days.select("cell_ref", "delayed_days").iter_rows())


def test_small_workbook_reads_as_written(tmp_path):
    workbook = ingest_delays_workbook(write(tmp_path), "sha")
    assert workbook.month == date(2017, 12, 1)
    cells = values_by_cell(workbook)
    # header at Excel row 14, England 15, blank 16, first area 17: NHS in F, Social Care G, Both H
    assert cells["F17"] == 365 and cells["G17"] == 2 and cells["H17"] == 5
    assert cells["F18"] == 820 and cells["G18"] == 228 and cells["H18"] == 33
    assert cells["F15"] == 365 + 820 + 10  # England
    totals = dict(workbook.reported_totals.select("cell_ref", "reported_total").iter_rows())
    assert totals["I17"] == 372 and totals["I18"] == 1081
    types = dict(workbook.delayed_days.select("area_name", "area_type").unique().iter_rows())
    assert types == {
        "England": "england",
        "Derby UA": "local_authority",
        "Derbyshire": "local_authority",
        "Resident In Wales": "non_england",
    }


def test_header_moved_down_two_rows_is_still_found(tmp_path):
    workbook = ingest_delays_workbook(write(tmp_path, header_row=15), "sha")
    cells = values_by_cell(workbook)
    assert cells["F19"] == 365 and cells["H20"] == 33
    assert cells["F17"] == 365 + 820 + 10  # England now sits where Derby was
    assert workbook.month == date(2017, 12, 1)


def test_each_value_carries_its_row_name_and_column_header_as_printed(tmp_path):
    workbook = ingest_delays_workbook(write(tmp_path, header_row=15), "sha")
    # header at Excel row 16 (NHS F16, Social Care G16, Both H16); Derbyshire's row is 20, its name in E20
    proof = {
        r[0]: r[1:]
        for r in workbook.delayed_days.select(
            "cell_ref", "name_ref", "area_name", "header_ref", "header_text"
        ).iter_rows()
    }
    assert proof["G20"] == ("E20", "Derbyshire", "G16", "Social Care")
    assert proof["F19"] == ("E19", "Derby UA", "F16", "NHS") and proof["H19"][2:] == ("H16", "Both")


def test_sheet_name_case_and_spacing_vary(tmp_path):
    workbook = ingest_delays_workbook(write(tmp_path, sheet_name="LA - By Responsible Org"), "sha")
    assert workbook.sheet == "LA - By Responsible Org"
    assert values_by_cell(workbook)["F17"] == 365


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_xlsx_and_csv_variants_read_the_same_as_xls(tmp_path, suffix):
    reference = ingest_delays_workbook(write(tmp_path, "reference.xls"), "sha")
    variant = ingest_delays_workbook(write(tmp_path, "variant" + suffix), "sha")
    assert variant.month == reference.month
    assert (variant.published, variant.revised) == (reference.published, reference.revised)
    columns = [
        "month",
        "ons_code",
        "la_code",
        "area_name",
        "region",
        "area_type",
        "attribution",
        "delayed_days",
        "cell_ref",
        "row_number",
    ]
    assert variant.delayed_days.select(columns).equals(reference.delayed_days.select(columns))


def test_xlsx_period_cell_holding_a_date(tmp_path):
    from datetime import datetime

    path = write(tmp_path, "dated.xlsx", period=datetime(2017, 12, 1))
    assert ingest_delays_workbook(path, "sha").month == date(2017, 12, 1)


def test_missing_sheet_names_file_and_lists_sheets(tmp_path):
    path = write(tmp_path, sheet_name="LA - by type of care")
    with pytest.raises(InputError) as error:
        ingest_delays_workbook(path, "sha")
    message = str(error.value)
    assert str(path) in message
    assert "'England'" in message and "'LA - by type of care'" in message


@pytest.mark.parametrize(
    "renamed, missing",
    [("Social Care", "socialcare"), ("Both", "both"), ("NHS", "nhs"), ("ONS Geography", "onsgeography")],
)
def test_renamed_column_is_an_error_naming_the_header_row(tmp_path, renamed, missing):
    header = [f"{h} (renamed)" if h == renamed else h for h in HEADER]
    path = write(tmp_path, header=header)
    with pytest.raises(InputError) as error:
        ingest_delays_workbook(path, "sha")
    message = str(error.value)
    assert "row 14" in message and path.name in message
    assert missing in message


@pytest.mark.parametrize("value, wording", [("lots", "text"), (-3, "negative"), (2.5, "whole")])
def test_bad_numeric_cell_is_an_error_naming_the_cell(tmp_path, value, wording):
    areas = [AREAS[0], Area("E10000007", "Derbyshire", 820, value, 33)]
    # keep the England row (the sum, read first) whole, so the error is the area's own cell
    others = [Area("-", "Resident In Wales", 10, 4.5 if value == 2.5 else 4, 1, la_code="9900")]
    path = write(tmp_path, areas=areas, others=others)
    with pytest.raises(InputError) as error:
        ingest_delays_workbook(path, "sha")
    message = str(error.value)
    assert "cell G18" in message and path.name in message and wording in message


@pytest.mark.parametrize("period", ["", "To be confirmed"])
def test_missing_or_unreadable_period_is_an_error(tmp_path, period):
    path = write(tmp_path, period=period)
    with pytest.raises(InputError, match="Period") as error:
        ingest_delays_workbook(path, "sha")
    assert path.name in str(error.value)


def test_area_with_code_but_no_values_is_an_error(tmp_path):
    areas = [AREAS[0], Area("E10000007", "Derbyshire", None, None, None, total="")]
    path = write(tmp_path, areas=areas)
    with pytest.raises(InputError, match="E10000007") as error:
        ingest_delays_workbook(path, "sha")
    assert "row 18" in str(error.value)


def test_empty_file_is_an_input_error(tmp_path):
    path = tmp_path / "empty.xls"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty") as error:
        ingest_delays_workbook(path, "sha")
    assert str(path) in str(error.value)


def test_text_file_named_xls_is_an_input_error(tmp_path):
    path = tmp_path / "not-a-workbook.xls"
    path.write_text("<html><body>Page not found</body></html>")
    with pytest.raises(InputError, match="not an Excel workbook") as error:
        ingest_delays_workbook(path, "sha")
    assert str(path) in str(error.value)


def test_truncated_real_workbook_is_an_input_error(tmp_path, real_workbook):
    data = real_workbook("December 2017").read_bytes()
    path = tmp_path / "truncated.xls"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError) as error:
        ingest_delays_workbook(path, "sha")
    assert str(path) in str(error.value)
