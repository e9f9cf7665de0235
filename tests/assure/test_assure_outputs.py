"""dtoc assure's publication for 151 plans: the workbook holds the tables' figures, formatted and with text kept
as text; the page renders offline in headless Chromium; the manifest names the plans and the publication;
reruns give the same bytes; a refused rerun leaves the last publication as it was."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from types import SimpleNamespace

import openpyxl
import pytest

from dtoc.commands.assure import assure_plans
from dtoc.errors import DtocError
from tests.conftest import tree_digest
from tests.support.assure_support import (
    ASSESSED,
    PARTS,
    build_publication,
    expected_days,
    floor_plan,
    plan_rows,
    published_rows,
    read_csv_rows,
    write_plans,
)
from tests.support.browser import read_png_pixels, render_in_chromium
from tests.support.devtools import pages_that_do_not_fit

HOSTILE = '<script>alert(1)</script> =SUM(A1) & "quotes"'
FILES = {
    "assurance.csv",
    "assurance.parquet",
    "assurance_months.csv",
    "assurance_months.parquet",
    "assurance_by_region.csv",
    "assurance_by_region.parquet",
    "assurance.xlsx",
    "assurance.html",
    "datapackage.json",
    "manifest.json",
}


def national_plans(rows: dict[str, dict]) -> list[list[object]]:
    """A plan for every HWB but every tenth; every seventh plans 40 more NHS days in December 2018, every
    eleventh moves 3 days a month from social care to NHS (with hostile evidence on one row every other time)."""
    lines = []
    for i, code in enumerate(sorted(rows)):
        if i % 10 == 9:
            continue
        plan = floor_plan(rows[code])
        if i % 7 == 0:
            plan[date(2018, 12, 1)][0] += 40
        elif i % 11 == 0 and all(plan[m][1] >= 3 for m in ASSESSED):
            plan = {m: [n + 3, a - 3, j] if m in ASSESSED else [n, a, j] for m, (n, a, j) in plan.items()}
        evidence = {date(2019, 2, 1): HOSTILE} if i % 22 == 0 else None
        lines += plan_rows(code, plan, evidence)
    return lines


@pytest.fixture(scope="module")
def national(real_data, config, tmp_path_factory):
    root = tmp_path_factory.mktemp("assure-outputs")
    folder = build_publication(real_data, config, tmp_path_factory.mktemp("publication"))
    plans = write_plans(root / "plans.csv", national_plans(published_rows(folder)))
    summary = assure_plans(plans, folder, root / "out", config)
    assure_plans(plans, folder, root / "again", config)
    return SimpleNamespace(
        root=root,
        folder=folder,
        plans=plans,
        summary=summary,
        out=root / "out",
        again=root / "again",
        assurance=read_csv_rows(root / "out" / "assurance.csv"),
        months=read_csv_rows(root / "out" / "assurance_months.csv"),
    )


def test_the_publication_holds_every_output_and_reruns_give_the_same_bytes(national):
    assert {p.name for p in national.out.iterdir()} == FILES
    assert tree_digest(national.out) == tree_digest(national.again)
    verdicts = national.summary["verdicts"]
    assert len(national.assurance) == 151 and verdicts["no_plan"] == 15
    assert verdicts["not_in_line"] >= 10 and verdicts["reattributed_evidenced"] >= 1 and verdicts["in_line"] >= 90


def test_manifest_names_the_plans_file_and_the_expectations_publication(national):
    manifest = json.loads((national.out / "manifest.json").read_text())
    assert manifest["kind"] == "assurance"
    assert manifest["plans"]["sha256"] == hashlib.sha256(national.plans.read_bytes()).hexdigest()
    assert manifest["plans"]["path"] == str(national.plans.resolve())
    assert manifest["plans"]["rows"] == sum(1 for _ in national.plans.open()) - 1
    expectations = manifest["expectations"]
    assert expectations["folder"] == str(national.folder.resolve())
    assert (
        expectations["expectations_sha256"]
        == hashlib.sha256((national.folder / "expectations.parquet").read_bytes()).hexdigest()
    )
    assert expectations["fingerprint"] == {"test": 1}
    assert manifest["rules"]["target_month"] == "2018-09" and manifest["rules"]["allowance_days"] == 0.5
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    assert listed == {
        name: hashlib.sha256((national.out / name).read_bytes()).hexdigest() for name in FILES - {"manifest.json"}
    }


def cell_text(value) -> str:
    """A workbook value as the CSV writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


