"""Monitoring 2018-19: actual daily delays per HWB and month against the glide path and the expectation.

Unit tests of the comparison on small frames (the SQL models in memory), an integration test on small
workbooks the test writes (.xlsx, CSV, .xls; a missing month and an absent HWB), end-to-end tests on the real
2018-19 workbooks, and one run of the Prefect flow in a subprocess.
"""

from __future__ import annotations

import os
import re
from datetime import date

import duckdb
import polars as pl
import pytest
import xlrd

from dtoc.errors import DtocError
from dtoc.ingest.delays import DELAYED_DAYS_SCHEMA
from dtoc.monitor.comparison import build_monitoring
from dtoc.monitor.coverage import describe_coverage
from dtoc.monitor.page import render_monitoring_html
from dtoc.periods import months_between, parse_financial_year
from dtoc.report.charts import GRID
from tests.support.browser import render_in_chromium
from tests.support.contract import MONITORING_COLUMNS
from tests.support.devtools import pages_that_do_not_fit
from tests.support.monitoring import monitoring_in_process
from tests.support.source_cells import cells_of
from tests.support.workbooks import Area, write_month_workbook

NATIONAL_COLUMNS = [
    "month",
    "month_index",
    "attribution",
    "hwbs_reported",
    "actual_delayed_days",
    "days_in_month",
    "actual_daily",
    "expected_daily",
    "glide_path_daily",
    "comparator",
    "comparator_daily",
    "met",
    "distance",
    "hwbs_met",
    "hwbs_not_met",
    "england_published_delayed_days",
    "england_published_daily",
]
ATTRIBUTIONS = ["nhs", "social_care", "joint", "total"]
YEAR = parse_financial_year("2018-19")
APRIL, JULY, SEPTEMBER, MARCH = date(2018, 4, 1), date(2018, 7, 1), date(2018, 9, 1), date(2019, 3, 1)
LABELS = [
    "April 2018",
    "May 2018",
    "June 2018",
    "July 2018",
    "August 2018",
    "September 2018",
    "October 2018",
    "November 2018",
    "December 2018",
    "January 2019",
    "February 2019",
    "March 2019",
]


# --- small frames -------------------------------------------------------------------------------------------


def delays_frame(rows: list[tuple[str, date, int | None]]) -> pl.DataFrame:
    """Delayed days in ingest's long form: (hwb_code, month, NHS days); social care 0, joint 0."""
    records = [
        {
            "month": month,
            "ons_code": code,
            "la_code": "1",
            "area_name": f"Area {code}",
            "region": "R",
            "area_type": "local_authority",
            "attribution": attribution,
            "delayed_days": days if attribution == "nhs" else 0,
            "source_file": f"{month:%B-%Y}.xls",
            "source_sha256": "0",
            "sheet": "s",
            "cell_ref": "F1",
            "row_number": 1,
            "published": None,
            "revised": None,
        }
        for code, month, days in rows
        for attribution in ("nhs", "social_care", "joint")
    ]
    return pl.DataFrame(records, schema=DELAYED_DAYS_SCHEMA)


def expectations_frame(targets: dict[str, tuple[float, float]]) -> pl.DataFrame:
    """hwb_code -> (baseline NHS daily, expected NHS daily); social care and joint held at 0."""
    rows = [
        {
            "hwb_code": code,
            "hwb_name": f"Area {code}",
            "baseline_nhs_daily": base,
            "baseline_asc_daily": 0.0,
            "baseline_joint_daily": 0.0,
            "expected_nhs_daily": expected,
            "expected_asc_daily": 0.0,
            "expected_joint_daily": 0.0,
            "expected_total_daily": expected,
        }
        for code, (base, expected) in targets.items()
    ]
    return pl.DataFrame(rows)


def monitor(delays: pl.DataFrame, expectations: pl.DataFrame, config) -> tuple[pl.DataFrame, pl.DataFrame]:
    with duckdb.connect(":memory:") as connection:
        return build_monitoring(connection, delays, expectations, YEAR, config.plan)


def nhs_row(table: pl.DataFrame, month: date, code: str = "E1") -> dict:
    return table.filter(
        (pl.col("hwb_code") == code) & (pl.col("month") == month) & (pl.col("attribution") == "nhs")
    ).row(0, named=True)


