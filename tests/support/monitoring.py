"""The monitoring of a year computed in this process from the domain's steps, without the command's output folder,
lock or publication checks (dtoc.commands.monitor composes those): the expectations read from a folder holding
expectations.parquet, else computed from the baseline quarter in the data folder."""

from __future__ import annotations

from pathlib import Path

from dtoc.config import Config
from dtoc.ingest.inputs import scan_data_dir
from dtoc.model.run_inputs import choose_run_inputs, ingest_delays
from dtoc.monitor.comparison import check_year_follows_plan
from dtoc.monitor.compute import MonitoringResult, choose_monitoring_inputs, compute_monitoring_read
from dtoc.monitor.source import computed_source, read_published_source
from dtoc.periods import parse_financial_year
from dtoc.publish.reading import EXPECTATIONS_FILE


def monitoring_in_process(
    data_dir: Path,
    year: str,
    config: Config,
    expectations_dir: Path | None = None,
    database_path: Path | None = None,
) -> MonitoringResult:
    months = parse_financial_year(year)
    files = scan_data_dir(data_dir)
    inputs = choose_monitoring_inputs(files, months, [], data_dir)
    if expectations_dir is not None and (expectations_dir / EXPECTATIONS_FILE).is_file():
        source = read_published_source(expectations_dir, config)
    else:
        source = computed_source(choose_run_inputs(files, [], data_dir, config, None), config, data_dir)
    check_year_follows_plan(months, source.plan)
    workbooks = [ingest_delays(workbook) for workbook in inputs.delays]
    return compute_monitoring_read(inputs, workbooks, source, year, database_path)
