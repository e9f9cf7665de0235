"""What the workbooks of `dtoc assure` and `dtoc split` state about their publication (dtoc.report.about): the
date, the validation result of the expectations they are made from, the rules and the source files (the
expectations publication's inputs as its manifest lists them, then the plans or shares file)."""

from __future__ import annotations

from dtoc.periods import month_label
from dtoc.plan import Plan
from dtoc.publish.reading import Publication
from dtoc.report.about import About, SourceFile, source_files
from dtoc.report.release import publication_date, validation_status


def input_file(record: dict, holds: str) -> SourceFile:
    """The plans or shares file, as tables.describe_input records it."""
    return SourceFile(record["file"], f"{holds}: {record['rows']:,} rows, sha256 {record['sha256']}")


def publication_about(
    publication: Publication, plan: Plan, record: dict, holds: str, rules: tuple[tuple[str, object], ...]
) -> About:
    """The About block of an assurance or split workbook: `record` is the input file's (plans or shares),
    `rules` the command's own parameters after the plan's."""
    manifest = publication.manifest
    checked = f"every row of the {holds.lower()} file checked ({record['rows']:,} rows)"
    recorded = manifest.get("validation")
    gate = validation_status(recorded) if recorded else "the expectations publication records no validation result"
    validation = f"{gate} (the expectations); {checked}"
    parameters = (
        ("Plan year", plan.year),
        ("Target date", plan.target_date),
        ("Judged from", month_label(plan.target_month)),
        *rules,
        ("Expectations publication", str(publication.identity["folder"])),
        ("Expectations table sha256", str(publication.identity["expectations_sha256"])),
    )
    sources = (*source_files(manifest.get("inputs", [])), input_file(record, holds))
    return About(publication_date(), validation, parameters, sources)