@pytest.mark.parametrize(
    "month, days, met, distance",
    [
        (APRIL, 90, True, None),  # 90 / 30 = 3.0 = baseline = glide path in April: met at equality
        (APRIL, 91, False, None),
        (SEPTEMBER, 45, True, 0.0),  # 45 / 30 = 1.5 = expected: met at equality, distance 0
        (SEPTEMBER, 46, False, 1 / 30),
        (SEPTEMBER, 44, True, -1 / 30),
        (MARCH, 46, True, 46 / 31 - 1.5),
        (MARCH, 47, False, 47 / 31 - 1.5),
        (JULY, 65, True, None),  # glide path in July: 3.0 - 3/5 x 1.5 = 2.1; 65 / 31 = 2.097
        (JULY, 66, False, None),  # 66 / 31 = 2.129
    ],
)
def test_met_and_distance_at_the_boundaries(config, month, days, met, distance):
    table, _ = monitor(delays_frame([("E1", month, days)]), expectations_frame({"E1": (3.0, 1.5)}), config)
    row = nhs_row(table, month)
    assert row["actual_daily"] == days / row["days_in_month"]
    assert row["met"] is met
    assert row["distance"] == (None if distance is None else pytest.approx(distance, abs=1e-12))
    assert row["comparator"] == ("glide_path" if month < SEPTEMBER else "expected")


def test_glide_path_runs_from_baseline_in_april_to_expected_in_september(config):
    baseline, expected = 0.1, 0.3  # 0.1 + (0.3 - 0.1) is not 0.3 in floating point: the ends must be exact
    table, _ = monitor(
        delays_frame([("E1", m, 0) for m in YEAR]), expectations_frame({"E1": (baseline, expected)}), config
    )
    glide = {
        r["month"]: r["glide_path_daily"] for r in table.filter(pl.col("attribution") == "nhs").iter_rows(named=True)
    }
    assert glide[APRIL] == baseline
    assert glide[SEPTEMBER] == expected
    for month in YEAR[1:5]:
        assert glide[month] == pytest.approx(baseline + (expected - baseline) * months_between(APRIL, month) / 5)
    assert all(glide[m] == expected for m in YEAR[5:])
    comparators = table.filter(pl.col("attribution") == "nhs").sort("month")
    assert comparators["comparator"].to_list() == ["glide_path"] * 5 + ["expected"] * 7
    assert comparators["comparator_daily"].to_list() == comparators["glide_path_daily"].to_list()


def test_months_missed_are_counted_from_september(config):
    missed = {date(2018, 5, 1), date(2018, 9, 1), date(2018, 11, 1), date(2019, 2, 1)}
    rows = [("E1", m, 100 if m in missed else 0) for m in YEAR]
    table, _ = monitor(delays_frame(rows), expectations_frame({"E1": (1.0, 1.0)}), config)
    counts = table.filter(pl.col("attribution") == "nhs").sort("month")["months_missed_to_date"].to_list()
    assert counts == [None] * 5 + [1, 1, 2, 2, 2, 3, 3]


def test_an_hwb_absent_from_a_month_is_reported_not_guessed(config):
    rows = [("E1", APRIL, 10), ("E2", APRIL, 20), ("E1", date(2018, 5, 1), 10), ("E9", date(2018, 5, 1), 5)]
    delays, expectations = delays_frame(rows), expectations_frame({"E1": (1.0, 1.0), "E2": (1.0, 1.0)})
    table, national = monitor(delays, expectations, config)
    assert table.filter(pl.col("hwb_code") == "E2")["month"].unique().to_list() == [APRIL]
    assert "E9" not in table["hwb_code"].to_list()
    assert national.filter(pl.col("month") == date(2018, 5, 1))["hwbs_reported"].unique().to_list() == [1]
    notes = describe_coverage(delays, expectations)
    assert any(n.startswith("E2 Area E2 has no row in the May 2018 workbook") for n in notes), notes
    assert any(n.startswith("E9 Area E9 in the May 2018 workbook") and "left out" in n for n in notes), notes


