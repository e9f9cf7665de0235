"""Loopback HTTP servers (127.0.0.1, a free port, a thread): the official sites' and Prefect's stand-ins in the
tests. `serving` runs any handler; `serving_folder` publishes a folder's files by name; `PayloadHandler` serves the
bytes of a dict and records the paths asked for; `loopback_manifest` points the project's sources manifest at one."""

from __future__ import annotations

import csv
import functools
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dtoc.ingest.downloads import SOURCES_MANIFEST


class QuietHandler(SimpleHTTPRequestHandler):
    """A folder's files by name, without a log line per request."""

    def log_message(self, *args) -> None:
        pass


class PayloadHandler(BaseHTTPRequestHandler):
    """The server's `payloads` (path -> bytes) with their length; 404 for anything else; every path asked for is
    appended to the server's `requests`."""

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        body = self.server.payloads.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(handler, payloads: dict[str, bytes] | None = None) -> Iterator[ThreadingHTTPServer]:
    """A server running handler until the block ends; its `requests` lists the paths a PayloadHandler was asked
    for, its `payloads` are what a PayloadHandler serves."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    httpd.requests = []
    httpd.payloads = payloads or {}
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def url_of(httpd: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


@contextmanager
def serving_folder(folder: Path) -> Iterator[str]:
    """The base URL of a server publishing folder's files by name."""
    with serving(functools.partial(QuietHandler, directory=str(folder))) as httpd:
        yield url_of(httpd)


def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on (a download from it fails at once, as offline)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def loopback_manifest(path: Path, base_url: str) -> Path:
    """The project's sources manifest with every URL moved to base_url (the file's name kept)."""
    with SOURCES_MANIFEST.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["url"] = f"{base_url}/{row['file_name']}"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
