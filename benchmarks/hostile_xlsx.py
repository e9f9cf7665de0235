"""Benchmark: what refusing a hostile .xlsx costs, and what the largest sheet dtoc still accepts costs.
Prints seconds and peak resident memory of one process per case (median of --runs).

    uv run python benchmarks/hostile_xlsx.py [--runs 3]

Cases (files written by tests/workbooks.py's hand-assembled .xlsx writer into a temporary folder):
  good          a small DToC sheet (the baseline: Python, polars and openpyxl imports included)
  million rows  the DToC sheet followed by a million empty rows (refused at the row limit)
  other sheet   a million unnumbered rows in a second sheet (refused before openpyxl opens the workbook)
  at the limit  MAX_ROWS x MAX_COLUMNS numbers in a sheet beside the DToC sheet (read, then ingested)
Target: a refusal in seconds and under 500 MB.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dtoc.ingest.limits import MAX_COLUMNS, MAX_ROWS  # noqa: E402
from tests.workbooks import Area, DelaysSheet, empty_rows, write_raw_xlsx, xml_cell, xml_rows  # noqa: E402

SHEET = "LA - by responsible org"
INGEST = (
    "import sys; from pathlib import Path; from dtoc.errors import InputError; "
    "from dtoc.ingest.delays import ingest_delays_workbook\n"
    "try:\n    ingest_delays_workbook(Path(sys.argv[1]), 'sha'); print('read')\n"
    "except InputError as error:\n    print('refused:', error)"
)


def write_cases(folder: Path) -> dict[str, Path]:
    rows = xml_rows(DelaysSheet("December 2017", [Area("E06000015", "Derby", 365, 12, 10)]).rows())
    full_row = "".join(xml_cell(None, 12345) for _ in range(MAX_COLUMNS))
    return {
        "good": write_raw_xlsx(folder / "good.xlsx", {SHEET: rows}),
        "million rows": write_raw_xlsx(
            folder / "million.xlsx", {SHEET: itertools.chain(rows, empty_rows(len(rows) + 20, 1_000_000))}
        ),
        "other sheet": write_raw_xlsx(
            folder / "other.xlsx", {"Notes": itertools.repeat("<row/>", 1_000_000), SHEET: rows}
        ),
        "at the limit": write_raw_xlsx(
            folder / "limit.xlsx", {"Data": (f"<row>{full_row}</row>" for _ in range(MAX_ROWS)), SHEET: rows}
        ),
    }


def timed_ingest(path: Path) -> tuple[float, float, str]:
    """(seconds, peak resident MB, outcome) of one process ingesting path, from wait4's rusage."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", INGEST, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    outcome = process.stdout.read().strip() or process.stderr.read().strip().splitlines()[-1]
    return elapsed, usage.ru_maxrss / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for case, path in write_cases(Path(folder)).items():
            runs = [timed_ingest(path) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            memory = statistics.median(r[1] for r in runs)
            print(
                f"{case:13s} {path.stat().st_size / 1024:8,.0f} KB  {seconds:6.2f} s  {memory:6.0f} MB peak  "
                f"{runs[0][2][:110]}"
            )


if __name__ == "__main__":
    main()
