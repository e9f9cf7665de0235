"""One number rule in every reader (issue 19): the same text gives the same verdict in a workbook cell, a plans
file, a shares file, a policies CSV and a grid. The expected verdicts are the rule as the issue and
dtoc/ingest/numbers.py's docstring state it, written out here: thousands separators only in groups of three,
exponents read, no infinity, NaN or underscores, spaces around ignored, '-0' is 0."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from dtoc.assure.plans import read_plans
from dtoc.assure.shares import read_shares
from dtoc.errors import DtocError
from dtoc.ingest.delays import ingest_delays_workbook
from dtoc.scenarios.grid import expand_grid
from dtoc.scenarios.policies import read_policies_csv
from tests.support.assure_support import ASSESSED, HEADER, PLAN_YEAR
from tests.support.workbooks import Area, DelaysSheet

NOT_A_NUMBER, NOT_FINITE = "is not a number", "is not a finite number"
OUTSIDE_SHARES = "a number outside the shares' range (0 to 1)"
VERDICTS = {
    "1,234": 1234,
    "1,23,4": NOT_A_NUMBER,
    "34,3": NOT_A_NUMBER,
    "1e3": 1000,
    "inf": NOT_FINITE,
    "nan": NOT_FINITE,
    "1_000": NOT_A_NUMBER,
    " 12 ": 12,
    "-0": 0,
}
CODE = "E90000001"


def verdict_of(read) -> object:
    """The number a reader read, or which of the two number-rule refusals it gave (None: another refusal)."""
    try:
        return read()
    except DtocError as error:
        message = str(error)
        return next((v for v in (NOT_FINITE, NOT_A_NUMBER) if v in message), None)


def workbook_cell(folder: Path, text: str) -> object:
    """Derby's social care cell of a December workbook (a CSV export) holding text."""
    sheet = DelaysSheet("December 2017", [Area("E06000015", "Derby", 365, text, 10, total=375)])
    sheet_rows = sheet.rows()
    sheet_rows[14][5:9] = [365, 0, 10, 375]  # a plain England row, read before Derby's
    path = folder / "december.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(sheet_rows)
    days = ingest_delays_workbook(path, "sha").delayed_days
    return days.filter((days["area_name"] == "Derby") & (days["attribution"] == "social_care"))["delayed_days"][0]


def plans_cell(folder: Path, text: str) -> object:
    path = folder / "plans.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *([CODE, f"{m:%Y-%m}", text, 0, 0, ""] for m in ASSESSED)])
    plans = read_plans(path, {CODE: "Area"}, PLAN_YEAR, ASSESSED[0], folder)
    return plans.months[CODE][ASSESSED[0]]["nhs"]


def shares_cell(folder: Path, text: str) -> object:
    """A share is a fraction: a number above 1 is refused by the shares' own range, after the number rule; one
    below 1 by the sum of the HWB's shares, which the message gives."""
    path = folder / "shares.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["hwb_code", "ccg_code", "ccg_name", "nhs_share"], [CODE, "00A", "A", text]])
    try:
        return read_shares(path, {CODE: "Area"}, folder)[0].nhs_share
    except DtocError as error:
        if "is not a fraction from 0 to 1" in str(error):
            return OUTSIDE_SHARES
        total = re.search(r"add up to (\S+), not 1", str(error))
        if total:
            return float(total[1])
        raise


def policies_cell(folder: Path, text: str) -> object:
    path = folder / "policies.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                ["policy", "nhs_target", "nhs_upper", "nhs_cap", "asc_target", "asc_upper", "asc_cap"],
                ["p", "0", text, "0.3", "2.6", "4.3", "0.4"],
            ]
        )
    return read_policies_csv(path, "2017-18Q3").frame["nhs_upper_rate"][0]


def grid_setting(folder: Path, text: str) -> object:
    path = folder / "grid.toml"
    path.write_text(
        f'nhs_target = 0\nnhs_upper = "{text}"\nnhs_cap = 0.3\nasc_target = 2.6\nasc_upper = 4.3\nasc_cap = 0.4\n',
        encoding="utf-8",
    )
    return expand_grid(path, "2017-18Q3").frame["nhs_upper_rate"][0]


READERS = {
    "workbook": workbook_cell,
    "plans": plans_cell,
    "shares": shares_cell,
    "policies": policies_cell,
    "grid": grid_setting,
}


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("text", sorted(VERDICTS))
def test_the_same_text_gets_the_same_verdict_in_every_reader(tmp_path, reader, text):
    found = verdict_of(lambda: READERS[reader](tmp_path, text))
    expected = VERDICTS[text]
    if reader == "shares" and isinstance(expected, int) and expected > 1:
        expected = OUTSIDE_SHARES
    assert found == expected
    assert type(found) is not float or str(found) != "-0.0"


def test_a_number_too_large_for_the_arithmetic_is_refused_alike(tmp_path):
    """'1e400' is a number by the rule, beyond what a float holds: refused by every reader, never inf."""
    for reader in READERS.values():
        with pytest.raises(DtocError, match=r"more than|too large"):
            reader(tmp_path, "1e400")


def test_plain_decimals_are_read_as_written(tmp_path):
    assert policies_cell(tmp_path, "5.5") == 5.5 and grid_setting(tmp_path, "0.3") == 0.3
    assert plans_cell(tmp_path, "12.0") == 12 and shares_cell(tmp_path, ".5") == 0.5
    assert shares_cell(tmp_path, "1") == 1.0 and workbook_cell(tmp_path, "1,234,567") == 1_234_567
