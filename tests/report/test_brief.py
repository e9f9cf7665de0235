"""The HWB briefs (hwb/<stem>.pdf and .html): what they say, read back from the PDF's text and the page.

Expected figures are derived here from the workbooks' cells (xlrd) and the guidance's rules, not from the code:
Shropshire's social care delays are cells G144 of the October to December 2017 workbooks, its population the
single years 18 to 90+ of its row in the ONS mid-2016 MYE2 sheet, its name as ONS publishes it the name cell of
that row. Two renders with SOURCE_DATE_EPOCH set must be byte-identical, and the PDF's dates must be the
publication date. The gate's findings are written here as the gate's report writes them (a workbook cell, an
estimates row, an HWB), and a brief names only those about its own HWB.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from types import SimpleNamespace

import duckdb
import pytest
import xlrd
from pypdf import PdfReader

from dtoc.audit.explain import explain_all
from dtoc.errors import DtocError
from dtoc.model.pipeline import compute_expectations
from dtoc.report.brief_content import build_brief
from dtoc.report.brief_html import render_brief_html
from dtoc.report.brief_pdf import render_brief_pdf
from dtoc.report.briefs import write_briefs
from dtoc.report.hwb_files import hwb_file_stem
from dtoc.report.release import publication_date, read_release
from dtoc.report.validation_words import Finding
from tests.conftest import PASSED_GATE
from tests.support.browser import print_to_pdf, render_in_chromium
from tests.support.source_cells import cells_of, read_population

EPOCH, PUBLISHED = "1538265600", date(2018, 9, 30)  # 30 September 2018 00:00 UTC
VALIDATION = PASSED_GATE
QUARTER = ("October 2017", "November 2017", "December 2017")
SHEET, ESTIMATES = "LA - by responsible org", "ukmidyearestimates2016.xls"
NOVEMBER = "LA-Type-B-November-2017-0smeW.xls"
# the real run's one warning, as the gate's report words it: a row of people resident in Scotland, no HWB's
SCOTLAND = Finding(
    "delayed_days.delayed_days_not_null",
    "warn",
    "The cell holds a number; '-' (not reported) is counted as 0.",
    f"{NOVEMBER} sheet '{SHEET}' cell F168 (Resident in Scotland, nhs, November 2017)",
)
AXIS_TITLE = "Delayed transfers a day (average)"
HEADINGS = ("Baseline and expectation", "The path for 2018-19", "Where the figures come from", "Sources", "Caveats")


@pytest.fixture(scope="module")
def run(real_data, config, tmp_path_factory):
    """A real run's database, its rows and explanations, and every brief written twice (SOURCE_DATE_EPOCH set)."""
    root = tmp_path_factory.mktemp("briefs")
    table, _ = compute_expectations(real_data, config, database_path=root / "dtoc.duckdb")
    with duckdb.connect(str(root / "dtoc.duckdb"), read_only=True) as connection:
        explanations = explain_all(connection)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
            release = read_release(connection, VALIDATION, findings=(SCOTLAND,))
        folders = [root / "first", root / "second"]
        for folder in folders:
            folder.mkdir()
            write_briefs(folder, table, explanations, config, release)
    return SimpleNamespace(
        root=root,
        folder=folders[0],
        again=folders[1],
        table=table,
        release=release,
        rows={r["hwb_code"]: r for r in table.iter_rows(named=True)},
        explanations=explanations,
    )


