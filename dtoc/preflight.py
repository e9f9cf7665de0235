"""Checks before orchestration: everything a command can check without computing, in about a second.

`prepare_run` and `prepare_monitor` check the options, the data folder, the inputs each month needs (`dtoc run`
first downloads what the folder lacks, unless --no-fetch), the output folder, and take the output folder's lock,
which the command then holds until its publication is in place (so a second run stops within seconds and the
first always wins). They also clean what a killed run left beside the output folder. Each problem is one
DtocError; nothing is published before they pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.inputs import SourceFile, read_workbook_dates, scan_data_dir, select_month_workbooks
from dtoc.model.pipeline import RunInputs, combine_delays, find_run_inputs, ingest_delays, ingest_population
from dtoc.periods import month_label, parse_day, parse_financial_year
from dtoc.publish import refresh
from dtoc.publish.outputs import check_output_folder
from dtoc.publish.reading import EXPECTATIONS_FILE, read_published_expectations
from dtoc.publish.transaction import recover_interrupted_publish, release_lock, sibling, take_lock


@dataclass
class RunPlan:
    """What a run will use, decided before Prefect starts; `up_to_date` when the publication needs no run."""

    out: Path
    inputs: RunInputs
    up_to_date: bool = False
    warnings: list[str] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)


def check_data_dir(data_dir: Path) -> None:
    if not data_dir.is_dir():
        raise DtocError(
            f"data folder {data_dir} does not exist (set --data-dir or DTOC_DATA_DIR, or run "
            "`dtoc fetch --data-dir DIR` to download the inputs)"
        )


def check_file_option(path: Path | None, option: str) -> None:
    if path is not None and not path.is_file():
        raise DtocError(f"{option} {path} does not exist or is not a file")


def previous_revisions(out: Path) -> dict[str, dict]:
    """period -> the delays input row of the publication in out (empty when none can be read)."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return {row["period"]: row for row in manifest.get("inputs", []) if row.get("role") == "delays"}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def check_revisions_forward(chosen: list[SourceFile], out: Path, use: tuple[Path, ...]) -> None:
    """A month whose chosen workbook is an older revision than the one the publication was made from is
    refused (naming both files and dates), unless --use names it."""
    named, before_by_period = {p.resolve() for p in use}, previous_revisions(out)
    for source in chosen:
        if source.period is None:  # only a file of no known kind lacks a period, and none is chosen
            continue
        before = before_by_period.get(source.period)
        if before is None or before.get("sha256") == source.sha256 or source.path.resolve() in named:
            continue
        revised = read_workbook_dates(source.path)[1]
        new_day, old_day = parse_day(revised), parse_day(before.get("revised"))
        if new_day and old_day and new_day < old_day:
            raise DtocError(
                f"{month_label(date.fromisoformat(source.period))}: {source.path} is revised {revised}, older than "
                f"the revision {out} was published from ({before.get('path') or before.get('file_name')}, revised "
                f"{before.get('revised')}); revisions only move forward: add the newer workbook, or name this "
                f"one with --use {source.path} to go back to it"
            )


def check_cells(inputs: RunInputs) -> None:
    """Read every cell the run will use (half a second for a quarter): a bad cell, sheet or area row is named
    before Prefect starts, not inside the flow."""
    combine_delays([ingest_delays(source) for source in inputs.delays])
    ingest_population(inputs.population)


def population_warning(inputs: RunInputs, config: Config) -> list[str]:
    vintage = inputs.population.period
    if vintage != config.population_vintage:
        return [
            f"population estimates {vintage} ({inputs.population.path.name}) differ from the configured "
            f"vintage {config.population_vintage}"
        ]
    return []


def claim_output(given: Path, kind: str, protected: dict[str, Path]) -> tuple[Path, list[str]]:
    """Check the output folder, take its lock (held by this process from now on) and clean what a killed run
    left beside it; returns the folder's absolute path and what was cleaned."""
    out = check_output_folder(given, kind, protected)
    take_lock(out)
    try:
        return out, recover_interrupted_publish(out)
    except BaseException:
        release_lock(out)
        raise


def prepare_run(
    data_dir: Path,
    given_out: Path,
    config: Config,
    population: Path | None,
    use: tuple[Path, ...],
    fetch_from: Path | None,
    force: bool,
    log: Callable[[str], None],
) -> RunPlan:
    """Every check `dtoc run` can make before computing; the output folder's lock is held on return."""
    check_data_dir(data_dir)
    check_file_option(population, "--population")
    for path in use:
        check_file_option(path, "--use")
    out, cleaned = claim_output(given_out, "expectations", {"data folder": data_dir})
    try:
        inputs = find_run_inputs(data_dir, config, population, use, sibling(out, "input-catalog.json"), fetch_from, log)
        check_revisions_forward(inputs.delays, out, use)
        fingerprint = refresh.run_fingerprint(config, inputs.delays, inputs.population)
        current = not force and refresh.is_up_to_date(out, fingerprint)
        if not current:
            check_cells(inputs)
    except BaseException:
        release_lock(out)
        raise
    return RunPlan(out, inputs, current, population_warning(inputs, config), cleaned)


def prepare_monitor(
    data_dir: Path,
    given_out: Path,
    year: str,
    expectations_dir: Path,
    config: Config,
    population: Path | None,
    use: tuple[Path, ...] = (),
) -> tuple[Path, list[str]]:
    """Every check `dtoc monitor` can make before computing: the year, the data folder holding at least one of
    its months, the baseline quarter's inputs when no expectations are published to read, the output folder
    (lock held on return). Returns the output folder and what was cleaned beside it."""
    months = parse_financial_year(year)
    check_data_dir(data_dir)
    check_file_option(population, "--population")
    protected = {"data folder": data_dir, "expectations folder": expectations_dir}
    check_output_folder(given_out, "monitoring", protected)
    chosen, _, _ = select_month_workbooks(scan_data_dir(data_dir), months, use)  # two different for a month: stop
    if not chosen:
        raise DtocError(
            f"no DToC workbook for any month of {year} ({month_label(months[0])} to "
            f"{month_label(months[-1])}) in {data_dir} or its subfolders; add the monthly workbooks "
            "or name the folder that holds them with --data-dir"
        )
    if (expectations_dir / EXPECTATIONS_FILE).is_file():
        read_published_expectations(expectations_dir / EXPECTATIONS_FILE)  # a damaged one is named now
    else:
        find_run_inputs(data_dir, config, population)  # the expectations will be computed: their inputs must be there
    return claim_output(given_out, "monitoring", protected)
