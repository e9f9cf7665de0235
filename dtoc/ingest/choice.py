"""Which workbook a command uses where several hold the same month, and what --use may name: one rule for every
command that reads workbooks (run, monitor, scenarios, fetch, serve).

- A month held by one content (however many copies) uses it.
- A month held by several contents uses the latest revision: the one whose Revised cell, else Published cell,
  is the latest date. Two contents with the same latest date, or one stating no date, cannot be ordered: the
  command stops and names them with their dates.
- --use FILE overrides: it must be a DToC workbook of a month the command needs (or an ONS population workbook
  of the vintage it reads); anything else is an error naming the file and what it holds. A file named with --use
  need not lie in the data folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dtoc.errors import DtocError
from dtoc.ingest.delays import DELAYS_SHEET_NAMES
from dtoc.ingest.inputs import (
    SourceFile,
    catalog_entry,
    describe_months,
    describe_others,
    sha256_of,
    source_from_entry,
    with_dates,
)
from dtoc.periods import FinancialQuarter, month_label, parse_day


@dataclass(frozen=True)
class Needs:
    """What a command reads: the months of DToC workbooks, the population vintages (empty: none), and how to
    say so in a message ('baseline 2017-18Q3 (October 2017 to December 2017)')."""

    months: tuple[date, ...]
    vintages: frozenset[str] = frozenset()
    described: str = ""


@dataclass(frozen=True)
class Choice:
    """The workbook used for one month, why, and the other files holding the month (by content: copies of it,
    and other revisions set aside)."""

    month: date
    used: SourceFile
    reason: str  # 'only', 'latest revision' or '--use'
    set_aside: tuple[SourceFile, ...] = ()
    copies: tuple[SourceFile, ...] = ()

    def describe(self) -> list[str]:
        """The sentence for the summary and run-log.txt, when there was a choice to make ([] otherwise)."""
        if not self.set_aside:
            return [f"{f.path} is a copy of {self.used.path} ({month_label(self.month)})" for f in self.copies]
        why = "named with --use" if self.reason == "--use" else "the latest revision"
        aside = "; ".join(dated(f) for f in self.set_aside)
        return [f"{month_label(self.month)}: using {dated(self.used)}, {why}; set aside {aside}"]


def dated(source: SourceFile) -> str:
    """'PATH (published 8th February 2018, revised 10th May 2018)'."""
    return f"{source.path} (published {source.published or 'not stated'}, revised {source.revised or 'not stated'})"


def revision_date(source: SourceFile) -> date | None:
    """The date a workbook was last revised: its Revised cell, else its Published cell; None if neither is a
    date."""
    return parse_day(source.revised) or parse_day(source.published)


def choose_month(candidates: list[SourceFile], month: date, named: list[SourceFile]) -> Choice:
    """The one workbook for a month (see the module docstring)."""
    if len(named) > 1:
        raise DtocError(
            f"--use names {len(named)} workbooks for {month_label(month)}: "
            + ", ".join(str(f.path) for f in named)
            + "; name one"
        )
    if named:
        return split(named[0], candidates, month, "--use")
    if len({f.sha256 for f in candidates}) == 1:
        return split(candidates[0], candidates, month, "only")
    distinct = [with_dates(f) for f in {f.sha256: f for f in candidates}.values()]
    undated = [f for f in distinct if revision_date(f) is None]
    latest = max((d for f in distinct if (d := revision_date(f))), default=None)
    tied = [f for f in distinct if revision_date(f) == latest]
    if undated or len(tied) > 1:
        problem = "state no Published or Revised date" if undated else "are revised on the same date"
        shown = undated or tied
        raise DtocError(
            f"{len(distinct)} different workbooks hold {month_label(month)} and "
            f"{', '.join(str(f.path) for f in shown)} {problem}, so the latest revision cannot be told: "
            + ", ".join(f"{dated(f)} sha256 {f.sha256[:12]}" for f in distinct)
            + "; remove all but one, or name the one to use with --use FILE"
        )
    return split(tied[0], candidates, month, "latest revision")


def split(used: SourceFile, candidates: list[SourceFile], month: date, reason: str) -> Choice:
    others = [f for f in candidates if f.path != used.path]
    used = with_dates(used) if any(f.sha256 != used.sha256 for f in others) else used
    aside = tuple(with_dates(f) for f in others if f.sha256 != used.sha256)
    return Choice(month, used, reason, aside, tuple(f for f in others if f.sha256 == used.sha256))


@dataclass
class Selection:
    """The workbooks chosen for the months that have one, the months without, and each month's choice."""

    chosen: list[SourceFile]
    missing: list[date]
    choices: list[Choice] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return [line for choice in self.choices for line in choice.describe()]


