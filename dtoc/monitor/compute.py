"""Monitoring a financial year: each month's actual average daily delays per HWB against its expectation.

The year's monthly DToC workbooks are found by their 'Period:' cell (dtoc.ingest); a month without a workbook
is reported, never estimated. The expectations come from a published run or, when none is published, are
computed in this process from the baseline quarter (dtoc.monitor.source); where the year's workbooks are on other
boundaries, they are apportioned to the year's areas (dtoc.monitor.boundaries). The path each month is compared
with is the per-HWB files' own (dtoc.model.glide_path), for any year: before the target month the glide path, from
it on the expectation, held after the plan year. The SQL models monitoring_actuals, monitoring and
monitoring_national compare them: `monitoring` has one row per HWB, month with a workbook and attribution (nhs,
social_care, joint, total); `monitoring_national` one row per such month and attribution.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from dtoc.ingest.choice import select_months
from dtoc.ingest.delays import DELAYED_DAYS_SCHEMA, DelaysWorkbook
from dtoc.ingest.inputs import SourceFile
from dtoc.model import geography
from dtoc.monitor.boundaries import apportion, read_changes
from dtoc.monitor.comparison import build_monitoring_database
from dtoc.monitor.coverage import describe_coverage
from dtoc.monitor.source import ExpectationsSource
from dtoc.periods import month_label


@dataclass
class MonitoringInputs:
    """The year's months, the one workbook chosen for each month that has one, and the months without."""

    months: list[date]
    delays: list[SourceFile]
    missing_months: list[date]
    notes: list[str] = field(default_factory=list)


@dataclass
class MonitoringResult:
    """The monitoring tables of a year and what the run has to report about its inputs."""

    year: str
    monitoring: pl.DataFrame
    national: pl.DataFrame
    missing_months: list[date]
    expectations_source: str
    sources: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    months: list[date] = field(default_factory=list)
    boundaries: list[str] = field(default_factory=list)


def choose_monitoring_inputs(
    files: list[SourceFile], months: list[date], use: list[SourceFile], data_dir: Path
) -> MonitoringInputs:
    """The year's monthly workbooks among the data folder's files (scanned; one per month, chosen among
    revisions; the --use files, already checked, preferred); missing months become notes."""
    selection = select_months(files, months, use)
    notes = selection.notes + [
        f"Month missing: no DToC workbook in {data_dir} for {month_label(m)}; its rows are absent (not estimated)"
        for m in selection.missing
    ]
    return MonitoringInputs(months, selection.chosen, selection.missing, notes)


def combine_year_delays(workbooks: list[DelaysWorkbook]) -> tuple[pl.DataFrame, list[str]]:
    """The year's delayed days in long form (one row per area, month, attribution) and every '-' cell as a
    note. An area listed twice in one month is an error."""
    for workbook in workbooks:
        geography.check_same_areas_each_month(workbook.delayed_days)
    frames = [w.delayed_days for w in workbooks] or [pl.DataFrame(schema=DELAYED_DAYS_SCHEMA)]
    notes = [note for w in sorted(workbooks, key=lambda w: w.month) for note in w.missing_cells]
    return pl.concat(frames).sort("month", "row_number", "attribution"), notes


def sources_table(workbooks: list[DelaysWorkbook]) -> pl.DataFrame:
    """One row per monthly workbook used: file, sha256, sheet, month and its published / revised cells."""
    return pl.DataFrame(
        [
            {
                "file_name": w.path.name,
                "path": str(w.path),
                "sha256": w.sha256,
                "sheet": w.sheet,
                "month": w.month,
                "published": w.published,
                "revised": w.revised,
            }
            for w in workbooks
        ],
        schema={
            "file_name": pl.String,
            "path": pl.String,
            "sha256": pl.String,
            "sheet": pl.String,
            "month": pl.Date,
            "published": pl.String,
            "revised": pl.String,
        },
    ).sort("month")


def year_areas(delayed_days: pl.DataFrame) -> dict[str, str]:
    """The local authorities the year's workbooks list, code -> name as the latest month prints it."""
    areas = delayed_days.filter(pl.col("area_type") == "local_authority").sort("month")
    return dict(areas.select("ons_code", "area_name").iter_rows())


@dataclass(frozen=True)
class MonitorSteps:
    """The monitoring's steps by name; the Prefect flow passes the same functions wrapped as tasks."""

    combine_delays: Callable = combine_year_delays
    build_database: Callable = build_monitoring_database


def compute_monitoring_read(
    inputs: MonitoringInputs,
    workbooks: list[DelaysWorkbook],
    source: ExpectationsSource,
    year: str,
    database_path: Path | None,
    steps: MonitorSteps = MonitorSteps(),
) -> MonitoringResult:
    """The monitoring of a year from its workbooks, already read, and the expectations (composed once: the
    command's flow runs it with task-wrapped steps)."""
    delayed_days, cell_notes = steps.combine_delays(workbooks)
    apportioned = apportion(source.table, year_areas(delayed_days), source.population, source.vintage, read_changes())
    monitoring, national = steps.build_database(
        database_path, delayed_days, apportioned.table, inputs.months, source.plan
    )
    notes = inputs.notes + apportioned.notes + describe_coverage(delayed_days, apportioned.table)
    return MonitoringResult(
        year,
        monitoring,
        national,
        inputs.missing_months,
        source.description,
        sources_table(workbooks),
        notes + source.notes + cell_notes,
        inputs.months,
        apportioned.notes,
    )
