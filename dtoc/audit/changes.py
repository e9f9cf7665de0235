"""What changed since the publication a run replaces: its inputs (dtoc.publish.refresh.describe_input_changes),
and, when there was one to read, every figure and source cell (dtoc.audit.diff). One ChangeReport per run, written
as changes.json and changes.txt."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from dtoc.audit.diff import diff_publications
from dtoc.audit.diff_records import Diff
from dtoc.publish.output_folders import read_manifest
from dtoc.publish.refresh import Fingerprint, describe_input_changes


class ChangeReport(TypedDict, total=False):
    """changes.json: what changed since the previous publication (differences only if there was one to read)."""

    input_changes: list[str]
    differences: Diff
    previous_unreadable: str


def change_report(previous_dir: Path, new_dir: Path, fingerprint: Fingerprint) -> ChangeReport:
    """What changed since the last publication: inputs, and (if there was one) the figures and source cells.
    A previous publication that cannot be read (a damaged file, say) never blocks a run: the report says so and
    the new publication replaces it."""
    previous = read_manifest(previous_dir)
    report: ChangeReport = {"input_changes": describe_input_changes(previous, fingerprint)}
    if not previous_dir.is_dir() or not any(previous_dir.iterdir()):
        return report
    try:
        report["differences"] = diff_publications(previous_dir, new_dir)
    except Exception as error:  # whatever is wrong with the old files, the new run goes on
        report["previous_unreadable"] = (
            f"the previous publication in {previous_dir} could not be read "
            f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''});"
            " it is replaced by this one, and no figure-by-figure comparison was made"
        )
        report["input_changes"] = report["input_changes"] + [report["previous_unreadable"]]
        return report
    report["differences"]["old"], report["differences"]["new"] = "previous publication", "this publication"
    return report