def select_months(files: list[SourceFile], months: tuple[date, ...] | list[date], use: list[SourceFile]) -> Selection:
    """One DToC workbook per month that has one (choose_month), with the --use files (checked by check_use)."""
    selection = Selection([], [])
    for month in months:
        period = month.isoformat()
        named = [f for f in use if f.kind == "delays" and f.period == period]
        candidates = [f for f in files if f.kind == "delays" and f.period == period]
        candidates += [f for f in named if f.path not in {c.path for c in candidates}]
        if not candidates:
            selection.missing.append(month)
            continue
        choice = choose_month(candidates, month, named)
        selection.chosen.append(choice.used)
        selection.choices.append(choice)
    return selection


def check_use(use: tuple[Path, ...], files: list[SourceFile], needs: Needs) -> list[SourceFile]:
    """Each --use FILE as a source, after checking that it exists and holds a month (or the population) the
    command needs; one line naming the file and what it holds otherwise."""
    scanned = {f.path.resolve(): f for f in files}
    checked = []
    for given in use:
        if not given.is_file():
            raise DtocError(f"--use {given} does not exist or is not a file")
        source = scanned.get(given.resolve()) or classify_named(given)
        check_needed(given, source, needs)
        checked.append(source)
    return checked


def classify_named(path: Path) -> SourceFile:
    """A file named on the command line, read for what it holds (a file dtoc cannot read is named as such)."""
    try:
        return source_from_entry(path, sha256_of(path), catalog_entry(path))
    except DtocError as error:
        raise DtocError(f"--use {path}: {error}") from None


def check_needed(given: Path, source: SourceFile, needs: Needs) -> None:
    if source.kind == "other":
        raise DtocError(
            f"--use {given} is not a DToC workbook (sheet '{DELAYS_SHEET_NAMES[0]}') or an ONS population "
            f"workbook: {source.note}"
        )
    if source.kind == "delays" and date.fromisoformat(str(source.period)) not in needs.months:
        raise DtocError(
            f"--use {given} is the DToC workbook of {month_label(date.fromisoformat(str(source.period)))}, a month "
            f"this command does not use ({needs.described}); name a workbook of one of its months"
        )
    if source.kind == "population" and source.period not in needs.vintages:
        wanted = ", ".join(sorted(needs.vintages)) or "none"
        raise DtocError(
            f"--use {given} holds the {source.period} population estimates; this command uses {wanted} "
            "(to compute from other estimates, name the file with --population)"
        )


def select_quarter(
    files: list[SourceFile], quarter: FinancialQuarter, data_dir: Path, use: list[SourceFile]
) -> Selection:
    """Exactly one DToC workbook per month of the quarter (select_months); a month without one stops the run."""
    selection = select_months(files, quarter.months, use)
    if selection.missing:
        raise DtocError(
            f"no DToC workbook in {data_dir} for {', '.join(month_label(m) for m in selection.missing)} "
            f"(baseline {quarter.describe()}); workbooks found cover: {describe_months(files)}. Run "
            "`dtoc fetch` or add the files" + describe_others(files)
        )
    return selection


def named_population(named: list[SourceFile], population_path: Path | None) -> SourceFile | None:
    """The population workbook --use names, if any; naming one with --population as well is ambiguous."""
    chosen = [f for f in named if f.kind == "population"]
    if chosen and population_path is not None and chosen[0].path.resolve() != population_path.resolve():
        raise DtocError(
            f"--use {chosen[0].path} and --population {population_path} both name the population estimates; name one"
        )
    if len(chosen) > 1:
        raise DtocError("--use names " + " and ".join(str(f.path) for f in chosen) + " for the population; name one")
    return chosen[0] if chosen else None
