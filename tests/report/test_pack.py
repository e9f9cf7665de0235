"""The publication pack: per-HWB files, the national workbook, index.csv and report.html, from a real run.

Every number in the generated workbooks is read back with openpyxl and compared with the `expectations` table;
the Monthly path is checked against its definition; two calls must give the same bytes; hostile names give safe
file names and text cells; report.html is rendered by headless Chromium and the screenshot inspected.
"""

from __future__ import annotations

import csv
import hashlib
import html as html_module
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import duckdb
import openpyxl
import polars as pl
import pytest
import xlrd
from pypdf import PdfReader

from dtoc.audit.explain import explain_all, explain_hwb
from dtoc.audit.explain_text import format_explanation
from dtoc.model.pipeline import compute_expectations
from dtoc.periods import days_in_month, financial_year_months
from dtoc.publish.files import write_csv
from dtoc.report.cells import put
from dtoc.report.hwb_files import hwb_file_stem, slugify, write_hwb_files
from dtoc.report.hwb_workbook import write_hwb_workbook
from dtoc.report.national_page import render_report
from dtoc.report.pack import write_publication_pack
from dtoc.report.release import read_release
from dtoc.report.xlsx_writer import Sheet, write_workbook
from tests.conftest import PASSED_GATE
from tests.support.browser import dump_dom, print_to_pdf, read_png_pixels, render_in_chromium
from tests.support.source_cells import read_population
from tests.support.workbook_reading import codes_in, codes_left

PARTS = (("NHS", "nhs"), ("Social care", "asc"), ("Joint (NHS and social care)", "joint"))
# bands as a person reads them in the workbooks and pages (the data files keep the codes)
BAND_WORDS = {
    "maintain": "Keep the rate",
    "reduce_to_target": "Reduce to the target",
    "reduce_by_cap": "Reduce by the cap",
    "held_at_baseline": "Held at the baseline",
}


def in_words(column: str, value: object) -> object:
    """A value of the expectations table as the workbook shows it."""
    if column.endswith("_band"):
        return BAND_WORDS[value]
    if column == "band_sensitive" and value:
        return "; ".join({"nhs": "NHS", "asc": "Social care"}[part] for part in value.split("; "))
    return value


HWB_SUFFIXES = (".xlsx", ".summary.csv", ".monthly.csv", ".derivation.csv", ".json")
BRIEF_SUFFIXES = (".pdf", ".html")
VALIDATION = PASSED_GATE
HOSTILE_TEXTS = (
    "=cmd|' /C calc'!A0",
    "=cmd|x",
    "+1+1",
    "-2",
    "@SUM(A1:A2)",
    "Telford & Wrekin, UA/East",
    "<b>&amp;</b>",
    "  two leading spaces",
    "_x0041_ literal",
    "tab\there",
)


@pytest.fixture(scope="module")
def pack(real_data, config, tmp_path_factory):
    """A real run's database, and the pack written twice from it into two folders."""
    root = tmp_path_factory.mktemp("pack")
    table, _ = compute_expectations(real_data, config, database_path=root / "dtoc.duckdb")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1538265600")  # the publication date: 30 September 2018
        paths = write_publication_pack(root / "first", root / "dtoc.duckdb", config, validation=VALIDATION)
        write_publication_pack(root / "second", root / "dtoc.duckdb", config, validation=VALIDATION)
    return SimpleNamespace(
        root=root,
        folder=root / "first",
        again=root / "second",
        paths=paths,
        table=table,
        rows=list(table.iter_rows(named=True)),
    )


def stem_of(row: dict) -> str:
    return hwb_file_stem(row["hwb_code"], row["hwb_name"])


@pytest.fixture(scope="module")
def hwb_workbooks(pack):
    return {row["hwb_code"]: openpyxl.load_workbook(pack.folder / "hwb" / f"{stem_of(row)}.xlsx") for row in pack.rows}


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_one_file_set_per_hwb_and_every_path_returned(pack):
    assert len(pack.rows) == 151
    expected = {f"hwb/{stem_of(row)}{suffix}" for row in pack.rows for suffix in HWB_SUFFIXES + BRIEF_SUFFIXES}
    written = set(files_under(pack.folder))
    assert expected <= written
    assert written - expected == {"hwb/README.txt", "expectations.xlsx", "report.html", "index.csv"}
    assert [p.relative_to(pack.folder).as_posix() for p in pack.paths] == sorted(written)


