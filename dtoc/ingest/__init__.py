"""Ingest: find the input files by their content, download what is missing, and read each workbook into long
form with the cell reference of every value (DToC monthly workbooks, ONS MYE2 population estimates)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dtoc.paths import PACKAGE_DIR


def ingest_code_digest() -> str:
    """A short digest of the code that reads input files (this package and dtoc/periods.py): a cached ingest
    result is reused only while this code is unchanged."""
    digest = hashlib.sha256()
    for path in [*sorted(Path(__file__).parent.glob("*.py")), PACKAGE_DIR / "periods.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
