"""Benchmark: what refusing a hostile input costs, and what the largest sheet dtoc still accepts costs.
Prints seconds and peak resident memory of one process per case (median of --runs).

    uv run python benchmarks/hostile_xlsx.py [--runs 3] [--only CASE ...] [--code CHECKOUT]

(--code: another checkout's dtoc reads the files, with this environment's packages: to measure before a change.)

Cases (files written by tests/support/workbooks.py's hand-assembled .xlsx writer into a temporary folder):
  good          a small DToC sheet (the baseline: Python, polars and openpyxl imports included)
  million rows  the DToC sheet followed by a million empty rows (refused at the row limit)
  other sheet   a million unnumbered rows in a second sheet (refused before openpyxl opens the workbook)
  at the limit  the workbook limits' rows x columns of numbers beside the DToC sheet (read, then ingested)
  plans strings a plans .xlsx of about 1 MB whose shared strings unpack to 1 GB (dtoc assure's reader; before
                issue 18 openpyxl read them: 16 s and 1.27 GB, then judged the plans)
  plans row     a plans .xlsx of about 100 KB with 3 million cells in its first row (before: 15 s and 1.48 GB)
  grid ranges   a --grid of six ranges of 2 million values each, 300 bytes (dtoc scenarios' reader; before:
                15 s and 1.83 GB, the values made before the combinations were counted)
Target: a refusal in seconds and under 500 MB.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dtoc.ingest.limits import WORKBOOK  # noqa: E402
from tests.support.workbooks import (  # noqa: E402
    MAIN_NS,
    RAW_XLSX_PARTS,
    SHEET_CONTENT_TYPE,
    Area,
    DelaysSheet,
    empty_rows,
    write_raw_xlsx,
    xml_cell,
    xml_rows,
)

SHEET = "LA - by responsible org"
READ = (
    "import sys; from pathlib import Path; from dtoc.errors import DtocError\n"
    "def read(path):\n{body}\n"
    "try:\n    read(Path(sys.argv[1])); print('read')\n"
    "except DtocError as error:\n    print('refused:', error)"
)
READERS = {  # what each case is read by: a process runs READ with one of these bodies
    ".xlsx": "    from dtoc.ingest.delays import ingest_delays_workbook; ingest_delays_workbook(path, 'sha')",
    "plans": "    from dtoc.assure.plan_files import read_rows; read_rows(path, 'plans', ('hwb_code', 'month'))",
    ".toml": "    from dtoc.scenarios.grid import expand_grid; expand_grid(path, '2017-18Q3')",
}
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def write_plans_with_strings(path: Path, megabytes: int) -> Path:
    """A plans workbook whose declared shared strings (1 MB strings, as openpyxl would read them) unpack to
    `megabytes`; the only sheet holds the header row."""
    import zipfile

    overrides = (
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CONTENT_TYPE}"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
    )
    write_raw_xlsx(path, {"plans": xml_rows([["hwb_code", "month"]])})
    with zipfile.ZipFile(path) as written:
        parts = {name: written.read(name) for name in written.namelist() if name != "[Content_Types].xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", RAW_XLSX_PARTS["[Content_Types].xml"].format(overrides=overrides))
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'.encode())
            for _ in range(megabytes):
                strings.write(b"<si><t>" + b"x" * 2**20 + b"</t></si>")
            strings.write(b"</sst>")
    return path


def write_grid_ranges(path: Path) -> Path:
    names = ("nhs_target", "nhs_upper", "nhs_cap", "asc_target", "asc_upper", "asc_cap")
    path.write_text("".join(f"{n} = {{start = 0, stop = 0.1999999, step = 0.0000001}}\n" for n in names))
    return path


def write_cases(folder: Path, only: list[str] | None) -> dict[str, Path]:
    """The cases' files (those in `only`, if given), written into folder."""
    rows = xml_rows(DelaysSheet("December 2017", [Area("E06000015", "Derby", 365, 12, 10)]).rows())
    full_row = "".join(xml_cell(None, 12345) for _ in range(WORKBOOK.columns))
    writers = {
        "good": lambda: write_raw_xlsx(folder / "good.xlsx", {SHEET: rows}),
        "million rows": lambda: write_raw_xlsx(
            folder / "million.xlsx", {SHEET: itertools.chain(rows, empty_rows(len(rows) + 20, 1_000_000))}
        ),
        "other sheet": lambda: write_raw_xlsx(
            folder / "other.xlsx", {"Notes": itertools.repeat("<row/>", 1_000_000), SHEET: rows}
        ),
        "at the limit": lambda: write_raw_xlsx(
            folder / "limit.xlsx", {"Data": (f"<row>{full_row}</row>" for _ in range(WORKBOOK.rows)), SHEET: rows}
        ),
        "plans strings": lambda: write_plans_with_strings(folder / "plans-strings.xlsx", 1024),
        "plans row": lambda: write_raw_xlsx(
            folder / "plans-row.xlsx", {"plans": ["<row>" + xml_cell(None, 1) * 3_000_000 + "</row>"]}
        ),
        "grid ranges": lambda: write_grid_ranges(folder / "grid.toml"),
    }
    return {case: write() for case, write in writers.items() if not only or case in only}


# Linux carries a process's peak resident memory across fork and exec, so a reader started by this (large)
# process would report at least this process's own peak: a minimal launcher (no site packages) starts it.
LAUNCH = (
    "import os, sys\npid = os.fork()\nif not pid:\n    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])\n"
    "_, _, usage = os.wait4(pid, 0)\nprint('peak', usage.ru_maxrss, flush=True)"
)


def timed_read(path: Path, code: Path = ROOT) -> tuple[float, float, str]:
    """(seconds, peak resident MB, outcome) of one process reading path, from wait4's rusage."""
    body = READERS["plans" if path.name.startswith("plans") else path.suffix]
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCH, "-c", READ.format(body=body), str(path)],
        cwd=code,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    *said, peak = result.stdout.strip().splitlines()
    outcome = "\n".join(said) or result.stderr.strip().splitlines()[-1]
    return elapsed, int(peak.split()[1]) / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="the cases to run (default: all)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose dtoc reads the files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for case, path in write_cases(Path(folder), args.only).items():
            runs = [timed_read(path, args.code) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            memory = statistics.median(r[1] for r in runs)
            print(
                f"{case:13s} {path.stat().st_size / 1024:8,.0f} KB  {seconds:6.2f} s  {memory:6.0f} MB peak  "
                f"{runs[0][2][:110]}"
            )


if __name__ == "__main__":
    main()
