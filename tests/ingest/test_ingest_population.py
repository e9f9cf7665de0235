"""Ingest of ONS MYE2 population estimates: the real mid-2016 and mid-2017 workbooks, and small ones the tests write
in the layouts of the releases from mid-2013 to mid-2020."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
import pytest
import xlrd

from dtoc.errors import InputError
from dtoc.ingest.inputs import classify_file, scan_data_dir, select_population
from dtoc.ingest.population import ingest_population_workbook
from dtoc.ingest.sheet_heads import read_heads
from tests.support.workbooks import (
    AGE_TEXT,
    NUMERIC_AGES,
    PLUS_AGES,
    PeopleByAgeSheet,
    single_years,
    write_grid,
    write_population_workbook,
    write_release,
)

FILES = {"mid-2016": "ukmidyearestimates2016.xls", "mid-2017": "ukmidyearestimates2017finalversion.xls"}


def adults_by_xlrd(path, code: str) -> tuple[int, int]:
    """(population aged 18 to 90+, all ages) for one area, read directly with xlrd from 'MYE2 - All'."""
    sheet = xlrd.open_workbook(str(path), on_demand=True).sheet_by_name("MYE2 - All")
    header_row = next(r for r in range(sheet.nrows) if sheet.cell_value(r, 0) == "Code")
    header = sheet.row_values(header_row)
    adult_columns = [c for c, label in enumerate(header) if isinstance(label, float) and 18 <= label <= 90]
    assert len(adult_columns) == 73
    all_ages = header.index("All ages")
    row = next(r for r in range(header_row + 1, sheet.nrows) if sheet.cell_value(r, 0) == code)
    values = sheet.row_values(row)
    return int(sum(values[c] for c in adult_columns)), int(values[all_ages])


@pytest.fixture(scope="module")
def real_population(real_data):
    folder = real_data / "ons-mye"
    return {vintage: ingest_population_workbook(folder / name, f"sha-{vintage}") for vintage, name in FILES.items()}


@pytest.mark.parametrize("vintage", ["mid-2016", "mid-2017"])
def test_vintage_and_sheet_read_from_the_workbook(real_population, vintage):
    workbook = real_population[vintage]
    assert workbook.vintage == vintage
    assert workbook.sheet == "MYE2 - All"
    assert workbook.population["vintage"].unique().to_list() == [vintage]
    assert workbook.population["source_sha256"].unique().to_list() == [f"sha-{vintage}"]
    assert workbook.population["ons_code"].is_unique().all()


@pytest.mark.parametrize("vintage", ["mid-2016", "mid-2017"])
@pytest.mark.parametrize("code", ["E06000052", "E06000053", "E09000001", "E10000007", "K02000001"])
def test_population_18plus_is_the_sum_of_ages_18_to_90(real_data, real_population, vintage, code):
    adults, all_ages = adults_by_xlrd(real_data / "ons-mye" / FILES[vintage], code)
    row = real_population[vintage].population.filter(pl.col("ons_code") == code).row(0, named=True)
    assert row["population_18plus"] == adults
    assert row["population_all_ages"] == all_ages
    assert 0 < adults < all_ages


def test_cornwall_and_city_of_london_are_distinct_rows(real_population):
    frame = real_population["mid-2016"].population
    names = dict(
        frame.filter(pl.col("ons_code").is_in(["E06000052", "E06000053", "E09000001"]))
        .select("ons_code", "area_name")
        .iter_rows()
    )
    assert names == {"E06000052": "Cornwall", "E06000053": "Isles of Scilly", "E09000001": "City of London"}


def test_extra_geography_column_of_2017_is_handled(real_population):
    """mid-2017 has a Geography1 column between Name and All ages; mid-2016 has none."""
    later = real_population["mid-2017"].population
    earlier = real_population["mid-2016"].population
    assert earlier["geography"].is_null().all()
    geography = dict(later.select("ons_code", "geography").iter_rows())
    assert geography["K02000001"] == "Country"
    assert geography["E06000052"] and geography["E06000052"] != geography["K02000001"]
    # the cells summed start one column further right in 2017 (ages 18..90 are contiguous in both)
    cells = {
        v: f.filter(pl.col("ons_code") == "E06000052")["cells_summed"].item()
        for v, f in (("2016", earlier), ("2017", later))
    }
    assert cells["2016"].startswith("V") and cells["2017"].startswith("W"), cells


def test_synthetic_persons_sheet_is_accepted(tmp_path):
    path = write_population_workbook(
        tmp_path / "mye.xls",
        {"E06000052": ("Cornwall", 400_000), "E06000053": ("Isles of Scilly", 1_800)},
        vintage="mid-2018",
        sheet_name="MYE2 - Persons",
    )
    workbook = ingest_population_workbook(path, "sha")
    assert workbook.sheet == "MYE2 - Persons"
    assert workbook.vintage == "mid-2018"
    assert dict(workbook.population.select("ons_code", "population_18plus").iter_rows()) == {
        "E06000052": 400_000,
        "E06000053": 1_800,
    }
    # the writer puts 1,000 at age 0, which must not be counted as adults
    assert workbook.population["population_all_ages"].to_list() == [401_000, 2_800]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_synthetic_workbook_with_geography_column(tmp_path, suffix):
    path = write_population_workbook(
        tmp_path / f"mye{suffix}",
        {"E06000058": ("Bournemouth, Christchurch and Poole", 320_123)},
        vintage="mid-2019",
        with_geography=True,
    )
    workbook = ingest_population_workbook(path, "sha")
    row = workbook.population.row(0, named=True)
    assert (row["population_18plus"], row["geography"], row["vintage"]) == (320_123, "Unitary Authority", "mid-2019")


@pytest.mark.parametrize("omitted", [(18,), (45, 46), (90,)])
def test_missing_age_column_is_an_error(tmp_path, omitted):
    path = write_population_workbook(tmp_path / "mye.xls", {"E06000052": ("Cornwall", 400_000)}, omit_ages=omitted)
    with pytest.raises(InputError, match="age") as error:
        ingest_population_workbook(path, "sha")
    message = str(error.value)
    assert str(list(omitted)) in message and "row 5" in message and "mye.xls" in message


def test_a_workbook_without_a_persons_table_lists_its_sheets(tmp_path):
    """MYE3 has Code and Name but no single years of age: not a persons table, whatever the workbook is called."""
    components = [["Code", "Name", "Estimated Population mid-2015", "Births", "Deaths"]]
    path = write_grid(tmp_path / "mye2.xls", {"Contents": [["Contents"]], "MYE3": components})
    with pytest.raises(InputError, match="no sheet holds a table of persons by single year of age") as error:
        ingest_population_workbook(path, "sha")
    assert str(error.value).startswith(f"file {path}: ") and "sheets present: 'Contents', 'MYE3'" in str(error.value)


# --- any ONS release's layout (issue 17, point 4): the persons table is found by its content --------------------
# The layouts below are those of the releases mid-2013 to mid-2020 as public code reading them shows (the report of
# the change lists the evidence); each workbook is small: three areas, ages 0 to 90, and the males and females
# tables of the release put BEFORE the persons table, with other figures, so a wrong pick gives other sums.

AREAS = {"E06000052": "Cornwall", "E06000053": "Isles of Scilly", "E09000001": "City of London"}


def people(seed: int) -> dict[str, tuple[str, list[int]]]:
    return {code: (name, single_years(seed + i)) for i, (code, name) in enumerate(AREAS.items())}


PERSONS, MALES, FEMALES = people(0), people(10), people(20)


def adults(areas: dict[str, tuple[str, list[int]]]) -> dict[str, int]:
    """Population 18+ from the cells the test writes: the single years 18 to 90 (and over) added up."""
    return {code: sum(years[18:]) for code, (_, years) in areas.items()}


def everyone(areas: dict[str, tuple[str, list[int]]]) -> dict[str, int]:
    return {code: sum(years) for code, (_, years) in areas.items()}


def mye2_titles(sex: str, vintage: str) -> list[str]:
    """mid-2016 to mid-2020: a 'Contents' link on row 1, the title on row 3."""
    return [
        "Contents",
        "",
        f"MYE2: Population estimates: {sex} by single year of age and sex for local authorities in the UK, {vintage}",
    ]


def old_titles(sex: str, vintage: str) -> list[str]:
    """mid-2013 to mid-2015: the header on row 3 (code reading them skips 2 rows); the title's wording is not
    known, so it names the vintage as the later releases' titles do."""
    return [f"{vintage.capitalize()} population estimates: {sex} by single year of age, local authorities in the UK"]


@dataclass
class Release:
    """One release's layout: the names of its persons, males and females sheets and how its tables are laid out."""

    names: tuple[str, str, str]
    vintage: str
    labels: tuple[str, ...] = ("Code", "Name", "All ages")
    ages: tuple[object, ...] = NUMERIC_AGES
    header_row: int = 4
    titles: Callable[[str, str], list[str]] = mye2_titles

    def tables(self) -> list[PeopleByAgeSheet]:
        """Males, females, then persons."""
        sexes = (
            ("Males", self.names[1], MALES),
            ("Females", self.names[2], FEMALES),
            ("Persons", self.names[0], PERSONS),
        )
        return [
            PeopleByAgeSheet(name, self.titles(sex, self.vintage), areas, self.labels, self.ages, self.header_row)
            for sex, name, areas in sexes
        ]


GEOGRAPHY1 = ("Code", "Name", "Geography1", "All ages")
RELEASES = {
    "mid-2013 'UK persons', upper case": Release(
        ("UK persons", "UK males", "UK females"),
        "mid-2013",
        ("CODE", "NAME", "ALL AGES"),
        header_row=2,
        titles=old_titles,
    ),
    "mid-2015 'Persons UK', upper case": Release(
        ("Persons UK", "Males UK", "Females UK "),
        "mid-2015",
        ("CODE", "NAME", "ALL AGES"),
        header_row=2,
        titles=old_titles,
    ),
    "mid-2016 'MYE2 - All'": Release(("MYE2 - All", "MYE2 - M", "MYE2 - F"), "mid-2016"),
    "mid-2017 Geography1": Release(("MYE2 - All", "MYE2 - M", "MYE2 - F"), "mid-2017", GEOGRAPHY1),
    "mid-2018 'MYE2-All'": Release(("MYE2-All", "MYE2 - Males", "MYE2 - Females"), "mid-2018", GEOGRAPHY1),
    "mid-2019 'MYE2 - Persons', '90+'": Release(
        ("MYE2 - Persons", "MYE2 - Males", "MYE2 - Females"), "mid-2019", GEOGRAPHY1, PLUS_AGES
    ),
    "mid-2020 Geography, header on row 8": Release(
        ("MYE2 - Persons", "MYE2 - Males", "MYE2 - Females"),
        "mid-2020",
        ("Code", "Name", "Geography", "All ages"),
        PLUS_AGES,
        header_row=7,
    ),
    "en dash": Release(("MYE2 \u2013 Persons", "MYE2 \u2013 Males", "MYE2 \u2013 Females"), "mid-2019", GEOGRAPHY1),
    "'All persons'": Release(("MYE2 - All persons", "MYE2 - Male", "MYE2 - Female"), "mid-2019", GEOGRAPHY1),
    "COUNTRY, 'Age 90+', no All ages": Release(
        ("Persons", "Males", "Females"),
        "mid-2014",
        ("CODE", "NAME", "COUNTRY"),
        AGE_TEXT,
        header_row=2,
        titles=old_titles,
    ),
}


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
@pytest.mark.parametrize("release", RELEASES.values(), ids=RELEASES.keys())
def test_each_release_layout_gives_the_adults_its_persons_table_holds(tmp_path, release, suffix):
    path = write_release(tmp_path / f"estimates{suffix}", release.tables(), {"Contents": [["Contents"]]})
    workbook = ingest_population_workbook(path, "sha")
    assert (workbook.sheet, workbook.vintage) == (release.names[0], release.vintage)
    rows = {row["ons_code"]: row for row in workbook.population.iter_rows(named=True)}
    assert {code: row["population_18plus"] for code, row in rows.items()} == adults(PERSONS)
    assert {code: row["population_all_ages"] for code, row in rows.items()} == everyone(PERSONS)
    geography = "Unitary Authority" if {"Geography", "Geography1"} & set(release.labels) else None
    assert {row["geography"] for row in rows.values()} == {geography}
    assert classify_file(path) == ("population", release.vintage)


