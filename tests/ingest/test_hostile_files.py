"""Hostile input files (issue 10): each is refused in-process with one line naming the file, and the sheet, cell
or row where one applies, and good files still read as before. Every file here is written by the test."""

from __future__ import annotations

import itertools
import math
import os

import polars as pl
import pytest
import xlrd

from dtoc.errors import InputError
from dtoc.ingest.delays import ingest_delays_workbook
from dtoc.ingest.inputs import classify_file, scan_data_dir, select_population
from dtoc.ingest.population import ingest_population_workbook
from dtoc.ingest.sheet_reader import read_sheet
from tests.support.workbooks import (
    Area,
    DelaysSheet,
    empty_rows,
    encrypt_xlsx,
    read_real_sheet,
    write_delays_workbook,
    write_filepass_xls,
    write_grid,
    write_population_workbook,
    write_raw_xlsx,
    write_xls_with_errors,
    xml_cell,
    xml_rows,
    xml_rows_with_errors,
)

SHEET = "LA - by responsible org"  # the name in all 24 published workbooks (read below from the real files)
DERBY = Area("E06000015", "Derby", 365, 12, 10)
# DelaysSheet's layout: header on row 14, England on row 15, a blank row, then the areas from row 17;
# columns B Region, C ONS code, D Code, E Name, F NHS, G Social Care, H Both, I Total
DERBY_NHS, DERBY_SOCIAL_CARE = "F17", "G17"


def december(areas=(DERBY,), **options) -> DelaysSheet:
    return DelaysSheet("December 2017", list(areas), [Area("-", "Resident In Wales", 3, 1, 0)], **options)


def write_with_plain_england(path, areas):
    """A December sheet whose England row (row 15, read before the areas) holds plain numbers whatever the areas
    hold, so an error names the area's own cell."""
    grid = december(areas).rows()
    grid[14][5:9] = [368, 13, 10, 391]
    return write_grid(path, {"England": [["England summary"]], SHEET: grid})


def refusal(read, *args) -> str:
    with pytest.raises(InputError) as error:
        read(*args)
    message = str(error.value)
    assert "\n" not in message
    return message


# --- 1. sheet names: the published spelling, ignoring case only; two candidates are an error --------------------


def test_real_workbooks_have_exactly_one_sheet_of_the_published_names(real_data):
    for path in sorted((real_data / "nhse-dtoc-la").glob("*.xls")):
        names = xlrd.open_workbook(str(path), on_demand=True).sheet_names()
        assert read_sheet(path, ("LA - by responsible org",), rows=1).name in names
        assert [n for n in names if n.lower() == "la - by responsible org"] == ["LA - by responsible org"]
    for path in sorted((real_data / "ons-mye").glob("*.xls")):
        names = xlrd.open_workbook(str(path), on_demand=True).sheet_names()
        assert "MYE2 - All" in names
        assert ingest_population_workbook(path, "sha").sheet == "MYE2 - All"


def test_two_sheets_differing_only_in_case_are_refused_naming_both(tmp_path):
    doctored = december([Area("E06000051", "Shropshire", 900, 12, 10)])
    genuine = december([Area("E06000051", "Shropshire", 300, 12, 10)])
    path = write_raw_xlsx(
        tmp_path / "december.xlsx",
        {"LA - By Responsible Org": xml_rows(doctored.rows()), "LA - by responsible org": xml_rows(genuine.rows())},
    )
    for read in (lambda: ingest_delays_workbook(path, "sha"), lambda: scan_data_dir(tmp_path)):
        message = refusal(read)
        assert "december.xlsx" in message and "2 sheets" in message
        assert "'LA - By Responsible Org'" in message and "'LA - by responsible org'" in message


@pytest.mark.parametrize("name", ["LA-by responsible org", "LA - by responsible org ", "LA_by_responsible_org"])
def test_sheet_names_spelled_otherwise_than_published_are_not_read(tmp_path, name):
    path = write_delays_workbook(tmp_path / "december.xls", december(sheet_name=name))
    message = refusal(ingest_delays_workbook, path, "sha")
    assert f"'{name}'" in message and "no sheet named 'LA - by responsible org'" in message
    assert classify_file(path)[0] == "other"


