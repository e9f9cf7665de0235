"""`dtoc scenarios` on the real data: the Annex 3 policy reproduces `dtoc run`'s table for every HWB, and
random policies (in other baseline quarters and population vintages too) equal a run with their parameters;
the long form is written up to its stated size, past it only when asked, never past its bound; the answer,
ranked.csv and the page list each policy once and mark Annex 3's; DuckDB spills only inside the staging folder
and a sweep leaves nothing behind, whether it succeeds or fails.

The run is compute_expectations (the whole computation of `dtoc run`, in process) with the policy's numbers;
the Annex 3 numbers are typed here from the guidance (NHS 5.5 / 7.9 / 30%, social care 2.6 / 4.3 / 40%).
Sizes are lowered through the request's Budget, so the sweeps stay small.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from dtoc.commands.scenarios import ScenarioRequest, run_scenarios
from dtoc.config import BandPolicy
from dtoc.errors import DtocError
from dtoc.model.pipeline import compute_expectations
from dtoc.publish.manifest import MANIFEST_FILE
from dtoc.scenarios.budget import Budget
from dtoc.scenarios.sweep import connect_sweep
from dtoc.vocabulary import BANDED, BANDS
from tests.conftest import invoke_cli

ANNEX3 = ("annex3", 5.5, 7.9, 0.30, 2.6, 4.3, 0.40)
HWB_FIGURES = (
    "nhs_band",
    "asc_band",
    "expected_nhs_rate",
    "expected_asc_rate",
    "expected_nhs_daily",
    "expected_asc_daily",
    "expected_joint_daily",
    "expected_total_daily",
)
HEADER = "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap,baseline,population_vintage"


def random_policy(rng: random.Random, name: str) -> tuple:
    """Thresholds anywhere near Annex 3's, as unrounded floats (every digit counts in a comparison)."""
    nhs_target, asc_target = rng.uniform(3, 8), rng.uniform(1, 4)
    return (
        name,
        nhs_target,
        nhs_target + rng.uniform(0, 4),
        rng.uniform(0, 0.6),
        asc_target,
        asc_target + rng.uniform(0, 3),
        rng.uniform(0, 0.6),
    )


def policy_rows() -> list[tuple]:
    """(name, six numbers, baseline, vintage): Annex 3 first, random policies on the default inputs, in
    2017-18 Q2 and on the mid-2017 estimates."""
    rng = random.Random(20181)
    rows = [(*ANNEX3, "", "")]
    rows += [(*random_policy(rng, f"random {i}"), "", "") for i in range(3)]
    rows += [
        (*random_policy(rng, "random Q2"), "2017-18Q2", ""),
        ("annex3 Q2", *ANNEX3[1:], "2017-18Q2", ""),
        (*random_policy(rng, "random mid-2017"), "", "mid-2017"),
    ]
    return rows


@pytest.fixture(scope="module")
def sweep(real_data, tmp_path_factory):
    """One sweep of policy_rows() over the real data: (rows, output folder)."""
    folder = tmp_path_factory.mktemp("scenarios")
    rows = policy_rows()
    policies = folder / "policies.csv"
    policies.write_text(
        "\n".join([HEADER, *(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) for row in rows)])
        + "\n",
        encoding="utf-8",
    )
    out = folder / "out"
    run_scenarios(ScenarioRequest(policies, None, real_data, None, None, out, None, 50.0))
    return rows, out


def run_table(real_data: Path, config, row: tuple) -> pl.DataFrame:
    """`dtoc run`'s table (in process) with the row's numbers, baseline and vintage."""
    _, nhs_target, nhs_upper, nhs_cap, asc_target, asc_upper, asc_cap, baseline, vintage = row
    configured = replace(
        config.with_baseline(baseline or None),
        policies=(BandPolicy("nhs", nhs_target, nhs_upper, nhs_cap), BandPolicy("asc", asc_target, asc_upper, asc_cap)),
        population_vintage=vintage or config.population_vintage,
    )
    return compute_expectations(real_data, configured)[0]


def long_form(out: Path, policy: str) -> pl.DataFrame:
    return pl.read_parquet(out / "scenarios_hwb.parquet").filter(pl.col("policy") == policy)


