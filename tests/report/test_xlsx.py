"""The one xlsx writer (dtoc.report.xlsx_writer, on XlsxWriter): every type converted explicitly or refused, values
read back by openpyxl exactly as given, text never a formula, the print set-up, and the same bytes every time."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy
import openpyxl
import pytest

from dtoc.errors import DtocError
from dtoc.report.cells import columns_sheet, put, table_sheet
from dtoc.report.xlsx_writer import Sheet, workbook_bytes, write_workbook

# (value given, what a spreadsheet must read back), worked out by hand
CONVERTED = [
    (Decimal("0.1"), 0.1),
    (Decimal("-12345.678"), -12345.678),
    (numpy.float64(2 / 3), 2 / 3),
    (numpy.float32(0.1), 0.10000000149011612),
    (numpy.int64(7), 7),
    (numpy.bool_(True), True),
    (True, True),
    (Fraction(1, 4), 0.25),
    (0.1 + 0.2, 0.30000000000000004),
    (1e-17, 1e-17),
    (2**53, 9007199254740992),
    (123456789012345.67, 123456789012345.67),
    (date(2018, 9, 30), datetime(2018, 9, 30)),
    (datetime(2018, 9, 30, 12, 30), datetime(2018, 9, 30, 12, 30)),
    ("=1+1", "=1+1"),
    ("0012", "0012"),
    ("http://example.org", "http://example.org"),
    ("_x0041_ literal", "_x0041_ literal"),
    ("tab\there", "tab\there"),
]
REFUSED = [
    (object(), "no rule converts"),
    ([1, 2], "no rule converts"),
    (1 + 2j, "no rule converts"),
    (timedelta(days=1), "no rule converts"),
    (b"bytes", "no rule converts"),
    (float("nan"), "not a finite number"),
    (float("inf"), "not a finite number"),
    (Decimal("NaN"), "not a finite number"),
    (Decimal("sNaN"), "not a finite number"),
    (numpy.float64("inf"), "not a finite number"),
    (2**60, "beyond 2\\*\\*53"),
    (datetime(2018, 9, 30, tzinfo=UTC), "time zone"),
    ("x" * 32768, "longer than 32,767"),
]


def read_back(path, sheet="Cells"):
    return openpyxl.load_workbook(path)[sheet]


def test_every_type_is_converted_and_read_back_as_given(tmp_path):
    sheet = Sheet("Cells")
    for row, (value, _) in enumerate(CONVERTED, start=1):
        put(sheet, row, 1, value)
    cells = read_back(write_workbook(tmp_path / "types.xlsx", [sheet]))
    for row, (given, wanted) in enumerate(CONVERTED, start=1):
        cell = cells.cell(row=row, column=1)
        assert cell.value == wanted and type(cell.value) is type(wanted), (given, cell.value)
    assert cells.cell(row=CONVERTED.index((True, True)) + 1, column=1).data_type == "b"
    assert all(cells.cell(row=r, column=1).data_type == "s" for r in range(15, 20))  # text stays text
    with zipfile.ZipFile(tmp_path / "types.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("value, message", REFUSED, ids=[repr(v)[:20] for v, _ in REFUSED])
def test_anything_else_is_refused_naming_the_sheet_and_cell(value, message, tmp_path):
    sheet = Sheet("Figures")
    put(sheet, 1, 1, "fine")
    put(sheet, 3, 2, value)
    with pytest.raises(DtocError, match=f"workbook 'Test' sheet 'Figures' cell B3: cannot write .*{message}"):
        write_workbook(tmp_path / "refused.xlsx", [sheet], "Test")
    assert not (tmp_path / "refused.xlsx").exists()


def test_every_float_of_a_wide_range_reads_back_exactly(tmp_path):
    values = [i / 7 * 10**e for e in range(-12, 13) for i in range(1, 30)] + [5.5, 7.9, 2.6, 4.3, 1 / 3]
    sheet = Sheet("Cells")
    for row, value in enumerate(values, start=1):
        put(sheet, row, 1, value, "0.00")
    cells = read_back(write_workbook(tmp_path / "floats.xlsx", [sheet]))
    assert [cells.cell(row=r, column=1).value for r in range(1, len(values) + 1)] == values


def test_same_sheets_give_the_same_bytes_and_a_fixed_creation_date(tmp_path):
    def sheets():
        table = table_sheet(
            "Expectations", ("hwb_code", "baseline_nhs_daily", "target_date"), [("E06000051", 11.1, date(2018, 9, 30))]
        )
        return [table, columns_sheet([("Expectations", ("hwb_code", "baseline_nhs_daily", "target_date"))])]

    first, second = workbook_bytes(sheets(), "t"), workbook_bytes(sheets(), "t")
    assert first == second
    path = tmp_path / "t.xlsx"
    path.write_bytes(first)
    assert openpyxl.load_workbook(path).properties.created == datetime(2018, 9, 30)


def test_a_table_prints_landscape_one_page_wide_with_its_header_repeated(tmp_path):
    columns = ("hwb_code", "hwb_name", "population_18plus", "expected_asc_daily", "expected_asc_rate", "month")
    rows = [("E06000051", "Shropshire", 246680, 1.3, 0.5, date(2018, 9, 1))] * 3
    book = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [table_sheet("T", columns, rows, 2)]))
    sheet = book["T"]
    assert [c.value for c in sheet[1]] == [
        "ONS code",
        "Health and Wellbeing Board",
        "Population aged 18+",
        "Social care expected daily delays",
        "Social care expected rate per 100,000 aged 18+",
        "Month",
    ]
    assert [c.number_format for c in sheet[2]] == ["General", "General", "#,##0", "#,##0.00", "0.00", "mmm yyyy"]
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == "A1:F4" and sheet.print_title_rows == "$1:$1"
    setup = sheet.page_setup
    # one page wide (fitToWidth absent means 1, the default), as many pages tall as needed
    assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["B"].width >= len("Shropshire") and sheet.row_dimensions[1].height >= 30


def test_the_columns_sheet_maps_each_header_to_its_machine_name(tmp_path):
    sheet = columns_sheet([("Expectations", ("hwb_code", "asc_band", "region"))])
    rows = list(read_back(write_workbook(tmp_path / "c.xlsx", [sheet]), "Columns").iter_rows(values_only=True))
    assert [r[:3] for r in rows] == [
        ("Sheet", "Header", "Column name in CSV, Parquet and JSON"),
        ("Expectations", "ONS code", "hwb_code"),
        ("Expectations", "Social care band", "asc_band"),
        ("Expectations", "Region", "region"),
    ]
    assert all(r[3] for r in rows[1:])


def test_a_bad_sheet_name_is_an_error(tmp_path):
    with pytest.raises(DtocError, match="sheet name 'a/b'"):
        write_workbook(tmp_path / "x.xlsx", [Sheet("a/b")])
    with pytest.raises(DtocError, match="sheet name 'same'"):
        write_workbook(tmp_path / "x.xlsx", [Sheet("Same"), Sheet("same")])


def test_a_table_shows_coded_values_in_words_and_colours_a_verdict(tmp_path):
    columns = ("nhs_band", "verdict", "attribution", "comparator", "band_sensitive", "region", "gap_days")
    rows = [
        ("reduce_by_cap", "not_in_line", "social_care", "glide_path", "nhs; asc", "maintain", 1.25),
        ("maintain", "in_line", "total", "expected", None, "London", -2.0),
    ]
    sheet = read_back(write_workbook(tmp_path / "w.xlsx", [table_sheet("T", columns, rows)]), "T")
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Reduce by the cap", "Not in line", "Social care", "Glide path", "NHS; Social care", "maintain", 1.25],
        ["Keep the rate", "In line", "Total", "Expectation", None, "London", -2.0],
    ]  # a value is worded by its column only: a region that happened to read 'maintain' stays as it is
    assert (sheet["B2"].fill.fgColor.rgb, sheet["B3"].fill.fgColor.rgb) == ("FFFBE0E0", "FFDFF3E4")
    assert sheet["A2"].fill.fill_type is None and sheet["G2"].number_format == "#,##0.0"


def test_the_about_block_states_date_validation_parameters_and_sources(tmp_path):
    from dtoc.report.about import About, SourceFile, put_about

    about = About(
        date(2019, 1, 1),
        "Validation passed",
        (("Plan year", "2018-19"), ("Target date", date(2018, 9, 30))),
        (SourceFile("a.xls", "Delayed transfers of care, October 2017", "14th December 2017", None, "https://x"),),
    )
    sheet = Sheet("Summary")
    last = put_about(sheet, 3, about)
    cells = read_back(write_workbook(tmp_path / "a.xlsx", [sheet]), "Summary")
    rows = [[c.value for c in row] for row in cells.iter_rows(min_row=3, max_row=last)]
    assert rows[0][0] == "About this publication" and rows[1][:2] == ["Publication date", datetime(2019, 1, 1)]
    assert rows[2][:2] == ["Validation", "Validation passed"] and rows[4][:2] == ["Parameter", "Value"]
    assert rows[-2] == ["Source file", "Holds", "Published", "Revised", "Official address"]
    assert rows[-1] == [
        "a.xls",
        "Delayed transfers of care, October 2017",
        "14th December 2017",
        "not stated in the file",
        "https://x",
    ]
    assert cells["B4"].number_format == "d mmmm yyyy" and cells["B9"].number_format == "d mmmm yyyy"
