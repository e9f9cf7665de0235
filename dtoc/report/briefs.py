"""Every HWB's brief, hwb/<stem>.pdf and hwb/<stem>.html, from a run's expectations and explanations."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dtoc.config import Config
from dtoc.report.brief_content import build_brief
from dtoc.report.brief_html import write_brief_html
from dtoc.report.brief_pdf import write_brief_pdf
from dtoc.report.release import Release


def write_briefs(
    folder: Path, table: pl.DataFrame, explanations: dict[str, dict], config: Config, release: Release
) -> list[Path]:
    """Two files per row of table (the PDF and the HTML page); returns their paths."""
    paths = []
    for row in table.iter_rows(named=True):
        brief = build_brief(row, explanations[row["hwb_code"]], config, release)
        paths += [write_brief_pdf(folder, brief, release.published), write_brief_html(folder, brief)]
    return paths