@pytest.mark.parametrize("label", ["2018/19", "2018-20", "18-19", "", "2018-19Q1", None])
def test_bad_financial_years_raise(label):
    with pytest.raises(DtocError, match="financial year"):
        parse_financial_year(label)


def test_financial_year_is_april_to_march():
    assert YEAR[0] == APRIL and YEAR[-1] == MARCH and len(YEAR) == 12
    assert months_between(APRIL, SEPTEMBER) == 5 and months_between(APRIL, MARCH) == 11


# --- small workbooks ------------------------------------------------------------------------------------------


def test_small_workbooks_in_three_formats_with_a_missing_month(tmp_path, config):
    """April as .xlsx, May as CSV (one HWB absent), September as .xls; the other nine months have no file."""
    data, published = tmp_path / "data", tmp_path / "published"
    both = [Area("E06000001", "One", 30, 15, 0), Area("E06000002", "Two", 61, "-", 0)]
    write_month_workbook(data, "April 2018", both, suffix=".xlsx")
    write_month_workbook(data, "May 2018", both[:1], suffix=".csv")
    write_month_workbook(data, "September 2018", both, suffix=".xls", file_name="named-wrongly-March-2019.xls")
    published.mkdir()
    expectations = expectations_frame({"E06000001": (1.0, 1.0), "E06000002": (2.0, 2.0)}).with_columns(
        expected_total_daily=pl.col("expected_nhs_daily") + 0.5
    )
    expectations.write_parquet(published / "expectations.parquet")
    result = monitoring_in_process(data, "2018-19", config, expectations_dir=published)
    assert [m.month for m in result.missing_months] == [6, 7, 8, 10, 11, 12, 1, 2, 3]
    assert sum(n.startswith("Month missing:") for n in result.notes) == 9
    assert any("E06000002 Area E06000002 has no row in the May 2018 workbook" in n for n in result.notes)
    assert result.expectations_source.startswith("published")
    table = result.monitoring
    assert table.height == (2 + 1 + 2) * 4
    two_september = table.filter((pl.col("hwb_code") == "E06000002") & (pl.col("month") == SEPTEMBER))
    assert two_september["actual_delayed_days"].to_list() == [61, 0, 0, 61]
    assert two_september["cells_not_reported"].to_list() == [0, 1, 0, 1]
    # social care was not reported ('-'): neither it nor the total is judged on a guessed 0
    assert two_september["met"].to_list() == [False, None, True, None]
    assert two_september["distance"].to_list()[1] is None
    assert two_september["distance"].to_list()[0] == pytest.approx(61 / 30 - 2.0)


# --- the real 2018-19 workbooks -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_monitoring(real_data, config, tmp_path_factory):
    database_path = tmp_path_factory.mktemp("monitoring") / "dtoc.duckdb"
    return monitoring_in_process(real_data, "2018-19", config, database_path=database_path), database_path


def test_every_hwb_month_and_attribution_is_covered(real_monitoring):
    result, _ = real_monitoring
    table = result.monitoring
    assert table.columns == MONITORING_COLUMNS
    assert result.national.columns == NATIONAL_COLUMNS
    assert table.height == 151 * 12 * 4
    assert table.select("hwb_code", "month", "attribution").is_duplicated().sum() == 0
    assert table["hwb_code"].n_unique() == 151 and sorted(table["month"].unique().to_list()) == YEAR
    assert sorted(table["attribution"].unique().to_list()) == sorted(ATTRIBUTIONS)
    assert result.missing_months == [] and not any("missing_months" in n for n in result.notes)
    assert table.drop("distance", "months_missed_to_date", "met").null_count().sum_horizontal().item() == 0
    assert table.filter(pl.col("met").is_null()).equals(table.filter(pl.col("cells_not_reported") > 0))
    assert result.expectations_source.startswith("computed in-process")


