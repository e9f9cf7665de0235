"""The headers of tables of people by single year of age in the first rows of a workbook's sheets, and their sex.

Releases name the sheet differently ('MYE2 - All', 'MYE2-All', 'MYE2 - Persons', 'Persons UK', 'UK persons',
'Mid-2013 Persons') and case their labels differently ('Code', 'CODE'), so a table is known by its header: a row in
the first SCAN_ROWS rows of a sheet with a code column, a name column and at least MIN_SINGLE_YEARS of the single
years of age 0 to 90 to their right (90 means 90 and over: 90, 90.0, '90+', 'Age 90+'). A table is of males
(females) when its sheet's name or, failing that, its title rows name males (females) and not persons; any other
table is taken to be of persons.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dtoc.ingest.sheet_reader import normalise_label

SCAN_ROWS = 40  # the header and the title rows above it lie within a sheet's first rows (row 3 to 8 in releases)
MIN_SINGLE_YEARS = 50  # of the ages 0 to 90: a damaged header still counts as a table, five-year bands do not
TOP_AGE = 90
CODE_LABELS, NAME_LABELS = ("code", "areacode", "areacodes"), ("name", "areaname", "areanames")
GEOGRAPHY_LABELS = ("geography1", "geography")
AGE_LABEL = re.compile(r"\s*(?:age\s*)?(\d{1,3})\s*(?:\+|and\s+over)?\s*", re.IGNORECASE)
MALE_WORDS, FEMALE_WORDS = frozenset({"m", "male", "males", "men"}), frozenset({"f", "female", "females", "women"})
PERSONS_WORDS = frozenset({"persons", "person", "people"})


@dataclass(frozen=True)
class Table:
    """One header found: its sheet, 0-based row, columns (code, name, geography, allages; -1 where absent),
    age -> the columns headed by it, the text of the title rows above it, and 'persons', 'males' or 'females'."""

    sheet: str
    row: int
    columns: dict[str, int]
    ages: dict[int, list[int]]
    titles: list[str]
    sex: str


def age_of(label: object) -> int | None:
    """A header cell -> the single year of age it stands for (90.0, '90+', 'Age 90+' -> 90), else None."""
    if isinstance(label, (int, float)) and not isinstance(label, bool):
        return int(label) if math.isfinite(label) and label == int(label) else None
    match = AGE_LABEL.fullmatch(label) if isinstance(label, str) else None
    return int(match[1]) if match else None


def find_tables(heads: dict[str, list[list[object]]], named_sheets: bool) -> list[Table]:
    """The first header of each sheet that has one; named_sheets is False for a CSV (its 'sheet' is the file)."""
    tables = []
    for name, grid in heads.items():
        for r, row in enumerate(grid[:SCAN_ROWS]):
            labels: dict[str, int] = {}
            for c, cell in enumerate(row):
                labels.setdefault(normalise_label(cell), c)
            code, label = first_of(labels, CODE_LABELS), first_of(labels, NAME_LABELS)
            if code < 0 or label < 0:
                continue
            ages: dict[int, list[int]] = {}
            for c, cell in enumerate(row):
                age = age_of(cell)
                if age is not None and c > max(code, label):
                    ages.setdefault(age, []).append(c)
            if sum(1 for age in ages if 0 <= age <= TOP_AGE) < MIN_SINGLE_YEARS:
                continue
            columns = {"code": code, "name": label, "geography": first_of(labels, GEOGRAPHY_LABELS)}
            columns["allages"] = labels.get("allages", -1)
            titles = [cell for above in grid[:r] for cell in above if isinstance(cell, str) and cell.strip()]
            tables.append(Table(name, r, columns, ages, titles, sex_of(name if named_sheets else "", titles)))
            break
    return tables


def first_of(labels: dict[str, int], wanted: tuple[str, ...]) -> int:
    """The column of the first of the wanted labels present, else -1."""
    return next((labels[w] for w in wanted if w in labels), -1)


def sex_of(sheet_name: str, titles: list[str]) -> str:
    """'males' or 'females' when the sheet name, or failing it the title rows, names that sex and not persons;
    'persons' otherwise (named so, 'All', or not named: the persons table is the one not marked as a sex)."""
    named = sex_named(set(re.findall(r"[a-z]+", sheet_name.casefold())), short=True)
    if named is None:
        words = {w for title in titles for w in re.findall(r"[a-z]+", title.casefold()) if len(w) > 1}
        named = sex_named(words, short=False)
    return named or "persons"


def sex_named(words: set[str], short: bool) -> str | None:
    """The one of 'males', 'females', 'persons' the words name; None if none or more than one. 'All' counts as
    persons in a sheet name ('MYE2 - All'), unless a sex is named ('Males all ages')."""
    sexes = {sex for sex, marks in (("males", MALE_WORDS), ("females", FEMALE_WORDS)) if words & marks}
    if words & PERSONS_WORDS or (short and "all" in words and not sexes):
        sexes.add("persons")
    return sexes.pop() if len(sexes) == 1 else None
