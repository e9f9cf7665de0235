"""dtoc assure: every verdict, the 0.5-day allowance on both sides, the long table and the regional counts,
checked against figures this test derives from the published expectations (tests/support/assure_support.py)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from types import SimpleNamespace

import duckdb
import polars as pl
import pytest

from dtoc.commands.assure import assure_plans
from tests.support.assure_support import (
    ASSESSED,
    PARTS,
    PLAN_YEAR,
    build_publication,
    days,
    expected_days,
    floor_plan,
    plan_rows,
    published_rows,
    read_csv_rows,
    synthetic_row,
    write_plans,
    write_synthetic_publication,
)

SHIFT = 15  # delayed days a reattributing plan moves from social care to NHS each month
FORMULA = '=HYPERLINK("http://example.invalid","x")'  # evidence a spreadsheet would run


def rounded_plan(row: dict) -> dict[date, list[int]]:
    """Each figure rounded half up: up to 0.5 above its expectation, in line by the allowance."""
    return {m: [math.floor(expected_days(row, k, m) + 0.5) for k in PARTS] for m in PLAN_YEAR}


def tight_months(row: dict) -> list[date]:
    """Assessed months where the rounded parts add up to more than the expected total + 0.5."""
    return [m for m in ASSESSED if sum(rounded_plan(row)[m]) > expected_days(row, "total", m) + 0.5]


def shifted(row: dict, months=PLAN_YEAR) -> dict[date, list[int]]:
    plan = floor_plan(row, months)
    return {m: [n + SHIFT, a - SHIFT, j] if m in ASSESSED else [n, a, j] for m, (n, a, j) in plan.items()}


def choose_areas(rows: dict[str, dict]) -> dict[str, str]:
    """Role -> HWB code, chosen by what each role needs of the published figures."""
    codes = sorted(rows)
    roomy = [c for c in codes if all(expected_days(rows[c], "social_care", m) >= SHIFT + 1 for m in ASSESSED)]
    tight = [c for c in codes if tight_months(rows[c]) and c not in roomy[:3]]
    below_half = [
        c
        for c in codes
        if c not in roomy[:3] + tight[:1]
        and any(
            0 < expected_days(rows[c], "nhs", m) % 1 < 0.45 and expected_days(rows[c], "social_care", m) >= 2
            for m in ASSESSED
        )
    ]
    used = set(roomy[:3] + tight[:1] + below_half[:1])
    rest = [c for c in codes if c not in used]
    return {
        "evidenced": roomy[0],
        "unevidenced": roomy[1],
        "formula_evidence": roomy[2],
        "rounded": tight[0],
        "above_allowance": below_half[0],
        "in_line": rest[0],
        "not_in_line": rest[1],
        "two_months_over": rest[2],
        "pre_september_high": rest[3],
        "assessed_only": rest[4],
    }


def above_allowance_plan(row: dict) -> tuple[dict[date, list[int]], date]:
    """NHS one whole day above (between 0.5 and 1 over) in one month, social care one day lower."""
    plan = floor_plan(row)
    month = next(
        m for m in ASSESSED if 0 < expected_days(row, "nhs", m) % 1 < 0.45 and expected_days(row, "social_care", m) >= 2
    )
    _nhs, asc, joint = plan[month]
    plan[month] = [math.ceil(expected_days(row, "nhs", month)), asc - 1, joint]
    return plan, month


def scenario_plans(rows: dict[str, dict], areas: dict[str, str]) -> tuple[list, dict]:
    """The plan rows of every role and facts the tests check against."""
    r = {role: rows[code] for role, code in areas.items()}
    over = floor_plan(r["not_in_line"])
    over[date(2018, 12, 1)][0] += 10
    two = floor_plan(r["two_months_over"])
    two[date(2018, 10, 1)][0] += 3
    two[date(2019, 1, 1)][1] += 7
    high = floor_plan(r["pre_september_high"])
    high.update({m: [3 * v + 50 for v in high[m]] for m in PLAN_YEAR[:5]})
    allowance, allowance_month = above_allowance_plan(r["above_allowance"])
    plans = {
        "in_line": floor_plan(r["in_line"]),
        "not_in_line": over,
        "two_months_over": two,
        "pre_september_high": high,
        "assessed_only": floor_plan(r["assessed_only"], ASSESSED),
        "rounded": rounded_plan(r["rounded"]),
        "above_allowance": allowance,
        "evidenced": shifted(r["evidenced"]),
        "unevidenced": shifted(r["unevidenced"]),
        "formula_evidence": shifted(r["formula_evidence"]),
    }
    evidence = {
        "evidenced": {date(2018, 11, 1): "Evidence pack EV-12, section 3"},
        "formula_evidence": {date(2018, 5, 1): FORMULA},
    }
    lines = [line for role, plan in plans.items() for line in plan_rows(areas[role], plan, evidence.get(role))]
    return lines, {"plans": plans, "allowance_month": allowance_month, "evidence": evidence}


@pytest.fixture(scope="module")
def scenario(real_data, config, tmp_path_factory):
    root = tmp_path_factory.mktemp("assure")
    folder = build_publication(real_data, config, tmp_path_factory.mktemp("publication"))
    rows = published_rows(folder)
    areas = choose_areas(rows)
    lines, facts = scenario_plans(rows, areas)
    plans_file = write_plans(root / "plans.csv", lines[::-1])  # order in the file does not matter
    summary = assure_plans(plans_file, folder, root / "out", config)
    out = root / "out"
    return SimpleNamespace(
        rows=rows,
        areas=areas,
        out=out,
        summary=summary,
        folder=folder,
        plans_file=plans_file,
        **facts,
        assurance={r["hwb_code"]: r for r in read_csv_rows(out / "assurance.csv")},
        months=read_csv_rows(out / "assurance_months.csv"),
    )


EXPECTED_VERDICTS = {
    "in_line": "in_line",
    "rounded": "in_line",
    "pre_september_high": "in_line",
    "assessed_only": "in_line",
    "not_in_line": "not_in_line",
    "two_months_over": "not_in_line",
    "above_allowance": "reattributed_unevidenced",
    "evidenced": "reattributed_evidenced",
    "formula_evidence": "reattributed_evidenced",
    "unevidenced": "reattributed_unevidenced",
}


def test_every_hwb_of_the_publication_has_one_row_with_its_verdict(scenario):
    assert list(scenario.assurance) == sorted(scenario.rows)
    for role, verdict in EXPECTED_VERDICTS.items():
        assert scenario.assurance[scenario.areas[role]]["verdict"] == verdict, role
    planned = set(scenario.areas.values())
    assert {r["verdict"] for c, r in scenario.assurance.items() if c not in planned} == {"no_plan"}
    assert scenario.summary["verdicts"]["no_plan"] == len(scenario.rows) - len(planned)


def test_kloe_columns_say_which_question_failed(scenario):
    def row(role):
        return scenario.assurance[scenario.areas[role]]

    flags = ("kloe33_total_in_line", "kloe34_nhs_in_line", "kloe34_asc_in_line", "joint_in_line", "kloe35_evidence")
    assert [row("in_line")[f] for f in flags] == ["true", "true", "true", "true", "false"]
    assert [row("evidenced")[f] for f in flags] == ["true", "false", "true", "true", "true"]
    assert [row("unevidenced")[f] for f in flags] == ["true", "false", "true", "true", "false"]
    assert [row("two_months_over")[f] for f in flags] == ["false", "false", "false", "true", "false"]
    assert row("evidenced")["evidence"] == "Evidence pack EV-12, section 3"
    assert row("assessed_only")["months_planned"] == "7" and row("in_line")["months_planned"] == "12"
    absent = next(r for c, r in scenario.assurance.items() if c not in scenario.areas.values())
    assert [absent[f] for f in flags] == [""] * 5 and absent["months_planned"] == "0"


def test_long_table_holds_the_written_plans_against_independently_derived_expectations(scenario):
    written = {(scenario.areas[role], m): plan[m] for role, plan in scenario.plans.items() for m in plan}
    seen = Counter()
    by_month = {}
    for line in scenario.months:
        code, month = line["hwb_code"], date.fromisoformat(line["month"])
        seen[code, month] += 1
        by_month.setdefault((code, month), {})[line["attribution"]] = line
        row = scenario.rows[code]
        figures = written[code, month]
        planned = sum(figures) if line["attribution"] == "total" else figures[list(PARTS).index(line["attribution"])]
        expected = expected_days(row, line["attribution"], month)
        assert int(line["planned_days"]) == planned
        assert float(line["expected_days"]) == pytest.approx(expected, rel=1e-12, abs=1e-9)
        assert float(line["gap_days"]) == pytest.approx(planned - expected, rel=1e-12, abs=1e-9)
        assert line["assessed"] == ("true" if month >= date(2018, 9, 1) else "false")
        assert line["comparison"] == ("expectation" if month >= date(2018, 9, 1) else "glide path")
        assert line["region"] and line["hwb_name"] == row["hwb_name"]
    assert set(seen) == set(written) and set(seen.values()) == {4}
    for (code, month), lines in by_month.items():
        row = scenario.rows[code]
        parts_in = [float(lines[k]["planned_days"]) <= expected_days(row, k, month) + 0.5 for k in PARTS]
        assert [lines[k]["in_line"] == "true" for k in PARTS] == parts_in
        total_in = float(lines["total"]["planned_days"]) <= expected_days(row, "total", month) + 0.5
        assert (lines["total"]["in_line"] == "true") == (total_in or all(parts_in))


def test_allowance_of_half_a_day_on_both_sides(scenario):
    rounded = scenario.rows[scenario.areas["rounded"]]
    plan = scenario.plans["rounded"]
    above = [(m, k) for m in ASSESSED for i, k in enumerate(PARTS) if plan[m][i] > expected_days(rounded, k, m)]
    assert above, "the rounded plan must put some figure above its expectation (within 0.5)"
    assert scenario.assurance[scenario.areas["rounded"]]["verdict"] == "in_line"
    code, month = scenario.areas["above_allowance"], scenario.allowance_month
    nhs = next(
        line
        for line in scenario.months
        if line["hwb_code"] == code and line["month"] == month.isoformat() and line["attribution"] == "nhs"
    )
    assert 0.5 < float(nhs["gap_days"]) < 1 and nhs["in_line"] == "false"
    assert scenario.assurance[code]["kloe34_nhs_in_line"] == "false"


def test_three_rounded_parts_keep_the_total_in_line(scenario):
    code = scenario.areas["rounded"]
    row, plan = scenario.rows[code], scenario.plans["rounded"]
    month = [m for m in ASSESSED if sum(plan[m]) > expected_days(row, "total", m) + 0.5]
    assert month, "the chosen HWB must have a month where rounding adds more than 0.5 to the total"
    total = next(
        line
        for line in scenario.months
        if line["hwb_code"] == code and line["month"] == month[0].isoformat() and line["attribution"] == "total"
    )
    assert total["in_line"] == "true" and scenario.assurance[code]["kloe33_total_in_line"] == "true"


def test_worst_month_is_the_largest_total_gap(scenario):
    for role in ("not_in_line", "two_months_over", "in_line"):
        code = scenario.areas[role]
        gaps = {m: sum(scenario.plans[role][m]) - expected_days(scenario.rows[code], "total", m) for m in ASSESSED}
        worst = max(ASSESSED, key=lambda m: (gaps[m], -m.toordinal()))
        assert scenario.assurance[code]["worst_month"] == worst.isoformat(), role
        assert float(scenario.assurance[code]["worst_total_gap_days"]) == pytest.approx(gaps[worst], abs=1e-9)
    assert scenario.assurance[scenario.areas["not_in_line"]]["worst_month"] == "2018-12-01"
    assert scenario.assurance[scenario.areas["two_months_over"]]["worst_month"] == "2019-01-01"


def test_months_before_september_are_for_information_only(scenario):
    code = scenario.areas["pre_september_high"]
    early = [line for line in scenario.months if line["hwb_code"] == code and line["month"] < "2018-09-01"]
    assert len(early) == 20 and all(line["in_line"] == "false" and line["assessed"] == "false" for line in early)
    assert scenario.assurance[code]["verdict"] == "in_line"


def test_feedback_says_what_was_found_in_plain_english(scenario):
    def text(role):
        return scenario.assurance[scenario.areas[role]]["feedback"]

    assert "every month from September 2018 to March 2019" in text("in_line")
    assert "December 2018" in text("not_in_line") and "1 of the 7 months" in text("not_in_line")
    assert "2 of the 7 months" in text("two_months_over") and "January 2019" in text("two_months_over")
    assert "NHS in 7 months" in text("evidenced") and "Evidence pack EV-12, section 3" in text("evidenced")
    assert "no evidence" in text("unevidenced") and "KLOE 35" in text("unevidenced")
    absent = next(r for c, r in scenario.assurance.items() if c not in scenario.areas.values())
    assert absent["feedback"] == "No plan for this HWB is in the plans file."


def test_region_is_the_workbooks_region_column(scenario):
    with duckdb.connect(str(scenario.folder / "dtoc.duckdb"), read_only=True) as connection:
        regions = dict(
            connection.sql(
                "select ons_code, region from delayed_days_raw where area_type = 'local_authority'"
            ).fetchall()
        )
    assert {c: r["region"] for c, r in scenario.assurance.items()} == {c: regions[c] for c in scenario.assurance}
    assert len(set(regions.values())) == 9


def test_counts_by_region_add_up(scenario):
    rows = read_csv_rows(scenario.out / "assurance_by_region.csv")
    counted = Counter((r["region"], r["verdict"]) for r in scenario.assurance.values())
    verdicts = ["in_line", "reattributed_evidenced", "reattributed_unevidenced", "not_in_line", "no_plan"]
    assert [r["region"] for r in rows] == sorted({r["region"] for r in scenario.assurance.values()})
    for row in rows:
        assert [int(row[v]) for v in verdicts] == [counted[row["region"], v] for v in verdicts]
        assert int(row["hwbs"]) == sum(int(row[v]) for v in verdicts)
    assert sum(int(r["hwbs"]) for r in rows) == len(scenario.rows) == 151


def test_parquet_holds_the_same_rows_as_the_csv_whose_text_never_runs_as_a_formula(scenario):
    code = scenario.areas["formula_evidence"]
    for stem in ("assurance", "assurance_months", "assurance_by_region"):
        parquet = pl.read_parquet(scenario.out / f"{stem}.parquet")
        csv_frame = pl.read_csv(scenario.out / f"{stem}.csv", schema=parquet.schema)
        assert parquet.columns == csv_frame.columns and parquet.height == csv_frame.height
        other = pl.col("hwb_code") != code if "hwb_code" in parquet.columns else pl.lit(True)
        assert parquet.filter(other).equals(csv_frame.filter(other)), stem
    assert scenario.assurance[code]["evidence"] == "'" + FORMULA
    parquet = pl.read_parquet(scenario.out / "assurance.parquet").filter(pl.col("hwb_code") == code)
    assert parquet["evidence"].item() == FORMULA


def test_exactly_half_a_day_above_is_in_line_and_one_and_a_half_is_not(config, tmp_path):
    """NHS 3.25 a day is 97.5 days in September: 98 is at the allowance, 99 beyond it."""
    folder = write_synthetic_publication(
        tmp_path / "pub",
        [
            synthetic_row("E90000001", "At the allowance", "Region A", 3.25, 2.0, 1.0),
            synthetic_row("E90000002", "Beyond the allowance", "Region B", 3.25, 2.0, 1.0),
        ],
    )
    lines = []
    for code, september_nhs in (("E90000001", 98), ("E90000002", 99)):
        plan = {m: [int(3.25 * days(m)), 2 * days(m), days(m)] for m in ASSESSED}
        plan[date(2018, 9, 1)][0] = september_nhs
        lines += plan_rows(code, plan)
    assure_plans(write_plans(tmp_path / "plans.csv", lines), folder, tmp_path / "out", config)
    result = {r["hwb_code"]: r for r in read_csv_rows(tmp_path / "out" / "assurance.csv")}
    assert result["E90000001"]["verdict"] == "in_line"
    assert result["E90000002"]["verdict"] == "not_in_line"
    assert result["E90000002"]["worst_month"] == "2018-09-01"
    assert float(result["E90000002"]["worst_total_gap_days"]) == 1.5
    assert [result[c]["region"] for c in sorted(result)] == ["Region A", "Region B"]  # from the parquet column