@pytest.mark.parametrize(
    "code, label",
    [
        ("E06000051", "February 2019"),
        ("E08000025", "March 2019"),
        ("E06000001", "September 2018"),
        ("E09000001", "April 2018"),
    ],
)
def test_actual_daily_recomputed_with_xlrd(real_monitoring, real_workbook, code, label):
    row = cells_of(real_workbook(label), code)
    cells = [row[h] for h in ("NHS", "Social Care", "Both")]
    days = [0 if cell == "-" else cell for cell in cells]
    month = parse_financial_year("2018-19")[LABELS.index(label)]
    month_days = {2: 28, 4: 30, 9: 30}.get(month.month, 31)
    rows = result_rows(real_monitoring[0].monitoring, code, month)
    for attribution, value in zip(ATTRIBUTIONS, [*days, sum(days)], strict=True):
        assert rows[attribution]["days_in_month"] == month_days
        assert rows[attribution]["actual_delayed_days"] == value
        assert rows[attribution]["actual_daily"] == pytest.approx(value / month_days, rel=1e-12)
    assert rows["total"]["cells_not_reported"] == cells.count("-")


def result_rows(table: pl.DataFrame, code: str, month: date) -> dict[str, dict]:
    frame = table.filter((pl.col("hwb_code") == code) & (pl.col("month") == month))
    return {r["attribution"]: r for r in frame.iter_rows(named=True)}


def test_real_glide_path_ends(real_monitoring):
    table = real_monitoring[0].monitoring
    april, september = table.filter(pl.col("month") == APRIL), table.filter(pl.col("month") == SEPTEMBER)
    assert (april["glide_path_daily"] == april["baseline_daily"]).all()
    assert (september["glide_path_daily"] == september["expected_daily"]).all()
    assert (table["met"] == (table["actual_daily"] <= table["comparator_daily"])).all()


def test_national_sums_equal_the_sums_of_the_rows(real_monitoring):
    result, _ = real_monitoring
    sums = result.monitoring.group_by("month", "attribution").agg(
        pl.len().alias("rows"),
        pl.col("actual_delayed_days").sum().alias("days"),
        *(pl.col(c).sum() for c in ("actual_daily", "expected_daily", "glide_path_daily", "comparator_daily")),
        pl.col("met").sum().alias("met_rows"),
    )
    joined = result.national.join(sums, on=["month", "attribution"], suffix="_rows")
    assert joined.height == result.national.height == 12 * 4
    assert (joined["hwbs_reported"] == joined["rows"]).all() and (joined["actual_delayed_days"] == joined["days"]).all()
    assert (joined["hwbs_met"] == joined["met_rows"]).all()
    for column in ("actual_daily", "expected_daily", "glide_path_daily", "comparator_daily"):
        assert (joined[column] - joined[f"{column}_rows"]).abs().max() < 1e-9 * joined[column].abs().max()


@pytest.fixture(scope="module")
def published_expectations(real_monitoring, tmp_path_factory):
    """The expectations table of the real run, published as expectations.parquet in a folder of its own."""
    folder = tmp_path_factory.mktemp("expectations")
    with duckdb.connect(str(real_monitoring[1]), read_only=True) as connection:
        pl.from_arrow(connection.sql("select * from expectations").to_arrow_table()).write_parquet(
            folder / "expectations.parquet"
        )
    return folder


def test_a_missing_month_is_reported_not_guessed(
    real_data, real_workbook, config, published_expectations, real_monitoring, tmp_path
):
    data = tmp_path / "data"
    data.mkdir()
    for label in LABELS:
        if label != "October 2018":
            os.symlink(real_workbook(label), data / real_workbook(label).name)
    os.symlink(real_data / "ons-mye" / "ukmidyearestimates2016.xls", data / "ukmidyearestimates2016.xls")
    result = monitoring_in_process(data, "2018-19", config, expectations_dir=published_expectations)
    october = date(2018, 10, 1)
    assert result.missing_months == [october]
    assert any(n.startswith("Month missing:") and "October 2018" in n for n in result.notes)
    assert result.monitoring.height == 151 * 11 * 4 and october not in result.monitoring["month"].to_list()
    assert october not in result.national["month"].to_list()
    full = real_monitoring[0].monitoring.filter(pl.col("month") != october)
    assert result.monitoring.drop("months_missed_to_date").equals(full.drop("months_missed_to_date"))
    with pytest.raises(DtocError, match="October 2017"):  # no expectations published: the baseline is needed
        monitoring_in_process(data, "2018-19", config, expectations_dir=tmp_path / "nothing-published")


