"""What every page of one publication states about itself: its date, the validation gate's verdict, the source
files behind it (with their published and revised dates and official addresses) and each HWB's region.

`publication_date()` is the one place the publication date is decided.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb

from dtoc.errors import DtocError
from dtoc.ingest.downloads import read_sources_manifest
from dtoc.model.database import row_dicts, run_query
from dtoc.periods import month_label
from dtoc.report.validation_words import Finding


@dataclass(frozen=True)
class Release:
    """One publication's facts: date, verdict, sources (one dict per input file), region per HWB code, the name
    ONS gives each HWB's own area, and the failing rows of the gate's report (None when it is not at hand)."""

    published: date
    validation: dict | None
    sources: list[dict]
    regions: dict[str, str]
    ons_names: dict[str, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] | None = None

    def display_name(self, code: str, workbook_name: str) -> str:
        """The HWB's name as ONS publishes it, else as the workbooks print it."""
        return self.ons_names.get(code, workbook_name)

    @property
    def validation_status(self) -> str:
        return validation_status(self.validation)

    @property
    def revised(self) -> str:
        """The revision dates of the delays workbooks, as they print them, in order of first appearance."""
        dates = [s["revised"] for s in self.sources if s["role"] == "delays" and s["revised"]]
        return ", ".join(dict.fromkeys(dates)) or "not stated"


def publication_date(environ: dict | None = None) -> date:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) as a UTC date when set, else today's UTC date."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return datetime.now(UTC).date()
    try:
        return datetime.fromtimestamp(int(value), UTC).date()
    except (ValueError, OverflowError, OSError) as error:
        raise DtocError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, got {value!r}") from error


def validation_status(validation: dict | None) -> str:
    """The gate's verdict in words, from the summary dtoc.commands.run_publish.judge_validation makes (passed, checks,
    failed, warnings)."""
    if validation is None:
        return "not stated: this pack was written without the validation gate's verdict"
    verdict = "passed" if validation["passed"] else "FAILED"
    rows = validation.get("warning_rows")
    return (
        f"Validation {verdict}: {validation['checks']} checks, {validation.get('checks_passed', '?')} passed, "
        f"{validation['failed']} failed, {validation['warnings']} with warnings"
        + (f" ({rows} rows)" if rows else "")
        + " (validation.html)"
    )


def period_label(role: str, period: str) -> str:
    return month_label(date.fromisoformat(period)) if role == "delays" else f"{period} estimates"


def read_sources(connection: duckdb.DuckDBPyConnection) -> list[dict]:
    """One dict per input file of the run, delays by month then population, with its official address (from
    dtoc/reference/sources.csv, matched by sha256; None for a file not listed there)."""
    listed = {entry.sha256: entry for entry in read_sources_manifest()}
    cursor = connection.execute(
        "select role, file_name, sha256, sheet, period, published, revised from source_files order by role, period"
    )
    sources = []
    for source in row_dicts(cursor):
        entry = listed.get(source["sha256"])
        sources.append(
            {
                **source,
                "period_label": period_label(source["role"], source["period"]),
                "url": entry.url if entry else None,
                "landing_page": entry.landing_page if entry else None,
            }
        )
    return sources


def read_release(
    connection: duckdb.DuckDBPyConnection,
    validation: dict | None = None,
    published: date | None = None,
    findings: tuple[Finding, ...] | None = None,
) -> Release:
    """The publication's facts from the run's database; the date defaults to publication_date()."""
    regions = dict(connection.execute("select hwb_code, region from hwb_areas order by hwb_code").fetchall())
    names = dict(run_query(connection, "hwb_ons_names").fetchall())
    return Release(published or publication_date(), validation, read_sources(connection), regions, names, findings)
