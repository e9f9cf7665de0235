"""Refresh: is the publication up to date with its inputs, parameters and code, and if not, what changed?

A publication's manifest holds a fingerprint: the sha256 of every input chosen, the parameters, and a digest
of the code that computes and checks it (dtoc/, sql/, expectations/, flows/). A rerun with the same fingerprint,
whose published files still match their recorded hashes, has nothing to do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypedDict

from dtoc.config import Config
from dtoc.ingest.inputs import SourceFile, sha256_of
from dtoc.paths import PROJECT_ROOT
from dtoc.publish.output_folders import read_manifest

CODE_FOLDERS = ("dtoc", "sql", "expectations", "flows")
CODE_SUFFIXES = {".py", ".sql", ".json", ".toml", ".csv"}


class Fingerprint(TypedDict):
    """What a publication depends on, as its manifest records it."""

    inputs: list[list[Any]]  # [role, period, file name, sha256], sorted
    parameters: dict[str, object]
    code: str


def code_digest() -> str:
    """sha256 over the files that compute and check the publication (path and content)."""
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_fingerprint(config: Config, delays: list[SourceFile], population: SourceFile) -> Fingerprint:
    """What a publication depends on: inputs by role and period with their sha256, parameters, code."""
    inputs = sorted(
        [("delays", s.period, s.path.name, s.sha256) for s in delays]
        + [("population", population.period, population.path.name, population.sha256)]
    )
    return {"inputs": [list(i) for i in inputs], "parameters": config.as_dict(), "code": code_digest()}


def publication_intact(out_dir: Path, manifest: dict) -> bool:
    """Every output the manifest lists is there with its recorded sha256."""
    return all(
        (out_dir / o["path"]).is_file() and sha256_of(out_dir / o["path"]) == o["sha256"]
        for o in manifest.get("outputs", [])
    )


def is_up_to_date(out_dir: Path, fingerprint: Mapping[str, Any]) -> bool:
    """The publication in out_dir was made from this fingerprint (a run's, a monitoring's) and is intact."""
    manifest = read_manifest(out_dir)
    if not manifest:
        return False
    return manifest.get("fingerprint") == fingerprint and publication_intact(out_dir, manifest)


def describe_input_changes(previous: dict[str, Any] | None, fingerprint: Fingerprint) -> list[str]:
    """Sentences: which inputs are new or revised since the last publication, and other changes."""
    if previous is None or "fingerprint" not in previous:
        return ["no earlier publication to compare with"]
    old = {(i[0], i[1]): i for i in previous["fingerprint"]["inputs"]}
    changes = []
    for role, period, name, digest in fingerprint["inputs"]:
        before = old.get((role, period))
        if before is None:
            changes.append(f"new {role} input for {period}: {name} (sha256 {digest[:12]})")
        elif before[3] != digest:
            changes.append(f"revised {role} input for {period}: {name} (sha256 {before[3][:12]} -> {digest[:12]})")
    if previous["fingerprint"]["parameters"] != fingerprint["parameters"]:
        changes.append("the parameters changed")
    if previous["fingerprint"]["code"] != fingerprint["code"]:
        changes.append("the code changed")
    return changes or ["nothing changed"]
