"""Benchmark: `dtoc scenarios` with 1,000 to 1,000,000 policies on one quarter (the real 2017-18 Q3 data), as
whole processes, against a cold `dtoc run` timed the same way and interleaved with the 100,000-policy sweep.
Prints wall and CPU seconds, peak memory (the process's maximum resident set) and the long form's size.

    uv run python benchmarks/scenarios_benchmark.py [--data-dir ../shared/data] [--runs 3]
        [--sizes 1000 10000 100000 1000000] [--no-run]

The policies are a deterministic spread of thresholds around Annex 3's (every number varies). The machine is
shared: the load average is printed before and after, and CPU seconds are less noisy than wall seconds.
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
HEADER = "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap\n"


def write_policies(path: Path, count: int) -> Path:
    """count policies, every number cycling with its own (coprime) period, so up to 9 million policies are all
    different: NHS target 4 to 6, upper target + 1 to + 4, cap 10% to 50%, social care 1.5 to 3.7 / + 1 to
    + 2.2 / 20% to 50%."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(count):
            nhs_target, asc_target = 4 + (i % 41) * 0.05, 1.5 + (i % 23) * 0.1
            handle.write(
                f"b{i},{nhs_target:.2f},{nhs_target + 1 + (i % 31) * 0.1:.2f},{0.1 + (i % 9) * 0.05:.2f},"
                f"{asc_target:.1f},{asc_target + 1 + (i % 5) * 0.3:.1f},{0.2 + (i % 7) * 0.05:.2f}\n"
            )
    return path


def timed_process(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident MB of one whole process (wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "mb": usage.ru_maxrss / 1024}


def describe(label: str, samples: list[dict[str, float]]) -> str:
    wall = [s["wall"] for s in samples]
    return (
        f"{label:<34} wall {statistics.median(wall):7.2f} s ({min(wall):.2f}-{max(wall):.2f}, n={len(wall)})  "
        f"cpu {statistics.median(s['cpu'] for s in samples):7.2f} s  peak {max(s['mb'] for s in samples):6.0f} MB"
    )


def environment() -> dict[str, str]:
    """No PREFECT_API_URL (a cold run starts its temporary server), a PREFECT_HOME of its own, offline."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=tempfile.mkdtemp(prefix="dtoc-bench-prefect-"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        GX_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        DTOC_OFFLINE="1",
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", default=os.environ.get("DTOC_DATA_DIR", str(HERE.parent.parent / "shared" / "data"))
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each size up to 100,000 (larger: one)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--no-run", action="store_true", help="skip the cold `dtoc run` reference")
    args = parser.parse_args()
    env, work = environment(), Path(tempfile.mkdtemp(prefix="dtoc-bench-scenarios-"))
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")

    def sweep(n: int) -> list[str]:
        return [
            str(BIN / "dtoc"),
            "scenarios",
            str(work / f"policies-{n}.csv"),
            "--data-dir",
            args.data_dir,
            "--out",
            str(work / f"out-{n}"),
        ]

    run = [str(BIN / "dtoc"), "run", "--data-dir", args.data_dir, "--out", str(work / "run"), "--force"]
    if not args.no_run:
        timed_process([sys.executable, str(HERE / "one_task_flow.py")], env)  # creates the Prefect database
    results: dict[str, list[dict[str, float]]] = {}
    for size in args.sizes:
        write_policies(work / f"policies-{size}.csv", size)
        for _ in range(args.runs if size <= 100_000 else 1):
            if size == 100_000 and not args.no_run:  # interleaved, so machine noise hits both alike
                results.setdefault("dtoc run (cold process)", []).append(timed_process(run, env))
            results.setdefault(f"dtoc scenarios, {size:,} policies", []).append(timed_process(sweep(size), env))
        long_form = work / f"out-{size}" / "scenarios_hwb.parquet"
        results[f"dtoc scenarios, {size:,} policies"][-1]["parquet_mb"] = long_form.stat().st_size / 2**20
    for label, samples in results.items():
        size = f"  long form {samples[-1]['parquet_mb']:.0f} MB" if "parquet_mb" in samples[-1] else ""
        print(describe(label, samples) + size)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