def test_population_sheet_spelled_otherwise_is_found_by_its_content(tmp_path):
    """Unlike the DToC sheet, the MYE persons table is found by what it holds (a release spelled it 'MYE2-All')."""
    path = write_population_workbook(tmp_path / "mye.xls", {"E06000052": ("Cornwall", 400_000)}, sheet_name="MYE2-All")
    assert ingest_population_workbook(path, "sha").sheet == "MYE2-All"


# --- 2. size: rows, columns, file and unpacked size are bounded -------------------------------------------------


def test_a_million_empty_rows_are_refused_at_the_row_limit(tmp_path):
    rows = itertools.chain(xml_rows(december().rows()), empty_rows(30, 1_000_000))
    path = write_raw_xlsx(tmp_path / "december.xlsx", {SHEET: rows})
    for read in (lambda: ingest_delays_workbook(path, "sha"), lambda: classify_file(path)):
        message = refusal(read)
        assert "december.xlsx" in message and f"sheet '{SHEET}'" in message and "past row 5,000" in message


def test_a_million_rows_in_another_sheet_are_refused_before_openpyxl_measures_it(tmp_path):
    path = write_raw_xlsx(
        tmp_path / "december.xlsx", {"Notes": itertools.repeat("<row/>", 1_000_000), SHEET: xml_rows(december().rows())}
    )
    message = refusal(ingest_delays_workbook, path, "sha")
    assert "sheet 'Notes'" in message and "past row 5,000" in message


def test_a_row_wider_than_the_limit_is_refused_naming_the_row(tmp_path):
    rows = [*xml_rows(december().rows()), f'<row r="20">{xml_cell("GS20", 1)}</row>']  # GS is column 201
    path = write_raw_xlsx(tmp_path / "december.xlsx", {SHEET: rows})
    message = refusal(ingest_delays_workbook, path, "sha")
    assert "december.xlsx" in message and "row 20" in message and "past column 200" in message


def test_a_row_of_unnumbered_cells_cannot_grow_unseen(tmp_path):
    rows = [*xml_rows(december().rows()), "<row>" + xml_cell(None, 1) * 100_000 + "</row>"]
    message = refusal(ingest_delays_workbook, write_raw_xlsx(tmp_path / "d.xlsx", {SHEET: rows}), "sha")
    assert "past column 200" in message


def test_an_xlsx_unpacking_to_more_than_the_limit_is_refused(tmp_path):
    padding = (" " * 2**20 for _ in range(101))  # 101 MB of blanks inside <sheetData>: compresses to ~100 KB
    path = write_raw_xlsx(tmp_path / "december.xlsx", {SHEET: padding})
    message = refusal(ingest_delays_workbook, path, "sha")
    assert "december.xlsx" in message and "unpacks to 101.0 MB" in message


def test_an_oversized_part_other_than_a_sheet_is_refused(tmp_path):
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b" " * 11 * 2**20
        + b"</sst>"
    )
    path = write_raw_xlsx(
        tmp_path / "december.xlsx", {SHEET: xml_rows(december().rows())}, extra_parts={"xl/sharedStrings.xml": strings}
    )
    message = refusal(ingest_delays_workbook, path, "sha")
    assert "xl/sharedStrings.xml" in message and "11.0 MB" in message


def test_true_positions_survive_missing_rows_and_a_false_dimension(tmp_path):
    """Rows 1-16 absent from the file and a <dimension> claiming the whole sheet: C17 is still C17."""
    path = write_raw_xlsx(
        tmp_path / "sparse.xlsx", {SHEET: [f'<row r="17">{xml_cell("C17", "here")}</row>']}, dimension="A1:XFD1048576"
    )
    sheet = read_sheet(path, (SHEET,))
    assert len(sheet.grid) == 17 and sheet.grid[16] == [None, None, "here"]


def test_a_bad_cell_in_an_xlsx_without_empty_rows_is_named_by_its_true_reference(tmp_path):
    sheet = december([Area("E06000015", "Derby", "inf", 12, 10)])
    path = write_raw_xlsx(tmp_path / "december.xlsx", {SHEET: xml_rows(sheet.rows())})
    message = refusal(ingest_delays_workbook, path, "sha")
    assert f"cell {DERBY_NHS}" in message and "'inf'" in message


@pytest.mark.parametrize("suffix", [".xls", ".csv"])
def test_more_rows_than_the_limit_in_xls_or_csv_are_refused(tmp_path, suffix):
    grid = december().rows() + [["", "footnote"]] * 6_000
    path = write_grid(tmp_path / f"december{suffix}", {SHEET: grid})
    message = refusal(ingest_delays_workbook, path, "sha")
    assert path.name in message and "past row 5,000" in message
    assert classify_file(path) == ("delays", "2017-12-01")  # classification reads only the first rows


