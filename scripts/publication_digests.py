"""Every publication kind of dtoc on the real data, made in this process, and a digest of every file it holds:
to show a refactoring changes no published byte.

    SOURCE_DATE_EPOCH=1700000000 uv run python scripts/publication_digests.py OUT.json [--data-dir ../shared/data]
    diff <(jq -S . before.json) <(jq -S . after.json)

The publications: `dtoc run` (Q3 2017-18, the gate in this process), `dtoc monitor` (2018-19 against it),
`dtoc assure` and `dtoc split` (plans and shares written from the publication's own figures), `dtoc scenarios`
(Annex 3's policy and two others). What legitimately differs between two runs of the same code is left out and
said so: the database files (DuckDB writes no two files alike), the manifests' times, Prefect run id, code
version and fingerprint, the database's and index's hashes and another publication's manifest hash (their other
keys are compared), and index.csv's row for the database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOLATILE_KEYS = {"started", "finished", "prefect_flow_run_id", "code", "fingerprint", "packages", "python"}


def digest_folder(folder: Path) -> dict[str, str]:
    digests = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".duckdb":
            continue
        data = path.read_bytes()
        if path.name == "manifest.json":
            data = json.dumps(stable(json.loads(data)), sort_keys=True).encode()
        if path.name == "index.csv":
            data = b"\n".join(line for line in data.split(b"\n") if b".duckdb," not in line)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def stable(record: object) -> object:
    """A manifest without what differs between two runs of the same code (see the module docstring): its times,
    run id, code version and fingerprint, the database's and index's hashes, and the hash of another publication's
    manifest (which holds that publication's times)."""
    if isinstance(record, list):
        return [stable(item) for item in record if not is_volatile_output(item)]
    if isinstance(record, dict):
        return {k: stable(v) for k, v in record.items() if k not in VOLATILE_KEYS and k != "manifest_sha256"}
    return record


def is_volatile_output(item: object) -> bool:
    return isinstance(item, dict) and str(item.get("path", "")).endswith((".duckdb", "index.csv"))


def make_publications(data: Path, root: Path) -> dict[str, Path]:
    from dtoc.commands.monitor import MonitorRequest, monitor_year, publish_monitor
    from dtoc.commands.scenarios import ScenarioRequest, run_scenarios
    from dtoc.config import load_config
    from tests.conftest import publish_in_process

    config = load_config()
    quiet = lambda message: None  # noqa: E731
    run = root / "run"
    publish_in_process(data, run, config)
    monitor = root / "monitor"
    request = MonitorRequest(data, config, run, "2018-19", monitor, run)
    monitor_year(request, lambda plan: publish_monitor(plan, log=quiet), quiet)
    from dtoc.commands.assure import assure_plans, split_shares

    assure_plans(write_plans(run, root / "plans.csv"), run, root / "assure", config)
    split_shares(write_shares(run, root / "shares.csv"), run, root / "split", config)
    policies = root / "policies.csv"
    policies.write_text(
        "policy,nhs_target,nhs_upper,nhs_cap,asc_target,asc_upper,asc_cap\n"
        "annex3,5.5,7.9,0.3,2.6,4.3,0.4\nstricter,5.0,7.0,0.35,2.4,4.0,0.45\nlooser,6,8.5,0.25,3,4.5,0.3\n"
    )
    run_scenarios(ScenarioRequest(policies, None, data, None, None, root / "scenarios", None, 50.0))
    return {kind: root / kind for kind in ("run", "monitor", "assure", "split", "scenarios")}


def write_plans(publication: Path, path: Path) -> Path:
    """A plan for every HWB of the publication: each month its expected days rounded down (in line)."""
    from tests.support.assure_support import floor_plan, plan_rows, published_rows
    from tests.support.assure_support import write_plans as write

    rows = [line for code, row in published_rows(publication).items() for line in plan_rows(code, floor_plan(row))]
    return write(path, rows)


def write_shares(publication: Path, path: Path) -> Path:
    """Two CCGs sharing each of the publication's first five HWBs, 30% and 70%."""
    from tests.support.assure_support import published_rows

    codes = sorted(published_rows(publication))[:5]
    lines = ["hwb_code,ccg_code,ccg_name,nhs_share"]
    lines += [f"{code},{code}-A,CCG A of {code},0.3\n{code},{code}-B,CCG B of {code},0.7" for code in codes]
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    arguments = parser.parse_args()
    root = Path(tempfile.gettempdir()) / "dtoc-publication-digests"  # one path: pages and manifests name it
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    try:
        folders = make_publications(arguments.data_dir, root)
        digests = {kind: digest_folder(folder) for kind, folder in folders.items()}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    arguments.output.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    print(f"{sum(len(d) for d in digests.values())} files in {len(digests)} publications -> {arguments.output}")


if __name__ == "__main__":
    main()
