"""`dtoc scenarios` on small data folders the tests write: the band rule under many policies, worked out here
with exact fractions from the cells; data read once per quarter and vintage; bad policies refused by row with
nothing written; grids; byte-identical reruns; the command line and the page.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

from dtoc.commands.scenarios import ScenarioRequest, run_scenarios
from dtoc.errors import DtocError
from dtoc.ingest import limits
from dtoc.scenarios import groups as scenario_groups
from tests.conftest import invoke_cli, tree_digest
from tests.support.browser import render_in_chromium
from tests.support.workbooks import Area, write_population_workbook, write_quarter_workbooks

Q3, Q2 = ["October 2017", "November 2017", "December 2017"], ["July 2017", "August 2017", "September 2017"]
DAYS = 92  # October-December and July-September alike
NAMES = {"E06000001": "Hartlepool", "E06000051": "Shropshire", "E08000001": "Bolton"}
# quarter totals of delayed days (NHS, social care, both); with 1,000,000 adults a rate is days / 920, so
# Hartlepool's NHS rate is exactly 5.5 and social care 4.3, Shropshire's 7.9 and 2.6, Bolton's 10 and 1
TOTALS = {
    "2017-18Q3": {"E06000001": (5060, 3956, 300), "E06000051": (7268, 2392, 0), "E08000001": (9200, 920, 92)},
    "2017-18Q2": {"E06000001": (2530, 1978, 150), "E06000051": (3634, 1196, 6), "E08000001": (4600, 460, 46)},
}
ADULTS = {"mid-2016": 1_000_000, "mid-2017": 800_000}
HEADER = "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap,baseline,population_vintage"
POLICIES = [
    "annex3,5.5,7.9,0.3,2.6,4.3,0.4,,",
    "tight,5.6,7.8,0.5,2.7,4.2,0.1,,",
    "none asked,0,0,0,0,0,0,,",
    "all to zero,0,100,0.9,0,100,0.9,,",
    "annex3 q2,5.5,7.9,0.3,2.6,4.3,0.4,2017-18Q2,",
    "annex3 mid-2017,5.5,7.9,0.3,2.6,4.3,0.4,,mid-2017",
]


def monthly_areas(totals: dict[str, tuple[int, int, int]], months: list[str]) -> dict[str, list[Area]]:
    """The quarter totals split over the months (a third each, the last month takes the rest)."""
    split = lambda total, i: total // 3 if i < 2 else total - 2 * (total // 3)  # noqa: E731
    return {
        month: [Area(code, NAMES[code], *(split(t, i) for t in values)) for code, values in totals.items()]
        for i, month in enumerate(months)
    }


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("scenario-data")
    for months, label in ((Q3, "2017-18Q3"), (Q2, "2017-18Q2")):
        write_quarter_workbooks(data / "dtoc", months, monthly_areas(TOTALS[label], months))
    for vintage, adults in ADULTS.items():
        write_population_workbook(
            data / f"mye-{vintage}.xls", {code: (name, adults) for code, name in NAMES.items()}, vintage=vintage
        )
    return data


def write_policies(folder: Path, rows: list[str], header: str = HEADER) -> Path:
    path = folder / "policies.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def sweep(data_dir: Path, policies: Path | None, out: Path, grid: Path | None = None, tolerance: float = 50.0):
    return run_scenarios(ScenarioRequest(policies, grid, data_dir, None, None, out, None, tolerance))


def expected_hwb(days: int, adults: int, target: str, upper: str, cap: str) -> tuple[str, float]:
    """Annex 3 from the cells, in fractions: the band and the expected daily delays."""
    rate = Fraction(days * 100_000, DAYS * adults)
    if rate < Fraction(target):
        return "maintain", float(Fraction(days, DAYS))
    if rate <= Fraction(upper):
        return "reduce_to_target", float(Fraction(target) * adults / 100_000)
    return "reduce_by_cap", float(Fraction(days, DAYS) * (1 - Fraction(cap)))


@pytest.fixture(scope="module")
def swept(data_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("swept")
    sweep(data_dir, write_policies(folder, POLICIES), folder / "out")
    return folder / "out"


def test_every_hwb_is_banded_and_expected_as_annex3_says_under_every_policy(swept):
    hwb = pl.read_parquet(swept / "scenarios_hwb.parquet")
    assert hwb.height == len(POLICIES) * len(NAMES)
    for line in POLICIES:
        name, nhs_t, nhs_u, nhs_c, asc_t, asc_u, asc_c, baseline, vintage = line.split(",")
        totals, adults = TOTALS[baseline or "2017-18Q3"], ADULTS[vintage or "mid-2016"]
        for row in hwb.filter(pl.col("policy") == name).iter_rows(named=True):
            nhs_days, asc_days, joint_days = totals[row["hwb_code"]]
            for short, days, rule in (
                ("nhs", nhs_days, (nhs_t, nhs_u, nhs_c)),
                ("asc", asc_days, (asc_t, asc_u, asc_c)),
            ):
                band, daily = expected_hwb(days, adults, *rule)
                assert row[f"{short}_band"] == band, (name, row["hwb_code"], short)
                assert row[f"expected_{short}_daily"] == pytest.approx(daily, rel=1e-12, abs=1e-12)
            assert row["expected_joint_daily"] == pytest.approx(joint_days / DAYS, rel=1e-15)


def test_thresholds_are_inclusive_as_the_guidance_writes_them(swept):
    bands = {
        (r["policy"], r["hwb_code"]): (r["nhs_band"], r["asc_band"])
        for r in pl.read_parquet(swept / "scenarios_hwb.parquet").iter_rows(named=True)
    }
    assert bands[("annex3", "E06000001")] == ("reduce_to_target", "reduce_to_target")  # at 5.5 and at 4.3
    assert bands[("annex3", "E06000051")] == ("reduce_to_target", "reduce_to_target")  # at 7.9 and at 2.6
    assert bands[("tight", "E06000001")] == ("maintain", "reduce_by_cap")


def test_national_summary_adds_up_the_hwbs(swept):
    table = pl.read_csv(swept / "scenarios.csv")
    annex3 = table.row(0, named=True)
    # 5.5 and 2.6 per 100,000 of 1,000,000 (x2), Bolton 10 x 0.7 and 1; joint held
    assert annex3["expected_nhs_daily"] == pytest.approx(55 + 55 + 9200 / 92 * 0.7, rel=1e-12)
    assert annex3["expected_asc_daily"] == pytest.approx(26 + 26 + 920 / 92, rel=1e-12)
    assert annex3["nhs_reduction_daily"] == pytest.approx((5060 + 7268 + 9200) / 92 - annex3["expected_nhs_daily"])
    assert (annex3["nhs_reduce_to_target_hwbs"], annex3["nhs_reduce_by_cap_hwbs"], annex3["asc_maintain_hwbs"]) == (
        2,
        1,
        1,
    )
    assert annex3["largest_hwb_reduction_pct"] == pytest.approx(100 * (1 - 26 / (3956 / 92)), rel=1e-12)
    none_asked = table.filter(pl.col("policy") == "none asked").row(0, named=True)
    assert none_asked["nhs_reduction_daily"] == pytest.approx(0, abs=1e-9)
    assert none_asked["largest_hwb_reduction_pct"] == pytest.approx(0, abs=1e-9)
    all_to_zero = table.filter(pl.col("policy") == "all to zero").row(0, named=True)
    assert all_to_zero["expected_nhs_daily"] == 0 and all_to_zero["largest_hwb_reduction_pct"] == 100


def test_each_quarter_and_vintage_is_read_once_however_many_policies(data_dir, tmp_path, monkeypatch):
    reads = []
    for name in ("ingest_delays", "ingest_population"):
        real = getattr(scenario_groups, name)
        monkeypatch.setattr(
            scenario_groups, name, lambda source, real=real: reads.append(source.path.name) or real(source)
        )
    many = [
        f"p{i} {b} {v},{4 + i / 50},7.9,0.3,2.6,4.3,0.4,{b},{v}"
        for i in range(60)
        for b, v in (("", ""), ("2017-18Q2", ""), ("", "mid-2017"))
    ]
    sweep(data_dir, write_policies(tmp_path, many), tmp_path / "out")
    assert sorted(reads) == sorted(
        [f"LA-Type-B-{m.replace(' ', '-')}.xls" for m in Q3 + Q2] + ["mye-mid-2016.xls", "mye-mid-2017.xls"]
    )
    assert pl.read_csv(tmp_path / "out" / "scenarios.csv").height == 180


BAD_POLICIES = [
    ("a,8,7.9,0.3,2.6,4.3,0.4,,", "row 2 (policy 'a')", "target_rate <= upper_rate"),
    ("a,5.5,7.9,0.3,2.6,4.3,0.4,,\nb,5.5,7.9,1,2.6,4.3,0.4,,", "row 3 (policy 'b')", "reduction_cap"),
    ("a,5.5,7.9,0.3,2.6,4.3,-0.1,,", "row 2 (policy 'a')", "reduction_cap"),
    ("a,5.5,,0.3,2.6,4.3,0.4,,", "row 2 (policy 'a')", "nhs_upper is empty"),
    ("a,5.5,7.9,thirty,2.6,4.3,0.4,,", "row 2 (policy 'a')", "nhs_cap 'thirty' is not a number"),
    (
        "a,5.5,7.9,0.3,2.6,4.3,0.4,,\nb,5.5,7.9,0.3,2.6,4.3,0.4,,\na,5,7,0.3,2.6,4.3,0.4,,",
        "row 4 (policy 'a')",
        "already used by row 2",
    ),
    ("a,5.5,7.9,0.3,2.6,4.3,0.4,,\nb,5.5,7.9,0.3,2.6,4.3,0.4,2017-18Q5,", "row 3 (policy 'b')", "2017-18Q5"),
    ("a,5.5,7.9,0.3,2.6,4.3,0.4,2015-16Q1,", "row 2 (policy 'a')", "no DToC workbook"),
    ("a,5.5,7.9,0.3,2.6,4.3,0.4,,mid-2010", "row 2 (policy 'a')", "no mid-2010 population"),
    ("a,5.5,7.9,0.3,2.6,4.3,0.4", "row 2", "7 values, not 9"),
]


@pytest.mark.parametrize("rows, where, problem", BAD_POLICIES)
def test_a_bad_policy_is_refused_by_row_and_nothing_is_written(data_dir, tmp_path, swept, rows, where, problem):
    policies = write_policies(tmp_path, rows.split("\n"))
    out = tmp_path / "site" / "out"
    (out.parent).mkdir()
    before = tree_digest(tmp_path / "site")
    with pytest.raises(DtocError) as error:
        sweep(data_dir, policies, out)
    message = str(error.value)
    assert where in message and problem in message and str(policies) in message, message
    assert "\n" not in message
    assert tree_digest(tmp_path / "site") == before and sorted(p.name for p in out.parent.iterdir()) == []


def test_the_last_publication_survives_a_refused_sweep(data_dir, swept, tmp_path):
    before = tree_digest(swept.parent)
    with pytest.raises(DtocError):
        sweep(data_dir, write_policies(tmp_path, ["a,8,7.9,0.3,2.6,4.3,0.4,,"]), swept)
    assert tree_digest(swept.parent) == before


def test_more_policies_than_the_bound_are_refused(data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_POLICIES", 3)
    rows = [f"p{i},5.5,7.9,0.3,2.6,4.3,0.4,," for i in range(4)]
    with pytest.raises(DtocError, match="more than 3 policies"):
        sweep(data_dir, write_policies(tmp_path, rows), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def write_grid(folder: Path, text: str) -> Path:
    path = folder / "grid.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_grid_expands_to_every_combination_with_exact_decimals(data_dir, tmp_path):
    grid = write_grid(
        tmp_path,
        "nhs_target = {start = 5.0, stop = 6.0, step = 0.1}\nnhs_upper = [5.8, 7.9]\n"
        "nhs_cap = 0.3\nasc_target = [2.6]\nasc_upper = 4.3\nasc_cap = {start = 0.3, "
        'stop = 0.4, step = 0.05}\nbaseline = ["2017-18Q3", "2017-18Q2"]\n',
    )
    result = sweep(data_dir, None, tmp_path / "out", grid=grid)
    table = pl.read_csv(tmp_path / "out" / "scenarios.csv")
    # 11 targets x 2 uppers, less the 2 targets (5.9, 6.0) above 5.8, x 3 caps x 2 quarters
    assert table.height == (11 * 2 - 2) * 3 * 2 == result["policies"]
    assert sorted(set(table["nhs_target"].to_list())) == [5.0, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9, 6.0]
    assert sorted(set(table["asc_cap"].to_list())) == [0.3, 0.35, 0.4]
    assert "2 nhs combination(s) with a target above the upper threshold left out" in result["notes"][0]
    annex3 = table.filter(pl.col("policy") == "2017-18Q3 nhs 5.5/7.9/0.3 asc 2.6/4.3/0.4")
    assert annex3.height == 1 and annex3["nhs_target"][0] == 5.5 and annex3["asc_cap"][0] == 0.4


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            "nhs_target = {start = 0, stop = 20, step = 0.001}\nnhs_upper = {start = 20, stop = 40, step = 0.01}\n"
            "nhs_cap = 0.3\nasc_target = 2.6\nasc_upper = 4.3\nasc_cap = 0.4\n",
            "more than the 2,000,000 policies",
        ),
        (
            "nhs_target = 5.5\nnhs_upper = 7.9\nnhs_cap = [0.3, 1.2]\nasc_target = 2.6\nasc_upper = 4.3\nasc_cap = 0.4\n",
            "reduction_cap must be in [0, 1)",
        ),
        ("nhs_target = 5.5\nnhs_upper = 7.9\nasc_target = 2.6\nasc_upper = 4.3\nasc_cap = 0.4\n", "nhs_cap is not set"),
        (
            "nhs_target = 5.5\nnhs_uper = 7.9\nnhs_cap = 0.3\nasc_target = 2.6\nasc_upper = 4.3\nasc_cap = 0.4\n",
            "unknown setting(s) nhs_uper",
        ),
    ],
)
def test_a_bad_grid_is_refused_before_it_is_expanded(data_dir, tmp_path, text, problem):
    with pytest.raises(DtocError) as error:
        sweep(data_dir, None, tmp_path / "out", grid=write_grid(tmp_path, text))
    assert problem in str(error.value) and "grid.toml" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_the_same_sweep_gives_the_same_bytes(data_dir, swept, tmp_path):
    sweep(data_dir, write_policies(tmp_path, POLICIES), tmp_path / "again")
    for name in (
        "scenarios.csv",
        "scenarios.parquet",
        "scenarios_hwb.parquet",
        "ranked.csv",
        "answer.txt",
        "scenarios.html",
    ):
        assert (tmp_path / "again" / name).read_bytes() == (swept / name).read_bytes(), name


def test_the_answer_ranks_the_policies_near_the_ambition(data_dir, tmp_path):
    rows = ["even,5.5,7.9,0.3,2.6,4.3,0.4,,", "uneven,5.5,7.9,0.9,2.6,4.3,0.1,,", "far,0,0,0,0,0,0,,"]
    # the ambition is set to 'even' (Annex 3 here): NHS 55 + 55 + 70, social care 26 + 26 + 10, joint 392 / 92;
    # reductions: NHS 234 - 180 = 54, social care 79 - 62 = 17. 'uneven' cuts Bolton's NHS rate by 90%, not
    # 30%: 60 fewer delays, NHS reduction 114. 'far' asks nothing: 234 + 79 + 392 / 92, 71 above the ambition.
    total = 55 + 55 + 70 + 26 + 26 + 10 + 392 / 92
    result = run_scenarios(
        ScenarioRequest(write_policies(tmp_path, rows), None, data_dir, None, None, tmp_path / "out", total, 65.0)
    )
    ranked = pl.read_csv(tmp_path / "out" / "ranked.csv")
    assert ranked["policy"].to_list() == ["even", "uneven"]
    assert ranked["reduction_balance"].to_list() == pytest.approx([54 - 17, 114 - 17], rel=1e-9)
    assert result["answer"][0].startswith("2 of 3 policies land within 65 of the ambition")
    assert "1. even:" in result["answer"][2]


def test_the_command_line_prints_one_error_line_and_exits_1(data_dir, tmp_path):
    policies = write_policies(tmp_path, ["a,5.5,7.9,0.3,2.6,4.3,1.5,,"])
    result = invoke_cli(["scenarios", str(policies), "--data-dir", str(data_dir), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"dtoc: error: policies file {policies}, row 2 (policy 'a'): "
        "policy.asc.reduction_cap must be in [0, 1) (a fraction: 0.3 for 30%), got 1.5"
    ]
    good = invoke_cli(
        [
            "scenarios",
            str(write_policies(tmp_path, POLICIES[:2])),
            "--data-dir",
            str(data_dir),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert good.exit_code == 0, good.output
    assert "2 policies (1 baseline and population group(s)) published to" in good.stdout


def test_the_page_opens_offline_with_a_chart_per_swept_parameter(data_dir, tmp_path):
    grid = write_grid(
        tmp_path,
        "nhs_target = [5.0, 5.5, 6.0]\nnhs_upper = 7.9\nnhs_cap = [0.2, 0.3]\n"
        "asc_target = 2.6\nasc_upper = 4.3\nasc_cap = 0.4\n",
    )
    sweep(data_dir, None, tmp_path / "out", grid=grid, tolerance=1000)
    page = tmp_path / "out" / "scenarios.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and "National expected daily delays by NHS target" in html
    assert "National expected daily delays by NHS cap" in html and "by NHS upper threshold" not in html
    assert "src=" not in html and "https://" not in html and "<script" not in html
    complaints, _ = render_in_chromium(page, tmp_path)
    assert complaints == []


def test_the_models_a_sweep_creates_as_views_bind_no_parameters():
    """A DuckDB view cannot hold bound parameters: the thresholds reach banding through the policies table."""
    from dtoc.model.database import PARAMETER, model_sql
    from dtoc.scenarios.sweep import SCENARIO_MODELS

    for name in ("banding", *SCENARIO_MODELS):
        code = "\n".join(line.split("--")[0] for line in model_sql(name).splitlines())
        assert PARAMETER.findall(code) == [], name


def test_population_file_serves_the_rows_without_a_vintage(data_dir, tmp_path):
    rows = ["default,5.5,7.9,0.3,2.6,4.3,0.4,,", "asked 2016,5.5,7.9,0.3,2.6,4.3,0.4,,mid-2016"]
    run_scenarios(
        ScenarioRequest(
            write_policies(tmp_path, rows),
            None,
            data_dir,
            data_dir / "mye-mid-2017.xls",
            None,
            tmp_path / "out",
            None,
            50.0,
        )
    )
    table = pl.read_csv(tmp_path / "out" / "scenarios.csv")
    assert table["population_vintage"].to_list() == ["mid-2017", "mid-2016"]
    # Hartlepool's NHS rate on 800,000 adults is 5060 / 92 / 8 = 6.875: reduced to 5.5 per 100,000 = 44 a day
    hwb = pl.read_parquet(tmp_path / "out" / "scenarios_hwb.parquet").filter(pl.col("hwb_code") == "E06000001")
    assert hwb["expected_nhs_daily"].to_list() == pytest.approx([44.0, 55.0], rel=1e-12)


# --- issue 18: the readers a hostile tester broke ------------------------------------------------------------

ANNEX3 = "a,5.5,7.9,0.3,2.6,4.3,0.4,,"


def refused_sweep(data_dir: Path, tmp_path: Path, policies: Path | None = None, grid: Path | None = None) -> str:
    """The sweep's one-line refusal; nothing was published."""
    with pytest.raises(DtocError) as error:
        sweep(data_dir, policies, tmp_path / "out", grid=grid)
    assert "\n" not in str(error.value) and not (tmp_path / "out").exists()
    return str(error.value)