def test_national_workbook_holds_every_figure_of_the_table(pack):
    workbook = openpyxl.load_workbook(pack.folder / "expectations.xlsx")
    assert workbook.sheetnames == ["Summary", "Expectations", "Columns"]
    sheet = workbook["Expectations"]
    values = list(sheet.iter_rows(values_only=True))
    # headers a person reads; the Columns sheet maps each back to the machine name of the CSV and Parquet
    mapping = {(r[0], r[1]): r[2] for r in workbook["Columns"].iter_rows(min_row=2, values_only=True)}
    assert [mapping["Expectations", header] for header in values[0]] == pack.table.columns
    assert not any("_" in header for header in values[0])
    assert values[0][:2] == ("ONS code", "Health and Wellbeing Board") and values[0][-1] == "Region"
    worded = [[in_words(c, v) for c, v in r.items()] for r in pack.table.iter_rows(named=True)]
    assert [list(v) for v in values[1:]] == worded
    assert codes_left(pack.folder / "expectations.xlsx") == []
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == f"A1:U{len(pack.rows) + 1}"
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
    assert sheet["E2"].number_format == "#,##0.00" and sheet["H2"].number_format == "0.00"


def test_national_summary_sheet_counts_bands_and_adds_up_the_country(pack, config):
    """Each count and total against the expectations table itself (not the writer's own summary)."""
    sheet = openpyxl.load_workbook(pack.folder / "expectations.xlsx")["Summary"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0] is not None}
    table = pack.table
    for band in ("maintain", "reduce_to_target", "reduce_by_cap"):  # Annex 3's three bands
        counts = tuple(int((table[column] == band).sum()) for column in ("nhs_band", "asc_band"))
        assert rows[BAND_WORDS[band]][:2] == counts
    for label, short in (("NHS", "nhs"), ("Social care", "asc"), ("Joint", "joint")):
        sums = (table[f"baseline_{short}_daily"].sum(), table[f"expected_{short}_daily"].sum())
        assert rows[label][:2] == pytest.approx(sums, rel=1e-12)
    baseline = sum(table[f"baseline_{short}_daily"].sum() for short in ("nhs", "asc", "joint"))
    assert rows["Total"][:2] == pytest.approx((baseline, table["expected_total_daily"].sum()), rel=1e-12)
    assert rows["National ambition (around)"][1] == config.plan.national_ambition_daily == 4000


def summary_table(sheet) -> tuple[dict, list[tuple]]:
    """The facts block (label -> value) and the rows under the 'Attribution' header of a Summary sheet."""
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(values) if r[0] == "Attribution")
    return {r[0]: r[1] for r in values[2:header] if r[0]}, values[header + 1 : header + 5]


def test_every_hwb_summary_equals_the_national_table(pack, hwb_workbooks, config):
    wrong = []
    for row in pack.rows:
        assert hwb_workbooks[row["hwb_code"]].sheetnames == ["Summary", "Monthly", "Derivation", "Columns"]
        facts, lines = summary_table(hwb_workbooks[row["hwb_code"]]["Summary"])
        if facts["Region"] != row["region"]:
            wrong.append(f"{row['hwb_code']} region {facts['Region']}")
        if (
            facts["ONS code"],
            facts["Health and Wellbeing Board"],
            facts["Population aged 18+"],
            facts["Target date"],
            facts["Expected total daily delays"],
        ) != (
            row["hwb_code"],
            row["hwb_name"],
            row["population_18plus"],
            datetime.combine(config.plan.target_date, datetime.min.time()),
            row["expected_total_daily"],
        ):
            wrong.append(f"{row['hwb_code']} facts {facts}")
        for (label, short), line in zip(PARTS, lines[:3], strict=True):
            band = row[f"{short}_band"] if short != "joint" else "held_at_baseline"
            wanted = (
                label,
                BAND_WORDS[band],
                row[f"baseline_{short}_daily"],
                row[f"baseline_{short}_rate"],
                row[f"expected_{short}_daily"],
                row[f"expected_{short}_rate"],
            )
            if line[:6] != wanted or not line[6]:
                wrong.append(f"{row['hwb_code']} {label}: {line} != {wanted}")
        if lines[3][0] != "Total" or lines[3][4] != row["expected_total_daily"]:
            wrong.append(f"{row['hwb_code']} total {lines[3]}")
        wrong += codes_in(hwb_workbooks[row["hwb_code"]], stem_of(row))
    assert not wrong, "\n".join(wrong[:10])


