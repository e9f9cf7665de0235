"""dtoc split: each CCG's share of its HWB's NHS baseline, expectation and monthly reduction on the glide path,
checked against figures derived here from the published expectations; bad shares refused, nothing written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dtoc.commands.assure import split_shares
from dtoc.errors import DtocError
from tests.conftest import invoke_cli, tree_digest
from tests.support.assure_support import (
    PLAN_YEAR,
    build_publication,
    days,
    expected_daily,
    published_rows,
    read_csv_rows,
)

SHARE_HEADER = ["hwb_code", "ccg_code", "ccg_name", "nhs_share"]


def write_shares(path: Path, rows: list[list[object]], header: list[str] = SHARE_HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


@pytest.fixture(scope="module")
def published(real_data, config, tmp_path_factory):
    folder = build_publication(real_data, config, tmp_path_factory.mktemp("publication"))
    rows = published_rows(folder)
    codes = sorted(rows)
    return folder, rows, codes


def good_shares(codes: list[str]) -> list[list[object]]:
    """Three CCGs for one HWB, one for another, and three tenths-based shares (0.1 + 0.2 + 0.7 is not exactly 1
    in floating point) for a third."""
    return [
        [codes[0], "00A", "Alpha CCG", "0.5"],
        [codes[0], "00B", "Beta CCG", "0.3"],
        [codes[0], "00C", "Gamma CCG", "0.2"],
        [codes[5], "01X", "Solo CCG", "1"],
        [codes[9], "02A", "One", "0.1"],
        [codes[9], "02B", "Two", "0.2"],
        [codes[9], "02C", "Three", "0.7"],
    ]


def test_each_ccg_gets_its_share_of_the_nhs_figures_every_month(published, config, tmp_path):
    folder, rows, codes = published
    shares = write_shares(tmp_path / "shares.csv", good_shares(codes))
    summary = split_shares(shares, folder, tmp_path / "out", config)
    assert summary["ccgs"] == 7 and summary["hwbs"] == 3
    lines = read_csv_rows(tmp_path / "out" / "ccg_split.csv")
    assert len(lines) == 7 * 12
    assert [(line["hwb_code"], line["ccg_code"], line["month"]) for line in lines] == sorted(
        (line["hwb_code"], line["ccg_code"], line["month"]) for line in lines
    )
    fractions = {(r[0], r[1]): float(r[3]) for r in good_shares(codes)}
    for line in lines:
        row, share = rows[line["hwb_code"]], fractions[line["hwb_code"], line["ccg_code"]]
        month = next(m for m in PLAN_YEAR if m.isoformat() == line["month"])
        level = expected_daily(row, "nhs", month)
        derived = {
            "baseline_nhs_daily": share * row["baseline_nhs_daily"],
            "expected_nhs_daily": share * row["expected_nhs_daily"],
            "reduction_nhs_daily": share * (row["baseline_nhs_daily"] - row["expected_nhs_daily"]),
            "path_nhs_daily": share * level,
            "path_nhs_delayed_days": share * level * days(month),
            "path_reduction_nhs_daily": share * (row["baseline_nhs_daily"] - level),
            "path_reduction_nhs_delayed_days": share * (row["baseline_nhs_daily"] - level) * days(month),
        }
        for column, value in derived.items():
            assert float(line[column]) == pytest.approx(value, rel=1e-12, abs=1e-9), column
        assert int(line["days_in_month"]) == days(month)
        assert line["comparison"] == ("expectation" if month.month in (9, 10, 11, 12, 1, 2, 3) else "glide path")
    for code in (codes[0], codes[9]):
        september = [line for line in lines if line["hwb_code"] == code and line["month"] == "2018-09-01"]
        assert sum(float(line["expected_nhs_daily"]) for line in september) == pytest.approx(
            rows[code]["expected_nhs_daily"]
        )
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["kind"] == "ccg_split" and manifest["shares"]["rows"] == 7


BAD_SHARES = {
    "shares add up to 0.9": (
        [["A", "00A", "Alpha", "0.5"], ["A", "00B", "Beta", "0.4"]],
        ["rows 2, 3", "add up to 0.9", "not 1"],
    ),
    "share above 1": ([["A", "00A", "Alpha", "1.1"], ["A", "00B", "Beta", "-0.1"]], ["row 2", "'1.1'", "from 0 to 1"]),
    "negative share": ([["A", "00A", "Alpha", "-0.5"]], ["row 2", "nhs_share '-0.5'", "from 0 to 1"]),
    "share in words": (
        [["A", "00A", "Alpha", "half"], ["A", "00B", "Beta", "0.5"]],
        ["row 2", "'half'", "not a number"],
    ),
    "unknown HWB": ([["E99999999", "00A", "Alpha", "1"]], ["row 2", "'E99999999'", "not a Health and Wellbeing"]),
    "CCG twice": ([["A", "00A", "Alpha", "0.5"], ["A", "00A", "Alpha", "0.5"]], ["row 3", "also on row 2"]),
    "no CCG code": ([["A", "", "Alpha", "1"]], ["row 2", "ccg_code is empty"]),
}


@pytest.mark.parametrize("case", sorted(BAD_SHARES))
def test_bad_shares_are_refused_and_nothing_is_written(case, published, config, tmp_path):
    folder, _rows, codes = published
    lines, fragments = BAD_SHARES[case]
    shares = write_shares(tmp_path / "shares.csv", [[codes[2] if v == "A" else v for v in line] for line in lines])
    earlier = tmp_path / "earlier"
    split_shares(write_shares(tmp_path / "good.csv", good_shares(codes)), folder, earlier, config)
    before = tree_digest(earlier)
    with pytest.raises(DtocError) as caught:
        split_shares(shares, folder, earlier, config)
    message = str(caught.value)
    assert str(shares) in message and all(f in message for f in fragments), message
    assert tree_digest(earlier) == before
    with pytest.raises(DtocError):
        split_shares(shares, folder, tmp_path / "new", config)
    assert not (tmp_path / "new").exists()


def test_missing_column_is_refused_and_the_cli_prints_one_line(published, tmp_path):
    folder, _rows, codes = published
    shares = write_shares(tmp_path / "shares.csv", [[codes[0], "00A", "1"]], ["hwb_code", "ccg_code", "nhs_share"])
    options = ["--expectations", str(folder), "--out", str(tmp_path / "o")]
    result = invoke_cli(["split", str(shares), *options])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"dtoc: error: file {shares}") and "missing column(s) ccg_name" in result.stderr
    good = write_shares(tmp_path / "good.csv", good_shares(codes))
    result = invoke_cli(["split", str(good), *options])
    assert result.exit_code == 0 and "7 CCG shares of 3 HWBs" in result.stdout


def test_the_split_is_also_a_workbook_and_an_offline_page_and_reruns_give_the_same_bytes(
    published, config, tmp_path, monkeypatch
):
    """ccg_split.xlsx (By CCG, Monthly, Summary, Columns) and ccg_split.html beside the CSV, like `dtoc assure`;
    the same shares and SOURCE_DATE_EPOCH give the same bytes."""
    import openpyxl

    folder, rows, codes = published
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1546300800")
    shares = write_shares(tmp_path / "shares.csv", [*good_shares(codes), [codes[7], "03A", "<b>Bold</b> & =1+1", "1"]])
    for out in ("out", "again"):
        split_shares(shares, folder, tmp_path / out, config)
    assert tree_digest(tmp_path / "out") == tree_digest(tmp_path / "again")
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        "ccg_split.csv",
        "ccg_split.parquet",
        "ccg_split.xlsx",
        "ccg_split.html",
        "datapackage.json",
        "manifest.json",
    }
    book = openpyxl.load_workbook(tmp_path / "out" / "ccg_split.xlsx")
    assert book.sheetnames == ["By CCG", "Monthly", "Summary", "Columns"]
    mapping = {(r[0], r[1]): r[2] for r in book["Columns"].iter_rows(min_row=2, values_only=True)}
    table = list(book["By CCG"].iter_rows(values_only=True))
    names = [mapping["By CCG", header] for header in table[0]]
    fractions = {(r[0], r[1]): float(r[3]) for r in [*good_shares(codes), [codes[7], "03A", "x", "1"]]}
    assert len(table) == 1 + 8
    for values in table[1:]:
        record = dict(zip(names, values, strict=True))
        share = fractions[record["hwb_code"], record["ccg_code"]]
        assert record["nhs_share"] == share
        assert record["expected_nhs_daily"] == pytest.approx(share * rows[record["hwb_code"]]["expected_nhs_daily"])
    monthly = list(book["Monthly"].iter_rows(values_only=True))
    code = [mapping["Monthly", header] for header in monthly[0]].index("hwb_code")
    assert len(monthly) == 1 + 8 * 12 and {r[code] for r in monthly[1:]} == {codes[i] for i in (0, 5, 7, 9)}
    page = (tmp_path / "out" / "ccg_split.html").read_text(encoding="utf-8")
    assert "<script" not in page and " src=" not in page and "http" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; =1+1" in page and "<b>Bold" not in page
    for code in (codes[0], codes[5], codes[7], codes[9]):
        assert f'id="{code}"' in page
    alpha = 0.5 * rows[codes[0]]["expected_nhs_daily"]
    assert '<td>Alpha CCG</td><td>00A</td><td class="n">50.0%</td>' in page and f"{alpha:,.1f}" in page


def test_the_split_page_fits_a_1280_px_window_and_prints_on_a4_landscape(published, config, tmp_path):
    """Every HWB split between up to three CCGs with names as long as real ones ("NHS ... Clinical Commissioning
    Group"): every table of ccg_split.html fits a 1,280 px window and A4 landscape in print."""
    from tests.support.devtools import pages_that_do_not_fit

    folder, _, codes = published
    name = "NHS Kingston Upon Hull and East Riding of Yorkshire Clinical Commissioning Group {}"
    shares = []
    for index, code in enumerate(codes):
        parts = (1.0,) if index % 3 == 0 else (0.25, 0.75) if index % 3 == 1 else (0.2, 0.3, 0.5)
        shares += [
            [code, f"{index:02d}{letter}", name.format(letter), part]
            for letter, part in zip("ABC"[: len(parts)], parts, strict=True)
        ]
    split_shares(write_shares(tmp_path / "shares.csv", shares), folder, tmp_path / "out", config)
    assert pages_that_do_not_fit([tmp_path / "out" / "ccg_split.html"], tmp_path) == []


def test_without_out_the_split_goes_to_data_derived_named_after_the_publication_s_plan_year(
    published, tmp_path, monkeypatch
):
    """The expectations of the Q3 2017-18 baseline are for 2018-19 (Annex 3): with no --out, the split is
    published to data/derived/ccg-split-2018-19 under the current folder, and says so."""
    folder, _, codes = published
    shares = write_shares(tmp_path / "shares.csv", good_shares(codes))
    monkeypatch.chdir(tmp_path)
    result = invoke_cli(["split", str(shares), "--expectations", str(folder)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "derived" / "ccg-split-2018-19" / "ccg_split.csv").is_file()
    assert "over 2018-19" in result.stdout and "data/derived/ccg-split-2018-19" in result.stdout
