"""The pages in headless Chromium (driven over its DevTools pipe, offline).

Every table of report.html, validation.html, the HTML briefs and scenarios.html fits a 1,280 px window without
sideways scrolling, and each page prints on A4 (landscape; a brief portrait), its tables within the paper.

report.html's what-if against `dtoc scenarios`: for random policies, the page (its script) gives England's
expected daily delays, the HWBs per band and every HWB's bands and expected figures that the sweep publishes for
the same six numbers (scenarios.csv, scenarios_hwb.parquet), to 1e-9.

The policies come from a seeded random generator, unrounded (every digit counts in a comparison), plus one whose
thresholds are real HWBs' baseline rates exactly (the band's inclusive and exclusive edges). The figures are read
back from the page's data-value attributes, which hold each value's shortest exact text. The numbers reach the
page through its address (on opening it, and as a shared link changes) and through its inputs.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import polars as pl
import pytest

from dtoc.commands.scenarios import ScenarioRequest, run_scenarios
from tests.support.devtools import DevTools, pages_that_do_not_fit

KEYS = ("nhs_target", "nhs_upper", "nhs_cap", "asc_target", "asc_upper", "asc_cap")
BANDS = ("maintain", "reduce_to_target", "reduce_by_cap")
TOLERANCE = {"rel": 1e-9, "abs": 1e-9}
READ_PAGE = """(() => {
  const value = (id) => document.getElementById(id).getAttribute("data-value");
  const national = {total: value("whatif-total")};
  for (const short of ["nhs", "asc", "joint"]) { national[short] = value("whatif-" + short); }
  for (const short of ["nhs", "asc"]) {
    for (const band of BANDS) { national[short + "_" + band + "_hwbs"] = value("whatif-" + short + "-" + band); }
  }
  const rows = {};
  document.querySelectorAll("#hwbs tbody tr").forEach((row) => {
    const cells = {};
    row.querySelectorAll("td[data-key]").forEach((cell) => { cells[cell.dataset.key] = cell.dataset.value; });
    rows[row.id] = cells;
  });
  return {national: national, rows: rows, problem: document.getElementById("whatif-problem").textContent,
          hash: window.location.hash};
})()""".replace("BANDS", json.dumps(BANDS))


def random_policies(rng: random.Random, count: int) -> list[tuple]:
    """(name, six numbers) near Annex 3's, unrounded."""
    policies = []
    for index in range(count):
        nhs, asc = rng.uniform(3, 8), rng.uniform(1, 4)
        numbers = (nhs, nhs + rng.uniform(0, 4), rng.uniform(0, 0.6), asc, asc + rng.uniform(0, 3), rng.uniform(0, 0.6))
        policies.append((f"random {index}", *numbers))
    return policies


