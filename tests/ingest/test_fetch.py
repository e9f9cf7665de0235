"""Fetching sources: the live HttpDownloader against a loopback server (127.0.0.1 only), and the manifest."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest

from dtoc.config import load_config
from dtoc.errors import DtocError
from dtoc.ingest.downloads import (
    MANIFEST_COLUMNS,
    HttpDownloader,
    LocalDownloader,
    absent_sources,
    download_entries,
    download_source,
    read_sources_manifest,
)
from dtoc.periods import parse_quarter
from tests.support.loopback import PayloadHandler, closed_port_url, serving, url_of

QUARTER = parse_quarter("2017-18Q3")
PAYLOADS = {
    "/oct.xls": b"october " * 1000,
    "/nov.xls": b"november " * 1000,
    "/dec.xls": b"december " * 1000,
    "/pop.xls": b"population " * 1000,
}


class TruncatingHandler(PayloadHandler):
    """Serves PAYLOADS; '/truncated' declares 1000 bytes, sends 10 and closes; anything else is 404."""

    def do_GET(self) -> None:
        if self.path != "/truncated":
            super().do_GET()
            return
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"0123456789")
        self.close_connection = True


@pytest.fixture
def server():
    """A loopback HTTP server; its .requests lists the paths asked for."""
    with serving(TruncatingHandler, PAYLOADS) as httpd:
        yield httpd


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_manifest(path: Path, url: str, overrides: dict[str, dict[str, str]] | None = None) -> Path:
    """A manifest for 2017-18Q3 + mid-2016 pointing at the loopback server; overrides change fields by file."""
    rows = [
        {
            "file_name": f"{name}.xls",
            "kind": kind,
            "period": period,
            "published": "",
            "revised": "",
            "sha256": sha(PAYLOADS[f"/{name}.xls"]),
            "url": f"{url}/{name}.xls",
            "landing_page": "https://lp/",
        }
        for name, kind, period in [
            ("oct", "delays", "October 2017"),
            ("nov", "delays", "November 2017"),
            ("dec", "delays", "December 2017"),
            ("pop", "population", "mid-2016"),
        ]
    ]
    for row in rows:
        row.update((overrides or {}).get(row["file_name"], {}))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def fetch(tmp_path: Path, manifest: Path) -> list[Path]:
    """Download the quarter's and the vintage's entries of the manifest into tmp_path/data."""
    entries = absent_sources([], load_config(), read_sources_manifest(manifest), population_given=False)
    return download_entries(entries, tmp_path / "data", HttpDownloader(timeout=5), log=lambda _: None)


def all_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_downloads_land_with_the_right_bytes_and_no_partial_files(tmp_path, server):
    downloaded = fetch(tmp_path, write_manifest(tmp_path / "m.csv", url_of(server)))
    data = tmp_path / "data"
    assert [p.relative_to(data).as_posix() for p in downloaded] == [
        "nhse-dtoc-la/oct.xls",
        "nhse-dtoc-la/nov.xls",
        "nhse-dtoc-la/dec.xls",
        "ons-mye/pop.xls",
    ]
    assert (data / "ons-mye" / "pop.xls").read_bytes() == PAYLOADS["/pop.xls"]
    assert (data / "nhse-dtoc-la" / "dec.xls").read_bytes() == PAYLOADS["/dec.xls"]
    assert len(all_files(data)) == 4


def test_hash_mismatch_names_both_hashes_and_leaves_nothing(tmp_path, server):
    wrong = "0" * 64
    manifest = write_manifest(tmp_path / "m.csv", url_of(server), {"oct.xls": {"sha256": wrong}})
    with pytest.raises(DtocError) as caught:
        fetch(tmp_path, manifest)
    assert wrong in str(caught.value) and sha(PAYLOADS["/oct.xls"]) in str(caught.value)
    assert "oct.xls" in str(caught.value) and f"{url_of(server)}/oct.xls" in str(caught.value)
    assert all_files(tmp_path / "data") == []


@pytest.mark.parametrize("path, expected", [("/gone.xls", "404"), ("/truncated", "10 of 1000 bytes")])
def test_http_404_and_truncated_transfer_fail_naming_file_and_url(tmp_path, server, path, expected):
    url = url_of(server) + path
    manifest = write_manifest(tmp_path / "m.csv", url_of(server), {"oct.xls": {"url": url}})
    with pytest.raises(DtocError) as caught:
        fetch(tmp_path, manifest)
    assert "oct.xls" in str(caught.value) and url in str(caught.value) and expected in str(caught.value)
    assert all_files(tmp_path / "data") == []


def test_interrupt_mid_transfer_leaves_nothing(tmp_path, server):
    class InterruptedDownloader:
        def read_chunks(self, url):
            yield b"first chunk"
            raise KeyboardInterrupt

    entry = read_sources_manifest(write_manifest(tmp_path / "m.csv", url_of(server)))[0]
    with pytest.raises(KeyboardInterrupt):
        download_source(entry, tmp_path / "data", InterruptedDownloader())
    assert all_files(tmp_path / "data") == []


def test_a_different_file_at_the_target_path_is_not_overwritten(tmp_path, server):
    entry = read_sources_manifest(write_manifest(tmp_path / "m.csv", url_of(server)))[0]
    target = tmp_path / "data" / "nhse-dtoc-la" / "oct.xls"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"someone else's file")
    with pytest.raises(DtocError, match="exists with sha256"):
        download_source(entry, tmp_path / "data", HttpDownloader(timeout=5))
    assert target.read_bytes() == b"someone else's file"
    assert server.requests == []


def test_a_row_without_url_names_landing_page_and_folder_before_downloading(tmp_path, server):
    manifest = write_manifest(
        tmp_path / "m.csv",
        url_of(server),
        {"pop.xls": {"url": "", "landing_page": "https://www.ons.gov.uk/mye-page"}},
    )
    with pytest.raises(DtocError) as caught:
        fetch(tmp_path, manifest)
    message = str(caught.value)
    assert "pop.xls" in message and "https://www.ons.gov.uk/mye-page" in message
    assert str(tmp_path / "data" / "ons-mye") in message
    assert server.requests == [] and all_files(tmp_path) == ["m.csv"]


def test_local_downloader_copies_from_a_mirror_folder(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "dec.xls").write_bytes(PAYLOADS["/dec.xls"])
    entry = read_sources_manifest(write_manifest(tmp_path / "m.csv", "https://example.invalid/x"))[2]
    target = download_source(entry, tmp_path / "data", LocalDownloader(mirror))
    assert target.read_bytes() == PAYLOADS["/dec.xls"]


def test_an_empty_folder_lacks_the_quarter_and_the_vintage_of_the_real_manifest(config):
    needed = absent_sources([], config, read_sources_manifest(), population_given=False)
    assert [(e.kind, e.period) for e in needed] == [
        ("delays", "October 2017"),
        ("delays", "November 2017"),
        ("delays", "December 2017"),
        ("population", "mid-2016"),
    ]
    assert [e.month for e in needed[:3]] == [date(2017, 10, 1), date(2017, 11, 1), date(2017, 12, 1)]
    assert all(e.url.startswith("https://") for e in needed)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("kind", "weather", "kind must be"),
        ("sha256", "abc", "sha256 must be"),
        ("period", "sometime", "period is not a month"),
    ],
)
def test_a_bad_manifest_row_is_named(tmp_path, field, value, message):
    manifest = write_manifest(tmp_path / "m.csv", "http://unused", {"nov.xls": {field: value}})
    with pytest.raises(DtocError, match=rf"m\.csv, row 3 \(nov\.xls\): {message}"):
        read_sources_manifest(manifest)


def test_offline_says_what_to_do_and_leaves_no_folder_behind(tmp_path, server):
    """A refused connection (nothing listens on the port): one line naming the file, the URL, why, and the ways
    round the download; the folders made for the file are gone again."""
    closed = closed_port_url()
    manifest = write_manifest(tmp_path / "m.csv", closed)
    with pytest.raises(DtocError) as caught:
        fetch(tmp_path, manifest)
    message = str(caught.value)
    for fragment in ("cannot download oct.xls", f"{closed}/oct.xls", "refused", "offline", "--no-fetch", "--use"):
        assert fragment in message, (fragment, message)
    assert str(tmp_path / "data" / "nhse-dtoc-la") in message
    assert not (tmp_path / "data").exists()