def assert_same_hwb_figures(swept: pl.DataFrame, run: pl.DataFrame) -> None:
    assert swept["hwb_code"].to_list() == run["hwb_code"].to_list()
    for ours, theirs in zip(swept.iter_rows(named=True), run.iter_rows(named=True), strict=True):
        for figure in HWB_FIGURES:
            expected = theirs[figure]
            assert ours[figure] == (
                expected if isinstance(expected, str) else pytest.approx(expected, rel=1e-9, abs=1e-9)
            ), (theirs["hwb_code"], figure)


def assert_same_national_figures(summary: dict, run: pl.DataFrame) -> None:
    for short in ("nhs", "asc", "joint", "total"):
        assert summary[f"expected_{short}_daily"] == pytest.approx(run[f"expected_{short}_daily"].sum(), rel=1e-9)
    for attribution in BANDED:
        short = attribution.short
        reduction = run[f"baseline_{short}_daily"].sum() - run[f"expected_{short}_daily"].sum()
        assert summary[f"{short}_reduction_daily"] == pytest.approx(reduction, rel=1e-9, abs=1e-9)
        for band in BANDS:
            assert summary[f"{short}_{band}_hwbs"] == (run[attribution.band_column] == band).sum()
    assert summary["reduction_balance"] == pytest.approx(
        summary["nhs_reduction_daily"] - summary["asc_reduction_daily"], rel=1e-12, abs=1e-9
    )
    asked = [
        100 * (1 - row[f"expected_{a.short}_daily"] / row[f"baseline_{a.short}_daily"])
        for row in run.iter_rows(named=True)
        for a in BANDED
        if row[f"baseline_{a.short}_daily"] > 0
    ]
    assert summary["largest_hwb_reduction_pct"] == pytest.approx(max(asked), rel=1e-9)


def test_annex3_policy_reproduces_the_run_for_every_hwb_and_figure(sweep, real_data, config):
    rows, out = sweep
    run = run_table(real_data, config, rows[0])
    assert_same_hwb_figures(long_form(out, "annex3"), run)
    summary = pl.read_csv(out / "scenarios.csv").row(0, named=True)
    assert summary["policy"] == "annex3"
    assert_same_national_figures(summary, run)
    assert round(summary["expected_total_daily"], 1) == 3958.7  # the national expectation of the guidance


@pytest.mark.parametrize("index", [1, 2, 3, 4, 5, 6])
def test_random_policies_equal_a_run_with_their_parameters(sweep, real_data, config, index):
    rows, out = sweep
    run = run_table(real_data, config, rows[index])
    assert_same_hwb_figures(long_form(out, rows[index][0]), run)
    summary = pl.read_csv(out / "scenarios.csv").row(index, named=True)
    assert (summary["policy"], summary["baseline"], summary["population_vintage"]) == (
        rows[index][0],
        rows[index][7] or "2017-18Q3",
        rows[index][8] or "mid-2016",
    )
    assert_same_national_figures(summary, run)


def test_outputs_hold_one_row_per_policy_in_input_order_and_one_per_policy_and_hwb(sweep):
    rows, out = sweep
    table = pl.read_csv(out / "scenarios.csv")
    assert table["policy"].to_list() == [row[0] for row in rows]
    assert table.columns[:9] == HEADER.split(",")
    assert [c for c in table.columns if c.endswith("_hwbs")] == [f"{a.short}_{b}_hwbs" for a in BANDED for b in BANDS]
    assert pl.read_parquet(out / "scenarios.parquet").equals(pl.read_csv(out / "scenarios.csv"))
    hwb = pl.read_parquet(out / "scenarios_hwb.parquet")
    sizes = hwb.group_by("policy", maintain_order=True).len()
    assert sizes["policy"].to_list() == [row[0] for row in rows]  # sorted by policy in input order ...
    assert set(sizes["len"].to_list()) == {151}
    for _policy, part in hwb.group_by("policy", maintain_order=True):
        assert part["hwb_code"].to_list() == sorted(part["hwb_code"].to_list())  # ... then by HWB code
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    assert {o["path"] for o in manifest["outputs"]} >= {
        "scenarios.csv",
        "scenarios.parquet",
        "scenarios_hwb.parquet",
        "scenarios.html",
        "answer.txt",
        "ranked.csv",
    }
    assert [(g["baseline_quarter"], g["population_vintage"], g["policies"]) for g in manifest["groups"]] == [
        ("2017-18Q3", "mid-2016", 4),
        ("2017-18Q2", "mid-2016", 2),
        ("2017-18Q3", "mid-2017", 1),
    ]


