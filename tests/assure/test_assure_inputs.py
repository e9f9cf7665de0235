"""dtoc assure on bad plans: each refused with one message naming the file, row and value; nothing written,
an earlier output left byte-for-byte; plans as workbooks read like the CSV; the command line's behaviour."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from dtoc.commands.assure import assure_plans
from dtoc.errors import DtocError
from dtoc.ingest import limits
from tests.conftest import DTOC, invoke_cli, tree_digest
from tests.support.assure_support import (
    ASSESSED,
    HEADER,
    PLAN_YEAR,
    days,
    plan_rows,
    synthetic_row,
    write_plans,
    write_synthetic_publication,
)
from tests.support.workbooks import (
    add_streamed_part,
    write_grid,
    write_raw_xlsx,
    write_xls_with_errors,
    xml_cell,
    xml_rows,
)

CODES = ("E90000001", "E90000002", "E90000003")


def good_lines() -> list[list[object]]:
    """Two HWBs with all twelve months (row 2 is E90000001 April 2018), one with September to March only."""
    lines = []
    for code, months in ((CODES[0], PLAN_YEAR), (CODES[1], PLAN_YEAR), (CODES[2], ASSESSED)):
        lines += plan_rows(code, {m: [3 * days(m), 2 * days(m), days(m)] for m in months})
    return lines


@pytest.fixture(scope="module")
def setting(tmp_path_factory, config):
    """A publication, and an earlier assurance output judged from the good plans."""
    root = tmp_path_factory.mktemp("assure-inputs")
    folder = write_synthetic_publication(
        root / "pub", [synthetic_row(code, f"Area {i}", "Region", 3.0, 2.0, 1.0) for i, code in enumerate(CODES)]
    )
    assure_plans(write_plans(root / "good.csv", good_lines()), folder, root / "earlier", config)
    return root, folder


def with_cell(row: int, column: str, value: object) -> list[list[object]]:
    """The good lines with one cell changed; row is the file's row number (the header is row 1)."""
    lines = good_lines()
    lines[row - 2][HEADER.index(column)] = value
    return lines


def without_month(code: str, month: str) -> list[list[object]]:
    return [line for line in good_lines() if not (line[0] == code and line[1] == month)]


BAD_PLANS = {
    "unknown HWB": (with_cell(3, "hwb_code", "E99999999"), ["row 3", "'E99999999'", "not a Health and Wellbeing"]),
    "duplicate HWB-month": ([*good_lines(), good_lines()[6]], ["row 33", "E90000001 2018-10", "also on row 8"]),
    "month after the year": (with_cell(5, "month", "2019-04"), ["row 5", "'2019-04'", "outside the plan year"]),
    "month before the year": (with_cell(5, "month", "2018-03"), ["row 5", "'2018-03'", "outside the plan year"]),
    "month not YYYY-MM": (with_cell(6, "month", "Sep-18"), ["row 6", "'Sep-18'", "YYYY-MM"]),
    "month without a zero": (with_cell(6, "month", "2018-9"), ["row 6", "'2018-9'", "YYYY-MM"]),
    "month 13": (with_cell(6, "month", "2018-13"), ["row 6", "'2018-13'", "YYYY-MM"]),
    "a day, not a month": (with_cell(6, "month", "2018-09-01"), ["row 6", "'2018-09-01'", "YYYY-MM"]),
    "month missing from September on": (
        without_month(CODES[1], "2019-01"),
        ["row 14", "E90000002", "2019-01", "every month from September 2018"],
    ),
    "negative figure": (with_cell(9, "asc_days", "-1"), ["row 9", "asc_days '-1'", "negative"]),
    "text figure": (with_cell(9, "nhs_days", "ten"), ["row 9", "nhs_days 'ten'", "not a number"]),
    "empty figure": (with_cell(10, "joint_days", ""), ["row 10", "joint_days is empty"]),
    "not a finite number": (with_cell(10, "joint_days", "inf"), ["row 10", "joint_days 'inf'", "not a finite number"]),
    "fraction of a day": (with_cell(11, "nhs_days", "12.5"), ["row 11", "nhs_days '12.5'", "whole number"]),
}


def assert_refused(plans: Path, folder: Path, out: Path, config, fragments: list[str]) -> str:
    with pytest.raises(DtocError) as caught:
        assure_plans(plans, folder, out, config)
    message = str(caught.value)
    assert "\n" not in message and str(plans) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize("case", sorted(BAD_PLANS))
