"""Checks before orchestration, shared by the commands' compositions (dtoc.commands): the data folder, a file
option, the output folder and its lock (held by the command until its publication is in place, so a second run
stops within seconds and the first always wins; what a killed run left beside it is cleaned), and revisions only
moving forward. Each problem is one DtocError; nothing is published before they pass.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.inputs import SourceFile, with_dates
from dtoc.model.run_inputs import RunInputs
from dtoc.periods import month_label, parse_day
from dtoc.publish.output_folders import check_output_folder, read_manifest
from dtoc.publish.transaction import recover_interrupted_publish, release_lock, take_lock

# The data folder when neither --data-dir nor DTOC_DATA_DIR names one: where a first run downloads the inputs.
DEFAULT_DATA_DIR = Path("data", "raw")


def check_data_dir(data_dir: Path, downloads: bool = False) -> None:
    """The data folder must be a folder. A folder that does not exist is an error, but for the default folder
    of a run that downloads what it lacks (a first run anywhere): that one is made, empty, to download into."""
    if data_dir.exists() and not data_dir.is_dir():
        raise DtocError(
            f"data folder {data_dir} is a file, not a folder (set --data-dir or DTOC_DATA_DIR to the folder that "
            "holds the workbooks)"
        )
    if downloads and data_dir == DEFAULT_DATA_DIR and not (data_dir.exists() or data_dir.is_symlink()):
        data_dir.mkdir(parents=True)
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
        manifest = read_manifest(out) or {}
        return {row["period"]: row for row in manifest.get("inputs", []) if row.get("role") == "delays"}
    except (TypeError, KeyError, AttributeError):
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
        revised = with_dates(source).revised
        new_day, old_day = parse_day(revised), parse_day(before.get("revised"))
        if new_day and old_day and new_day < old_day:
            raise DtocError(
                f"{month_label(date.fromisoformat(source.period))}: {source.path} is revised {revised}, older than "
                f"the revision {out} was published from ({before.get('path') or before.get('file_name')}, revised "
                f"{before.get('revised')}); revisions only move forward: add the newer workbook, or name this "
                f"one with --use {source.path} to go back to it"
            )


def population_warning(inputs: RunInputs, config: Config) -> list[str]:
    vintage = inputs.population.period
    if vintage != config.population_vintage:
        return [
            f"population estimates {vintage} ({inputs.population.path.name}) differ from the configured "
            f"vintage {config.population_vintage}"
        ]
    return []


def claim_output(given: Path, kind: str, protected: dict[str, Path], force: bool = False) -> tuple[Path, list[str]]:
    """Check the output folder (with force, a publication whose files were edited may be replaced), take its
    lock (held by this process from now on) and clean what a killed run left beside it; returns the folder's
    absolute path and what was cleaned."""
    out = check_output_folder(given, kind, protected, force)
    take_lock(out)
    try:
        return out, recover_interrupted_publish(out)
    except BaseException:
        release_lock(out)
        raise