def write_rows(folder: Path, rows: list[tuple]) -> Path:
    """A POLICIES file of (name, six numbers) rows, the numbers written as given."""
    path = folder / "policies.csv"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *(",".join(map(str, row)) + ",," for row in rows)]) + "\n", encoding="utf-8")
    return path


THREE = [ANNEX3, ("lighter", 6.0, 8.5, 0.2, 3.0, 5.0, 0.3), ("heavier", 5.0, 7.0, 0.4, 2.0, 4.0, 0.5)]


def sweep_three(real_data: Path, folder: Path, budget: Budget, long_form: bool | None = None):
    out = folder / "out"
    result = run_scenarios(
        ScenarioRequest(write_rows(folder, THREE), None, real_data, None, None, out, None, 50.0, long_form, budget)
    )
    return result, out


def test_long_form_is_written_without_asking_up_to_its_stated_size(real_data, tmp_path):
    result, out = sweep_three(real_data, tmp_path, Budget(long_form_unasked=3))
    assert result["long_form"] == []
    assert pl.read_parquet(out / "scenarios_hwb.parquet").height == 3 * 151
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    assert manifest["long_form"] == {"written": True, "rows": 3 * 151, "note": None}


def test_long_form_past_its_stated_size_is_not_written_unless_asked_and_the_summary_says_how(real_data, tmp_path):
    result, out = sweep_three(real_data, tmp_path / "unasked", Budget(long_form_unasked=2))
    assert not (out / "scenarios_hwb.parquet").exists()
    assert pl.read_csv(out / "scenarios.csv").height == 3  # one row per policy is always written
    [note] = result["long_form"]
    assert "scenarios_hwb.parquet" in note and "not written" in note and "3 policies" in note
    assert "add --long-form" in note  # how to get it
    assert note in (out / "scenarios.html").read_text(encoding="utf-8")
    assert note in (out / "run-log.txt").read_text(encoding="utf-8").splitlines()
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    assert manifest["long_form"]["written"] is False
    assert "scenarios_hwb.parquet" not in {o["path"] for o in manifest["outputs"]}
    asked, out = sweep_three(real_data, tmp_path / "asked", Budget(long_form_unasked=2, long_form_most=3), True)
    assert asked["long_form"] == [] and pl.read_parquet(out / "scenarios_hwb.parquet").height == 3 * 151
    refused, out = sweep_three(real_data, tmp_path / "never", Budget(), False)
    assert not (out / "scenarios_hwb.parquet").exists() and "--no-long-form" in refused["long_form"][0]


def test_long_form_past_its_bound_is_refused_in_one_line_before_any_data_are_read(tmp_path):
    out = tmp_path / "out"
    no_data = tmp_path / "no data"  # reading the data would fail first, with another message
    request = ScenarioRequest(
        write_rows(tmp_path, THREE), None, no_data, None, None, out, None, 50.0, True, Budget(long_form_most=2)
    )
    with pytest.raises(DtocError) as error:
        run_scenarios(request)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("--long-form: 3 policies is more than 2, the most whose long form")
    assert "leave out --long-form" in message
    assert not out.exists()