def test_a_csv_line_longer_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "december.csv"
    path.write_text("Period:,December 2017,Social Care\n" + "x" * 200_000 + "\n")
    assert "line 2 is longer than 100,000 characters" in refusal(ingest_delays_workbook, path, "sha")


def test_files_far_larger_than_any_input_are_skipped_unread(tmp_path):
    """60 MB files: a .csv starting like a DToC export, and a .xls of zeros (not a workbook at all)."""
    start = b",Period:,December 2017\n,Region,ONS Geography,Code,Name,NHS,Social Care,Both,Total\n"
    for name, head in (("huge.csv", start), ("huge.xls", b"")):
        with (tmp_path / name).open("wb") as handle:
            handle.write(head)
            handle.truncate(60 * 2**20)
    found = {f.path.name: f for f in scan_data_dir(tmp_path)}
    assert {f.kind for f in found.values()} == {"other"}
    assert all("60.0 MB" in f.note and "not read" in f.note for f in found.values())
    assert "60.0 MB" in refusal(ingest_delays_workbook, tmp_path / "huge.csv", "sha")
    assert "60.0 MB" in refusal(select_population, [], "mid-2016", tmp_path, tmp_path / "huge.xls")


# --- 4. numbers that cannot be counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", math.inf, math.nan, "nan", 1e308, "34,3", "1,23,4", "1e8", "1_000", "12 000"])
def test_delayed_days_that_cannot_be_days_are_refused_naming_the_cell(tmp_path, value):
    path = write_with_plain_england(tmp_path / "december.xls", [Area("E06000015", "Derby", 365, value, 10)])
    message = refusal(ingest_delays_workbook, path, "sha")
    assert "december.xls" in message and f"cell {DERBY_SOCIAL_CARE}" in message and f"sheet '{SHEET}'" in message


def test_well_formed_thousands_separators_are_read(tmp_path):
    path = write_delays_workbook(
        tmp_path / "december.csv", december([Area("E06000015", "Derby", "1,234", "12", 0, total=1246)])
    )
    days = ingest_delays_workbook(path, "sha").delayed_days
    derby = dict(days.filter(days["area_name"] == "Derby").select("attribution", "delayed_days").iter_rows())
    assert derby == {"nhs": 1234, "social_care": 12, "joint": 0}


@pytest.mark.parametrize("value", ["34,3", math.inf, 1e308, "nan", -1])
def test_population_counts_that_cannot_be_people_are_refused_naming_the_cell(tmp_path, value):
    # MYE2 layout: header on row 5, the first area on row 6; Code A, Name B, All ages C, age 0 in D, so age 18 in V
    path = write_population_workbook(tmp_path / "mye.xls", {"E06000052": ("Cornwall", 400_000)}, cells={"V6": value})
    message = refusal(ingest_population_workbook, path, "sha")
    assert "mye.xls" in message and "cell V6" in message and "sheet 'MYE2 - All'" in message


# --- 5. password-protected workbooks ----------------------------------------------------------------------------


def test_password_protected_xlsx_is_named_as_such(tmp_path):
    plain = write_delays_workbook(tmp_path / "plain.xlsx", december())
    data = tmp_path / "data"
    data.mkdir()
    path = encrypt_xlsx(plain, data / "december.xlsx")
    for read in (lambda: ingest_delays_workbook(path, "sha"), lambda: scan_data_dir(data)):
        message = refusal(read)
        assert "december.xlsx" in message and "password-protected" in message and ".xlsx" in message


def test_password_protected_xls_is_named_as_such(tmp_path):
    path = write_filepass_xls(tmp_path / "december.xls", {SHEET: december().rows()})
    message = refusal(ingest_delays_workbook, path, "sha")
    assert "december.xls" in message and "password-protected" in message


# --- 6. a CSV export with ';' separators -------------------------------------------------------------------------


def test_semicolon_csv_gets_a_hint(tmp_path):
    import csv

    path = tmp_path / "december.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(
            december([Area("E06000015", "Derby", "34,3", 12, 10, total="56,3")]).rows()
        )
    for read in (lambda: ingest_delays_workbook(path, "sha"), lambda: scan_data_dir(tmp_path)):
        message = refusal(read)
        assert "december.csv" in message and "';'" in message and "Comma delimited" in message