# the verdicts in words, and the order the issue asks an assurer to read them in (in line last)
VERDICT_WORDS = {
    "not_in_line": "Not in line",
    "reattributed_unevidenced": "Reattributed, no evidence",
    "no_plan": "No plan",
    "reattributed_evidenced": "Reattributed, with evidence",
    "in_line": "In line",
}
ATTENTION = list(VERDICT_WORDS)
FIRST_COLUMNS = ["hwb_name", "hwb_code", "region", "verdict", "worst_month", "worst_total_gap_days", "feedback"]


def sheet_records(book, name: str) -> list[dict]:
    """The rows of a table sheet keyed by the machine names its Columns sheet maps its headers to."""
    mapping = {(r[0], r[1]): r[2] for r in book["Columns"].iter_rows(min_row=2, values_only=True)}
    rows = list(book[name].iter_rows(values_only=True))
    names = [mapping[name, header] for header in rows[0]]
    return [dict(zip(names, values, strict=True)) for values in rows[1:] if values[0] is not None]


def test_workbook_opens_with_the_hwbs_that_need_attention_worst_first(national):
    book = openpyxl.load_workbook(national.out / "assurance.xlsx")
    assert book.sheetnames == ["Needs attention", "By region", "In line", "Months", "Summary", "Columns"]
    by_code = {row["hwb_code"]: row for row in national.assurance}
    attention = sorted(
        (row for row in national.assurance if row["verdict"] != "in_line"),
        key=lambda r: (ATTENTION.index(r["verdict"]), -float(r["worst_total_gap_days"] or 0), r["hwb_name"]),
    )
    in_line = sorted(
        (r for r in national.assurance if r["verdict"] == "in_line"), key=lambda r: (r["region"], r["hwb_name"])
    )
    for name, wanted in (("Needs attention", attention), ("In line", in_line)):
        records = sheet_records(book, name)
        assert list(records[0])[:7] == FIRST_COLUMNS and set(records[0]) == set(national.assurance[0])
        assert [r["hwb_code"] for r in records] == [r["hwb_code"] for r in wanted], name
        for record in records:
            for column, text in by_code[record["hwb_code"]].items():
                value = record[column]
                if column == "verdict":
                    assert value == VERDICT_WORDS[text]
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    assert value == pytest.approx(float(text), rel=1e-15), column
                elif column not in ("evidence", "feedback") or not text.startswith("'"):
                    assert cell_text(value) == text, column
    sheet = book["Needs attention"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet["D2"].value == "Not in line" and sheet["D2"].fill.fgColor.rgb.endswith("FBE0E0")
    assert [sheet.cell(row=2, column=c).number_format for c in (5, 6)] == ["mmm yyyy", "#,##0.0"]
    hostile = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and HOSTILE in c.value]
    assert hostile and all(c.data_type == "s" for c in hostile)


def test_workbook_counts_each_region_s_verdicts_then_england(national):
    book = openpyxl.load_workbook(national.out / "assurance.xlsx")
    records = sheet_records(book, "By region")
    regions = read_csv_rows(national.out / "assurance_by_region.csv")
    assert [r["region"] for r in records] == [r["region"] for r in regions] + ["England"]
    for record, region in zip(records, regions, strict=False):
        assert {k: str(v) for k, v in record.items()} == region
    england = records[-1]
    assert england["hwbs"] == 151 and [england[v] for v in ATTENTION] == [
        sum(r["verdict"] == v for r in national.assurance) for v in ATTENTION
    ]
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert [summary[VERDICT_WORDS[v]] for v in ATTENTION] == [england[v] for v in ATTENTION]


def test_workbook_months_sheet_holds_every_planned_and_expected_figure(national):
    book = openpyxl.load_workbook(national.out / "assurance.xlsx")
    records = sheet_records(book, "Months")
    assert book["Months"].freeze_panes == "C2" and len(records) == len(national.months) // 4
    long = {(r["hwb_code"], r["month"], r["attribution"]): r for r in national.months}
    for record in records:
        month = record["month"].date().isoformat()
        assert record["comparison"] == ("Expectation" if month >= "2018-09-01" else "Glide path")
        for key in (*PARTS, "total"):
            line = long[record["hwb_code"], month, key]
            assert record[f"{key}_planned_days"] == int(line["planned_days"])
            assert record[f"{key}_expected_days"] == pytest.approx(float(line["expected_days"]), rel=1e-15)
            assert cell_text(record[f"{key}_in_line"]) == line["in_line"]