def test_the_command_line_says_when_the_long_form_is_written(real_data, tmp_path):
    policies = write_rows(tmp_path, THREE)
    help_text = invoke_cli(["scenarios", "--help"]).stdout
    assert "--long-form" in help_text and "--no-long-form" in help_text and "100,000" in help_text
    result = invoke_cli(
        ["scenarios", str(policies), "--data-dir", str(real_data), "--out", str(tmp_path / "out"), "--no-long-form"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith(
        "scenarios_hwb.parquet (one row per policy and HWB) was not written"
    )
    assert not (tmp_path / "out" / "scenarios_hwb.parquet").exists()


def numbers_of(line: str) -> list[str]:
    return [part for part in line.replace("/", " ").replace(":", " ").split() if part in {"5.5", "7.9", "2.6", "4.3"}]


def test_each_policy_is_listed_once_and_annex3_is_marked_in_a_grid(real_data, tmp_path):
    """A grid names each policy by its numbers: the answer, ranked.csv and the page show each policy once."""
    grid = tmp_path / "grid.toml"
    grid.write_text(
        "nhs_target = [5.0, 5.5]\nnhs_upper = 7.9\nnhs_cap = 0.30\n"
        "asc_target = [2.6, 3.0]\nasc_upper = 4.3\nasc_cap = 0.40\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["scenarios", "--grid", str(grid), "--data-dir", str(real_data), "--out", str(out), "--tolerance", "2000"]
    printed = invoke_cli(args)
    assert printed.exit_code == 0, printed.output
    ranked = pl.read_csv(out / "ranked.csv")
    names = ranked["policy"].to_list()
    assert len(names) == 4 and len(set(names)) == 4  # every policy near this (wide) ambition, once
    annex3 = "nhs 5.5/7.9/0.3 asc 2.6/4.3/0.4"
    assert ranked.filter(pl.col("annex3"))["policy"].to_list() == [annex3]
    answer = (out / "answer.txt").read_text(encoding="utf-8")
    page = (out / "scenarios.html").read_text(encoding="utf-8")
    for text in (answer, printed.stdout, page):
        for name in names:
            assert text.count(name) == 1, (name, text)
    for line in answer.splitlines()[2:6]:
        assert len(numbers_of(line)) == len(set(numbers_of(line))), line  # no number shown twice
        assert ("(Annex 3)" in line) == (annex3 in line), line
    assert answer.count("(Annex 3)") == 1 and page.count("(Annex 3)") == 1


def test_annex3_outside_the_tolerance_is_marked_and_placed_in_the_answer(real_data, tmp_path):
    rows = [ANNEX3, ("cap 0.31", 5.5, 7.9, 0.31, 2.6, 4.3, 0.40), ("asks nothing", 100, 100, 0, 100, 100, 0)]
    out = tmp_path / "out"
    result = run_scenarios(ScenarioRequest(write_rows(tmp_path, rows), None, real_data, None, None, out, 5200, 500))
    answer = result["answer"]
    assert answer[0].startswith("1 of 3 policies land within 500 of the ambition of 5,200")
    assert "1. asks nothing: NHS 100/100/0%, Social care 100/100/0%;" in answer[2]
    [marked] = [line for line in answer if "(Annex 3)" in line]
    assert marked.strip().startswith("annex3: NHS 5.5/7.9/30%, Social care 2.6/4.3/40% (Annex 3); total 3,958.7")
    assert marked.endswith("not within the tolerance")
    assert sum("cap 0.31" in line for line in answer) == 0  # neither near nor Annex 3's: not listed
    assert pl.read_csv(out / "ranked.csv")["annex3"].to_list() == [False]
    assert "annex3: NHS 5.5/7.9/30%, Social care 2.6/4.3/40% (Annex 3)" in (out / "scenarios.html").read_text()


def test_duckdb_spills_only_inside_the_staging_folder(tmp_path, monkeypatch):
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_temp))
    staging = tmp_path / ".out.staging-1"
    with connect_sweep(staging / "scenarios.duckdb", staging / "scenarios.spill", Budget(memory_limit="64MB")) as db:
        db.execute("create temp table spilled as select range, random() as value from range(10000000)")  # 160 MB
        spilled = [Path(path) for (path,) in db.sql("select path from duckdb_temporary_files()").fetchall()]
    assert spilled and all(path.parent == staging / "scenarios.spill" for path in spilled)
    assert list(system_temp.iterdir()) == []


@pytest.mark.parametrize("budget", [Budget(), Budget(memory_limit="4MB")], ids=["within", "past its memory"])
def test_a_sweep_leaves_nothing_outside_its_publication(real_data, tmp_path, monkeypatch, budget):
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_temp))
    site = tmp_path / "site"
    request = ScenarioRequest(
        write_rows(tmp_path, THREE), None, real_data, None, None, site / "out", None, 50.0, None, budget
    )
    if budget.memory_limit == "4MB":
        with pytest.raises(DtocError) as error:
            run_scenarios(request)
        assert "\n" not in str(error.value) and "past its budget (DuckDB memory 4MB" in str(error.value)
        assert sorted(p.name for p in site.iterdir()) == [".out.lock"]
    else:
        run_scenarios(request)
        assert sorted(p.name for p in site.iterdir()) == [".out.lock", "out"]
        assert not (site / "out" / "scenarios.spill").exists()
    assert list(system_temp.iterdir()) == []