def test_march_2019_position(real_monitoring):
    result, _ = real_monitoring
    total = result.national.filter((pl.col("month") == MARCH) & (pl.col("attribution") == "total")).row(0, named=True)
    assert 3_900 <= total["expected_daily"] <= 4_050
    assert total["distance"] == pytest.approx(total["actual_daily"] - total["expected_daily"])
    assert total["hwbs_met"] + total["hwbs_not_met"] == 151


# --- the page ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def monitoring_page(real_monitoring, tmp_path_factory, config):
    result, _ = real_monitoring
    page = tmp_path_factory.mktemp("page") / "monitoring.html"
    page.write_text(
        render_monitoring_html(
            result.monitoring, result.national, result.notes, YEAR, "2018-19", result.expectations_source, config.plan
        ),
        encoding="utf-8",
    )
    return page, page.read_text(encoding="utf-8")


def test_page_charts_nhs_social_care_and_total_per_hwb_under_full_titles(real_monitoring, monitoring_page):
    result, _ = real_monitoring
    _, html = monitoring_page
    figures = dict(re.findall(r'<figure id="(E\d+)">(.*?)</figure>', html, flags=re.S))
    names = dict(result.monitoring.select("hwb_code", "hwb_name").unique().iter_rows())
    assert sorted(figures) == sorted(names) and len(figures) == 151
    for code, figure in figures.items():
        caption = re.sub(r"<[^>]+>", "", figure.split("</figcaption>")[0]).replace("&amp;", "&")
        assert caption.startswith(names[code] + " ") and code in caption  # the whole name, in HTML text
        svg = figure.split("</figcaption>")[1]
        lines = re.findall(r'<polyline fill="none" stroke="([^"]+)" stroke-width="[^"]+"( stroke-dasharray)?', svg)
        drawn = [(colour, bool(dash)) for colour, dash in lines if colour != GRID]  # not the gridlines
        assert len(drawn) == 6 and len({c for c, _ in drawn}) == 3 and sum(d for _, d in drawn) == 3, code
    for code in names:
        assert f'<a href="#{code}">' in html  # the index
    assert "<title>" in html and "missed" in html


def test_page_shows_england_as_published_and_the_sum_of_the_hwbs_labelled(
    real_monitoring, real_workbook, monitoring_page
):
    result, _ = real_monitoring
    _, html = monitoring_page
    book = xlrd.open_workbook(str(real_workbook("March 2019")), on_demand=True)
    sheet = book.sheet_by_name(next(n for n in book.sheet_names() if n.lower() == "la - by responsible org"))
    header_row = next(r for r in range(40) if "Name" in sheet.row_values(r))
    header = sheet.row_values(header_row)
    england = next(
        r for r in range(header_row + 1, sheet.nrows) if sheet.cell_value(r, header.index("Name")) == "England"
    )
    published = sheet.cell_value(england, header.index("Total")) / 31
    hwbs = result.national.filter((pl.col("month") == MARCH) & (pl.col("attribution") == "total"))["actual_daily"][0]
    assert hwbs < published  # the England row also counts people resident outside England
    row = re.search(r"<tr><td>March 2019</td>(.*?)</tr>", html).group(1)
    assert re.findall(r'<td class="n">([^<]*)</td>', row)[:2] == [f"{hwbs:,.1f}", f"{published:,.1f}"]
    assert "the sum of the 151 HWBs" in html and "England as published" in html
    assert html.count('<figure class="national">') == 4


def test_page_renders_in_headless_chromium(monitoring_page, tmp_path):
    complaints, _ = render_in_chromium(monitoring_page[0], tmp_path, (1280, 1600))
    assert not complaints, "\n".join(complaints)


