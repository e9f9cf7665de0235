"""The Python API for notebooks: compute the expectations table, or a policy sweep, as a polars DataFrame without
publishing anything (this module); read a publication back (dtoc.api_read). `import dtoc` gives all of them.

They go through the same checks and computations as the commands, so they raise the same errors with the same
one-line messages: catch dtoc.DtocError. The data folder defaults to $DTOC_DATA_DIR, else data/raw, as for the
commands; nothing is downloaded unless asked (download=True), and nothing is written but what is downloaded.
The examples run in the tests (tests/test_api.py) in a folder whose data/raw holds the real workbooks.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from dtoc.config import load_config
from dtoc.errors import DtocError
from dtoc.paths import SOURCES_MANIFEST
from dtoc.preflight import DEFAULT_DATA_DIR, check_data_dir, check_file_option

PathLike = str | os.PathLike


def data_folder(data_dir: PathLike | None) -> Path:
    """The data folder given, else $DTOC_DATA_DIR, else data/raw (the commands' own default)."""
    return Path(data_dir) if data_dir is not None else Path(os.environ.get("DTOC_DATA_DIR") or DEFAULT_DATA_DIR)


def expectations(
    data_dir: PathLike | None = None,
    baseline: str | None = None,
    parameters: PathLike | None = None,
    population: PathLike | None = None,
    use: tuple[PathLike, ...] = (),
    download: bool = False,
    log: Callable[[str], None] = print,
) -> pl.DataFrame:
    """The expectations table `dtoc run` publishes (one row per Health and Wellbeing Board, the columns of
    expectations.csv), computed in this process from the data folder, without publishing anything.

    baseline is a quarter such as '2017-18Q3' (default: the parameters file's), parameters another parameters
    file (default: dtoc/parameters.toml), population one ONS MYE2 workbook, use the workbooks to prefer among
    revisions, as for `dtoc run`; download=True fetches what the folder lacks from the official sites.

    >>> import dtoc
    >>> table = dtoc.expectations()  # the workbooks in $DTOC_DATA_DIR or data/raw
    >>> table.height, table["hwb_code"][0]
    (151, 'E06000001')
    >>> sorted(table["nhs_band"].unique())
    ['maintain', 'reduce_by_cap', 'reduce_to_target']
    >>> dtoc.expectations("no/such/folder")
    Traceback (most recent call last):
    dtoc.errors.DtocError: data folder no/such/folder does not exist (set --data-dir or DTOC_DATA_DIR, or run `dtoc fetch --data-dir DIR` to download the inputs)
    """
    from dtoc.model.pipeline import compute_expectations

    data, population_path = data_folder(data_dir), Path(population) if population is not None else None
    check_data_dir(data, downloads=download)
    check_file_option(population_path, "--population")
    config = load_config(Path(parameters) if parameters is not None else None).with_baseline(baseline)
    preferred = tuple(Path(p) for p in use)
    fetch_from = SOURCES_MANIFEST if download else None
    return compute_expectations(data, config, None, population_path, preferred, None, fetch_from, log)[0]


def sweep(
    policies: PathLike,
    data_dir: PathLike | None = None,
    baseline: str | None = None,
    population: PathLike | None = None,
    per_hwb: bool = False,
    parameters: PathLike | None = None,
) -> pl.DataFrame:
    """A policy sweep, as `dtoc scenarios` computes it, without publishing: one row per policy of the policies
    CSV (policy, nhs_target, nhs_upper, nhs_cap, asc_target, asc_upper, asc_cap [, baseline, population_vintage])
    or of every combination of a TOML grid (a .toml file), with the national expected daily delays, the
    reductions and the HWBs per band; per_hwb=True gives one row per policy and HWB instead.

    >>> import dtoc
    >>> from pathlib import Path
    >>> _ = Path("policies.csv").write_text(
    ...     "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap\\n"
    ...     "annex3,5.5,7.9,0.3,2.6,4.3,0.4\\n"
    ...     "no_reduction,5.5,7.9,0,2.6,4.3,0\\n"
    ... )
    >>> result = dtoc.sweep("policies.csv")
    >>> result["policy"].to_list(), result.height
    (['annex3', 'no_reduction'], 2)
    >>> round(result["expected_total_daily"][0], 6) == round(dtoc.expectations()["expected_total_daily"].sum(), 6)
    True
    >>> dtoc.sweep("policies.csv", per_hwb=True).height
    302
    """
    from dtoc.commands.scenarios import LONG_FORM_FILE, compute_sweep
    from dtoc.scenarios import DEFAULT_TOLERANCE
    from dtoc.scenarios.plan import ScenarioRequest, plan_sweep

    source, config = Path(policies), load_config(Path(parameters) if parameters is not None else None)
    grid = source.suffix.lower() == ".toml"
    with tempfile.TemporaryDirectory(prefix="dtoc-sweep-") as work:
        request = ScenarioRequest(
            None if grid else source,
            source if grid else None,
            data_folder(data_dir),
            Path(population) if population is not None else None,
            baseline,
            Path(work) / "out",
            config.plan.national_ambition_daily or 1.0,  # the ambition ranks policies; the table does not use it
            DEFAULT_TOLERANCE,
            long_form=per_hwb or None,
            config_file=config.source_file,
        )
        staging = Path(work) / "staging"
        staging.mkdir()
        compute_sweep(staging, plan_sweep(request))
        return pl.read_parquet(staging / (LONG_FORM_FILE if per_hwb else "scenarios.parquet"))


__all__ = ["DtocError", "data_folder", "expectations", "sweep"]
