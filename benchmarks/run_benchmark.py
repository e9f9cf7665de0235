"""Benchmark: a cold `dtoc run` as a whole process against a one-task Prefect flow run the same way, and
the in-process compute alone (ingest to expectations, no Prefect). Prints medians, spread and peak memory.

    uv run python benchmarks/run_benchmark.py [--data-dir ../shared/data] [--runs 5]

Each process run gets the same environment: no PREFECT_API_URL (so each starts a temporary Prefect server, as a
user's first `dtoc run` does: `dtoc run` its own, flows/server.py; the one-task flow Prefect's), a PREFECT_HOME
that already holds its database (created by a warm-up run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def timed_process(command: list[str], env: dict[str, str], expect_exit: int = 0) -> tuple[float, float]:
    """(seconds, peak resident MB) of one whole process, from wait4's rusage."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != expect_exit:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def describe(label: str, samples: list[float], unit: str = "s") -> str:
    spread = f"min {min(samples):.2f}, max {max(samples):.2f}"
    return f"{label:<44} median {statistics.median(samples):6.2f} {unit}  ({spread}, n={len(samples)})"


def in_process_compute(data_dir: str, runs: int) -> tuple[float, list[float], float]:
    """First call in a fresh process (imports excluded) and warm repeats, in a child process; peak MB."""
    code = f"""
import time, resource
from pathlib import Path
from dtoc.config import load_config
from dtoc.model.pipeline import compute_expectations
config = load_config()
times = []
for _ in range({runs} + 1):
    start = time.perf_counter()
    compute_expectations(Path({data_dir!r}), config)
    times.append(time.perf_counter() - start)
print(" ".join(f"{{t:.4f}}" for t in times))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    times = [float(t) for t in output[0].split()]
    return times[0], times[1:], float(output[1])


def worker_peak_mb(published: str) -> float:
    """Peak memory of the validation worker (python -m expectations.worker) validating a published run."""
    import json

    code = (
        "import json, resource, sys, runpy; sys.argv = ['worker']; "
        "runpy.run_module('expectations.worker', run_name='__main__'); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)"
    )
    from dtoc.config import load_config

    request = json.dumps(
        {
            "database_path": f"{published}/dtoc.duckdb",
            "report_dir": tempfile.mkdtemp(),
            "parameters": load_config().sql_parameters(),
        },
        default=str,
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=request + "\n", capture_output=True, text=True, check=True
    )
    return float(result.stderr.strip().splitlines()[-1])


def quarter_without_december(data_dir: str) -> str:
    """A folder linking the real October and November 2017 workbooks and the population: December is missing."""
    import csv

    folder = Path(tempfile.mkdtemp(prefix="dtoc-bench-missing-"))
    with (Path(data_dir) / "SOURCES.tsv").open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["period_in_file"] != "December 2017":
                os.symlink(Path(data_dir) / row["path"], folder / Path(row["path"]).name)
    return str(folder)


def saturated_run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """A cold run while every core is kept busy by another process (busy loops, niced like nothing)."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        return timed_process(command, env)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", default=os.environ.get("DTOC_DATA_DIR", str(HERE.parent.parent / "shared" / "data"))
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=tempfile.mkdtemp(prefix="dtoc-bench-prefect-"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        GX_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        DTOC_OFFLINE="1",
    )
    out = tempfile.mkdtemp(prefix="dtoc-bench-out-")
    dtoc = [str(BIN / "dtoc"), "run", "--data-dir", args.data_dir, "--out", out, "--force"]
    unchanged = dtoc[:-1]  # same run without --force: the publication is up to date
    reference = [sys.executable, str(HERE / "one_task_flow.py")]
    timed_process(reference, env)  # warm-up: creates the Prefect database
    missing = [
        str(BIN / "dtoc"),
        "run",
        "--data-dir",
        quarter_without_december(args.data_dir),
        "--out",
        out,
        "--no-fetch",
    ]
    runs: dict[str, list[tuple[float, float]]] = {"reference": [], "dtoc": [], "unchanged": [], "missing": []}
    for _ in range(args.runs):  # interleaved so machine noise hits both alike
        runs["reference"].append(timed_process(reference, env))
        runs["dtoc"].append(timed_process(dtoc, env))
        runs["unchanged"].append(timed_process(unchanged, env))
        runs["missing"].append(timed_process(missing, env, expect_exit=1))
    saturated = saturated_run(dtoc, env)
    first, warm, compute_mb = in_process_compute(args.data_dir, args.runs)
    reference_median = statistics.median(t for t, _ in runs["reference"])
    dtoc_median = statistics.median(t for t, _ in runs["dtoc"])
    print(describe("one-task Prefect flow, whole process", [t for t, _ in runs["reference"]]))
    print(describe("dtoc run (cold process, temporary server)", [t for t, _ in runs["dtoc"]]))
    print(f"{'ratio dtoc run / one-task flow':<44} {dtoc_median / reference_median:.2f}  (target <= 1.5)")
    unchanged_median = statistics.median(t for t, _ in runs["unchanged"])
    print(describe("dtoc run, nothing changed (up to date)", [t for t, _ in runs["unchanged"]]))
    print(f"{'ratio unchanged rerun / full run':<44} {unchanged_median / dtoc_median:.2f}  (target <= 0.25)")
    missing_median = statistics.median(t for t, _ in runs["missing"])
    print(describe("input error (a month missing), whole process", [t for t, _ in runs["missing"]]))
    print(f"{'ratio input error / full run':<44} {missing_median / dtoc_median:.2f}  (target < 0.1)")
    print(f"{'dtoc run with every core saturated':<44} {saturated[0]:6.2f} s  (succeeded: it must not time out)")
    print(f"{'in-process compute, first call in a process':<44} {first:.3f} s  (target <= 0.7)")
    print(describe("in-process compute, warm", warm))
    print(f"{'peak memory: dtoc run process':<44} {max(m for _, m in runs['dtoc']):.0f} MB  (target < 500)")
    print(f"{'peak memory: validation worker process':<44} {worker_peak_mb(out):.0f} MB  (its own process)")
    print(f"{'peak memory: in-process compute':<44} {compute_mb:.0f} MB")
    print(f"{'peak memory: one-task flow process':<44} {max(m for _, m in runs['reference']):.0f} MB")


if __name__ == "__main__":
    main()