def pdf_text(path) -> str:
    """Every page's text, with runs of white space made single spaces."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


def page_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&").replace("&#39;", "'")


def ons_names(real_data) -> dict[str, str]:
    """Area code -> name, as the ONS mid-2016 'MYE2 - All' sheet prints them."""
    return read_population(real_data / "ons-mye" / ESTIMATES).names


def adults_of(real_data, code: str) -> int:
    """The ONS mid-2016 population aged 18 to 90+ of an area, from its row in 'MYE2 - All'."""
    sheet = xlrd.open_workbook(str(real_data / "ons-mye" / "ukmidyearestimates2016.xls"), on_demand=True).sheet_by_name(
        "MYE2 - All"
    )
    header = sheet.row_values(4)
    row = next(r for r in range(5, sheet.nrows) if sheet.cell_value(r, 0) == code)
    return int(sum(sheet.cell_value(row, c) for c, age in enumerate(header) if isinstance(age, float) and age >= 18))


def test_every_hwb_has_a_pdf_and_an_html_brief_that_name_it_as_ons_does_and_its_expected_total(run, real_data):
    assert len(run.rows) == 151
    names, wrong = ons_names(real_data), []
    for code, row in run.rows.items():
        stem = run.folder / hwb_file_stem(code, row["hwb_name"])
        total = f"{row['expected_total_daily']:,.1f}"  # as report.html's table shows it
        reader = PdfReader(f"{stem}.pdf")
        text, html = pdf_text(f"{stem}.pdf"), page_text(stem.with_suffix(".html").read_text(encoding="utf-8"))
        if not 1 <= len(reader.pages) <= 2:
            wrong.append(f"{code}: {len(reader.pages)} pages")
        for where, said in (("pdf", text), ("html", html)):
            if f"{names[code]} is expected to have at most {total} delayed transfers of care a day" not in said:
                wrong.append(f"{code} {where}: ONS name {names[code]!r} or total {total} missing")
            if names[code] != row["hwb_name"] and f"NHS England's workbooks: {row['hwb_name']}" not in said:
                wrong.append(f"{code} {where}: the workbooks' name {row['hwb_name']!r} missing")
    assert not wrong, "\n".join(wrong[:10])


def test_hull_is_named_as_ons_publishes_it_and_the_workbooks_name_is_kept(run, real_data, real_workbook):
    workbook_name = cells_of(real_workbook("December 2017"), "E06000010")["Name"]
    assert (workbook_name, ons_names(real_data)["E06000010"]) == (
        "Kingston Upon Hull UA",
        "Kingston upon Hull, City of",
    )
    text = pdf_text(run.folder / f"{hwb_file_stem('E06000010', workbook_name)}.pdf")
    assert text.count("Kingston upon Hull, City of") >= 3  # title, headline, page footer
    assert "NHS England's workbooks: Kingston Upon Hull UA" in text


def test_shropshire_social_care_is_stated_from_the_workbook_cells(run, real_workbook, real_data, config):
    cells = [cells_of(real_workbook(label), "E06000051")["Social Care"] for label in QUARTER]
    daily = sum(cells) / 92  # October to December 2017: 31 + 30 + 31 days
    rate = daily / adults_of(real_data, "E06000051") * 100_000
    assert rate < config.band_policy("asc").target_rate  # below the 2.6 target: Annex 3 keeps the rate
    text = pdf_text(run.folder / "E06000051-shropshire.pdf")
    assert (
        f"Social care: at most {daily:.1f} delayed transfers a day by 30 September 2018, and no more "
        f"thereafter. The baseline rate of {rate:.2f} per 100,000 aged 18+ is below the target of 2.6, so the "
        "expectation is to keep it at that level."
    ) in text
    for label, value in zip(QUARTER, cells, strict=True):
        assert f"Social care delayed days {label} {value:,.0f} 'LA - by responsible org'!G144" in text
    assert "Keep the rate" in text and "maintain" not in text  # bands in words, not identifiers


def test_the_glide_path_runs_from_baseline_to_expected_by_september(run):
    row = run.rows["E06000052"]  # Cornwall: NHS and social care both reduced
    baseline = row["baseline_nhs_daily"] + row["baseline_asc_daily"] + row["baseline_joint_daily"]
    raw = (run.folder / "E06000052-cornwall.html").read_text(encoding="utf-8")
    html = page_text(raw)
    months = ("April 2018", "May 2018", "June 2018", "July 2018", "August 2018")
    for index, (month, days) in enumerate(zip(months, (30, 31, 30, 31, 31), strict=True)):
        total = baseline + (row["expected_total_daily"] - baseline) * index / 5
        # per attribution the daily level and the month's delayed days, then the total's
        assert re.search(rf"{month} glide path (?:[\d.,]+ ){{6}}{total:,.1f} {total * days:,.1f}\b", html), month
    for month in ("September 2018", "October 2018", "November 2018", "December 2018", "January 2019", "March 2019"):
        assert f"{month} expectation" in html
    assert raw.count("<svg") == 1 and raw.count("<polyline") >= 4  # the chart: one line per attribution, total


def test_publication_date_comes_from_source_date_epoch():
    assert publication_date({"SOURCE_DATE_EPOCH": EPOCH}) == PUBLISHED
    assert publication_date({}) == datetime.now(UTC).date()
    with pytest.raises(DtocError, match="SOURCE_DATE_EPOCH"):
        publication_date({"SOURCE_DATE_EPOCH": "yesterday"})


def test_two_renders_are_byte_identical_and_dated_the_publication_day(run):
    names = sorted(p.name for p in run.folder.iterdir())
    assert len(names) == 2 * 151 and names == sorted(p.name for p in run.again.iterdir())
    assert [n for n in names if (run.folder / n).read_bytes() != (run.again / n).read_bytes()] == []
    metadata = PdfReader(run.folder / "E06000051-shropshire.pdf").metadata
    assert metadata.creation_date.date() == metadata.modification_date.date() == PUBLISHED
    assert "30 September 2018" in pdf_text(run.folder / "E06000051-shropshire.pdf").split("published")[1][:40]


def test_validation_status_sources_and_dates_are_stated(run, real_workbook):
    text = pdf_text(run.folder / "E06000051-shropshire.pdf")
    assert (
        "Data checks: the published data passed the 90 automated checks; none of the findings the full report lists "
        "concerns this HWB's figures. Full report: validation.html."
    ) in text
    assert "Scotland" not in text and "warnings (3 rows)" not in text  # the warning concerns no HWB
    for label in QUARTER:
        book = xlrd.open_workbook(str(real_workbook(label)), on_demand=True)
        sheet = book.sheet_by_name(next(n for n in book.sheet_names() if n.lower() == "la - by responsible org"))
        found = {}
        for r in range(12):
            values = [v for v in sheet.row_values(r) if v != ""]
            if len(values) == 2:
                found[str(values[0]).rstrip(":")] = values[1]
        assert f"{real_workbook(label).name} {label} {found['Published']} {found['Revised']}" in text
    assert "https://www.england.nhs.uk/statistics/" in text and "mid-2016 estimates" in text


def test_caveats_come_from_each_hwb_s_data(run, config):
    for code, row in run.rows.items():
        caveats = build_brief(row, run.explanations[code], config, run.release)["caveats"]
        sensitive = [c for c in caveats if "of a band threshold" in c]
        assert (
            len(sensitive) == len((row["band_sensitive"] or "").split(";")) if row["band_sensitive"] else not sensitive
        ), code
        assert any("Isles of Scilly" in c for c in caveats) == (code == "E06000052"), code
        assert any("revised 10th May 2018" in c for c in caveats) and any("mid-2016" in c for c in caveats)
    explanation = copy.deepcopy(run.explanations["E06000051"])
    explanation["attributions"]["social_care"]["cells"][1].update(value=None, not_reported=True)
    caveats = build_brief(run.rows["E06000051"], explanation, config, run.release)["caveats"]
    assert (
        "November 2017: social care delays were not reported ('-') in LA-Type-B-November-2017-0smeW.xls "
        "'LA - by responsible org'!G144; they are counted as 0."
    ) in caveats


def test_a_brief_without_a_verdict_says_so_and_a_hostile_name_is_text(run, config):
    row = {**run.rows["E06000051"], "hwb_name": "<script>alert(1)</script> & Co"}
    release = replace(run.release, validation=None)
    brief = build_brief(row, run.explanations["E06000051"], config, release)
    html = render_brief_html(brief)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "not stated" in html
    pdf = run.root / "hostile.pdf"
    pdf.write_bytes(render_brief_pdf(brief, release.published))
    assert "<script>alert(1)</script> & Co" in pdf_text(pdf)


def test_the_html_brief_renders_and_prints_on_at_most_two_a4_pages(run, tmp_path):
    page = run.folder / "E06000052-cornwall.html"
    complaints, _ = render_in_chromium(page, tmp_path, (900, 1400))
    assert not complaints, "\n".join(complaints)
    complaints, printed = print_to_pdf(page, tmp_path)
    assert not complaints
    reader = PdfReader(printed)
    assert 1 <= len(reader.pages) <= 2 and "Cornwall" in pdf_text(printed)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def estimates_row(real_data, code: str) -> int:
    """The spreadsheet row (1 = the first) of an area in the ONS mid-2016 'MYE2 - All' sheet."""
    sheet = xlrd.open_workbook(str(real_data / "ons-mye" / ESTIMATES), on_demand=True).sheet_by_name("MYE2 - All")
    return next(r for r in range(sheet.nrows) if sheet.cell_value(r, 0) == code) + 1


def test_a_brief_names_only_the_findings_about_its_own_hwb(run, config, real_data):
    row = estimates_row(real_data, "E06000051")
    own = (
        Finding("delayed_days.x", "warn", "A cell to look at.", f"{NOVEMBER} sheet '{SHEET}' cell G144 (Shropshire)"),
        Finding("population_raw.y", "warn", "A row to look at.", f"{ESTIMATES} sheet 'MYE2 - All' row {row} (x)"),
        Finding("expectations.z", "warn", "An HWB to look at.", "HWB E06000051 Shropshire"),
    )
    release = replace(run.release, findings=(SCOTLAND, *own))
    shropshire = build_brief(run.rows["E06000051"], run.explanations["E06000051"], config, release)["validation"]
    assert "with 3 finding(s) about this HWB's figures: A cell to look at." in shropshire
    assert f"{NOVEMBER} sheet '{SHEET}' cell G144" in shropshire and "Scotland" not in shropshire
    hartlepool = build_brief(run.rows["E06000001"], run.explanations["E06000001"], config, release)["validation"]
    assert "none of the findings the full report lists concerns this HWB's figures" in hartlepool
    missing = replace(run.release, findings=None)
    assert (
        "some raised warnings"
        in build_brief(run.rows["E06000001"], run.explanations["E06000001"], config, missing)["validation"]
    )


def baseline_daily(real_workbook, code: str) -> dict[str, float]:
    """An HWB's baseline daily delays per attribution header, from its cells in the three quarter workbooks."""
    rows = [cells_of(real_workbook(label), code) for label in QUARTER]
    return {h: sum(0 if r[h] == "-" else r[h] for r in rows) / 92 for h in ("NHS", "Social Care", "Both")}


