"""Benchmark: `dtoc assure` on plans for all 151 HWBs, as a whole process, against a cold `dtoc run`.

    uv run python benchmarks/assure_benchmark.py [--data-dir ../shared/data] [--runs 5] [--reference-runs 3]

Builds an expectations publication in-process from the real workbooks (no Prefect), writes a plans file for
every HWB (twelve months each; some NHS figures raised, some delays moved to NHS, so every verdict occurs),
then times whole `dtoc assure` processes (each replaces the last one's output) and one call in-process.
With --reference-runs N it also times N cold `dtoc run --force` processes interleaved with the assure runs
(Prefect starts its temporary server each time, as in benchmarks/run_benchmark.py); otherwise it compares
with the README's measured cold run. Target: assuring costs at most a quarter of a cold run.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from run_benchmark import BIN, describe, timed_process  # noqa: E402

README_COLD_RUN_SECONDS = 20.9  # README, Benchmark: `dtoc run`, cold process, median of 5


def build_publication(data_dir: Path, folder: Path) -> list[dict]:
    """expectations.parquet/.csv, dtoc.duckdb and a manifest in folder; returns the table's rows."""
    from dtoc.config import load_config
    from dtoc.model.pipeline import compute_expectations
    from dtoc.publish.files import write_table

    folder.mkdir(parents=True)
    table, _ = compute_expectations(data_dir, load_config(), database_path=folder / "dtoc.duckdb")
    write_table(table, folder, "expectations")
    (folder / "manifest.json").write_text('{"benchmark": true}\n')
    return list(table.iter_rows(named=True))


def write_national_plans(rows: list[dict], path: Path) -> int:
    """Twelve months per HWB, each figure just under its expectation; every 7th HWB 40 NHS days over in
    December, every 11th moves 3 days a month from social care to NHS. Returns the rows written."""
    from dtoc.config import load_config
    from dtoc.model.glide_path import monthly_rows

    config, lines = load_config(), []
    for i, row in enumerate(sorted(rows, key=lambda r: r["hwb_code"])):
        for month in monthly_rows(row, config.plan):
            nhs, asc, joint = (int(month[f"{s}_delayed_days"]) for s in ("nhs", "asc", "joint"))
            if i % 7 == 0 and month["month"].month == 12:
                nhs += 40
            elif i % 11 == 0 and asc >= 3 and month["path"] == "expectation":
                nhs, asc = nhs + 3, asc - 3
            lines.append([row["hwb_code"], f"{month['month']:%Y-%m}", nhs, asc, joint, "EV-1" if i % 22 == 0 else ""])
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([["hwb_code", "month", "nhs_days", "asc_days", "joint_days", "evidence"], *lines])
    return len(lines)


def in_process_seconds(plans: Path, publication: Path, out: Path) -> tuple[float, float]:
    """The first call of assure_plans in this process (imports done) and a second call."""
    from dtoc.commands.assure import assure_plans
    from dtoc.config import load_config

    times = []
    for _ in range(2):
        start = time.perf_counter()
        assure_plans(plans, publication, out, load_config())
        times.append(time.perf_counter() - start)
    return times[0], times[1]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = os.environ.get("DTOC_DATA_DIR", str(HERE.parent.parent / "shared" / "data"))
    parser.add_argument("--data-dir", default=default_data)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference-runs", type=int, default=0)
    return parser.parse_args()


def time_processes(commands: dict[str, tuple[list[str], int]], env: dict[str, str]) -> dict[str, list]:
    """name -> (command, runs): each timed as a whole process, interleaved so machine noise hits all alike."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for i in range(max(n for _, n in commands.values())):
        for name, (command, count) in commands.items():
            if i < count:
                runs[name].append(timed_process(command, env))
    return runs


def main() -> None:
    args = parse_arguments()
    work = Path(tempfile.mkdtemp(prefix="dtoc-bench-assure-"))
    rows = build_publication(Path(args.data_dir), work / "published")
    plans = work / "plans.csv"
    print(f"plans: {write_national_plans(rows, plans)} rows for {len(rows)} HWBs ({plans.stat().st_size:,} bytes)")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(work / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DTOC_OFFLINE="1",
        GX_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
    )
    assure = [
        str(BIN / "dtoc"),
        "assure",
        str(plans),
        "--expectations",
        str(work / "published"),
        "--out",
        str(work / "assurance"),
    ]
    cold = [str(BIN / "dtoc"), "run", "--data-dir", args.data_dir, "--out", str(work / "run"), "--force"]
    if args.reference_runs:
        timed_process(cold, env)  # warm-up: creates the Prefect database
    runs = time_processes({"assure": (assure, args.runs), "cold": (cold, args.reference_runs)}, env)
    first, second = in_process_seconds(plans, work / "published", work / "in-process")
    report(runs, first, second)


def report(runs: dict[str, list[tuple[float, float]]], first: float, second: float) -> None:
    assure_median = statistics.median(t for t, _ in runs["assure"])
    print(describe("dtoc assure, 151 plans, whole process", [t for t, _ in runs["assure"]]))
    if runs["cold"]:
        print(describe("dtoc run, cold process (reference)", [t for t, _ in runs["cold"]]))
    reference = statistics.median(t for t, _ in runs["cold"]) if runs["cold"] else README_COLD_RUN_SECONDS
    source = "measured" if runs["cold"] else "README figure"
    print(
        f"{'ratio assure / cold dtoc run':<44} {assure_median / reference:.2f}  (target <= 0.25; cold run "
        f"{reference:.1f} s, {source})"
    )
    print(f"{'assure_plans in-process, first call':<44} {first:.2f} s   second call {second:.2f} s")
    print(f"{'peak memory: dtoc assure process':<44} {max(m for _, m in runs['assure']):.0f} MB")
    print(f"{'load average (1 min) at the end':<44} {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