def monthly_values(workbook) -> list[tuple]:
    sheet = workbook["Monthly"]
    assert sheet.cell(row=4, column=1).value == "Month" and sheet.freeze_panes == "B5"
    return list(sheet.iter_rows(min_row=5, max_row=16, values_only=True))


def test_monthly_sheet_follows_the_glide_path_then_the_expectation(pack, hwb_workbooks):
    months = financial_year_months("2018-19")
    assert months[0] == date(2018, 4, 1) and months[-1] == date(2019, 3, 1)
    for row in pack.rows:
        lines = monthly_values(hwb_workbooks[row["hwb_code"]])
        assert [line[0].date() for line in lines] == months
        assert [line[1] for line in lines] == [days_in_month(m) for m in months]
        assert [line[3] for line in lines] == ["Glide path"] * 5 + ["Expectation"] * 7
        baseline = [row[f"baseline_{s}_daily"] for _, s in PARTS]
        expected = [row[f"expected_{s}_daily"] for _, s in PARTS]
        assert list(lines[0][4:8]) == [*baseline, sum(baseline)], row["hwb_code"]
        for line in lines[5:]:
            assert list(line[4:8]) == [*expected, row["expected_total_daily"]], row["hwb_code"]
            assert list(line[8:12]) == [v * line[1] for v in line[4:8]], row["hwb_code"]
        for index, line in enumerate(lines[1:5], start=1):
            for base, goal, value in zip(baseline, expected, line[4:7], strict=True):
                assert value == pytest.approx(base + (goal - base) * index / 5, rel=1e-12, abs=1e-12)
        days = sum(line[1] for line in lines[5:])
        assert days == 212
        assert sum(line[11] for line in lines[5:]) / days == pytest.approx(row["expected_total_daily"], rel=1e-12)


def test_csv_and_json_carry_the_same_figures_as_the_workbook(pack, hwb_workbooks):
    for row in pack.rows:
        stem = pack.folder / "hwb" / stem_of(row)
        document = json.loads(Path(f"{stem}.json").read_text(encoding="utf-8"))
        with open(f"{stem}.summary.csv", newline="", encoding="utf-8") as handle:
            summary = list(csv.DictReader(handle))
        with open(f"{stem}.monthly.csv", newline="", encoding="utf-8") as handle:
            monthly = list(csv.DictReader(handle))
        assert document["hwb_code"] == row["hwb_code"] and len(summary) == 4 and len(monthly) == 12
        assert document["region"] == row["region"] and {line["region"] for line in summary} == {row["region"]}
        for line, part in zip(summary, document["summary"], strict=True):
            for column in ("baseline_daily", "baseline_rate", "expected_daily", "expected_rate"):
                assert float(line[column]) == part[column]
        assert document["summary"][0]["expected_daily"] == row["expected_nhs_daily"]
        workbook_months = monthly_values(hwb_workbooks[row["hwb_code"]])
        for line, part, cells in zip(monthly, document["monthly"], workbook_months, strict=True):
            assert line["month"] == part["month"] == cells[0].date().isoformat()
            assert [float(line["total_delayed_days"]), part["total_delayed_days"]] == [cells[11]] * 2


def test_derivation_sheet_is_dtoc_explain_line_by_line(pack, hwb_workbooks):
    with duckdb.connect(str(pack.root / "dtoc.duckdb"), read_only=True) as connection:
        for row in pack.rows:
            lines = format_explanation(explain_hwb(connection, row["hwb_code"])).split("\n")
            sheet = hwb_workbooks[row["hwb_code"]]["Derivation"]
            assert [r[0] for r in sheet.iter_rows(values_only=True)] == lines
            assert all(sheet.cell(row=i, column=1).data_type == "s" for i in range(1, len(lines) + 1))


def test_index_lists_every_file_with_its_size_and_hash(pack):
    with (pack.folder / "index.csv").open(newline="", encoding="utf-8") as handle:
        index = list(csv.DictReader(handle))
    paths = [line["path"] for line in index]
    assert paths == sorted(paths) == [p for p in files_under(pack.folder) if p not in ("index.csv", "manifest.json")]
    for line in index:
        content = (pack.folder / line["path"]).read_bytes()
        assert int(line["bytes"]) == len(content) and line["sha256"] == hashlib.sha256(content).hexdigest()


def test_two_calls_write_identical_bytes(pack):
    assert files_under(pack.folder) == files_under(pack.again)
    different = [p for p in files_under(pack.folder) if (pack.folder / p).read_bytes() != (pack.again / p).read_bytes()]
    assert not different


