"""`dtoc scenarios` on the real data: the Annex 3 policy reproduces `dtoc run`'s table for every HWB, and
random policies (in other baseline quarters and population vintages too) equal a run with their parameters.

The run is compute_expectations (the whole computation of `dtoc run`, in process) with the policy's numbers;
the Annex 3 numbers are typed here from the guidance (NHS 5.5 / 7.9 / 30%, social care 2.6 / 4.3 / 40%).
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from dtoc.config import BandPolicy
from dtoc.model.pipeline import compute_expectations
from dtoc.publish.manifest import MANIFEST_FILE
from dtoc.scenarios.command import ScenarioRequest, run_scenarios
from dtoc.vocabulary import BANDED, BANDS

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
