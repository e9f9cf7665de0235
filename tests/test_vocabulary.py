"""The vocabulary is written once (dtoc/vocabulary.py); SQL cannot import it, so these tests hold the SQL models
to it: every attribution, band and published column the SQL writes is one the vocabulary knows, and the
published table's columns are exactly the vocabulary's list, in order."""

from __future__ import annotations

import re

import pytest
import xlrd

from dtoc.model.pipeline import MODEL_ORDER
from dtoc.paths import SQL_DIR
from dtoc.vocabulary import ATTRIBUTIONS, BANDED, BANDS, CONTRACT_COLUMNS, PUBLISHED_COLUMNS, TOTAL_KEY, policy_sentence
from tests.support.contract import CONTRACT

# The contract, as the project's brief states it (not read from the vocabulary): 19 columns in this order.
LITERAL = re.compile(r"'([a-z_]+)'")


def sql_literals() -> dict[str, set[str]]:
    """model name -> the lower-case string literals its SQL writes (comments removed)."""
    return {
        path.stem: set(LITERAL.findall(re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))))
        for path in SQL_DIR.glob("*.sql")
    }


def test_contract_columns_are_the_brief_s():
    assert list(CONTRACT_COLUMNS) == CONTRACT
    assert PUBLISHED_COLUMNS[:19] == CONTRACT_COLUMNS


def test_sql_writes_only_attributions_and_bands_the_vocabulary_knows():
    known = (
        {a.key for a in ATTRIBUTIONS}
        | {a.short for a in ATTRIBUTIONS}
        | set(BANDS)
        | {TOTAL_KEY}
        | {"local_authority", "england", "expected", "glide_path", "population_18plus"}
    )
    unknown = {name: sorted(found - known) for name, found in sql_literals().items() if found - known}
    assert unknown == {}


def test_every_attribution_spelling_used_by_sql_is_the_vocabulary_s():
    literals = set().union(*sql_literals().values())
    assert {a.key for a in ATTRIBUTIONS} <= literals  # the long-form keys reach SQL
    assert {"maintain"} <= literals and not {"social care", "socialcare", "Social Care"} & literals


@pytest.fixture(scope="module")
def expectations_table(real_data, config):
    from dtoc.model.pipeline import compute_expectations

    table, _ = compute_expectations(real_data, config)
    return table


def test_the_expectations_model_writes_the_published_columns_in_order(expectations_table):
    assert tuple(expectations_table.columns) == PUBLISHED_COLUMNS
    # the order: the contract, then band_sensitive, then region
    assert expectations_table.columns[19:] == ["band_sensitive", "region"]


def region_cells(path) -> dict[str, str]:
    """ONS code -> the Region cell of its row, read with xlrd from the sheet's 'Region' header column."""
    sheet = xlrd.open_workbook(str(path)).sheet_by_name("LA - by responsible org")
    header = next(r for r in range(sheet.nrows) if "Region" in sheet.row_values(r))
    region, code = (sheet.row_values(header).index(h) for h in ("Region", "ONS Geography"))
    return {
        sheet.cell_value(r, code): sheet.cell_value(r, region)
        for r in range(header + 1, sheet.nrows)
        if re.fullmatch(r"E\d{8}", str(sheet.cell_value(r, code)))
    }


def test_region_is_the_workbooks_region_column(expectations_table, real_workbook):
    regions = region_cells(real_workbook("December 2017"))
    published = dict(expectations_table.select("hwb_code", "region").iter_rows())
    assert published == regions and len(published) == 151
    assert published["E06000051"] == "West Midlands" and published["E09000001"] == "London"


def test_every_sql_model_file_is_a_model_the_pipelines_run():
    assert {p.stem for p in SQL_DIR.glob("*.sql")} >= set(MODEL_ORDER)


def test_band_wording_names_each_threshold(config):
    for attribution in BANDED:
        policy = config.policy(attribution.short)
        sentence = policy_sentence(attribution.label, policy)
        assert f"below {policy.target_rate:g}" in sentence and f"above {policy.upper_rate:g}" in sentence
        assert f"{policy.reduction_cap:.0%}" in sentence