@pytest.mark.parametrize(
    "name, slug",
    [
        ("=cmd|x", "cmd-x"),
        ("Telford & Wrekin, UA/East", "telford-wrekin-ua-east"),
        ("@SUM(1+1)", "sum-1-1"),
        ("../../etc/passwd", "etc-passwd"),
        ("Ÿnys Môn – Ångström", "ynys-mon-angstrom"),
        ("", "hwb"),
        ("&&&", "hwb"),
        ("Stoke-On-Trent UA", "stoke-on-trent-ua"),
        ("a" * 100, "a" * 60),
    ],
)
def test_slug_is_safe_whatever_the_name(name, slug):
    assert slugify(name) == slug
    stem = hwb_file_stem("E06000020", name)
    assert stem == f"E06000020-{slug}" and re.fullmatch(r"[A-Za-z0-9]+-[a-z0-9]+(-[a-z0-9]+)*", stem)


def test_a_hostile_code_cannot_leave_the_folder():
    assert hwb_file_stem("../E06/000020", "x") == "E06-000020-x"


def test_text_cells_never_become_formulas_and_numbers_stay_exact(tmp_path):
    sheet = Sheet("Cells")
    for number, text in enumerate(HOSTILE_TEXTS, start=1):
        put(sheet, number, 1, text)
    numbers = (0.1 + 0.2, -3.5, 1e-17, 123456789012345, 2 / 3)
    for number, value in enumerate(numbers, start=1):
        put(sheet, number, 2, value, "0.00")
    path = write_workbook(tmp_path / "cells.xlsx", [sheet])
    loaded = openpyxl.load_workbook(path)["Cells"]
    for number, text in enumerate(HOSTILE_TEXTS, start=1):
        cell = loaded.cell(row=number, column=1)
        assert (cell.value, cell.data_type) == (text, "s")
    assert [loaded.cell(row=n, column=2).value for n in range(1, len(numbers) + 1)] == list(numbers)
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    write_csv(tmp_path / "cells.csv", ("text",), [[t] for t in HOSTILE_TEXTS])
    with (tmp_path / "cells.csv").open(newline="", encoding="utf-8") as handle:
        read = [r["text"] for r in csv.DictReader(handle)]
    assert all(not r.startswith(("=", "+", "-", "@")) for r in read)
    assert [r.lstrip("'") for r in read] == list(HOSTILE_TEXTS)


def test_a_hostile_hwb_name_gives_a_safe_file_set(pack, config, tmp_path):
    row = {**pack.rows[0], "hwb_name": "=cmd|x", "hwb_code": "E06000020"}
    derivation = ["=cmd|x (E06000020), baseline", "+danger", "  indented"]
    with duckdb.connect(str(pack.root / "dtoc.duckdb"), read_only=True) as connection:
        release = read_release(connection, VALIDATION)
    paths = write_hwb_workbook((row, derivation), tmp_path, config, release)
    paths += write_hwb_files(tmp_path, row, derivation, config)
    assert [p.name for p in paths] == [f"E06000020-cmd-x{suffix}" for suffix in HWB_SUFFIXES]
    workbook = openpyxl.load_workbook(paths[0])
    name_cell = workbook["Summary"]["B4"]
    assert (name_cell.value, name_cell.data_type) == ("=cmd|x", "s")
    assert [c.value for c in workbook["Derivation"]["A"]] == derivation
    with paths[1].open(newline="", encoding="utf-8") as handle:
        assert {r["hwb_name"] for r in csv.DictReader(handle)} == {"'=cmd|x"}
    assert json.loads(paths[4].read_text(encoding="utf-8"))["hwb_name"] == "=cmd|x"


