"""A quiet loopback HTTP handler: the official sites' stand-in in the download tests."""

from __future__ import annotations

from http.server import SimpleHTTPRequestHandler


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass
