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


def test_workbook_holds_the_tables_formatted_with_text_kept_as_text(national):
    book = openpyxl.load_workbook(national.out / "assurance.xlsx")
    assert book.sheetnames == ["Summary", "Assurance", "Months", "By region"]
    sheet = book["Assurance"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(national.assurance[0])
    for values, expected in zip(rows[1:], national.assurance, strict=True):
        for value, (column, text) in zip(values, expected.items(), strict=True):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert value == pytest.approx(float(text), rel=1e-15), column
            elif column not in ("evidence", "feedback") or not text.startswith("'"):
                assert cell_text(value) == text, column
    hostile = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value == HOSTILE]
    assert hostile and all(c.data_type == "s" for c in hostile)
    number_formats = {
        sheet.cell(row=2, column=i + 1).number_format
        for i, name in enumerate(rows[0])
        if name in ("worst_total_gap_days", "worst_month", "months_planned")
    }
    assert number_formats == {"#,##0.0", "mmm yyyy", "#,##0"}


def test_workbook_months_sheet_holds_every_planned_and_expected_figure(national):
    sheet = openpyxl.load_workbook(national.out / "assurance.xlsx")["Months"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert sheet.freeze_panes == "A2" and len(rows) - 1 == len(national.months) // 4
    long = {(r["hwb_code"], r["month"], r["attribution"]): r for r in national.months}
    for values in rows[1:]:
        record = dict(zip(header, values, strict=True))
        for key in (*PARTS, "total"):
            line = long[record["hwb_code"], record["month"].date().isoformat(), key]
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


def test_the_page_opens_with_the_hwbs_needing_attention_most_serious_first(national):
    """The order and gaps are derived from the plans this module wrote (national_plans) and the expectations."""
    rows, december = published_rows(national.folder), date(2018, 12, 1)
    expected = []  # (rank of the verdict, gap, code, worst month)
    for i, code in enumerate(sorted(rows)):
        row, plan = rows[code], floor_plan(rows[code])
        if i % 10 == 9:
            expected.append((2, 0.0, code, ""))  # no plan
        elif i % 7 == 0:  # 40 more NHS days in December: the total is over in that month only
            gap = sum(plan[december]) + 40 - expected_days(row, "total", december)
            expected.append((0, gap, code, "December 2018"))
        elif i % 11 == 0 and all(plan[m][1] >= 3 for m in ASSESSED):  # 3 days a month moved to NHS
            gaps = [(plan[m][0] + 3 - expected_days(row, "nhs", m), m) for m in ASSESSED]
            gap, month = max(gaps, key=lambda g: (g[0], -g[1].toordinal()))
            expected.append((3 if i % 22 == 0 else 1, gap, code, f"{month:%B %Y}"))
    expected.sort(key=lambda e: (e[0], -e[1], e[2]))
    html = (national.out / "assurance.html").read_text(encoding="utf-8")
    assert html.index('id="attention"') < html.index("<h2>England</h2>") < html.index("<h2>By region</h2>")
    shown = cells_of_rows(html.split('<table class="attention">')[1].split("</table>")[0])
    labels = ("Not in line", "Reattributed, no evidence", "No plan", "Reattributed, with evidence")
    assert [(r[0], r[1][-10:-1]) for r in shown] == [(labels[rank], code) for rank, _, code, _ in expected]
    for cells, (rank, gap, _, month) in zip(shown, expected, strict=True):
        assert (cells[3], cells[4]) == (month, "" if rank == 2 else f"{gap:+,.1f}") and cells[6]  # and feedback
    in_line = [r["hwb_code"] for r in national.assurance if r["verdict"] == "in_line"]
    last_attention = max(html.index(f'<details class="hwb" id="{code}">') for _, _, code, _ in expected)
    assert in_line and all(html.index(f'<details class="hwb" id="{code}">') > last_attention for code in in_line)


def test_every_table_fits_a_1280_px_window_and_the_page_prints_on_a4_landscape(national, tmp_path):
    assert pages_that_do_not_fit([national.out / "assurance.html"], tmp_path) == []