def test_page_renders_offline_in_chromium_with_every_hwb(national, tmp_path):
    page = national.out / "assurance.html"
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "src=" not in html and "url(" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for row in national.assurance:
        assert f'id="{row["hwb_code"]}"' in html
    assert html.count('<tr class="info">') == 5 * (151 - 15)  # April to August of each plan: information only
    complaints, screenshot = render_in_chromium(page, tmp_path)
    assert complaints == []
    _width, _height, pixels = read_png_pixels(screenshot)
    assert sum(1 for row in pixels[:600] for i in range(0, len(row), 3) if row[i : i + 3] != b"\xff\xff\xff") > 5000


def test_a_refused_rerun_leaves_the_last_publication_and_a_good_one_replaces_it(national, config, tmp_path):
    before = tree_digest(national.out)
    lines = national_plans(published_rows(national.folder))
    lines[3][2] = -4
    with pytest.raises(DtocError, match="row 5: nhs_days '-4' is negative"):
        assure_plans(write_plans(tmp_path / "bad.csv", lines), national.folder, national.out, config)
    assert tree_digest(national.out) == before
    fewer = write_plans(tmp_path / "fewer.csv", national_plans(published_rows(national.folder))[:12])
    out = tmp_path / "replaced"
    assure_plans(national.plans, national.folder, out, config)
    assure_plans(fewer, national.folder, out, config)
    assert sum(1 for r in read_csv_rows(out / "assurance.csv") if r["verdict"] != "no_plan") == 1
    assert not list(tmp_path.glob(".replaced.staging-*")) and not (tmp_path / ".replaced.previous").exists()


def cells_of_rows(table: str) -> list[list[str]]:
    """The text of each cell of each body row of an HTML table."""
    body = table.split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


def worst_total(row: dict, plan: dict[date, list[int]]) -> tuple[float, date]:
    """The largest planned-minus-expected total of the assessed months, and its month (the earlier of two)."""
    gaps = [(sum(plan[m]) - expected_days(row, "total", m), m) for m in ASSESSED]
    return max(gaps, key=lambda g: (g[0], -g[1].toordinal()))


def test_the_page_opens_with_the_hwbs_needing_attention_most_serious_first(national):
    """The order and gaps are derived from the plans this module wrote (national_plans) and the expectations:
    by verdict (not in line, reattributed without evidence, no plan, reattributed with evidence), then the worst
    month's total gap, largest first, then by name."""
    rows, december = published_rows(national.folder), date(2018, 12, 1)
    expected = []  # (rank of the verdict, -gap, name, code, worst month)
    for i, code in enumerate(sorted(rows)):
        row, plan = rows[code], floor_plan(rows[code])
        if i % 10 == 9:
            expected.append((2, 0.0, row["hwb_name"], code, None, ""))  # no plan
            continue
        if i % 7 == 0:  # 40 more NHS days in December: the total is over then
            plan[december][0] += 40
            rank = 0
        elif i % 11 == 0 and all(plan[m][1] >= 3 for m in ASSESSED):  # 3 days a month moved to NHS
            rank = 3 if i % 22 == 0 else 1
        else:
            continue
        gap, month = worst_total(row, plan)
        expected.append((rank, -gap, row["hwb_name"], code, gap, f"{month:%B %Y}"))
    expected.sort(key=lambda e: e[:4])
    html = (national.out / "assurance.html").read_text(encoding="utf-8")
    assert html.index('id="attention"') < html.index("<h2>England</h2>") < html.index("<h2>By region</h2>")
    shown = cells_of_rows(html.split('<table class="attention">')[1].split("</table>")[0])
    labels = ("Not in line", "Reattributed, no evidence", "No plan", "Reattributed, with evidence")
    assert [(r[0], r[1][-10:-1]) for r in shown] == [(labels[e[0]], e[3]) for e in expected]
    for cells, (_, _, _, _, gap, month) in zip(shown, expected, strict=True):
        assert (cells[3], cells[4]) == (month, "" if gap is None else f"{gap:+,.1f}") and cells[5]  # and feedback
    assert {e[5] for e in expected if e[0] == 0} == {"December 2018"}
    in_line = [r["hwb_code"] for r in national.assurance if r["verdict"] == "in_line"]
    last_attention = max(html.index(f'<details class="hwb" id="{e[3]}">') for e in expected)
    assert in_line and all(html.index(f'<details class="hwb" id="{code}">') > last_attention for code in in_line)


def test_every_table_fits_a_1280_px_window_and_the_page_prints_on_a4_landscape(national, tmp_path):
    assert pages_that_do_not_fit([national.out / "assurance.html"], tmp_path) == []