@pytest.fixture(scope="module")
def sweep(real_publication, real_data, tmp_path_factory):
    """The policies, swept by `dtoc scenarios` on the real data (the quarter and vintage of real_publication)."""
    rates = pl.read_csv(real_publication / "expectations.csv")
    edges = ("edges", rates["baseline_nhs_rate"][10], rates["baseline_nhs_rate"][20], 0.25)
    edges += (rates["baseline_asc_rate"][30], rates["baseline_asc_rate"][40], 0.35)
    edges = (edges[0], *sorted(edges[1:3]), edges[3], *sorted(edges[4:6]), edges[6])
    policies = [*random_policies(random.Random(2026), 4), edges]
    folder = tmp_path_factory.mktemp("whatif")
    lines = ["policy," + ",".join(KEYS)] + [",".join([p[0], *(repr(float(v)) for v in p[1:])]) for p in policies]
    (folder / "policies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "swept"
    run_scenarios(ScenarioRequest(folder / "policies.csv", None, real_data, None, None, out, None, 50.0))
    return SimpleNamespace(
        folder=out,
        policies=policies,
        national={r["policy"]: r for r in pl.read_csv(out / "scenarios.csv").iter_rows(named=True)},
        hwbs=pl.read_parquet(out / "scenarios_hwb.parquet"),
    )


def fragment(policy: tuple) -> str:
    return "#" + urlencode({key: repr(float(value)) for key, value in zip(KEYS, policy[1:], strict=True)})


def assert_page_equals_the_sweep(page: dict, sweep, name: str) -> None:
    assert page["problem"] == ""
    expected = sweep.national[name]
    for short in ("nhs", "asc", "joint", "total"):
        assert float(page["national"][short]) == pytest.approx(expected[f"expected_{short}_daily"], **TOLERANCE)
    for short in ("nhs", "asc"):
        for band in BANDS:
            key = f"{short}_{band}_hwbs"
            assert int(page["national"][key]) == expected[key], key
    rows = sweep.hwbs.filter(pl.col("policy") == name)
    assert sorted(page["rows"]) == sorted(rows["hwb_code"].to_list()) and rows.height == 151
    for row in rows.iter_rows(named=True):
        shown = page["rows"][row["hwb_code"]]
        for short in ("nhs", "asc"):
            assert shown[f"{short}_band"] == row[f"{short}_band"], (name, row["hwb_code"], short)
            for kind in ("rate", "daily"):
                key = f"expected_{short}_{kind}"
                assert float(shown[key]) == pytest.approx(row[key], **TOLERANCE), (name, row["hwb_code"], key)
        total = float(shown["expected_total_daily"])
        assert total == pytest.approx(row["expected_total_daily"], **TOLERANCE), (name, row["hwb_code"])


def go_to(browser: DevTools, address_fragment: str) -> dict:
    """Change the address's fragment as a shared link would, then read the page once it has recomputed."""
    browser.evaluate(
        "new Promise((done) => { window.addEventListener('hashchange', () => setTimeout(done, 0), {once: true}); "
        f"window.location.hash = {json.dumps(address_fragment)}; }})"
    )
    return browser.evaluate(READ_PAGE)


def test_the_page_recomputes_what_dtoc_scenarios_publishes_for_random_policies(real_publication, sweep, tmp_path):
    report = real_publication / "report.html"
    with DevTools(tmp_path) as browser:
        first, *others = sweep.policies
        browser.open(report.as_uri() + fragment(first))
        assert_page_equals_the_sweep(browser.evaluate(READ_PAGE), sweep, first[0])
        for policy in others:
            assert_page_equals_the_sweep(go_to(browser, fragment(policy)), sweep, policy[0])


def test_the_inputs_recompute_and_write_the_link_and_a_bad_number_is_refused(real_publication, sweep, tmp_path):
    report = real_publication / "report.html"
    policy = sweep.policies[0]
    with DevTools(tmp_path) as browser:
        browser.open(report)
        published = browser.evaluate(READ_PAGE)
        typed = "".join(
            f"document.getElementById('whatif-{key}').value = {json.dumps(repr(float(value)))};"
            for key, value in zip(KEYS, policy[1:], strict=True)
        )
        browser.evaluate(
            f"(() => {{ {typed} document.getElementById('whatif-nhs_cap').dispatchEvent(new Event('input')); }})()"
        )
        page = browser.evaluate(READ_PAGE)
        assert_page_equals_the_sweep(page, sweep, policy[0])
        assert all(f"{key}=" in page["hash"] for key in KEYS)  # the link a reader can share
        browser.evaluate(
            "(() => { const upper = document.getElementById('whatif-nhs_upper'); upper.value = '1';"
            " upper.dispatchEvent(new Event('input')); })()"
        )
        refused = browser.evaluate(READ_PAGE)
        assert "NHS: 0 <= target <= upper threshold must hold" in refused["problem"]
        assert refused["national"] == page["national"]  # nothing recomputed from a policy Annex 3 could not have
        browser.evaluate("document.getElementById('whatif-reset').click()")
        reset = browser.evaluate(READ_PAGE)["national"]
        assert reset.keys() == published["national"].keys()
        for key, value in published["national"].items():  # the page's own sums, and the script's exact ones
            assert float(reset[key]) == pytest.approx(float(value), **TOLERANCE), key


def test_a_shared_link_keeps_the_table_s_own_view(real_publication, tmp_path):
    report = real_publication / "report.html"
    with DevTools(tmp_path) as browser:
        browser.open(report.as_uri() + "#q=camden&nhs_target=5.6")
        shown = browser.evaluate(
            "Array.from(document.querySelectorAll('#hwbs tbody tr')).filter((r) => !r.hidden).map((r) => r.id)"
        )
        band = browser.evaluate("document.querySelector('#E09000007 td[data-key=nhs_band]').dataset.value")
    assert shown == ["E09000007"] and band == "maintain"  # Camden's 5.5025 is below a target of 5.6


def test_the_rule_s_second_copy_says_where_the_first_is():
    script = (Path(__file__).resolve().parents[2] / "dtoc" / "report" / "templates" / "whatif.js").read_text()
    header = script.split("*/")[0]
    assert "sql/macros/band_rule.sql" in header and "tests/report/test_pages_in_browser.py" in header


# briefs with the longest names, the most rows of cells (Cornwall with the Isles of Scilly), a rate near a threshold
BRIEFS = (
    "E06000022-bath-north-east-somerset-ua",
    "E06000052-cornwall",
    "E09000007-camden",
    "E06000010-kingston-upon-hull-ua",
)


def test_every_table_of_every_page_fits_a_1280_px_window_and_a4(real_publication, sweep, tmp_path):
    pages = [real_publication / "report.html", real_publication / "validation.html", sweep.folder / "scenarios.html"]
    briefs = [real_publication / "hwb" / f"{stem}.html" for stem in BRIEFS]
    assert all(page.is_file() for page in pages + briefs)
    assert pages_that_do_not_fit(pages, tmp_path) == []
    assert pages_that_do_not_fit(briefs, tmp_path, paper="portrait") == []
