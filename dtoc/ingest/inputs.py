"""Find the input files in a data folder: which workbook holds which month, which holds which population vintage.

A file's kind and period are read from its content (the 'Period:' cell, the MYE title), never its name.
What was read is remembered by sha256 in a catalog (seeded from the sources manifest), so unchanged files
are not opened again just to learn their period; the files chosen for a run are always read in full.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from dtoc.errors import DtocError, InputError
from dtoc.ingest.delays import DELAYS_SHEET_NAMES, SCAN_ROWS_FOR_HEADER, find_header, read_period
from dtoc.ingest.limits import CLASSIFY_BYTES, oversized_note
from dtoc.ingest.population_table import PERSONS_TABLE_WANTED, classify_population
from dtoc.ingest.sheet_reader import file_kind, matching_sheets, read_sheet, sheet_names
from dtoc.paths import SOURCES_MANIFEST
from dtoc.periods import month_label

WORKBOOK_SUFFIXES = {".xls", ".xlsx", ".xlsm", ".csv"}


@dataclass(frozen=True)
class SourceFile:
    """One input file: kind is 'delays', 'population' or 'other'; period is 'YYYY-MM-01' or 'mid-YYYY'.
    For 'other' files, note says why (the sheets it has). A DToC workbook's Published and Revised cells, as it
    prints them, where known (None: not stated, or not read yet)."""

    path: Path
    sha256: str
    kind: str
    period: str | None
    note: str | None = None
    published: str | None = None
    revised: str | None = None
    dates_known: bool = False


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_catalog(catalog_path: Path | None) -> dict[str, dict[str, str]]:
    """sha256 -> {'kind', 'period', and for DToC workbooks 'published', 'revised'}: the sources manifest, then
    what earlier runs read."""
    from dtoc.periods import parse_month

    catalog: dict[str, dict[str, str]] = {}
    with SOURCES_MANIFEST.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            month = parse_month(row["period"]) if row["kind"] == "delays" else None
            period = month.isoformat() if month else row["period"]
            catalog[row["sha256"]] = {"kind": row["kind"], "period": period}
            if month:
                catalog[row["sha256"]].update(published=row["published"], revised=row["revised"])
    if catalog_path and catalog_path.is_file():
        with contextlib.suppress(OSError, ValueError):  # a damaged cache is only a cache: files are read again
            catalog.update(json.loads(catalog_path.read_text(encoding="utf-8")))
    return catalog


def save_catalog(catalog_path: Path | None, learned: dict[str, dict[str, str]]) -> None:
    if not catalog_path or not learned:
        return
    try:
        known = json.loads(catalog_path.read_text(encoding="utf-8")) if catalog_path.is_file() else {}
    except (OSError, ValueError):
        known = {}
    known.update(learned)
    catalog_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = catalog_path.with_suffix(".tmp")
    temporary.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(catalog_path)


def classify_file(path: Path) -> tuple[str, str]:
    """Say what a file is: ('delays', '2017-12-01'), ('population', 'mid-2016') or ('other', why)."""
    entry = catalog_entry(path)
    return entry["kind"], entry["period"]


def catalog_entry(path: Path) -> dict[str, str]:
    """What a file holds, as the catalog remembers it: kind and period, and a DToC workbook's Published and
    Revised cells ('' where it states none). Only the first rows of the sheet are read (its header and the title
    rows above it); a file over the size limit is not read."""
    too_large = oversized_note(path)
    if too_large:
        return {"kind": "other", "period": too_large}
    names = sheet_names(path)
    if matching_sheets(names, DELAYS_SHEET_NAMES) or (file_kind(path) == "csv" and looks_like_delays_csv(path)):
        sheet = read_sheet(path, DELAYS_SHEET_NAMES, rows=SCAN_ROWS_FOR_HEADER)
        month, published, revised = read_period(sheet, find_header(sheet)[0])
        return {"kind": "delays", "period": month.isoformat(), "published": published or "", "revised": revised or ""}
    kind, what = classify_population(path)  # ('population', 'mid-2016'), or ('other', 'sheets: ...')
    if kind == "other" and file_kind(path) == "csv":
        return {"kind": "other", "period": "a CSV file without a DToC table"}
    return {"kind": kind, "period": what}


def looks_like_delays_csv(path: Path) -> bool:
    """The start of the file names a period and a 'Social Care' column (only the first few KB are read)."""
    with path.open("rb") as handle:
        head = handle.read(CLASSIFY_BYTES).decode("utf-8", "replace").lower()
    return "period" in head and "social care" in head


def scan_data_dir(data_dir: Path, catalog_path: Path | None = None) -> list[SourceFile]:
    """Every workbook under data_dir (recursively), hashed and classified; unreadable workbooks are errors."""
    if not data_dir.is_dir():
        raise DtocError(f"data folder {data_dir} does not exist")
    catalog, learned, found = load_catalog(catalog_path), {}, []
    candidates = sorted(
        p
        for p in data_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in WORKBOOK_SUFFIXES
        and not p.name.startswith(("~$", "."))
        and ".partial" not in p.name
    )
    for path in candidates:
        too_large = oversized_note(path)
        if too_large:  # never hashed nor remembered: the size, not the content, decided
            found.append(SourceFile(path, "", "other", None, too_large))
            continue
        digest = sha256_of(path)
        entry = catalog.get(digest)
        if entry is None:
            entry = catalog_entry(path)
            learned[digest] = entry
        found.append(source_from_entry(path, digest, entry))
    save_catalog(catalog_path, learned)
    return found


def source_from_entry(path: Path, digest: str, entry: dict[str, str]) -> SourceFile:
    """A SourceFile from its catalog entry (an entry written before dates were remembered has none)."""
    if entry["kind"] == "other":
        return SourceFile(path, digest, "other", None, entry["period"])
    known = "revised" in entry
    dates = (entry.get("published") or None, entry.get("revised") or None)
    return SourceFile(path, digest, entry["kind"], entry["period"], None, *dates, dates_known=known)


def with_dates(source: SourceFile) -> SourceFile:
    """The source with its Published and Revised cells read, if the catalog did not know them."""
    if source.kind != "delays" or source.dates_known:
        return source
    published, revised = read_workbook_dates(source.path)
    return replace(source, published=published, revised=revised, dates_known=True)


def describe_months(files: list[SourceFile]) -> str:
    months = sorted({f.period for f in files if f.kind == "delays" and f.period})
    return ", ".join(month_label(date.fromisoformat(m)) for m in months) or "none"


def describe_others(files: list[SourceFile]) -> str:
    """The files that were skipped as neither DToC nor MYE workbooks, with their sheets."""
    others = [f"{f.path} ({f.note})" for f in files if f.kind == "other"]
    return (
        (f". Skipped as neither a DToC workbook (sheet {DELAYS_SHEET_NAMES[0]!r}) nor ONS MYE2: " + "; ".join(others))
        if others
        else ""
    )


def read_workbook_dates(path: Path) -> tuple[str | None, str | None]:
    """The 'Published:' and 'Revised:' cells of a monthly workbook (None where absent)."""
    sheet = read_sheet(path, DELAYS_SHEET_NAMES, rows=SCAN_ROWS_FOR_HEADER)
    _, published, revised = read_period(sheet, find_header(sheet)[0])
    return published, revised


def select_population(
    files: list[SourceFile], vintage: str, data_dir: Path, explicit: Path | None = None, named: SourceFile | None = None
) -> SourceFile:
    """The population workbook: the one named with --population, else the one --use names (of the configured
    vintage, checked by dtoc.ingest.choice.check_use), else the one of the configured vintage."""
    if named is not None:
        return named
    if explicit is not None:
        if not explicit.is_file():
            raise DtocError(f"population file {explicit} does not exist")
        kind, period = classify_file(explicit)
        if kind != "population":
            found = period if kind == "other" else f"it holds {kind} for {period}"
            raise InputError(
                f"is not an ONS MYE2 population workbook: {PERSONS_TABLE_WANTED}; {found}", file=str(explicit)
            )
        return SourceFile(explicit, sha256_of(explicit), kind, period)
    candidates = [f for f in files if f.kind == "population" and f.period == vintage]
    if not candidates:
        vintages = sorted({f.period for f in files if f.kind == "population" and f.period}) or ["none"]
        raise DtocError(
            f"no {vintage} population estimates (ONS MYE2) in {data_dir}; vintages found: "
            f"{', '.join(vintages)}. Add the file, run `dtoc fetch`, or name one with --population FILE"
            + describe_others(files)
        )
    if len({f.sha256 for f in candidates}) > 1:
        raise DtocError(
            f"several different {vintage} population workbooks in {data_dir}: "
            + ", ".join(str(f.path) for f in candidates)
            + "; name one with --use FILE (or --population FILE)"
        )
    return candidates[0]
