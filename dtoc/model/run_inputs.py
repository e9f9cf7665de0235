"""The inputs of one expectations computation: which files (found in the data folder, downloaded where they lack,
chosen among revisions, --use honoured) and what they hold once read.

`find_run_inputs` chooses the files (one DToC workbook per month of the baseline quarter and one population
workbook); `read_run_inputs` reads them (every cell, each file once). The pre-flight checks do both and hand
what they read to the computation, which never reads a file again; `check_inputs_unchanged` proves, before a
publication is put in place, that every file chosen still holds the content (sha256) that was read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dtoc.config import Config
from dtoc.errors import DtocError, InputError
from dtoc.ingest.choice import Choice, Needs, check_use, named_population, select_quarter
from dtoc.ingest.delays import DelaysWorkbook, ingest_delays_workbook
from dtoc.ingest.downloads import fetch_absent_inputs
from dtoc.ingest.inputs import SourceFile, scan_data_dir, select_population, sha256_of
from dtoc.ingest.population import PopulationWorkbook, ingest_population_workbook


@dataclass
class RunInputs:
    """The files a run uses: one DToC workbook per month of the quarter and one population workbook, the notes
    on how each month's workbook was chosen (dtoc.ingest.choice) and on copies set aside."""

    delays: list[SourceFile]
    population: SourceFile
    notes: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)

    @property
    def files(self) -> list[SourceFile]:
        return [*self.delays, self.population]


@dataclass
class ReadInputs:
    """What the chosen files hold: each month's workbook and the population estimates, read in full."""

    workbooks: list[DelaysWorkbook]
    population: PopulationWorkbook


def run_needs(config: Config, population_path: Path | None) -> Needs:
    """What `dtoc run` reads: the baseline quarter's months and (unless --population names a file) the
    configured population vintage."""
    vintages = frozenset() if population_path is not None else frozenset({config.population_vintage})
    return Needs(config.baseline.months, vintages, f"baseline {config.baseline.describe()}")


def find_run_inputs(
    data_dir: Path,
    config: Config,
    population_path: Path | None = None,
    preferred: tuple[Path, ...] = (),
    catalog_path: Path | None = None,
    fetch_from: Path | None = None,
    log: Callable[[str], None] = print,
) -> RunInputs:
    """Scan the data folder and choose the quarter's workbooks and the population file (the --use files checked
    and preferred: dtoc.ingest.choice). With fetch_from (a sources manifest), first download the quarter's months
    and the population vintage that neither the folder nor --use holds."""
    files = scan_data_dir(data_dir, catalog_path)
    named = check_use(preferred, files, run_needs(config, population_path))
    if fetch_from is not None and fetch_absent_inputs(
        data_dir, files + named, config, population_path is not None, fetch_from, log
    ):
        files = scan_data_dir(data_dir, catalog_path)
    return choose_run_inputs(files, named, data_dir, config, population_path)


def choose_run_inputs(
    files: list[SourceFile], named: list[SourceFile], data_dir: Path, config: Config, population_path: Path | None
) -> RunInputs:
    """The quarter's workbooks and the population file among the data folder's files (scanned) and the --use files
    (checked), which are preferred."""
    selection = select_quarter(files, config.baseline, data_dir, named)
    population = select_population(
        files, config.population_vintage, data_dir, population_path, named_population(named, population_path)
    )
    return RunInputs(selection.chosen, population, selection.notes, selection.choices)


def ingest_delays(source: SourceFile) -> DelaysWorkbook:
    """Read one monthly workbook; its 'Period:' cell must hold the month it was chosen for."""
    workbook = ingest_delays_workbook(source.path, source.sha256)
    if source.period and workbook.month.isoformat() != source.period:
        raise InputError(
            f"the 'Period:' cell says {workbook.month:%B %Y}, but the file was catalogued as {source.period}",
            file=str(source.path),
            sheet=workbook.sheet,
        )
    return workbook


def ingest_population(source: SourceFile) -> PopulationWorkbook:
    return ingest_population_workbook(source.path, source.sha256)


def read_run_inputs(inputs: RunInputs) -> ReadInputs:
    """Every cell of the chosen files (half a second for a quarter): a bad cell, sheet or area row is named here."""
    return ReadInputs([ingest_delays(source) for source in inputs.delays], ingest_population(inputs.population))


def check_inputs_unchanged(inputs: RunInputs) -> None:
    """check_files_unchanged for every file a run chose."""
    check_files_unchanged(inputs.files)


def check_files_unchanged(sources: list[SourceFile]) -> None:
    """Each file still holds what was read (by sha256): a file replaced while the command was going (an older
    revision moved over it, say) stops it, naming the file, before anything is published."""
    for source in sources:
        now = sha256_of(source.path) if source.path.is_file() else "no file"
        if now != source.sha256:
            raise DtocError(
                f"{source.path} changed while the run was going (sha256 {source.sha256[:12]} when it was checked "
                f"and read, {now[:12]} now); nothing was published: run again to use what the folder holds now"
            )
