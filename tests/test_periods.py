"""Calendar facts: financial-year quarters, days in a quarter, months read from workbook cells."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dtoc.errors import DtocError
from dtoc.periods import days_in_month, financial_year_months, month_label, parse_month, parse_quarter


@pytest.mark.parametrize(
    "label, first, last",
    [
        ("2017-18Q1", date(2017, 4, 1), date(2017, 6, 1)),
        ("2017-18Q2", date(2017, 7, 1), date(2017, 9, 1)),
        ("2017-18Q3", date(2017, 10, 1), date(2017, 12, 1)),
        ("2017-18Q4", date(2018, 1, 1), date(2018, 3, 1)),
        ("2018-19Q4", date(2019, 1, 1), date(2019, 3, 1)),
        ("1999-00Q4", date(2000, 1, 1), date(2000, 3, 1)),
        ("1999-00Q3", date(1999, 10, 1), date(1999, 12, 1)),
    ],
)
def test_parse_quarter_gives_three_consecutive_months(label, first, last):
    quarter = parse_quarter(label)
    assert quarter.label == label
    assert quarter.months[0] == first and quarter.months[-1] == last
    middle = quarter.months[1]
    assert middle.year in (first.year, last.year) and (middle.month - first.month) % 12 == 1
    assert all(m.day == 1 for m in quarter.months)


def test_parse_quarter_tolerates_case_and_spaces():
    assert parse_quarter(" 2017-18 q3 ").months == parse_quarter("2017-18Q3").months
    assert parse_quarter(" 2017-18 q3 ").label == "2017-18Q3"


@pytest.mark.parametrize(
    "label",
    ["2017-19Q3", "2017-18Q5", "2017-18Q0", "2017Q3", "Q3 2017-18", "2017/18Q3", "", "2017-18", "17-18Q3", None],
)
def test_bad_quarter_labels_raise(label):
    with pytest.raises(DtocError, match="quarter"):
        parse_quarter(label)


@pytest.mark.parametrize(
    "label, days",
    [
        ("2017-18Q1", 30 + 31 + 30),
        ("2017-18Q3", 92),
        ("2017-18Q4", 90),  # January-March 2018, not a leap year
        ("2019-20Q4", 91),  # January-March 2020, February has 29 days
        ("2019-20Q1", 91),
    ],
)
def test_days_in_quarter(label, days):
    assert parse_quarter(label).days == days


def test_days_in_month_leap_february():
    assert days_in_month(date(2020, 2, 1)) == 29
    assert days_in_month(date(2019, 2, 1)) == 28
    assert days_in_month(date(2000, 2, 1)) == 29
    assert days_in_month(date(1900, 2, 1)) == 28


def test_financial_year_months_runs_april_to_march():
    months = financial_year_months("2018-19")
    assert len(months) == 12
    assert months[0] == date(2018, 4, 1) and months[-1] == date(2019, 3, 1)
    assert months == sorted(months) and len(set(months)) == 12


@pytest.mark.parametrize(
    "value, expected",
    [
        ("December 2017", date(2017, 12, 1)),
        ("Dec-17", date(2017, 12, 1)),
        ("dec 2017", date(2017, 12, 1)),
        ("Jan-18", date(2018, 1, 1)),
        ("  November 2017 ", date(2017, 11, 1)),
        ("Period: March 2019", date(2019, 3, 1)),
        (datetime(2017, 12, 15, 10, 30), date(2017, 12, 1)),
        (date(2018, 2, 28), date(2018, 2, 1)),
    ],
)
def test_parse_month(value, expected):
    assert parse_month(value) == expected


@pytest.mark.parametrize("value", [None, "", "TBC", "Q3 2017-18", 43070.0, "Decembre 2017"])
def test_parse_month_returns_none_without_a_month(value):
    assert parse_month(value) is None


@pytest.mark.parametrize(
    "month, label",
    [
        (date(2017, 12, 1), "December 2017"),
        (date(2018, 1, 1), "January 2018"),
        (date(2020, 2, 1), "February 2020"),
    ],
)
def test_month_label_round_trips_with_parse_month(month, label):
    assert month_label(month) == label
    assert parse_month(month_label(month)) == month


def test_describe_names_first_and_last_month():
    assert parse_quarter("2017-18Q4").describe() == "2017-18Q4 (January 2018 to March 2018)"
