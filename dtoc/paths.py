"""Where dtoc finds its own files: the SQL models, the reference tables, the parameters, the project root.

One place, so that a checkout and an installed wheel (where `sql/` travels inside the package as `dtoc/sql`)
resolve the same names.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
SQL_DIR = PACKAGE_DIR / "sql" if (PACKAGE_DIR / "sql").is_dir() else PROJECT_ROOT / "sql"
REFERENCE_DIR = PACKAGE_DIR / "reference"
PARAMETERS_FILE = PACKAGE_DIR / "parameters.toml"
SOURCES_MANIFEST = REFERENCE_DIR / "sources.csv"
DERIVED_DIR = Path("data", "derived")  # where the commands publish unless --out says otherwise (relative)