def test_a_csv_export_of_the_persons_table_is_read_and_its_vintage_is_not_taken_from_the_file_name(tmp_path):
    """mid-2014 was also published as CSV exports, one per table ('UK persons-Table 1.csv'), ages as text 0..90."""
    table = PeopleByAgeSheet(
        "x", old_titles("Persons", "mid-2014"), PERSONS, ("CODE", "NAME", "ALL AGES"), tuple(range(91)), 2
    )
    path = write_grid(tmp_path / "UK persons-Table 1 mid-2016.csv", {"x": table.rows()})
    workbook = ingest_population_workbook(path, "sha")
    assert workbook.vintage == "mid-2014"
    assert dict(workbook.population.select("ons_code", "population_18plus").iter_rows()) == adults(PERSONS)
    # a data folder's scan finds it as --use does (it was set aside as "a CSV file without a DToC table")
    [found] = scan_data_dir(tmp_path)
    assert (found.kind, found.period) == classify_file(path) == ("population", "mid-2014")


def test_the_persons_table_is_told_from_males_and_females_by_its_title_rows(tmp_path):
    """Sheets named alike: the title rows say which is which."""
    tables = [
        PeopleByAgeSheet(f"Table {n}", mye2_titles(sex, "mid-2017"), areas)
        for n, (sex, areas) in enumerate((("Males", MALES), ("Persons", PERSONS), ("Females", FEMALES)), start=1)
    ]
    path = write_release(tmp_path / "estimates.xlsx", tables)
    workbook = ingest_population_workbook(path, "sha")
    assert workbook.sheet == "Table 2"
    assert dict(workbook.population.select("ons_code", "population_18plus").iter_rows()) == adults(PERSONS)


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_only_males_and_females_tables_are_refused_saying_so(tmp_path, suffix):
    tables = RELEASES["mid-2016 'MYE2 - All'"].tables()[:2]
    path = write_release(tmp_path / f"estimates{suffix}", tables, {"Contents": [["Contents"]]})
    with pytest.raises(InputError) as error:
        ingest_population_workbook(path, "sha")
    assert str(error.value) == (
        f"file {path}: no sheet holds a table of persons by single year of age (a header row with a code column, "
        "a name column and the ages 0 to 90, within the sheet's first 40 rows); sheets present: 'Contents', "
        "'MYE2 - M', 'MYE2 - F'; only tables of males or females were found: 'MYE2 - M' (males), 'MYE2 - F' (females)"
    )
    kind, note = classify_file(path)
    assert kind == "other" and note.startswith("sheets: 'Contents', 'MYE2 - M', 'MYE2 - F'; only tables of males")