def test_the_chart_has_an_axis_title_headroom_above_the_highest_line_and_a_label_at_each_end(run, real_workbook):
    total = sum(baseline_daily(real_workbook, "E06000051").values())  # Shropshire keeps its rates: the highest line
    assert f"{total:.1f}" == "17.0"
    svg = (run.folder / "E06000051-shropshire.html").read_text(encoding="utf-8").split("<svg")[1]
    ticks = [float(t.replace(",", "")) for t in re.findall(r'text-anchor="end">([\d,.]+)</text>', svg)]
    assert ticks and max(ticks) > total
    assert AXIS_TITLE in pdf_text(run.folder / "E06000051-shropshire.pdf") and f">{AXIS_TITLE}</text>" in svg
    hartlepool = (run.folder / "E06000001-hartlepool-ua.html").read_text(encoding="utf-8").split("<svg")[1]
    daily = baseline_daily(real_workbook, "E06000001")
    assert (f"{daily['Social Care']:.1f}", f"{daily['Both']:.1f}") == ("1.1", "1.0")  # the lines coincide
    heights = {}
    for label in ("Social care 1.1", "Joint 1.0"):
        assert label in pdf_text(run.folder / "E06000001-hartlepool-ua.pdf")
        heights[label] = float(re.search(rf'<text x="[\d.]+" y="([\d.]+)"[^>]*>{label}</text>', hartlepool).group(1))
    assert abs(heights["Social care 1.1"] - heights["Joint 1.0"]) >= 9  # one label's height apart at least