def test_page_opens_with_the_hwbs_furthest_above_their_expectation(real_monitoring, monitoring_page):
    """Ranked from the published monitoring table: each HWB's total in the latest month judged against the
    expectation (every cell reported), the HWBs above it, furthest first."""
    result, _ = real_monitoring
    latest: dict[str, dict] = {}
    judged = (
        r
        for r in result.monitoring.iter_rows(named=True)
        if r["attribution"] == "total" and r["comparator"] == "expected" and r["cells_not_reported"] == 0
    )
    for row in sorted(judged, key=lambda r: r["month"]):
        latest[row["hwb_code"]] = row  # the latest month judged stays
    above = sorted(
        (r for r in latest.values() if r["actual_daily"] > r["expected_daily"]),
        key=lambda r: (-(r["actual_daily"] - r["expected_daily"]), r["hwb_name"], r["hwb_code"]),
    )
    _, html = monitoring_page
    assert html.index('id="furthest"') < html.index("<h2>Notes</h2>") < html.index('id="england"')
    table = html.split('<table class="furthest">')[1].split("</table>")[0]
    shown = re.findall(r'<tr><td><a href="#(E\d+)">.*?</td><td>([^<]+)</td>(.*?)</tr>', table)
    assert [code for code, *_ in shown] == [r["hwb_code"] for r in above] and 0 < len(above) < 151
    for (code, month, cells), row in zip(shown, above, strict=True):
        figures = re.findall(r'<td class="n">([^<]+)</td>', cells)
        assert month == f"{row['month']:%B %Y}" and figures[:3] == [
            f"{row['actual_daily']:,.1f}",
            f"{row['expected_daily']:,.1f}",
            f"{row['actual_daily'] - row['expected_daily']:+,.1f}",
        ], code


def test_every_table_fits_a_1280_px_window_and_the_page_prints_on_a4_landscape(monitoring_page, tmp_path):
    assert pages_that_do_not_fit([monitoring_page[0]], tmp_path) == []


# --- the Prefect flow -----------------------------------------------------------------------------------------


# attributions and comparators as the workbook shows them (the CSV and Parquet files keep the codes)
WORDS = {
    "attribution": {"nhs": "NHS", "social_care": "Social care", "joint": "Joint", "total": "Total"},
    "comparator": {"glide_path": "Glide path", "expected": "Expectation"},
}


def test_monitoring_workbook_has_headers_formats_and_the_same_bytes_every_time(real_monitoring, config, tmp_path):
    import openpyxl

    from dtoc.monitor.monitoring_xlsx import monitoring_about, write_monitoring_workbook

    result, _ = real_monitoring
    about = monitoring_about(result.year, config.plan, result.sources, result.expectations_source, [], None)
    first, again = (
        write_monitoring_workbook(
            result.monitoring, result.national, ["=a note, not a formula"], tmp_path / name, about
        )
        for name in ("a.xlsx", "b.xlsx")
    )
    assert first.read_bytes() == again.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.sheetnames == ["Furthest above", "National", "By HWB", "Notes", "Summary", "Columns"]
    mapping = {(r[0], r[1]): r[2] for r in book["Columns"].iter_rows(min_row=2, values_only=True)}
    for name, frame, columns in (
        ("National", result.national, NATIONAL_COLUMNS),
        ("By HWB", result.monitoring, MONITORING_COLUMNS),
    ):
        sheet = book[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert [mapping[name, header] for header in rows[0]] == columns and "_" not in "".join(rows[0])
        assert len(rows) == frame.height + 1
        read = [[v.date() if hasattr(v, "date") else v for v in row] for row in rows[1:]]
        worded = [[WORDS.get(c, {}).get(v, v) for c, v in row.items()] for row in frame.iter_rows(named=True)]
        assert read == worded  # every value at full precision, codes in words
        daily = 1 + columns.index("actual_daily")
        assert sheet.cell(row=2, column=daily).number_format == "#,##0.00"
        assert sheet.cell(row=2, column=1 + columns.index("month")).number_format == "mmm yyyy"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(columns)).column_letter}{len(rows)}"
        assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes in ("B2", "C2")
        assert sheet.column_dimensions["A"].width > 8
    assert book["Notes"]["A2"].value == "=a note, not a formula" and book["Notes"]["A2"].data_type == "s"
    summary = [r for r in book["Summary"].iter_rows(values_only=True) if r[0]]
    assert ("Validation", "not through the validation gate (computed here) (the expectations)") in [
        r[:2] for r in summary
    ]
    files = [r[0] for r in summary[summary.index(next(r for r in summary if r[0] == "Source file")) + 1 :]]
    assert files == result.sources["file_name"].to_list() and len(files) == 12
