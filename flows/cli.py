"""The `dtoc` command line: parses options, sets quiet defaults for Prefect and GX, calls the flows."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from dtoc.config import load_config
from dtoc.errors import DtocError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Recompute and publish the 2018-19 BCF Delayed Transfers of Care expectations per HWB.")

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "DO_NOT_TRACK": "1",
}


@app.callback()
def dtoc_commands() -> None:
    """dtoc: Better Care Fund DToC expectations, from the published workbooks to per-HWB files."""


def default_data_dir() -> Path:
    return Path(os.environ.get("DTOC_DATA_DIR") or "data/raw")


def default_out_dir(baseline: str) -> Path:
    return Path("data/derived") / baseline


def fail(error: BaseException) -> None:
    typer.echo(f"dtoc: error: {error}", err=True)
    raise typer.Exit(code=1)


@app.command()
def run(
    data_dir: Optional[Path] = typer.Option(None, help="Folder scanned recursively for DToC and MYE workbooks "
                                            "[default: $DTOC_DATA_DIR or data/raw]"),
    population: Optional[Path] = typer.Option(None, help="One ONS MYE2 workbook [default: the configured "
                                              "vintage (mid-2016) found in the data folder]"),
    baseline: Optional[str] = typer.Option(None, help="Financial-year quarter YYYY-YYQn, Q1 = April-June "
                                           "[default: 2017-18Q3 = October-December 2017]"),
    out: Optional[Path] = typer.Option(None, help="Output folder [default: data/derived/<baseline>/]"),
    use: list[Path] = typer.Option([], help="Where two workbooks hold the same month, the one to use "
                                   "(repeatable)"),
) -> None:
    """Compute the expectations for the baseline quarter and publish them (atomically) to the output folder."""
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)
    try:
        config = load_config().with_baseline(baseline)
        data = data_dir or default_data_dir()
        out_dir = out or default_out_dir(config.baseline.label)
        from dtoc.publish import ensure_not_locked
        ensure_not_locked(out_dir)
        from dtoc.summary import format_summary
        from flows.expectations_flow import expectations_flow
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            summary = expectations_flow(str(data), str(out_dir), config.baseline.label,
                                        str(population) if population else None, tuple(str(p) for p in use))
    except DtocError as error:
        fail(error)
    typer.echo(format_summary(summary, config.baseline.describe(), out_dir))


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="dtoc")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