def test_bad_plans_are_refused_naming_file_row_and_value(case, setting, config, tmp_path):
    root, folder = setting
    lines, fragments = BAD_PLANS[case]
    plans = write_plans(tmp_path / "plans.csv", lines)
    before, parent = tree_digest(root / "earlier"), sorted(os.listdir(root))
    assert_refused(plans, folder, root / "earlier", config, fragments)
    assert_refused(plans, folder, tmp_path / "new" / "out", config, fragments)
    assert tree_digest(root / "earlier") == before and sorted(os.listdir(root)) == parent
    assert not (tmp_path / "new").exists()


def test_a_missing_column_an_empty_file_and_limits_are_refused(setting, config, tmp_path, monkeypatch):
    _root, folder = setting
    no_joint = write_plans(tmp_path / "a.csv", [line[:4] for line in good_lines()], HEADER[:4])
    assert_refused(no_joint, folder, tmp_path / "out", config, ["missing column(s) joint_days", "row 1"])
    assert_refused(write_plans(tmp_path / "b.csv", []), folder, tmp_path / "out", config, ["no plan rows"])
    many = write_plans(tmp_path / "c.csv", good_lines() * 700)
    assert_refused(many, folder, tmp_path / "out", config, ["past row 20,000", "plans or shares sheet"])
    long_text = write_plans(tmp_path / "d.csv", with_cell(4, "evidence", "x" * 5000))
    assert_refused(long_text, folder, tmp_path / "out", config, ["row 4", "5,000 characters"])
    monkeypatch.setattr(limits, "PLANS", replace(limits.PLANS, file_bytes=100))
    assert_refused(write_plans(tmp_path / "e.csv", good_lines()), folder, tmp_path / "out", config, ["100 bytes"])
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_a_workbook_or_absent_is_refused(setting, config, tmp_path):
    _root, folder = setting
    fake = tmp_path / "plans.xlsx"
    fake.write_text("hwb_code,month\n")
    assert_refused(fake, folder, tmp_path / "out", config, ["not an Excel workbook"])
    assert_refused(tmp_path / "absent.csv", folder, tmp_path / "out", config, ["not found"])


def test_out_holding_other_files_or_overlapping_the_publication_is_refused(setting, config, tmp_path):
    _root, folder = setting
    plans = write_plans(tmp_path / "plans.csv", good_lines())
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not dtoc's")
    with pytest.raises(DtocError, match="holds files that dtoc did not publish"):
        assure_plans(plans, folder, mine, config)
    assert (mine / "notes.txt").read_text() == "not dtoc's" and os.listdir(mine) == ["notes.txt"]
    for out in (folder, folder / "assurance"):
        with pytest.raises(DtocError, match="overlaps the expectations publication"):
            assure_plans(plans, folder, out, config)


def write_xls_dates(path: Path, lines: list[list[object]]) -> Path:
    """A legacy workbook whose month cells are dates formatted as months, as Excel saves typed 2018-09."""
    import xlwt

    book, month_style = xlwt.Workbook(), xlwt.easyxf(num_format_str="mmm-yy")
    sheet = book.add_sheet("plans")
    for c, name in enumerate(HEADER):
        sheet.write(0, c, name)
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line[:5]):
            sheet.write(r, c, value, month_style) if c == 1 else sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_a_sheet_longer_than_the_limit_is_refused(setting, config, tmp_path, monkeypatch):
    """The row limit applies to a workbook as it is streamed (here lowered to 100 to keep the file small)."""
    import openpyxl

    _root, folder = setting
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("plans")
    for line in [HEADER, *good_lines() * 4]:
        sheet.append(line)
    book.save(tmp_path / "long.xlsx")
    monkeypatch.setattr(limits, "PLANS", replace(limits.PLANS, rows=100))
    assert_refused(tmp_path / "long.xlsx", folder, tmp_path / "out", config, ["sheet 'plans'", "past row 100"])


