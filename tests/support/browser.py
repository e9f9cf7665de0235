"""Headless Chromium for the tests: render a page to a screenshot and collect what its console complained of."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections.abc import Mapping
from pathlib import Path

import pytest

# Names a Chromium-based browser goes by on PATH, in the order tried; DTOC_BROWSER (a path or a name) comes first.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--enable-logging=stderr",
    "--v=0",
)


def find_browser(environ: Mapping[str, str] = os.environ) -> str | None:
    """The browser's executable: $DTOC_BROWSER (a path, or a name looked up on PATH), else the first of
    BROWSER_NAMES on PATH; None when there is none."""
    path = environ.get("PATH", os.defpath)
    if environ.get("DTOC_BROWSER"):
        return shutil.which(environ["DTOC_BROWSER"], path=path)
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name, path=path))), None)


def browser_or_fail() -> str:
    """The browser, or the test fails with one line saying how to provide one."""
    found = find_browser()
    if found is None:
        wanted = (
            f"DTOC_BROWSER={os.environ['DTOC_BROWSER']} is not an executable"
            if os.environ.get("DTOC_BROWSER")
            else (f"no browser on PATH ({', '.join(BROWSER_NAMES)})")
        )
        pytest.fail(
            f"{wanted}: the page tests render pages in headless Chromium; install it (Debian: apt-get install -y "
            "chromium) or set DTOC_BROWSER to its executable",
            pytrace=False,
        )
    return found


def chromium(arguments: list[str], profile: Path) -> subprocess.CompletedProcess:
    """Run headless Chromium with a fresh profile; fail the test in one line if there is none."""
    return subprocess.run(
        [browser_or_fail(), *FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=180,
    )


def console_complaints(stderr: str, page: str) -> list[str]:
    """Lines of Chromium's log that report a script error, a console error or a failed load."""
    return [
        line
        for line in stderr.splitlines()
        if "Uncaught" in line or "ERROR:CONSOLE" in line or ("CONSOLE" in line and page in line) or "net::ERR" in line
    ]


def render_in_chromium(page: Path, tmp_path: Path, size: tuple[int, int] = (1280, 2000)) -> tuple[list[str], Path]:
    """Screenshot `page` at size; returns the console complaints and the PNG's path."""
    screenshot = tmp_path / f"{page.stem}.png"
    result = chromium(
        [f"--screenshot={screenshot}", f"--window-size={size[0]},{size[1]}", page.as_uri()], tmp_path / "profile"
    )
    assert result.returncode == 0 and screenshot.is_file(), result.stderr[-3000:]
    return console_complaints(result.stderr, page.name), screenshot


def print_to_pdf(page: Path, tmp_path: Path) -> tuple[list[str], Path]:
    """Print `page` to PDF as a reader's browser would (print stylesheet applies); complaints and the PDF path."""
    pdf = tmp_path / f"{page.stem}.pdf"
    result = chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], tmp_path / "profile-pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stderr[-3000:]
    return console_complaints(result.stderr, page.name), pdf


def read_png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG (stdlib only)."""
    data, position, chunks = path.read_bytes(), 8, []
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A), non-interlaced PNGs"
    pixel = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride, rows, previous = width * pixel, [], bytearray(width * pixel)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - pixel] if i >= pixel else 0
            up, corner = previous[i], previous[i - pixel] if i >= pixel else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(b for j in range(0, stride, pixel) for b in row[j : j + 3]) for row in rows]


def dump_dom(page: Path, tmp_path: Path, fragment: str = "") -> tuple[list[str], str]:
    """The page's DOM after its scripts ran (the address may carry a #fragment); and the console complaints."""
    result = chromium(["--dump-dom", page.as_uri() + fragment], tmp_path / "profile-dom")
    assert result.returncode == 0, result.stderr[-3000:]
    return console_complaints(result.stderr, page.name), result.stdout
