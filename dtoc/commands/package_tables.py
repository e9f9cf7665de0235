"""What each publication's data package describes: its tables (the CSV files, what one row is, the primary key),
the constraints the vocabulary sets on their columns, the sources and the licence.

The vocabulary is read through the small functions below (never copied), so the data package follows it: a band
renamed in dtoc.vocabulary is the band the schema allows. dtoc.commands.datapackage builds the descriptor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from dtoc.assure.verdicts import VERDICTS
from dtoc.ingest.delays import DELAYS_SHEET_NAMES, ONS_CODE_PATTERN
from dtoc.ingest.downloads import read_sources_manifest
from dtoc.vocabulary import ATTRIBUTIONS, BANDED, BANDS, JOINT_BAND, PART_LABELS, TOTAL_LABEL


@dataclass(frozen=True)
class Table:
    """One table of a publication: its CSV files (a name, or a glob for one file per HWB), the columns that
    identify a row, what one row is, and enums that differ from the usual ones (column -> allowed values)."""

    files: str
    key: tuple[str, ...]
    row: str
    enums: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Publication:
    """A publication kind's data package: its name (the spec's lower-case pattern), title and tables."""

    name: str
    title: str
    tables: tuple[Table, ...]


LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
SOURCE_TITLES = {
    "delays": f"NHS England, Delayed Transfers of Care: monthly LA Type B workbooks (sheet '{DELAYS_SHEET_NAMES[0]}')",
    "population": "Office for National Statistics, population estimates for the UK (MYE2: persons by single year "
    "of age per local authority)",
}
# Figures that may be negative: differences (actual or planned minus expected, distance to the ambition, the
# balance between the NHS and social care reductions). Every other number a publication holds is at least 0.
SIGNED = ("distance", "gap_days", "worst_total_gap_days", "distance_to_ambition", "reduction_balance")


# Column -> the pattern of its codes: an HWB's ONS code, as the DToC reader recognises a local authority.
CODE_PATTERNS = {"hwb_code": ONS_CODE_PATTERN}
# Column -> allowed values wherever the column appears: bands, verdicts, attributions (the long-form tables'
# keys, then the total).
USUAL_ENUMS: dict[str, tuple[str, ...]] = {
    **{a.band_column: BANDS for a in BANDED},
    "band": (*BANDS, JOINT_BAND),
    "verdict": VERDICTS,
    "attribution": tuple(PART_LABELS),
}


def attribution() -> str:
    return (
        "Derived by dtoc from data published by NHS England and the Office for National Statistics: Crown "
        f"copyright, under the {LICENCE['title']}; the derived tables are published under the same licence."
    )


def sources() -> list[dict[str, str]]:
    """Each kind of source file the publications are made from, with the page it is published on."""
    pages = {entry.kind: entry.landing_page for entry in read_sources_manifest()}
    return [{"title": title, "path": pages[kind]} for kind, title in SOURCE_TITLES.items()]


def tables(kind: str) -> tuple[Table, ...]:
    """The tables of a publication kind (the manifest's `kind`), in the order the package lists them."""
    return {
        "expectations": (
            Table("expectations.csv", ("hwb_code",), "one Health and Wellbeing Board: baseline, bands, expectations"),
            Table(
                "hwb/*.summary.csv",
                ("attribution",),
                "one attribution of one HWB, or its total: band, baseline, expectation and why",
                {"attribution": (*(a.long_label for a in ATTRIBUTIONS), TOTAL_LABEL)},  # as an HWB summary names them
            ),
            Table("hwb/*.monthly.csv", ("month",), "one month of one HWB's plan year: its glide path or expectation"),
            Table("hwb/*.derivation.csv", ("line_number",), "one line of one HWB's derivation (`dtoc explain`)"),
        ),
        "monitoring": (
            Table(
                "monitoring.csv",
                ("hwb_code", "month", "attribution"),
                "one HWB, month and attribution: actual delays against the glide path or expectation",
            ),
            Table("monitoring_national.csv", ("month", "attribution"), "one month and attribution, England"),
        ),
        "assurance": (
            Table("assurance.csv", ("hwb_code",), "one HWB: the verdict on its plan"),
            Table(
                "assurance_months.csv",
                ("hwb_code", "month", "attribution"),
                "one HWB, month and attribution: planned against expected days",
            ),
            Table("assurance_by_region.csv", ("region",), "one region: its HWBs per verdict"),
        ),
        "ccg_split": (
            Table(
                "ccg_split.csv",
                ("hwb_code", "ccg_code", "month"),
                "one HWB, CCG and month: the CCG's share of the NHS baseline, expectation and reduction",
            ),
        ),
        "scenarios": (
            Table(
                "scenarios.csv", ("policy",), "one policy: national expected daily delays, reductions, HWBs per band"
            ),
            Table("ranked.csv", ("policy",), "one policy within the tolerance of the ambition, ranked"),
        ),
    }[kind]


def publication(kind: str) -> Publication:
    """The data package of a publication kind: its name, title and tables."""
    title = f"dtoc {kind.replace('_', ' ')}: Better Care Fund Delayed Transfers of Care"
    return Publication(f"dtoc-{kind.replace('_', '-')}", title, tables(kind))