def test_report_escapes_names_and_fetches_nothing(pack, config):
    hostile = pack.table.head(3).with_columns(pl.lit("<script>alert(1)</script> & co").alias("hwb_name"))
    with duckdb.connect(str(pack.root / "dtoc.duckdb"), read_only=True) as connection:
        release, explanations = read_release(connection, VALIDATION), explain_all(connection)
    assert "<script>alert" not in render_report(hostile, config, release, explanations)
    html = (pack.folder / "report.html").read_text(encoding="utf-8")
    # one inline script and the what-if's data, nothing loaded
    assert (
        html.count("<script") == 2
        and "<script>" in html
        and '<script type="application/json" id="whatif-data">' in html
    )
    assert " src=" not in html and "<link" not in html.replace('<link rel="icon" href="data:,">', "")
    assert "@import" not in html and "url(" not in html
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}
    for label, value in (
        ("target", config.band_policy("nhs").target_rate),
        ("upper", config.band_policy("nhs").upper_rate),
        ("target", config.band_policy("asc").target_rate),
        ("upper", config.band_policy("asc").upper_rate),
    ):
        assert f"{label} {value:g}</text>" in html
    assert html.count("<g><title>") == 2 * len(pack.rows)


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_every_link_of_the_report_and_the_briefs_resolves(pack):
    report = (pack.folder / "report.html").read_text(encoding="utf-8")
    links = [h for h in hrefs(report) if not h.startswith(("data:", "#"))]
    assert len(links) >= 151 * 6
    assert [h for h in links if not (pack.folder / h).is_file()] == []
    for row in pack.rows:
        assert f'href="hwb/{stem_of(row)}.html"' in report and f'href="hwb/{stem_of(row)}.pdf"' in report
        brief = pack.folder / "hwb" / f"{stem_of(row)}.html"
        missing = [
            h
            for h in hrefs(brief.read_text(encoding="utf-8"))
            if not h.startswith("data:") and not (brief.parent / h).is_file()
        ]
        assert missing == ["../validation.html"], (brief.name, missing)  # the gate's report, which the run writes


def table_rows(html: str) -> dict[str, str]:
    """ONS code -> the text of its row in the table of every HWB."""
    body = html.split('id="hwbs"')[1].split("</table>")[0]
    return {
        code: html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)))
        for code, row in re.findall(r'<tr id="([^"]+)"[^>]*>(.*?)</tr>', body, flags=re.S)
    }


def shown_rate_is_faithful(text: str, rate: float, thresholds: tuple[float, ...]) -> bool:
    """A rate as shown rounds the rate (to the decimals shown), keeps at least two decimals, and sits on the same
    side of every band threshold as the rate itself (never on it unless the rate is)."""
    decimals = len(text.split(".")[1])
    shown = float(text.replace(",", ""))
    same_side = all((shown > t) == (rate > t) and (shown < t) == (rate < t) for t in thresholds)
    return decimals >= 2 and abs(shown - rate) <= 0.5 * 10**-decimals + 1e-12 and same_side


def test_the_table_shows_every_hwb_with_region_bands_in_words_and_every_figure(pack, real_workbook, real_data):
    html = (pack.folder / "report.html").read_text(encoding="utf-8")
    rows = table_rows(html)
    assert sorted(rows) == sorted(r["hwb_code"] for r in pack.rows)
    book = xlrd.open_workbook(str(real_workbook("December 2017")), on_demand=True)
    sheet = book.sheet_by_name(next(n for n in book.sheet_names() if n.lower() == "la - by responsible org"))
    header_row = next(r for r in range(40) if "Name" in sheet.row_values(r))
    header = sheet.row_values(header_row)
    regions = {
        sheet.cell_value(r, header.index("ONS Geography")): sheet.cell_value(r, header.index("Region"))
        for r in range(header_row + 1, sheet.nrows)
    }
    names = read_population(real_data / "ons-mye" / "ukmidyearestimates2016.xls").names
    words = {
        "maintain": "Keep the rate",
        "reduce_to_target": "Reduce to the target",
        "reduce_by_cap": "Reduce by the cap",
    }
    thresholds = {"nhs": (5.5, 7.9), "asc": (2.6, 4.3)}  # Annex 3
    body = html.split('id="hwbs"')[1].split("</table>")[0]
    for row in pack.rows:
        code = row["hwb_code"]
        shown = rows[code]
        assert f"{code} {names[code]} " in shown and f" {regions[code]} " in shown  # the name as ONS publishes it
        tr = re.search(rf'<tr id="{code}".*?</tr>', body, flags=re.S).group(0)
        cells = dict(re.findall(r'<td data-key="([a-z_]+)" data-value="[^"]*"[^>]*>(.*?)</td>', tr))
        for s in ("nhs", "asc"):
            band = row[f"{s}_band"]
            title, short = re.fullmatch(r'<abbr title="([^"]+)">([^<]+)</abbr>', cells[f"{s}_band"]).groups()
            assert title == words[band] and len(short) < len(title)  # a short label, the full wording on hover
            for stage in ("baseline", "expected"):
                rate = row[f"{stage}_{s}_rate"]
                assert shown_rate_is_faithful(cells[f"{stage}_{s}_rate"], rate, thresholds[s]), (code, stage, s)
                assert cells[f"{stage}_{s}_daily"] == f"{row[f'{stage}_{s}_daily']:,.1f}"
        assert (cells["baseline_joint_daily"], cells["baseline_joint_rate"]) == (
            f"{row['baseline_joint_daily']:,.1f}",
            f"{row['baseline_joint_rate']:,.2f}",
        )
        baseline = row["baseline_nhs_daily"] + row["baseline_asc_daily"] + row["baseline_joint_daily"]
        assert (cells["baseline_total_daily"], cells["expected_total_daily"]) == (
            f"{baseline:,.1f}",
            f"{row['expected_total_daily']:,.1f}",
        )
    camden = re.search(r'<tr id="E09000007".*?</tr>', body, flags=re.S).group(0)
    assert 'data-key="baseline_nhs_rate" data-value="5.502482' in camden and ">5.5025</td>" in camden
    readable = re.sub(r'(data-[a-z]+|value|id)="[^"]*"', "", html.split("<script")[0])
    assert "maintain" not in readable and "reduce_by_cap" not in readable  # identifiers only in attributes


