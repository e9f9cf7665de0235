"""Fixtures of the command tests."""

from __future__ import annotations

import pytest

from tests.support.loopback import serving_folder


@pytest.fixture
def official_site(real_data, tmp_path):
    """A loopback server publishing the real files by name (both folders' files in one place)."""
    site = tmp_path / "site"
    site.mkdir()
    for path in (*(real_data / "nhse-dtoc-la").iterdir(), *(real_data / "ons-mye").iterdir()):
        (site / path.name).symlink_to(path)
    with serving_folder(site) as url:
        yield url
