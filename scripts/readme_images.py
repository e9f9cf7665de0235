"""The README's pictures of a publication, made with headless Chromium: a brief's first screen and report.html's
what-if with the head of the table of every HWB, as small PNGs (64 colours) in docs/images/.

    uv run python scripts/readme_images.py data/derived/2017-18Q3

Chromium is found on PATH (chromium, chromium-browser, google-chrome) or named by DTOC_BROWSER.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# (picture, page in the publication, address fragment, window size, the part kept: left, top, right, bottom)
PICTURES = (
    ("brief-hartlepool.png", "hwb/E06000001-hartlepool-ua.html", "", (860, 1500), (80, 0, 800, 1500)),
    ("report-whatif.png", "report.html", "#nhs_cap=0.25&asc_upper=4.0", (1280, 3600), (0, 2180, 1280, 3480)),
)


def screenshot(browser: str, url: str, size: tuple[int, int], png: Path, profile: Path) -> None:
    """The page at url in a window of size, as Chromium paints it."""
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}",
            f"--screenshot={png}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("publication", type=Path, help="a dtoc run's output folder")
    folder = parser.parse_args().publication.resolve()
    browser = shutil.which(os.environ.get("DTOC_BROWSER", "")) or next(filter(None, map(shutil.which, BROWSERS)))
    with tempfile.TemporaryDirectory() as work:
        for name, page, fragment, size, box in PICTURES:
            raw = Path(work) / name
            screenshot(browser, (folder / page).as_uri() + fragment, size, raw, Path(work) / "profile")
            with Image.open(raw) as image:
                small = image.convert("RGB").crop(box).quantize(colors=64)
                small.save(IMAGES / name, optimize=True)
            print(f"{IMAGES / name}: {(IMAGES / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
