"""Every HWB's brief, hwb/<stem>.pdf and hwb/<stem>.html, from a run's expectations and explanations."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.config import Config
from dtoc.report.brief_content import build_brief
from dtoc.report.brief_html import write_brief_html
from dtoc.report.brief_pdf import write_brief_pdf
from dtoc.report.release import Release
from dtoc.report.two_processes import write_in_two


def write_brief(item: tuple[dict, dict], folder: Path, config: Config, release: Release) -> list[Path]:
    """One HWB's brief, as PDF and as an HTML page, from its row and explanation; the two paths."""
    row, explanation = item
    brief = build_brief(row, explanation, config, release)
    return [write_brief_pdf(folder, brief, release.published), write_brief_html(folder, brief)]


def write_briefs(
    folder: Path, table: pl.DataFrame, explanations: dict[str, dict], config: Config, release: Release
) -> list[Path]:
    """Two files per row of table (the PDF and the HTML page), written by two processes where possible."""
    items = [(row, explanations[row["hwb_code"]]) for row in table.iter_rows(named=True)]
    return write_in_two(write_brief, items, folder, config, release)
