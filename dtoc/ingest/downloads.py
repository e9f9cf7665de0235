"""Fetch the published source files a run needs, as listed (with sha256) in the sources manifest.

A source counts as present when a file under the data folder holds its period (a month, or a population
vintage, read from the file's content), whatever its name or revision (`absent_sources`). Downloads go through a
small interface: `HttpDownloader` (the publishers' sites) or `LocalDownloader` (a mirror folder).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from http.client import HTTPException
from pathlib import Path
from typing import Protocol

from dtoc.config import Config
from dtoc.errors import DtocError
from dtoc.ingest.inputs import SOURCES_MANIFEST, SourceFile, sha256_of
from dtoc.periods import parse_month

SUBFOLDERS = {"delays": "nhse-dtoc-la", "population": "ons-mye"}
MANIFEST_COLUMNS = ["file_name", "kind", "period", "published", "revised", "sha256", "url", "landing_page"]
CHUNK_BYTES = 1 << 16
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SourceEntry:
    """One manifest row: a published file, what it holds ('delays' month or 'population' vintage), where from."""

    file_name: str
    kind: str
    period: str
    published: str
    revised: str
    sha256: str
    url: str
    landing_page: str

    @property
    def month(self) -> date | None:
        """First day of the month a delays workbook covers; None for population rows."""
        return parse_month(self.period) if self.kind == "delays" else None


def read_sources_manifest(path: Path = SOURCES_MANIFEST) -> list[SourceEntry]:
    """Every row of the sources manifest, checked: known kind, readable period, a 64-hex sha256."""
    try:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != MANIFEST_COLUMNS:
                raise DtocError(f"{path}: columns are {reader.fieldnames}, expected {MANIFEST_COLUMNS}")
            rows = list(reader)
    except OSError as error:
        raise DtocError(f"{path}: cannot read the sources manifest ({error})") from error
    entries = [SourceEntry(**{column: (row[column] or "").strip() for column in MANIFEST_COLUMNS}) for row in rows]
    for line, entry in enumerate(entries, start=2):
        problem = (
            "kind must be 'delays' or 'population'"
            if entry.kind not in SUBFOLDERS
            else "sha256 must be 64 lower-case hex digits"
            if not SHA256_PATTERN.match(entry.sha256)
            else "period is not a month"
            if entry.kind == "delays" and entry.month is None
            else None
        )
        if problem:
            raise DtocError(f"{path}, row {line} ({entry.file_name}): {problem}")
    return entries


class Downloader(Protocol):
    def read_chunks(self, url: str) -> Iterator[bytes]:
        """The bytes at url, in order; raises OSError (or HTTPException) if they cannot all be had."""


@dataclass(frozen=True)
class HttpDownloader:
    """The live source: HTTP(S) with a timeout; a body shorter than its Content-Length is an error."""

    timeout: float = 60.0
    user_agent: str = "dtoc (Better Care Fund DToC recomputation; python-urllib)"

    def read_chunks(self, url: str) -> Iterator[bytes]:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            declared = response.headers.get("Content-Length")
            received = 0
            for chunk in iter(lambda: response.read(CHUNK_BYTES), b""):
                received += len(chunk)
                yield chunk
            if declared is not None and received != int(declared):
                raise ConnectionError(f"transfer ended after {received} of {declared} bytes")


@dataclass(frozen=True)
class LocalDownloader:
    """An offline source: a mirror folder holding files named as the last part of each URL."""

    folder: Path

    def read_chunks(self, url: str) -> Iterator[bytes]:
        with (Path(self.folder) / url.rsplit("/", 1)[-1]).open("rb") as handle:
            yield from iter(lambda: handle.read(CHUNK_BYTES), b"")


def describe_manual_step(entries: list[SourceEntry], data_dir: Path) -> str:
    """A sentence per file that has no direct URL: what to download, from which page, into which folder."""
    steps = [
        f"download {entry.file_name} ({entry.kind} {entry.period}) from {entry.landing_page or 'its publisher'}"
        f" and put it in {Path(data_dir) / SUBFOLDERS[entry.kind]}"
        for entry in entries
    ]
    return "no direct download URL is known; " + "; ".join(steps)


class DownloadFailed(DtocError):
    """A file could not be had from its URL (no network, the server): the message says how to do without it;
    `short` says only which file from where, and why."""

    def __init__(self, message: str, entry: SourceEntry, reason: object) -> None:
        super().__init__(message)
        self.entry, self.reason = entry, reason
        self.short = f"cannot download {entry.file_name} from {entry.url}: {reason}"


def download_source(entry: SourceEntry, data_dir: Path, downloader: Downloader) -> Path:
    """Download one file to data_dir/<subfolder>/<file_name>, sha256-checked; on any failure nothing is left."""
    if not entry.url:
        raise DtocError(describe_manual_step([entry], data_dir))
    target = Path(data_dir) / SUBFOLDERS[entry.kind] / entry.file_name
    if target.exists():
        actual = sha256_of(target)
        if actual == entry.sha256:
            return target
        raise DtocError(
            f"{target} exists with sha256 {actual}, not the expected {entry.sha256}; move it away and fetch again"
        )
    created = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{entry.file_name}.partial-{os.getpid()}")
    try:
        actual = write_chunks(partial, downloader.read_chunks(entry.url))
        if actual != entry.sha256:
            raise DtocError(f"{entry.file_name} from {entry.url}: sha256 is {actual}, expected {entry.sha256}")
        os.replace(partial, target)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        for folder in created:  # the folders made for this file, innermost first, if nothing else came into them
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(error, (OSError, HTTPException, ValueError)):
            reason = getattr(error, "reason", None) or error
            raise DownloadFailed(download_failed(entry, reason, [entry], Path(data_dir)), entry, reason) from error
        raise
    return target


def download_failed(entry: SourceEntry, reason: object, missing: list[SourceEntry], data_dir: Path) -> str:
    """One line: which file could not be downloaded from where and why, which files the folder still lacks,
    where each goes (and the page it is published on), and how to do without the download."""
    places = []
    for kind, folder in SUBFOLDERS.items():
        names = [e.file_name for e in missing if e.kind == kind]
        pages = sorted({e.landing_page for e in missing if e.kind == kind and e.landing_page})
        if names:
            published = f" (published on {', '.join(pages)})" if pages else ""
            places.append(f"{', '.join(names)} in {Path(data_dir) / folder}{published}")
    named = "--population FILE" if {e.kind for e in missing} == {"population"} else "--use FILE"
    return (
        f"cannot download {entry.file_name} ({describe_entry(entry)}) from {entry.url}: {reason}. If this machine "
        f"is offline, put the {len(missing)} missing file(s) in place yourself: {'; '.join(places)}; or name a copy "
        f"with {named}, or point --data-dir (or DTOC_DATA_DIR) at a folder that holds them; --no-fetch never "
        "downloads"
    )


def describe_entry(entry: SourceEntry) -> str:
    """'the DToC workbook for December 2017' or 'the mid-2016 population estimates'."""
    if entry.kind == "population":
        return f"the {entry.period} population estimates"
    return f"the DToC workbook for {entry.period}"


def write_chunks(path: Path, chunks: Iterator[bytes]) -> str:
    """Write chunks to a new file, fsynced; returns their sha256."""
    digest = hashlib.sha256()
    with path.open("xb") as handle:
        for chunk in chunks:
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest()


def download_entries(
    entries: list[SourceEntry], data_dir: Path, downloader: Downloader | None = None, log: Callable[[str], None] = print
) -> list[Path]:
    """Download each entry into data_dir (sha256-checked, no partial files); returns the paths written.

    If any entry has no direct URL, stops before downloading anything, naming each such file, its landing
    page and the folder to put it in. Which entries a folder lacks is decided by `absent_sources` (by period).
    """
    manual = [entry for entry in entries if not entry.url]
    if manual:
        raise DtocError(describe_manual_step(manual, data_dir))
    downloader = downloader or HttpDownloader()
    downloaded: list[Path] = []
    for index, entry in enumerate(entries):
        log(
            f"{data_dir} holds no file with {describe_entry(entry)}: downloading {entry.file_name} ({index + 1} of "
            f"{len(entries)}) from {entry.url} into {Path(data_dir) / SUBFOLDERS[entry.kind]} (sha256-checked; "
            "--no-fetch never downloads)"
        )
        try:
            downloaded.append(download_source(entry, Path(data_dir), downloader))
        except DownloadFailed as failure:  # say what the folder still lacks, not only this file
            message = download_failed(entry, failure.reason, entries[index:], Path(data_dir))
            raise DownloadFailed(message, entry, failure.reason) from failure.__cause__
    return downloaded


def absent_sources(
    files: list[SourceFile], config: Config, entries: list[SourceEntry], population_given: bool
) -> list[SourceEntry]:
    """Manifest entries for the quarter's months and the population vintage that no file in the folder holds.
    Periods the manifest does not list are left for input selection to report."""
    months = {f.period for f in files if f.kind == "delays"}
    vintages = {f.period for f in files if f.kind == "population"}
    wanted = [
        e
        for m in config.baseline.months
        if m.isoformat() not in months
        for e in entries
        if e.kind == "delays" and e.month == m
    ][:3]
    if not population_given and config.population_vintage not in vintages:
        wanted += [e for e in entries if e.kind == "population" and e.period == config.population_vintage][:1]
    return wanted


def fetch_absent_inputs(
    data_dir: Path,
    files: list[SourceFile],
    config: Config,
    population_given: bool,
    manifest_path: Path,
    log: Callable[[str], None],
) -> list[Path]:
    """Download each absent source into data_dir (sha256 checked, no partial files); [] when nothing lacks."""
    wanted = absent_sources(files, config, read_sources_manifest(manifest_path), population_given)
    try:
        return download_entries(wanted, data_dir, HttpDownloader(), log)
    except OSError as error:
        raise DtocError(f"cannot write into {data_dir}: {error}") from error