def test_two_persons_tables_are_refused_naming_both(tmp_path):
    persons = RELEASES["mid-2016 'MYE2 - All'"].tables()[2]
    other = PeopleByAgeSheet(
        "Persons UK", old_titles("Persons", "mid-2016"), PERSONS, ("CODE", "NAME", "ALL AGES"), header_row=2
    )
    path = write_release(tmp_path / "estimates.xls", [persons, other])
    expected = (
        f"file {path}: 2 sheets hold a table of persons by single year of age: 'MYE2 - All' (header row 5), "
        "'Persons UK' (header row 3); a release has one, so which to read cannot be known: remove all but one, or "
        "name the others' sex (Males, Females) in their sheet names"
    )
    for read in (lambda: ingest_population_workbook(path, "sha"), lambda: classify_file(path)):
        with pytest.raises(InputError) as error:
            read()
        assert str(error.value) == expected


def untitled(name: str, titles: list[str] | None = None) -> PeopleByAgeSheet:
    """A persons table whose title rows name no year."""
    return PeopleByAgeSheet(name, titles or ["Population estimates: persons by single year of age"], PERSONS)


def test_vintage_from_the_sheet_name_where_the_title_names_none(tmp_path):
    path = write_release(tmp_path / "mid-2016.xls", [untitled("Mid-2013 Persons")])
    assert ingest_population_workbook(path, "sha").vintage == "mid-2013"


