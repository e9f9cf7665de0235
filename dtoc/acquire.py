"""Fetch what a run lacks: the quarter's monthly workbooks and the population vintage that the data folder
does not hold (by period, read from content), downloaded from the sources manifest's official URLs."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.fetch import HttpDownloader, SourceEntry, download_entries, read_sources_manifest
from dtoc.inputs import SourceFile


def absent_sources(files: list[SourceFile], config: Config, entries: list[SourceEntry],
                   population_given: bool) -> list[SourceEntry]:
    """Manifest entries for the quarter's months and the population vintage that no file in the folder holds.
    Periods the manifest does not list are left for input selection to report."""
    months = {f.period for f in files if f.kind == "delays"}
    vintages = {f.period for f in files if f.kind == "population"}
    wanted = [e for m in config.baseline.months if m.isoformat() not in months
              for e in entries if e.kind == "delays" and e.month == m][:3]
    if not population_given and config.population_vintage not in vintages:
        wanted += [e for e in entries if e.kind == "population" and e.period == config.population_vintage][:1]
    return wanted


def fetch_absent_inputs(data_dir: Path, files: list[SourceFile], config: Config, population_given: bool,
                        manifest_path: Path, log: Callable[[str], None]) -> list[Path]:
    """Download each absent source into data_dir (sha256 checked, no partial files); [] when nothing lacks."""
    wanted = absent_sources(files, config, read_sources_manifest(manifest_path), population_given)
    for entry in wanted:
        log(f"{entry.period} is not in {data_dir}: fetching {entry.file_name}")
    try:
        return download_entries(wanted, data_dir, HttpDownloader(), log)
    except OSError as error:
        raise DtocError(f"cannot write into {data_dir}: {error}") from error