def test_plans_in_a_workbook_are_read_like_the_csv(setting, config, tmp_path):
    """xlsx: the sheet named 'plans' (not the first), months typed as dates; xls: months as text, or as dates."""
    root, folder = setting
    typed = [[line[0], datetime(*map(int, line[1].split("-")), 1), *line[2:5], None] for line in good_lines()]
    xlsx = write_grid(tmp_path / "plans.xlsx", {"Notes": [["read me"]], "Plans": [HEADER, *typed]})
    xls = write_grid(tmp_path / "plans.xls", {"plans": [HEADER, *good_lines()]})
    expected = (root / "earlier" / "assurance.csv").read_bytes()
    for plans in (xlsx, xls):
        assure_plans(plans, folder, tmp_path / plans.suffix[1:], config)
        assert (tmp_path / plans.suffix[1:] / "assurance.csv").read_bytes() == expected
    assure_plans(write_xls_dates(tmp_path / "dates.xls", typed), folder, tmp_path / "dates", config)
    assert (tmp_path / "dates" / "assurance.csv").read_bytes() == expected
    mid_month = [[*line[:1], datetime(2018, 9, 15), *line[2:]] if i == 5 else line for i, line in enumerate(typed)]
    bad = write_grid(tmp_path / "bad.xlsx", {"plans": [HEADER, *mid_month]})
    assert_refused(bad, folder, tmp_path / "bad", config, ["sheet 'plans'", "row 7", "month '2018-09-15'"])


