"""Where the tests find the real published workbooks (no tests here): $DTOC_DATA_DIR, else ../shared/data beside
the project, else data/raw. A folder holds them when it has every file of dtoc/reference/sources.csv in its
subfolder (nhse-dtoc-la/, ons-mye/) and the folder's record of them, SOURCES.tsv (path, period_in_file,
published, revised, sha256, official_url: the shared folder's own format, which some tests read).

When no folder holds them, they are fetched once into data/raw by dtoc's own fetch (sha256-checked, no partial
files; a file already there is kept when its sha256 is the listed one) and recorded in SOURCES.tsv; when that is
impossible (offline), one line says how to provide them. Parallel test workers take turns through a lock file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import portalocker

from dtoc.errors import DtocError
from dtoc.ingest.downloads import (
    SUBFOLDERS,
    Downloader,
    DownloadFailed,
    SourceEntry,
    download_entries,
    download_source,
)

RECORD = "SOURCES.tsv"
RECORD_COLUMNS = ["path", "period_in_file", "published", "revised", "sha256", "official_url"]


def candidate_folders(project_root: Path, environ: Mapping[str, str]) -> list[Path]:
    """The folders to look in, in order: $DTOC_DATA_DIR (when set), ../shared/data, data/raw."""
    configured = environ.get("DTOC_DATA_DIR")
    shared, raw = project_root.parent / "shared" / "data", project_root / "data" / "raw"
    return [Path(configured), shared, raw] if configured else [shared, raw]


def entry_path(entry: SourceEntry) -> str:
    """'nhse-dtoc-la/LA-Type-B-October-2017-B2B1c.xls': where a listed file lies in a data folder."""
    return f"{SUBFOLDERS[entry.kind]}/{entry.file_name}"


def holds_real_data(folder: Path, entries: list[SourceEntry]) -> bool:
    return (folder / RECORD).is_file() and all((folder / entry_path(entry)).is_file() for entry in entries)


def write_record(folder: Path, entries: list[SourceEntry]) -> None:
    """SOURCES.tsv for files fetched by their listed sha256 (never over a record that is there)."""
    if (folder / RECORD).exists():
        return
    with (folder / RECORD).open("x", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(RECORD_COLUMNS)
        for e in entries:
            writer.writerow([entry_path(e), e.period, e.published, e.revised, e.sha256, e.url])


def fetch_real_data(folder: Path, entries: list[SourceEntry], downloader: Downloader, log: Callable) -> Path:
    """Download into folder every listed file it lacks (dtoc's fetch), then record them."""
    folder.mkdir(parents=True, exist_ok=True)
    absent = [e for e in entries if not (folder / entry_path(e)).exists()]
    for entry in entries:
        if entry not in absent:
            download_source(entry, folder, downloader)  # a file already there: its sha256 checked, not downloaded
    download_entries(absent, folder, downloader, log)
    write_record(folder, entries)
    return folder


def find_real_data(
    project_root: Path,
    entries: list[SourceEntry],
    downloader: Downloader,
    lock_file: Path,
    environ: Mapping[str, str] = os.environ,
    log: Callable[[str], None] = print,
) -> Path:
    """The first candidate folder that holds the real data; else data/raw, fetched; a DtocError of one line
    saying how to provide them if the fetch fails."""
    candidates = candidate_folders(project_root, environ)
    with portalocker.Lock(str(lock_file), timeout=900):
        found = next((folder for folder in candidates if holds_real_data(folder, entries)), None)
        if found is not None:
            return found
        try:
            return fetch_real_data(candidates[-1], entries, downloader, log)
        except DtocError as error:
            why = error.short if isinstance(error, DownloadFailed) else str(error)
            problem = (
                f"the tests need the real published workbooks ({len(entries)} files of dtoc/reference/sources.csv "
                f"in nhse-dtoc-la/ and ons-mye/, and {RECORD}) and none of {', '.join(map(str, candidates))} holds "
                f"them; fetching them into {candidates[-1]} failed ({why}): set DTOC_DATA_DIR to a folder that "
                "holds them, or put them in ../shared/data beside the project"
            )
    raise DtocError(problem)  # outside the handler: one line, not a chain of tracebacks
