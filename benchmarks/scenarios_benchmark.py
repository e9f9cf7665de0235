"""Benchmark: `dtoc scenarios` on one quarter (the real 2017-18 Q3 data) as whole processes, with and without the
long form, against its stated budget. For each run it prints wall and CPU seconds, the peak resident memory of
the process (the kernel's high-water mark, from wait4) and of the process with its children (sampled), the
peak disk use of the staging folder (sampled: DuckDB's database and spill files and the outputs being
written), and the size of the publication. A cold `dtoc run` is timed beside the 100,000-policy sweep.

    uv run python benchmarks/scenarios_benchmark.py [--data-dir ../shared/data] [--sizes 100000 1000000 2000000]
        [--runs 1] [--name-length 0] [--no-run]

Each size runs with --no-long-form and, where the long form is allowed (up to Budget.long_form_most
policies), with --long-form. The policies are a deterministic spread of thresholds around Annex 3's (every
number varies); --name-length pads each policy's name to that many characters (200, the most a name may
have, is the worst case for memory). The machine is shared: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dtoc.scenarios.budget import Budget

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HEADER = "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap\n"
SAMPLE_SECONDS = 0.2
MB = 2**20


def write_policies(path: Path, count: int, name_length: int = 0) -> Path:
    """count policies, every number cycling with its own (coprime) period, so up to 9 million policies are all
    different: NHS target 4 to 6, upper target + 1 to + 4, cap 10% to 50%, social care 1.5 to 3.7 / + 1 to
    + 2.2 / 20% to 50%. Names are b0, b1, ... padded with x to name_length characters."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(count):
            nhs_target, asc_target = 4 + (i % 41) * 0.05, 1.5 + (i % 23) * 0.1
            handle.write(
                f"{f'b{i}'.ljust(name_length, 'x')},{nhs_target:.2f},{nhs_target + 1 + (i % 31) * 0.1:.2f},"
                f"{0.1 + (i % 9) * 0.05:.2f},{asc_target:.1f},{asc_target + 1 + (i % 5) * 0.3:.1f},"
                f"{0.2 + (i % 7) * 0.05:.2f}\n"
            )
    return path


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, total = {root}, 0
    for _ in range(8):  # a few generations are enough
        tree |= {pid for pid, parent in parents.items() if parent in tree}
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def disk_bytes(paths: list[Path]) -> int:
    """Bytes allocated on disk under the paths (files' blocks, as du counts them)."""
    total = 0
    for path in paths:
        for entry in [path, *path.rglob("*")] if path.is_dir() else [path]:
            try:
                total += entry.lstat().st_blocks * 512 if entry.is_file() else 0
            except OSError:
                continue
    return total


def measure(command: list[str], env: dict[str, str], out: Path) -> dict[str, float]:
    """Run one whole process to its end, sampling its memory (with its children) and the staging folder's disk;
    wall and CPU seconds and the peak resident set come from wait4 (the process and its waited-for children)."""
    log = out.parent / f"{out.name}.stderr"
    start, peaks = time.perf_counter(), {"tree_mb": 0.0, "staging_mb": 0.0}
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            staging = list(out.parent.glob(f".{out.name}.staging-*"))
            peaks["tree_mb"] = max(peaks["tree_mb"], tree_rss(process.pid) / MB)
            peaks["staging_mb"] = max(peaks["staging_mb"], disk_bytes(staging) / MB)
            time.sleep(SAMPLE_SECONDS)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {log.read_text()[-2000:]}")
    return {
        "wall": time.perf_counter() - start,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        **peaks,
        "published_mb": disk_bytes([out]) / MB,
    }


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


def describe(label: str, samples: list[dict[str, float]]) -> str:
    """One line: medians of wall and CPU, the largest peaks and the publication."""
    wall = [s["wall"] for s in samples]
    top = {key: max(s.get(key, 0.0) for s in samples) for key in ("rss_mb", "tree_mb", "staging_mb", "published_mb")}
    return (
        f"{label:<44} wall {statistics.median(wall):7.1f} s ({min(wall):.1f}-{max(wall):.1f}, n={len(wall)})  "
        f"cpu {statistics.median(s['cpu'] for s in samples):7.1f} s  peak RSS {top['rss_mb']:6.0f} MB "
        f"(with children, sampled {top['tree_mb']:6.0f} MB)  staging peak {top['staging_mb']:6.0f} MB  "
        f"published {top['published_mb']:6.0f} MB"
    )


def sweep_command(policies: Path, data_dir: str, out: Path, long_form: bool) -> list[str]:
    option = "--long-form" if long_form else "--no-long-form"
    return [str(BIN / "dtoc"), "scenarios", str(policies), "--data-dir", data_dir, "--out", str(out), option]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--data-dir", default=os.environ.get("DTOC_DATA_DIR", str(HERE.parent.parent / "shared" / "data"))
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of each size and mode")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 2_000_000])
    parser.add_argument("--name-length", type=int, default=0, help="pad policy names to this many characters")
    parser.add_argument("--no-run", action="store_true", help="skip the cold `dtoc run` reference")
    args = parser.parse_args()
    env, work = environment(), Path(tempfile.mkdtemp(prefix="dtoc-bench-scenarios-"))
    print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores); budget: {Budget()}")
    try:
        results = run_all(args, env, work)
    finally:  # the benchmark's own folders, whatever happens
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(env["PREFECT_HOME"], ignore_errors=True)
    for label, samples in results.items():
        print(describe(label, samples))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def run_all(args: argparse.Namespace, env: dict[str, str], work: Path) -> dict[str, list[dict[str, float]]]:
    """Each size with and (where allowed) without the long form, the cold run beside the 100,000 sweep."""
    run = [str(BIN / "dtoc"), "run", "--data-dir", args.data_dir, "--out", str(work / "run"), "--force"]
    results: dict[str, list[dict[str, float]]] = {}
    for size in args.sizes:
        policies = write_policies(work / f"policies-{size}.csv", size, args.name_length)
        for long_form in (False, True) if size <= Budget().long_form_most else (False,):
            label = f"dtoc scenarios, {size:,} policies, {'with' if long_form else 'no'} long form"
            for _ in range(args.runs):
                if size == 100_000 and not long_form and not args.no_run:  # interleaved: noise hits both alike
                    results.setdefault("dtoc run (cold process)", []).append(measure(run, env, work / "run"))
                out = work / f"out-{size}-{long_form}"
                command = sweep_command(policies, args.data_dir, out, long_form)
                results.setdefault(label, []).append(measure(command, env, out))
                shutil.rmtree(out)
        policies.unlink()
    return results


if __name__ == "__main__":
    main()