# --- 7. Excel error values: refused by name in every format, never read as the number xlrd stores ------------
# (xlrd reads a legacy error cell as its internal code: #REF! as 23, #DIV/0! as 7, #N/A as 42)

EXCEL_ERRORS = {"#REF!": 23, "#DIV/0!": 7, "#N/A": 42}


@pytest.mark.parametrize("error", sorted(EXCEL_ERRORS))
@pytest.mark.parametrize("ref", [DERBY_SOCIAL_CARE, "I17"])  # a delayed-days cell, and the row's Total
def test_an_excel_error_in_an_xls_cell_is_refused_as_excel_shows_it(tmp_path, error, ref):
    path = write_xls_with_errors(
        tmp_path / "december.xls", {"England": [["England summary"]], SHEET: december().rows()}, {SHEET: {ref: error}}
    )
    row, column = int(ref[1:]) - 1, ord(ref[0]) - 65
    held = xlrd.open_workbook(str(path)).sheet_by_name(SHEET)
    assert held.cell_type(row, column) == xlrd.XL_CELL_ERROR and held.cell_value(row, column) == EXCEL_ERRORS[error]
    message = refusal(ingest_delays_workbook, path, "sha")
    assert f"cell {ref}: holds the Excel error {error}" in message and "december.xls" in message
    assert str(EXCEL_ERRORS[error]) not in message.split(error)[-1]


def test_an_excel_error_in_an_xlsx_or_a_csv_export_is_refused_the_same_way(tmp_path):
    grid = december().rows()
    grid[16][6] = "placeholder"
    xlsx = write_raw_xlsx(tmp_path / "december.xlsx", {SHEET: xml_rows_with_errors(grid, {"G17": "#DIV/0!"})})
    grid[16][6] = "#DIV/0!"  # Excel's CSV export writes the error as it shows it
    exported = write_grid(tmp_path / "december.csv", {SHEET: grid})
    for path in (xlsx, exported):
        assert "cell G17: holds the Excel error #DIV/0!" in refusal(ingest_delays_workbook, path, "sha")


def test_an_excel_error_in_a_population_cell_is_refused_naming_the_cell(tmp_path):
    written = write_population_workbook(tmp_path / "plain.xls", {"E06000052": ("Cornwall", 400_000)})
    sheets = {name: read_real_sheet(written, name) for name in ("Contents", "MYE2 - All")}
    path = write_xls_with_errors(tmp_path / "mye.xls", sheets, {"MYE2 - All": {"V6": "#N/A"}})
    message = refusal(ingest_population_workbook, path, "sha")
    assert "mye.xls" in message and "cell V6: holds the Excel error #N/A" in message


# --- 8. a CSV export in UTF-16 (Excel's 'Unicode Text'), read like the UTF-8 one -----------------------------


def test_a_utf16_tab_separated_export_reads_as_the_utf8_csv(tmp_path):
    import csv

    sheet = december([Area("E06000015", "Derby", 365, 12, 10), Area("E08000025", "Birmingham", 1_234, 0, "-")])
    utf8 = write_delays_workbook(tmp_path / "december.csv", sheet)
    unicode_text = tmp_path / "december-unicode.txt"
    with unicode_text.open("w", newline="", encoding="utf-16") as handle:  # 'utf-16' writes the byte-order mark
        csv.writer(handle, dialect="excel-tab").writerows(sheet.rows())
    assert unicode_text.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    expected = ingest_delays_workbook(utf8, "sha").delayed_days.drop("source_file", "sheet")
    assert ingest_delays_workbook(unicode_text, "sha").delayed_days.drop("source_file", "sheet").equals(expected)
    assert expected.filter(pl.col("area_name") == "Birmingham")["delayed_days"].to_list() == [1234, 0, None]


# --- 9. a file name that is not UTF-8 ----------------------------------------------------------------------


def test_a_workbook_whose_name_is_not_utf8_is_refused_naming_it_escaped(tmp_path):
    path = write_delays_workbook(tmp_path / os.fsdecode(b"d\xe9cembre.xls"), december())
    message = refusal(ingest_delays_workbook, path, "sha")
    assert "d\\xe9cembre.xls" in message and "not valid UTF-8" in message and "rename the file" in message
    message.encode("utf-8")  # the message itself can be printed and written anywhere