@pytest.mark.parametrize("entry", ["Population estimates: persons by single year of age, mid-2014", "Persons"])
def test_vintage_from_the_contents_entry_for_the_sheet(tmp_path, entry):
    """The row of the Contents sheet naming the persons sheet, or where it names no year, the title above it."""
    contents = [
        ["Contents"],
        ["", "Population estimates for the UK: Mid-2014"],
        ["", "MYE4", "Summary, mid-1971 to mid-2014"],
        ["", "Table 1 ", entry],  # as published, the entry may carry a trailing space
        ["", "Table 2", "Related publications, mid-2012"],
    ]
    path = write_release(tmp_path / "mid-2016.xlsx", [untitled("Table 1")], {"Contents": contents})
    assert ingest_population_workbook(path, "sha").vintage == "mid-2014"
    assert classify_file(path) == ("population", "mid-2014")


def test_the_title_decides_before_the_sheet_name_and_the_contents(tmp_path):
    table = untitled("Mid-2013 Persons", ["Population estimates, mid-2015"])
    path = write_release(tmp_path / "estimates.xls", [table], {"Contents": [["", "Mid-2013 Persons", "mid-2014"]]})
    assert ingest_population_workbook(path, "sha").vintage == "mid-2015"


@pytest.mark.parametrize(
    ("titles", "contents", "said"),
    [
        (
            ["Population estimates, mid-2015", "Revised, mid-2016"],
            [],
            "the title rows above the header name 2 vintages: mid-2015 (cell A1), mid-2016 (cell A2)",
        ),
        (
            ["Persons"],
            [["", "Persons", "mid-2015"], ["", "Persons", "mid-2016"]],
            "the contents entries for the sheet name 2 vintages: mid-2015 (sheet 'Contents' cell C1), mid-2016 (sheet 'Contents 2' cell C1)",
        ),
    ],
)
def test_two_vintages_where_one_is_expected_are_refused_naming_both(tmp_path, titles, contents, said):
    others = {"Contents": contents[:1], "Contents 2": contents[1:]} if contents else {}
    path = write_release(tmp_path / "estimates.xlsx", [untitled("Persons", titles)], others)
    with pytest.raises(InputError) as error:
        ingest_population_workbook(path, "sha")
    assert str(error.value).startswith(f"file estimates.xlsx, sheet 'Persons': {said}; ")


def test_no_vintage_anywhere_is_refused_and_the_file_name_is_never_used(tmp_path):
    path = write_release(tmp_path / "ukmidyearestimates2016.xls", [untitled("Persons")])
    with pytest.raises(InputError, match="vintage cannot be known") as error:
        classify_file(path)
    assert "file ukmidyearestimates2016.xls, sheet 'Persons': no 'mid-YYYY'" in str(error.value)


def test_without_an_all_ages_column_all_ages_is_the_sum_of_the_single_years(tmp_path):
    table = PeopleByAgeSheet("MYE2 - Persons", mye2_titles("Persons", "mid-2019"), PERSONS, ("Code", "Name"), PLUS_AGES)
    workbook = ingest_population_workbook(write_release(tmp_path / "estimates.xls", [table]), "sha")
    assert dict(workbook.population.select("ons_code", "population_all_ages").iter_rows()) == everyone(PERSONS)
    assert dict(workbook.population.select("ons_code", "population_18plus").iter_rows()) == adults(PERSONS)


