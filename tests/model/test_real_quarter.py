"""End to end, in process, on the real published files: the 2017-18 Q3 baseline and the 2018-19 expectations."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
import xlrd

from dtoc.model.pipeline import compute_expectations
from tests.support.contract import CONTRACT

CONTRACT_COLUMNS = CONTRACT  # the brief's 19 columns, written once in the tests (test_vocabulary.py)
QUARTER_MONTHS = ["October 2017", "November 2017", "December 2017"]


@pytest.fixture(scope="module")
def real_run(real_data, config, tmp_path_factory):
    database_path = tmp_path_factory.mktemp("real-run") / "dtoc.duckdb"
    table, notes = compute_expectations(real_data, config, database_path=database_path)
    return table, notes, database_path


@pytest.fixture(scope="module")
def expectations(real_run):
    return real_run[0]


def row_for(expectations: pl.DataFrame, code: str) -> dict:
    return expectations.filter(pl.col("hwb_code") == code).row(0, named=True)


def delays_by_xlrd(path, code: str) -> tuple[float, float, float]:
    """NHS, Social Care and Both delayed days of one ONS code, read directly with xlrd."""
    book = xlrd.open_workbook(str(path), on_demand=True)
    sheet = book.sheet_by_name(next(n for n in book.sheet_names() if n.lower() == "la - by responsible org"))
    header_row = next(r for r in range(40) if "Name" in sheet.row_values(r))
    header = sheet.row_values(header_row)
    code_col, columns = header.index("ONS Geography"), [header.index(h) for h in ("NHS", "Social Care", "Both")]
    row = next(r for r in range(header_row + 1, sheet.nrows) if sheet.cell_value(r, code_col) == code)
    return tuple(sheet.cell_value(row, c) for c in columns)


def adults_by_xlrd(path, code: str) -> int:
    sheet = xlrd.open_workbook(str(path), on_demand=True).sheet_by_name("MYE2 - All")
    header_row = next(r for r in range(sheet.nrows) if sheet.cell_value(r, 0) == "Code")
    header = sheet.row_values(header_row)
    adults = [c for c, label in enumerate(header) if isinstance(label, float) and 18 <= label <= 90]
    row = next(r for r in range(header_row + 1, sheet.nrows) if sheet.cell_value(r, 0) == code)
    return int(sum(sheet.cell_value(row, c) for c in adults))


def test_one_row_per_hwb_sorted_by_code(expectations):
    assert expectations.height == 151
    codes = expectations["hwb_code"].to_list()
    assert codes == sorted(codes) and len(set(codes)) == 151
    assert expectations["hwb_code"].str.contains(r"^E(06|08|09|10)\d{6}$").all()
    assert "E06000053" not in codes  # the Isles of Scilly is inside Cornwall's row


def test_contract_columns_in_order(expectations):
    assert expectations.columns[:19] == CONTRACT_COLUMNS
    assert expectations.columns[19] == "band_sensitive"
    assert expectations.select(CONTRACT_COLUMNS).null_count().sum_horizontal().item() == 0


def test_local_authorities_and_others_add_up_to_england(real_run):
    _, _, database_path = real_run
    with duckdb.connect(str(database_path), read_only=True) as connection:
        rows = connection.execute("""
            select month, attribution,
                   sum(coalesce(delayed_days, 0)) filter (where area_type in ('local_authority', 'non_england')),
                   sum(delayed_days) filter (where area_type = 'england'),
                   count(*) filter (where area_type = 'england')
            from delayed_days_raw group by month, attribution order by month, attribution""").fetchall()
    assert len(rows) == 3 * 3  # three months, three attributions
    for month, attribution, parts, england, england_rows in rows:
        assert england_rows == 1
        assert parts == england, (month, attribution)


def test_national_expected_total(expectations):
    total = expectations["expected_total_daily"].sum()
    assert 3_900 <= total <= 4_050
    assert (
        total
        < (
            expectations["baseline_nhs_daily"]
            + expectations["baseline_asc_daily"]
            + expectations["baseline_joint_daily"]
        ).sum()
    )


def test_shropshire_social_care_expectation_matches_the_published_figure(expectations):
    # Shropshire Council published 1.3 average daily social care delays for 2018-19
    assert round(row_for(expectations, "E06000051")["expected_asc_daily"], 1) == 1.3


@pytest.mark.parametrize("code", ["E06000051", "E06000052", "E09000001", "E08000025"])
def test_baseline_daily_recomputed_from_the_workbooks(expectations, real_workbook, code):
    monthly = [delays_by_xlrd(real_workbook(m), code) for m in QUARTER_MONTHS]
    days = 31 + 30 + 31
    row = row_for(expectations, code)
    for index, attribution in enumerate(("nhs", "asc", "joint")):
        assert row[f"baseline_{attribution}_daily"] == pytest.approx(sum(m[index] for m in monthly) / days, rel=1e-12)


def test_population_vintage_and_cornwall_with_scilly(expectations, real_data):
    assert expectations["population_vintage"].unique().to_list() == ["mid-2016"]
    source = real_data / "ons-mye" / "ukmidyearestimates2016.xls"
    cornwall = row_for(expectations, "E06000052")
    assert cornwall["population_18plus"] == adults_by_xlrd(source, "E06000052") + adults_by_xlrd(source, "E06000053")
    assert row_for(expectations, "E09000001")["population_18plus"] == adults_by_xlrd(source, "E09000001")


def test_bands_follow_the_configured_thresholds(expectations, config):
    for attribution, rules in (("nhs", config.band_policy("nhs")), ("asc", config.band_policy("asc"))):
        rate, band = pl.col(f"baseline_{attribution}_rate"), pl.col(f"{attribution}_band")
        wrong = expectations.filter(
            ((rate < rules.target_rate) & (band != "maintain"))
            | ((rate >= rules.target_rate) & (rate <= rules.upper_rate) & (band != "reduce_to_target"))
            | ((rate > rules.upper_rate) & (band != "reduce_by_cap"))
        )
        assert wrong.height == 0, wrong.select("hwb_code", f"baseline_{attribution}_rate", f"{attribution}_band")
        assert expectations[f"{attribution}_band"].n_unique() == 3  # every band is used somewhere


def test_not_reported_cells_are_noted(real_run):
    _, notes, _ = real_run
    scotland = [n for n in notes if "Resident in Scotland" in n]
    assert len(scotland) == 3 and all("November 2017" in n for n in scotland)