def test_a_policies_file_holding_only_its_header_has_no_policies(data_dir, tmp_path):
    for text in (HEADER + "\n", HEADER + "\n\n,,,,,,,,\n\n"):
        path = tmp_path / "policies.csv"
        path.write_text(text, encoding="utf-8")
        assert f"policies file {path} holds no policies" in refused_sweep(data_dir, tmp_path, path)


def test_blank_lines_do_not_count_towards_the_bound_and_no_row_is_dropped(data_dir, tmp_path):
    """2,000,001 blank lines (the bound on policies, plus one) before the last two policies: both are read, on
    their true rows; the sweep publishes three policies."""
    path = tmp_path / "policies.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            f"{HEADER}\n{ANNEX3}\n" + "\n" * 2_000_001 + "b,5.6,7.9,0.3,2.6,4.3,0.4,,\nc,5.7,7.9,0.3,2.6,4.3,0.4,,\n"
        )
    from dtoc.scenarios.policies import read_policies_csv

    policies = read_policies_csv(path, "2017-18Q3")
    assert policies.frame["policy"].to_list() == ["a", "b", "c"]
    assert policies.rows is not None and policies.rows.to_list() == [2, 2_000_004, 2_000_005]


def test_policies_past_the_bound_are_refused_after_blank_lines_are_skipped(data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_POLICIES", 3)
    rows = [f"p{i},5.5,7.9,0.3,2.6,4.3,0.4,," for i in range(4)]
    path = write_policies(tmp_path, [rows[0], "", "", "", rows[1], rows[2], "", "", rows[3]])
    assert "more than 3 policies" in refused_sweep(data_dir, tmp_path, path)
    path = write_policies(tmp_path, [rows[0], "", "", "", "", "", rows[1], rows[2]])
    assert sweep(data_dir, path, tmp_path / "fits")["policies"] == 3


def test_a_utf16_or_semicolon_policies_file_is_refused_naming_what_it_is(data_dir, tmp_path):
    from dtoc.ingest.csv_grids import SEMICOLON_ADVICE

    path = tmp_path / "policies.csv"
    path.write_text(f"{HEADER}\n{ANNEX3}\n", encoding="utf-16")
    message = refused_sweep(data_dir, tmp_path, path)
    assert str(path) in message and "UTF-16" in message and "CSV UTF-8 (Comma delimited)" in message
    path.write_text(f"{HEADER.replace(',', ';')}\na;5,5;7,9;0,3;2,6;4,3;0,4;;\n", encoding="utf-8")
    message = refused_sweep(data_dir, tmp_path, path)
    assert str(path) in message and SEMICOLON_ADVICE in message and "xlsx" not in message


GRID_REST = "nhs_upper = 7.9\nnhs_cap = 0.3\nasc_target = 2.6\nasc_upper = 4.3\nasc_cap = 0.4\n"


@pytest.mark.parametrize(
    "setting, problem",
    [
        ("nhs_target = {start = 0, stop = 1, step = 1e-30}", "has 1e+30 values (the step is too small for the range)"),
        ("nhs_target = {start = 0, stop = 1e400, step = 1e399}", "nhs_target.stop = 1E+400 is too large to compute"),
        ("nhs_target = nan", "nhs_target = NaN is not a finite number"),
        ("nhs_target = [5.5, inf]", "nhs_target = Infinity is not a finite number"),
        ('nhs_target = "5,5"', 'nhs_target = "5,5" is not a number (a comma only separates thousands'),
        ("nhs_target = [5.5, 5.50]", "nhs_target lists the value 5.5 twice"),
        ("nhs_target = [5.5, 5.5000000000001]", "agree to 12 significant digits"),
    ],
)
def test_a_grid_setting_no_sweep_can_use_is_refused_naming_the_key(data_dir, tmp_path, setting, problem):
    message = refused_sweep(data_dir, tmp_path, grid=write_grid(tmp_path, f"{setting}\n{GRID_REST}"))
    assert problem in message and "grid.toml" in message, message


def test_a_grid_too_large_is_refused_from_its_counts_before_any_value_is_made(data_dir, tmp_path, monkeypatch):
    """Six ranges of 2 million values each (300 bytes of TOML): the product is known from start, stop and step."""
    from dtoc.scenarios import grid_values

    def made(self):
        raise AssertionError(f"the values of {self.name} were made before the grid was refused")

    monkeypatch.setattr(grid_values.Setting, "values", made)
    names = ("nhs_target", "nhs_upper", "nhs_cap", "asc_target", "asc_upper", "asc_cap")
    text = "".join(f"{name} = {{start = 0, stop = 0.1999999, step = 0.0000001}}\n" for name in names)
    message = refused_sweep(data_dir, tmp_path, grid=write_grid(tmp_path, text))
    assert "6.4e+37 combinations, more than the 2,000,000 policies" in message


def test_generated_names_are_compact_and_tell_every_policy_apart(data_dir, tmp_path):
    grid = write_grid(
        tmp_path,
        "nhs_target = [5.12345678902, 5.12345678901]\nnhs_upper = 1.7e300\nnhs_cap = 0.000001\n"
        "asc_target = 2.6\nasc_upper = 1e12\nasc_cap = 0.4\n",
    )
    result = sweep(data_dir, None, tmp_path / "out", grid=grid)
    names = pl.read_csv(tmp_path / "out" / "scenarios.csv")["policy"].to_list()
    assert result["policies"] == 2 and sorted(names) == [
        "nhs 5.12345678901/1.7e+300/0.000001 asc 2.6/1e+12/0.4",
        "nhs 5.12345678902/1.7e+300/0.000001 asc 2.6/1e+12/0.4",
    ]