def test_cli_prints_one_error_line_and_exits_1(setting, tmp_path):
    _root, folder = setting
    bad = write_plans(tmp_path / "plans.csv", with_cell(9, "nhs_days", "ten"))
    result = invoke_cli(["assure", str(bad), "--expectations", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.startswith("dtoc: error: ") and result.stderr.count("\n") == 1
    assert "row 9" in result.stderr and "Traceback" not in result.output
    good = write_plans(tmp_path / "good.csv", good_lines())
    result = invoke_cli(["assure", str(good), "--expectations", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and "3 HWBs assured for 2018-19: Not in line 0; " in result.stdout
    assert "; In line 3. Published to " in result.stdout


def test_whole_process_assure_starts_no_prefect(setting, tmp_path):
    """`dtoc assure` as a user runs it: a light command that never imports Prefect."""
    _root, folder = setting
    good = write_plans(tmp_path / "good.csv", good_lines())
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            DTOC,
            "assure",
            str(good),
            "--expectations",
            str(folder),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Published to" in result.stdout
    imported = [line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time")]
    assert "polars" in imported and not [name for name in imported if name.split(".")[0] == "prefect"]


def test_a_file_added_to_an_earlier_output_is_never_lost(setting, config, tmp_path):
    """The plans saved inside the last output folder: a rerun into it would delete them, so it is refused."""
    _root, folder = setting
    out = tmp_path / "out"
    assure_plans(write_plans(tmp_path / "plans.csv", good_lines()), folder, out, config)
    saved = write_plans(out / "my plans.csv", good_lines())
    with pytest.raises(DtocError, match=r"holds my plans\.csv, which dtoc did not publish"):
        assure_plans(saved, folder, out, config)
    assert saved.is_file()


# --- issue 18: the readers a hostile tester broke ------------------------------------------------------------


def plans_xlsx(path: Path, rows) -> Path:
    """A plans .xlsx assembled by hand (tests/support/workbooks.py), so a test can write what no spreadsheet would."""
    return write_raw_xlsx(path, {"plans": rows})


def refuse_opening(monkeypatch) -> None:
    """openpyxl may not open the file: a refusal must come from the bounds scan that runs before it."""
    import openpyxl

    def opened(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the bounds scan should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", opened)


def test_a_plans_xlsx_is_held_to_the_bounds_before_openpyxl_opens_it(setting, config, tmp_path, monkeypatch):
    """A shared-strings part that unpacks far past its size, and 100,000 cells in the first row (the hostile
    tester's 2 MB / 1 GB and 120 KB / 3 million-cell files, scaled down; benchmarks/hostile_xlsx.py has them)."""
    _root, folder = setting
    header = [xml_rows([HEADER])[0]]
    bomb = plans_xlsx(tmp_path / "bomb.xlsx", header)
    add_streamed_part(bomb, "xl/sharedStrings.xml", (b" " * 2**20 for _ in range(11)))
    wide = plans_xlsx(tmp_path / "wide.xlsx", ["<row>" + xml_cell(None, 1) * 100_000 + "</row>"])
    refuse_opening(monkeypatch)
    assert_refused(bomb, folder, tmp_path / "out", config, ["xl/sharedStrings.xml", "11.0 MB", "it was not read"])
    assert_refused(wide, folder, tmp_path / "out", config, ["sheet 'plans'", "row 1", "past column 64"])
    assert not (tmp_path / "out").exists()


def test_a_utf16_plans_export_reads_as_the_csv(setting, config, tmp_path):
    """Excel's 'Unicode Text' export: UTF-16 with a byte-order mark, tab-separated."""
    import csv

    root, folder = setting
    path = tmp_path / "plans.txt"
    with path.open("w", newline="", encoding="utf-16") as handle:
        csv.writer(handle, dialect="excel-tab").writerows([HEADER, *good_lines()])
    assure_plans(path, folder, tmp_path / "out", config)
    assert (tmp_path / "out" / "assurance.csv").read_bytes() == (root / "earlier" / "assurance.csv").read_bytes()


def test_semicolon_plans_and_shares_get_the_advice_run_gives(setting, config, tmp_path):
    from dtoc.commands.assure import split_shares
    from dtoc.ingest.csv_grids import SEMICOLON_ADVICE

    _root, folder = setting
    plans = tmp_path / "plans.csv"
    plans.write_text("\n".join(";".join(map(str, line)) for line in [HEADER, *good_lines()]) + "\n", encoding="utf-8")
    assert_refused(plans, folder, tmp_path / "out", config, [SEMICOLON_ADVICE])
    shares = tmp_path / "shares.csv"
    shares.write_text(f"hwb_code;ccg_code;ccg_name;nhs_share\n{CODES[0]};00A;Alpha;0,5\n{CODES[0]};00B;Beta;0,5\n")
    with pytest.raises(DtocError) as caught:
        split_shares(shares, folder, tmp_path / "out", config)
    assert SEMICOLON_ADVICE in str(caught.value) and str(shares) in str(caught.value)


@pytest.mark.parametrize(
    "value, fragments",
    [
        ("1e308", ["nhs_days '1e308' is more than 1,000,000 delayed days in a month"]),
        (1e308, ["nhs_days 1e+308 is more than 1,000,000 delayed days in a month"]),
        ("1,234,5", ["nhs_days '1,234,5' is not a number", "groups of three"]),
        ("#REF!", ["nhs_days '#REF!' holds the Excel error #REF!"]),
    ],
)
def test_a_figure_no_plan_can_hold_says_what_is_wrong(setting, config, tmp_path, value, fragments):
    _root, folder = setting
    plans = write_grid(tmp_path / "plans.xlsx", {"plans": [HEADER, *with_cell(9, "nhs_days", value)]})
    assert_refused(plans, folder, tmp_path / "out", config, ["row 9", *fragments])


def test_an_excel_error_in_an_xls_plan_is_named_not_read_as_its_code(setting, config, tmp_path):
    _root, folder = setting
    path = write_xls_with_errors(
        tmp_path / "plans.xls", {"plans": [HEADER, *good_lines()]}, {"plans": {"C9": "#DIV/0!"}}
    )
    assert_refused(path, folder, tmp_path / "out", config, ["sheet 'plans'", "row 9", "holds the Excel error #DIV/0!"])


def reattributed_lines(evidence: str) -> list[list[object]]:
    """The good plans with 40 delayed days a month moved from social care to NHS for the first HWB (its total
    still in line, its NHS figure above its own expectation), and `evidence` on its September row."""
    lines = good_lines()
    for line in lines[:12]:
        line[2], line[3] = line[2] + 40, line[3] - 40
    lines[5][5] = evidence
    return lines


@pytest.mark.parametrize(
    "evidence, verdict",
    [
        ("\u200b", "reattributed_unevidenced"),  # a zero-width space
        ("\u00a0\u2060\u200d", "reattributed_unevidenced"),  # a no-break space, a word joiner, a zero-width joiner
        ("\ufeff\u3000\t", "reattributed_unevidenced"),  # a byte-order mark, an ideographic space, a tab
        ("EV-12 \u200b", "reattributed_evidenced"),
    ],
)
def test_evidence_made_only_of_invisible_characters_is_no_evidence(setting, config, tmp_path, evidence, verdict):
    _root, folder = setting
    plans = write_plans(tmp_path / "plans.csv", reattributed_lines(evidence))
    assure_plans(plans, folder, tmp_path / "out", config)
    rows = {row["hwb_code"]: row for row in csv.DictReader((tmp_path / "out" / "assurance.csv").open(encoding="utf-8"))}
    assert rows[CODES[0]]["verdict"] == verdict
    assert rows[CODES[0]]["kloe35_evidence"] == str(verdict == "reattributed_evidenced").lower()