def test_the_report_states_date_validation_revisions_caveats_and_regions(pack):
    html = (pack.folder / "report.html").read_text(encoding="utf-8")
    status = html.split('class="status"')[1].split("</section>")[0]
    assert (
        "Published 30 September 2018" in status
        and "Validation passed: 90 checks, 89 passed, 0 failed, 1 with warnings (3 rows)" in status
    )
    assert status.count("revised 10th May 2018") >= 3 and "mid-2016" in status
    assert "Isles of Scilly" in status and "Applies to: Cornwall." in status
    regions = html.split('class="regions"')[1].split("</table>")[0]
    cells = re.findall(r"<tr[^>]*><td>([^<]+)</td><td class=\"n\">(\d+)</td>", regions)
    assert sum(int(n) for name, n in cells if name != "England") == 151 == int(dict(cells)["England"])
    assert len(cells) == 10  # nine regions and England


def test_search_filter_and_sort_run_in_chromium(pack, tmp_path):
    page = pack.folder / "report.html"
    complaints, dom = dump_dom(page, tmp_path, "#q=shrop")
    assert not complaints, "\n".join(complaints)
    shown = [code for code, hidden in re.findall(r'<tr id="(E\d+)"[^>]*?( hidden="")?>', dom) if not hidden]
    assert shown == ["E06000051"] and "1 of 151 HWBs shown" in dom
    _, dom = dump_dom(page, tmp_path, "#region=London&sort=expected_total_daily&dir=desc")
    order = [code for code, hidden in re.findall(r'<tr id="(E\d+)"[^>]*?( hidden="")?>', dom) if not hidden]
    london = sorted((r for r in pack.rows if r["hwb_code"].startswith("E09")), key=lambda r: -r["expected_total_daily"])
    assert order == [r["hwb_code"] for r in london] and len(order) == 33


def test_the_printed_report_holds_the_whole_table(pack, tmp_path):
    complaints, printed = print_to_pdf(pack.folder / "report.html", tmp_path)
    assert not complaints
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(printed).pages))
    missing = [r["hwb_code"] for r in pack.rows if f"{r['hwb_code']} " not in text]
    assert not missing, missing
    assert all(f"{r['expected_total_daily']:,.1f}" in text for r in pack.rows)  # the last figures of each row
    assert "Search by name or code" not in text  # the controls are not printed


def test_report_renders_in_headless_chromium(pack, tmp_path):
    complaints, screenshot = render_in_chromium(pack.folder / "report.html", tmp_path, (1280, 2000))
    assert not complaints, "\n".join(complaints)
    width, height, rows = read_png_pixels(screenshot)
    assert (width, height) == (1280, 2000)
    pixels = {row[i : i + 3] for row in rows for i in range(0, len(row), 3)}
    assert len(pixels) > 200, f"only {len(pixels)} distinct colours: the page looks blank"
    drawn = {
        name: bytes.fromhex(colour) in pixels
        for name, colour in (
            ("maintain green", "1b7837"),
            ("reduce_to_target amber", "e08214"),
            ("reduce_by_cap red", "b2182b"),
            ("expected blue", "2166ac"),
            ("baseline grey", "7f7f7f"),
        )
    }
    assert all(drawn.values()), f"chart colours missing from the screenshot: {drawn}"