@pytest.mark.parametrize(
    ("labels", "ages", "said"),
    [
        (
            ("Code", "Name"),
            tuple(a for a in NUMERIC_AGES if a != 5.0),
            "no column for age(s) [5] (and no 'All ages' column",
        ),
        (("Code", "Name", "All ages"), (*NUMERIC_AGES, 91.0), "single years of age past 90 (91 in cell CQ5)"),
        (
            ("Code", "Name", "All ages"),
            (*NUMERIC_AGES[:46], "45", *NUMERIC_AGES[46:]),
            "age 45 heads 2 columns (AW5, AX5)",
        ),
    ],
)
def test_a_header_that_cannot_be_read_whole_is_refused_naming_its_row(tmp_path, labels, ages, said):
    table = PeopleByAgeSheet("MYE2 - All", mye2_titles("Persons", "mid-2016"), {}, labels, ages)
    path = write_release(tmp_path / "estimates.xls", [table])
    with pytest.raises(InputError) as error:
        ingest_population_workbook(path, "sha")
    assert str(error.value).startswith("file estimates.xls, sheet 'MYE2 - All', row 5: ") and said in str(error.value)


def test_classification_reads_only_the_first_rows(tmp_path):
    """A damaged cell on row 100 does not stop a file from being classified (only its first 40 rows are read); the
    reading of the whole table refuses it, naming the cell. A header below row 40 is not looked for."""
    areas = {f"E0600{n:04d}": (f"Area {n}", single_years(n)) for n in range(100)}
    table = PeopleByAgeSheet("MYE2 - All", mye2_titles("Persons", "mid-2016"), areas)
    grid = table.rows()
    grid[99][30] = "n/a"  # row 100, column AE: age 27
    path = write_grid(tmp_path / "estimates.xlsx", {"MYE2 - All": grid})
    assert classify_file(path) == ("population", "mid-2016")
    with pytest.raises(InputError, match="cell AE100"):
        ingest_population_workbook(path, "sha")
    low = PeopleByAgeSheet("MYE2 - All", mye2_titles("Persons", "mid-2016"), PERSONS, header_row=40)
    path = write_release(tmp_path / "low.xls", [low])
    assert classify_file(path) == ("other", "sheets: 'MYE2 - All'")


def test_a_named_population_file_without_a_persons_table_says_what_was_looked_for(tmp_path):
    path = write_grid(tmp_path / "mye.xls", {"Sheet1": [["Code", "Name", "All ages"]]})
    with pytest.raises(InputError) as error:
        select_population([], "mid-2016", tmp_path, path)
    assert str(error.value) == (
        f"file {path}: is not an ONS MYE2 population workbook: no sheet holds a table of persons by single year of "
        "age (a header row with a code column, a name column and the ages 0 to 90, within the sheet's first 40 "
        "rows); sheets: 'Sheet1'"
    )


@pytest.mark.parametrize("vintage", ["mid-2016", "mid-2017"])
def test_the_first_rows_of_every_real_sheet_are_those_xlrd_reads_whole(real_data, vintage):
    """Classification stops reading an .xls sheet at its first cell past row 40; what it keeps of each sheet is the
    sheet's first 40 rows as xlrd reads them when it parses the whole sheet."""
    path = real_data / "ons-mye" / FILES[vintage]
    book = xlrd.open_workbook(str(path), on_demand=True)

    def cells(rows):
        return [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v not in ("", None)]

    heads = read_heads(path, 40)
    assert list(heads) == book.sheet_names()
    for name in book.sheet_names():
        sheet = book.sheet_by_name(name)
        assert cells(heads[name]) == cells(sheet.row_values(r) for r in range(min(40, sheet.nrows))), name
