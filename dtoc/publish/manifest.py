"""The manifest (manifest.json) every publication carries: what went in, with which parameters and code, and what
came out, each file with its sha256. One builder (publication_manifest) serves every kind."""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

from dtoc.config import Config
from dtoc.ingest.inputs import sha256_of
from dtoc.paths import PROJECT_ROOT
from dtoc.publish.output_folders import MANIFEST_FILE

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


@dataclass(frozen=True)
class Stamp:
    """When and under which Prefect flow run a publication was made (None for a reproducible publication, whose
    manifest carries no clock time)."""

    started: datetime
    finished: datetime
    flow_run_id: str | None = None


TIMED = "data files (CSV, Parquet, JSON, text) are byte-identical for the same inputs, code and parameters; dtoc.duckdb and this manifest's times and run id are not"
UNTIMED = "every file, this manifest included, is byte-identical for the same inputs and code"


def publication_manifest(
    folder: Path, kind: str, body: Mapping[str, object], config: Config | None = None, stamp: Stamp | None = None
) -> dict[str, object]:
    """The one manifest every publication carries (written last, by write_manifest): its kind, what went in
    (body: the kind's own sections), the parameters file (path and sha256), the code and packages, every file
    that came out with its sha256, and (for a timed publication) when and by which flow run."""
    record: dict[str, object] = {"kind": kind, **body}
    if config is not None:
        record.update(parameters_file=str(config.source_file), parameters_sha256=config.source_sha256)
    record.update(code=code_version(), python=platform.python_version(), packages=package_versions())
    record["outputs"] = describe_outputs(folder)
    if stamp is not None:
        record.update(
            prefect_flow_run_id=stamp.flow_run_id,
            started=stamp.started.isoformat(timespec="seconds"),
            finished=stamp.finished.isoformat(timespec="seconds"),
        )
    record["reproducible"] = TIMED if stamp is not None else UNTIMED
    return record


def write_manifest(folder: Path, manifest: dict[str, object]) -> Path:
    path = folder / MANIFEST_FILE
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8")
    return path
