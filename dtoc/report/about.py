"""What every workbook's Summary sheet states about its publication, written one way for every kind: the date of
the publication, the validation result, the parameters, and each source file with what it holds, its Published
and Revised dates as the file prints them and its official address (dtoc/reference/sources.csv, by sha256).

The facts come from the publication's own records (the run's database, the manifest of the expectations a
monitoring, assurance or split is made from), so a Summary sheet agrees with the manifest it is published with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from dtoc.config import Config
from dtoc.ingest.downloads import read_sources_manifest
from dtoc.report.cells import DAY, put, put_header, put_row
from dtoc.report.release import period_label
from dtoc.report.xlsx_writer import Sheet
from dtoc.vocabulary import ATTRIBUTIONS, BANDED, RATE_UNIT

ROLES = {"delays": "Delayed transfers of care", "population": "Population aged 18+"}
SOURCE_HEADERS = ("Source file", "Holds", "Published", "Revised", "Official address")
NOT_STATED, NOT_LISTED = "not stated in the file", "not listed in dtoc/reference/sources.csv"


@dataclass(frozen=True)
class SourceFile:
    """One file a publication is made from; published and revised as the file prints them (None if it does not)."""

    file: str
    holds: str
    published: str | None = None
    revised: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class About:
    """A publication's date, its validation result in words, its parameters (label, value) and its sources."""

    published: date
    validation: str
    parameters: tuple[tuple[str, object], ...]
    sources: tuple[SourceFile, ...]


def source_files(records: Iterable[Mapping]) -> tuple[SourceFile, ...]:
    """The input files as a manifest lists them (role, file_name, sha256, period or month, published, revised),
    each with its official address: the record's own (a run's sources carry it, dtoc.report.release), else the one
    dtoc/reference/sources.csv lists for its sha256 (read once, and only when a record has none)."""
    records = list(records)
    listed = {} if all("url" in r for r in records) else {entry.sha256: entry.url for entry in read_sources_manifest()}
    files = []
    for record in records:
        role, period = record.get("role", "delays"), record.get("period") or record.get("month")
        period_text = period.isoformat() if isinstance(period, date) else str(period)
        holds = f"{ROLES.get(role, role)}, {period_label(role, period_text)}"
        url = record["url"] if "url" in record else listed.get(str(record.get("sha256")))
        files.append(SourceFile(record["file_name"], holds, record.get("published"), record.get("revised"), url))
    return tuple(files)


def thresholds(config: Config) -> list[tuple[str, object]]:
    """One row per banded attribution: its target, upper threshold and cap; one per held attribution."""
    rows: list[tuple[str, object]] = []
    for part in BANDED:
        policy = config.band_policy(part.short)
        rows.append(
            (
                f"{part.label} bands ({RATE_UNIT})",
                f"target {policy.target_rate:g}, upper {policy.upper_rate:g}, cap {policy.reduction_cap:.0%}",
            )
        )
    return rows + [(f"{a.label} delays", "held at the baseline") for a in ATTRIBUTIONS if not a.banded]


def run_parameters(config: Config, vintage: str) -> tuple[tuple[str, object], ...]:
    """The parameters of a `dtoc run` publication, as its Summary sheet lists them."""
    plan = config.plan
    ambition = plan.national_ambition_daily
    return (
        ("Baseline quarter", config.baseline.describe()),
        ("Plan year", plan.year),
        ("Target date", plan.target_date),
        ("Glide path from", f"{plan.glide_start:%B %Y}"),
        ("National ambition, daily delays", f"around {ambition:,.0f}" if ambition is not None else "none stated"),
        *thresholds(config),
        ("Band sensitivity margin", config.sensitivity_margin),
        ("Population estimates", vintage),
        ("Parameters file", f"{config.source_file.name} (sha256 {config.source_sha256})"),
    )


def source_row(source: SourceFile) -> list[str]:
    """A source file as its row of the Summary sheet says it."""
    dates = [source.published or NOT_STATED, source.revised or NOT_STATED]
    return [source.file, source.holds, *dates, source.url or NOT_LISTED]


def put_about(sheet: Sheet, top: int, about: About) -> int:
    """The block 'About this publication' from row `top`: date, validation, parameters, sources. Returns the
    last row used; widens columns A to D as far as the block needs (at most 48 characters)."""
    put(sheet, top, 1, "About this publication", font="title")
    put_row(sheet, top + 1, ["Publication date", about.published], (None, DAY))
    put_row(sheet, top + 2, ["Validation", about.validation])
    put_header(sheet, top + 4, ("Parameter", "Value"))
    for row, (label, value) in enumerate(about.parameters, start=top + 5):
        put_row(sheet, row, [label, value], (None, DAY if isinstance(value, date) else None))
    first = top + 6 + len(about.parameters)
    put_header(sheet, first, SOURCE_HEADERS)
    rows = [source_row(source) for source in about.sources]
    for row, values in enumerate(rows, start=first + 1):
        put_row(sheet, row, values)
    labels = ["Publication date", *(label for label, _ in about.parameters)]
    for column in range(1, 5):
        texts = [SOURCE_HEADERS[column - 1], *(values[column - 1] for values in rows)]
        texts += labels if column == 1 else []
        sheet.widths[column] = max(sheet.widths.get(column, 0), min(max(map(len, texts)) + 2, 48))
    return first + len(rows)
