"""Benchmark: what choosing among revisions costs the pre-flight checks (issue 17: no more than 0.2 s with two
revisions of every month of 2017-19 in the data folder).

    uv run python benchmarks/revisions_benchmark.py [--data-dir ../shared/data] [--runs 7]

Two data folders are made in a temporary folder: `one` links the 24 real monthly workbooks and the mid-2016
estimates; `two` links the same and adds a second revision of every month (the real sheet with a later Revised
date, written by tests/support/workbooks.py), 48 workbooks in all. For each, the part of `dtoc run`'s checks that finds
and chooses the inputs (scan, hash, catalog, one workbook per month of the quarter, --use rules) is timed in this
process with a warm catalog (the catalog beside the output folder remembers each file's period and dates, as it
does for every run after the first), median of --runs. The first scan of `two` (cold catalog: every new file's
first rows read once) is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dtoc.config import load_config  # noqa: E402
from dtoc.model.run_inputs import find_run_inputs  # noqa: E402
from tests.support.workbooks import read_real_sheet, set_cell, write_grid  # noqa: E402

SHEET = "LA - by responsible org"


def make_folders(real: Path, root: Path) -> tuple[Path, Path]:
    one, two = root / "one", root / "two"
    for folder in (one, two):
        (folder / "nhse-dtoc-la").mkdir(parents=True)
        os.symlink(real / "ons-mye" / "ukmidyearestimates2016.xls", folder / "ukmidyearestimates2016.xls")
        for workbook in sorted((real / "nhse-dtoc-la").glob("*.xls")):
            os.symlink(workbook, folder / "nhse-dtoc-la" / workbook.name)
    for workbook in sorted((real / "nhse-dtoc-la").glob("*.xls")):
        grid = read_real_sheet(workbook)
        revised_row = next(r for r, row in enumerate(grid[:20]) if "Revised:" in row)
        set_cell(grid, f"C{revised_row + 1}", "1st October 2019")
        write_grid(two / "nhse-dtoc-la" / f"second-revision-{workbook.name}", {SHEET: grid})
    return one, two


def time_choice(folder: Path, catalog: Path, runs: int) -> tuple[float, float]:
    """(cold seconds, median warm seconds) of finding and choosing a run's inputs in folder."""
    config = load_config()
    quiet = lambda message: None  # noqa: E731
    start = time.perf_counter()
    find_run_inputs(folder, config, catalog_path=catalog, log=quiet)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        inputs = find_run_inputs(folder, config, catalog_path=catalog, log=quiet)
        warm.append(time.perf_counter() - start)
    assert len(inputs.delays) == 3
    return cold, statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        one, two = make_folders(arguments.data_dir, root)
        cold_one, warm_one = time_choice(one, root / "one.catalog.json", arguments.runs)
        cold_two, warm_two = time_choice(two, root / "two.catalog.json", arguments.runs)
    print(f"24 workbooks, one per month: {warm_one:.3f} s (first scan {cold_one:.3f} s)")
    print(f"48 workbooks, two revisions of every month: {warm_two:.3f} s (first scan {cold_two:.3f} s)")
    print(f"added by choosing among revisions: {warm_two - warm_one:+.3f} s (target: at most 0.2 s)")


if __name__ == "__main__":
    main()
