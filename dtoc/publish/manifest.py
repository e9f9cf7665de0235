"""The run manifest (manifest.json): what went in, with which parameters and code, and what came out."""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import datetime
from importlib import metadata
from pathlib import Path

import polars as pl

from dtoc.config import Config
from dtoc.ingest.inputs import sha256_of
from dtoc.paths import PROJECT_ROOT

PACKAGES = (
    "dtoc",
    "polars",
    "duckdb",
    "pyarrow",
    "pandas",
    "xlrd",
    "openpyxl",
    "xlsxwriter",
    "prefect",
    "great-expectations",
)
MANIFEST_FILE = "manifest.json"


def code_version() -> dict[str, object]:
    """The git commit and whether the work tree had uncommitted changes; the package version otherwise."""
    if not (PROJECT_ROOT / ".git").exists():  # an installed package: its version says which code ran
        return {"package_version": metadata.version("dtoc")}
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        return {"git_commit": commit, "dirty": bool(status.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"package_version": metadata.version("dtoc")}


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def describe_outputs(folder: Path) -> list[dict[str, object]]:
    """Every file in the publication (but the manifest) with its size and sha256, sorted by path."""
    return [
        {"path": str(p.relative_to(folder)), "bytes": p.stat().st_size, "sha256": sha256_of(p)}
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST_FILE
    ]


def build_manifest(
    sources: pl.DataFrame,
    config: Config,
    validation: dict[str, object],
    folder: Path,
    flow_run_id: str | None,
    started: datetime,
    finished: datetime,
) -> dict[str, object]:
    return {
        "inputs": sources.to_dicts(),
        "population_vintage": sources.filter(pl.col("role") == "population")["period"].to_list()[0],
        "parameters": config.as_dict(),
        "parameters_file": str(config.source_file),
        "code": code_version(),
        "python": platform.python_version(),
        "packages": package_versions(),
        "validation": validation,
        "outputs": describe_outputs(folder),
        "prefect_flow_run_id": flow_run_id,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "reproducible": "data files (CSV, Parquet, JSON, text) are byte-identical for the same inputs, code and "
        "parameters; dtoc.duckdb and this manifest's times and run id are not",
    }


def write_manifest(folder: Path, manifest: dict[str, object]) -> Path:
    path = folder / MANIFEST_FILE
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8")
    return path
