"""The page tests find their browser on PATH or through DTOC_BROWSER, never at a fixed path (issue 21); without
one they fail with one line saying so. The executables here are files the test makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import browser_or_fail, find_browser


def executable(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("names", [["chromium-browser"], ["google-chrome"], ["google-chrome", "chromium"]])
def test_a_browser_is_found_on_path_by_any_of_its_names(tmp_path, names):
    made = [executable(tmp_path / f"bin{i}", name) for i, name in enumerate(names)]
    path = ":".join(str(p.parent) for p in made)
    expected = next(p for p in made if p.name == "chromium") if "chromium" in names else made[0]
    assert find_browser({"PATH": path}) == str(expected)


def test_dtoc_browser_names_the_browser_first(tmp_path):
    on_path = executable(tmp_path / "bin", "chromium")
    chosen = executable(tmp_path / "opt", "my-chrome")
    assert find_browser({"PATH": str(on_path.parent), "DTOC_BROWSER": str(chosen)}) == str(chosen)
    assert find_browser({"PATH": str(chosen.parent), "DTOC_BROWSER": "my-chrome"}) == str(chosen)
    assert find_browser({"PATH": str(on_path.parent), "DTOC_BROWSER": str(tmp_path / "none")}) is None


def test_a_file_that_is_not_executable_is_no_browser(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "chromium").write_text("not a program")
    assert find_browser({"PATH": str(tmp_path / "bin")}) is None


def test_without_a_browser_the_page_tests_fail_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DTOC_BROWSER", raising=False)
    with pytest.raises(pytest.fail.Exception) as caught:
        browser_or_fail()
    message = str(caught.value)
    assert "\n" not in message and "no browser on PATH (chromium, chromium-browser, google-chrome" in message
    assert "DTOC_BROWSER" in message and "apt-get install -y chromium" in message
    monkeypatch.setenv("DTOC_BROWSER", str(tmp_path / "gone"))
    with pytest.raises(pytest.fail.Exception, match=r"DTOC_BROWSER=.*gone is not an executable"):
        browser_or_fail()
