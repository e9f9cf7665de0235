"""`dtoc run`, composed once: checks, inputs, compute, publish. The CLI, the scheduled deployment and the Python
API all go through `run_expectations`, so every way in takes the same checks, the output folder's lock and rules,
and the rule that revisions only move forward.

`check_run` is everything that can be checked without computing, in about a second: the options, the data
folder, the output folder (and its lock, held from then until the publication is in place), the inputs (found by
content, downloaded where the folder lacks them, one per month chosen among revisions, --use honoured), revisions
only moving forward, whether the publication is already up to date, and every cell of the inputs (read once, here,
and handed to the computation). `publish` (the caller's: a Prefect flow for the CLI, the flow itself for a
scheduled run, in-process for the API and the tests) then computes and publishes from what the checks read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dtoc.commands.run_publish import Gate, Published, PublishSteps, publish_expectations
from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.choice import check_use
from dtoc.ingest.downloads import fetch_absent_inputs
from dtoc.ingest.inputs import scan_data_dir
from dtoc.model.run_inputs import ReadInputs, RunInputs, find_run_inputs, read_run_inputs, run_needs
from dtoc.preflight import (
    check_data_dir,
    check_file_option,
    check_revisions_forward,
    claim_output,
    population_warning,
)
from dtoc.publish import refresh
from dtoc.publish.output_folders import check_output_folder
from dtoc.publish.transaction import release_lock, sibling

KIND = "expectations"


@dataclass(frozen=True)
class ExpectationsRequest:
    """What a run is asked for: the data folder, the output folder, the config, and the options that choose
    inputs (--population, --use), download them (fetch_from: a sources manifest; None never downloads) or
    rerun (force)."""

    data_dir: Path
    out: Path
    config: Config
    population: Path | None = None
    use: tuple[Path, ...] = ()
    fetch_from: Path | None = None
    force: bool = False


@dataclass
class RunPlan:
    """What a run will use, decided by its checks: the output folder (locked), the inputs chosen and what they
    hold (None when up to date, since nothing is read then), what the publication will depend on (its
    fingerprint), warnings, and what was cleaned beside the folder."""

    request: ExpectationsRequest
    out: Path
    inputs: RunInputs
    read: ReadInputs | None
    fingerprint: refresh.Fingerprint
    up_to_date: bool = False
    warnings: list[str] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)

    @property
    def choices(self) -> list[str]:
        """How each month's workbook was chosen where the folder held several (for the summary)."""
        return [line for choice in self.inputs.choices for line in choice.describe() if choice.set_aside]


def check_options(request: ExpectationsRequest) -> None:
    check_data_dir(request.data_dir, downloads=request.fetch_from is not None)
    check_file_option(request.population, "--population")


def fetch_inputs(
    data_dir: Path, config: Config, use: tuple[Path, ...], manifest: Path, log: Callable[[str], None]
) -> list[Path]:
    """`dtoc fetch`: download into data_dir (made if it does not exist) the baseline quarter's workbooks and the
    configured population vintage that neither the folder nor the --use files (checked as a run checks them)
    hold; what was downloaded."""
    if data_dir.exists():
        check_data_dir(data_dir)
    files = scan_data_dir(data_dir) if data_dir.is_dir() else []
    named = check_use(use, files, run_needs(config, None))
    return fetch_absent_inputs(data_dir, files + named, config, False, manifest, log)


def check_request(request: ExpectationsRequest) -> None:
    """What can be checked of a run before it is due (`dtoc serve`, for its scheduled runs): the options, the
    output folder's rules and the --use files; every run then takes all of check_run."""
    check_options(request)
    check_output_folder(request.out, KIND, {"data folder": request.data_dir}, request.force)
    check_use(request.use, scan_data_dir(request.data_dir), run_needs(request.config, request.population))


def check_run(request: ExpectationsRequest, log: Callable[[str], None]) -> RunPlan:
    """Every check `dtoc run` can make before computing (see the module docstring); the output folder's lock
    is held on return, and released here if a check fails."""
    check_options(request)
    out, cleaned = claim_output(request.out, KIND, {"data folder": request.data_dir}, request.force)
    try:
        config = request.config
        inputs = find_run_inputs(
            request.data_dir,
            config,
            request.population,
            request.use,
            sibling(out, "input-catalog.json"),
            request.fetch_from,
            log,
        )
        check_revisions_forward(inputs.delays, out, request.use)
        fingerprint = refresh.run_fingerprint(config, inputs.delays, inputs.population)
        current = not request.force and refresh.is_up_to_date(out, fingerprint)
        read = None if current else read_run_inputs(inputs)
    except BaseException:
        release_lock(out)
        raise
    return RunPlan(request, out, inputs, read, fingerprint, current, population_warning(inputs, config), cleaned)


@dataclass
class RunOutcome:
    """A run's plan (what its checks decided) and what it published (None when it was up to date)."""

    plan: RunPlan
    published: Published | None


def run_expectations(
    request: ExpectationsRequest, publish: Callable[[RunPlan], Published], log: Callable[[str], None]
) -> RunOutcome:
    """`dtoc run`: check, then (unless up to date) publish with the caller's `publish`; the output folder's lock
    is released whatever happens."""
    plan = check_run(request, log)
    try:
        return RunOutcome(plan, None if plan.up_to_date else publish(plan))
    finally:
        release_lock(plan.out)


def publish_checked(
    plan: RunPlan,
    gate: Gate,
    steps: PublishSteps = PublishSteps(),
    log: Callable[[str], None] = print,
    run_id: str | None = None,
) -> Published:
    """Publish from what the checks chose and read (a plan that is up to date has nothing to publish)."""
    if plan.read is None:
        raise DtocError(f"internal error: the run plan for {plan.out} holds no inputs read")
    return publish_expectations(
        plan.inputs, plan.read, plan.fingerprint, plan.request.config, plan.out, gate, steps, log, run_id
    )