def test_the_monthly_table_gives_each_month_s_daily_level_and_delayed_days(run, real_workbook, real_data):
    daily = baseline_daily(real_workbook, "E06000051")
    adults = adults_of(real_data, "E06000051")
    assert daily["NHS"] / adults * 1e5 < 5.5 and daily["Social Care"] / adults * 1e5 < 2.6  # Annex 3 keeps both
    total, text = sum(daily.values()), pdf_text(run.folder / "E06000051-shropshire.pdf")
    months = ("April 2018", "May 2018", "June 2018", "July 2018", "August 2018", "September 2018", "October 2018")
    months += ("November 2018", "December 2018", "January 2019", "February 2019", "March 2019")
    for month, days in zip(months, (30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31), strict=True):
        nhs = f"{daily['NHS']:.1f} {daily['NHS'] * days:,.1f}"
        assert re.search(
            rf"{month} (glide path|expectation) {nhs} (?:[\d.,]+ ){{4}}{total:.1f} {total * days:,.1f}\b", text
        )
    assert "NHS daily NHS days" in text


def test_a_rate_within_the_margin_of_a_threshold_shows_the_decimals_its_band_needs(run, real_workbook, real_data):
    rate = baseline_daily(real_workbook, "E09000007")["NHS"] / adults_of(real_data, "E09000007") * 1e5  # Camden
    assert 5.5 < rate < 5.5 + 0.1 and f"{rate:.2f}" == "5.50"  # two decimals would read as on the threshold
    text = pdf_text(run.folder / "E09000007-camden.pdf")
    assert (
        f"The baseline rate of {rate:.4f} per 100,000 aged 18+ lies from 5.5 to 7.9, so the expectation is to bring "
        "it down to 5.5."
    ) in text
    assert "rate of 5.50 " not in text and f"Reduce to the target 10.9 {rate:.4f}" in text


def test_no_heading_is_left_alone_at_the_foot_of_a_page(run):
    """Every heading has at least three lines of what follows it on its page (before the page's footer): the
    pack before issue 20 left 'Where the figures come from' and two lines of text at the foot of 48 briefs' first
    page, their table on the next."""
    alone = []
    for path in sorted(run.folder.glob("*.pdf")):
        for number, page in enumerate(PdfReader(path).pages, start=1):
            lines = [line.strip() for line in page.extract_text().splitlines()]
            footer = max(i for i, line in enumerate(lines) if "- DToC expectation 2018-19 - published" in line)
            alone += [
                f"{path.name} page {number}: {line}"
                for i, line in enumerate(lines[:footer])
                if line in HEADINGS and footer - i - 1 < 3
            ]
    assert alone == []
