"""Headless Chromium driven through its DevTools protocol over a pipe (`--remote-debugging-pipe`: no port, no
library): open a page at a window width, as the screen or as print shows it, and run a script in it whose result
comes back as JSON (numbers with full precision). One browser serves many pages, so a test module pays for one
start (about a second).

    with DevTools(tmp_path) as browser:
        browser.open(page, width=1280)
        widths = browser.evaluate("document.documentElement.scrollWidth")
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
import time
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from tests.support.browser import FLAGS, browser_or_fail

TIMEOUT = 60.0  # seconds to wait for any one answer of the browser
SCREEN = 1280  # the window every table must fit, in CSS pixels
# The width print lays a page out in, in CSS pixels (96 to the inch): A4 landscape (297 mm) less the stylesheet's
# 10 mm margins for the pages, A4 portrait (210 mm) less its 12 mm margins for a brief
PRINT_LANDSCAPE, PRINT_PORTRAIT = round((297 - 2 * 10) / 25.4 * 96), round((210 - 2 * 12) / 25.4 * 96)

# Every table of the page (the closed <details> opened first): its right edge, width, and whether an element
# around it scrolls sideways to hold it; and the page's own width against the window's.
TABLE_WIDTHS = """(() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const view = document.documentElement.clientWidth;
  const tables = Array.from(document.querySelectorAll("table")).map((table, index) => {
    const box = table.getBoundingClientRect();
    let scrolls = false;
    for (let e = table.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") { scrolls = true; }
    }
    const head = table.querySelector("th, td");
    return {index: index, name: table.id || table.className || (head ? head.textContent.trim().slice(0, 40) : ""),
            right: box.right, width: box.width, scrolls: scrolls};
  });
  return {view: view, page: document.documentElement.scrollWidth, tables: tables};
})()"""


class DevTools:
    """One headless Chromium with one tab, driven over the DevTools pipe; a context manager that closes it."""

    def __init__(self, tmp_path: Path) -> None:
        self.profile, self.buffer, self.counter, self.events = tmp_path / "devtools-profile", b"", 0, []

    def __enter__(self) -> DevTools:
        to_browser, from_browser = os.pipe(), os.pipe()
        # the browser reads commands on fd 3 and writes answers on fd 4: the child's ends, first moved clear of
        # 3 and 4 (closed on exec), are copied there in the child; Python's own descriptors are not inherited
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser[0], from_browser[1])]
        for fd in (to_browser[0], from_browser[1]):
            os.close(fd)

        def plumb() -> None:
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        self.process = subprocess.Popen(
            [browser_or_fail(), *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            close_fds=False,
            preexec_fn=plumb,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in ends:
            os.close(fd)
        self.writer, self.reader = to_browser[1], from_browser[0]
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self.call("Page.enable", session=True)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, RuntimeError):  # closed already
            self.call("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.writer)
        os.close(self.reader)

    def message(self) -> dict:
        """The browser's next message (an answer or an event)."""
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.reader], [], [], max(deadline - time.monotonic(), 0))
            chunk = os.read(self.reader, 1 << 20) if ready else b""
            if not chunk:
                raise RuntimeError("the browser stopped answering (or took longer than a minute)")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: bool = False, **params: object) -> dict:
        """Send one command (to the tab when `session`) and return its result; an error answer raises."""
        self.counter += 1
        command: dict = {"id": self.counter, "method": method, "params": params}
        if session:
            command["sessionId"] = self.session
        os.write(self.writer, json.dumps(command).encode() + b"\0")
        while True:
            answer = self.message()
            if answer.get("id") == self.counter:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, event: str) -> dict:
        """The first event of that name since the last wait (kept or still to come)."""
        while True:
            found = next((e for e in self.events if e.get("method") == event), None)
            if found is not None:
                self.events = []
                return found
            self.events.append(self.message())

    def open(self, page: Path | str, width: int = 1280, height: int = 900, media: str = "screen") -> None:
        """Load the page (a file, or an address with a #fragment) in a window `width` CSS pixels wide, styled
        for the screen or for print."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Emulation.setEmulatedMedia", session=True, media=media)
        self.events = []
        self.call("Page.navigate", session=True, url=page.as_uri() if isinstance(page, Path) else page)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> object:
        """The expression's value in the page (awaited if a promise), as JSON; a script error raises."""
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"the page's script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def print_pdf(self) -> bytes:
        """The open page printed as a reader's browser prints it (its own page size and margins)."""
        printed = self.call("Page.printToPDF", session=True, preferCSSPageSize=True, printBackground=True)
        return base64.b64decode(printed["data"])


def tables_that_do_not_fit(browser: DevTools, page: Path, width: int, media: str = "screen") -> list[str]:
    """Each table of the page that is wider than a `width` px window, or scrolls sideways, or makes the page
    scroll sideways (as the screen, or print, shows it), described in one line."""
    browser.open(page, width=width, media=media)
    measured = browser.evaluate(TABLE_WIDTHS)
    assert isinstance(measured, dict)
    view = measured["view"]
    wrong = [
        f"{page.name} table {t['index']} ({t['name']}): {t['width']:.0f} px wide, right edge at {t['right']:.0f} "
        f"of {view}{', scrolls sideways' if t['scrolls'] else ''}"
        for t in measured["tables"]
        if t["right"] > view + 0.5 or t["scrolls"]
    ]
    if measured["page"] > view:
        wrong.append(f"{page.name}: the page is {measured['page']} px wide in a {view} px window")
    return wrong


def pages_that_do_not_fit(pages: list[Path], tmp_path: Path, paper: str = "landscape") -> list[str]:
    """What does not fit, page by page: a table wider than a 1,280 px window, or wider than A4 (`paper`
    'landscape' or 'portrait') in print; and a page that does not print on A4 of that orientation."""
    wrong = []
    printable, size = (PRINT_LANDSCAPE, (842, 595)) if paper == "landscape" else (PRINT_PORTRAIT, (595, 842))
    with DevTools(tmp_path) as browser:
        for page in pages:
            wrong += tables_that_do_not_fit(browser, page, SCREEN)
            wrong += [f"printed: {line}" for line in tables_that_do_not_fit(browser, page, printable, "print")]
            sheets = PdfReader(BytesIO(browser.print_pdf())).pages
            sizes = {tuple(round(float(v)) for v in sheet.mediabox.upper_right) for sheet in sheets}
            if sizes != {size}:
                wrong.append(f"{page.name} prints on {sorted(sizes)} points, not A4 {paper} {size}")
    return wrong
