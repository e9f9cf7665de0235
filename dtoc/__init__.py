"""dtoc: the Better Care Fund's Delayed Transfers of Care expectations, recomputed from the published workbooks.

The Python API, for notebooks (each function's docstring has a runnable example):

  dtoc.expectations(data_dir, baseline, parameters, ...)  the expectations table, computed, nothing published
  dtoc.sweep(policies, data_dir, ...)                     a policy sweep: one row per policy (or per policy and HWB)
  dtoc.read_table(folder, table=None)                     a publication's table, as published
  dtoc.read_manifest(folder)                              a publication's manifest
  dtoc.explain(folder, hwb, metric=None)                  the cells, rule and band behind an HWB's figures
  dtoc.DtocError                                          what every one of them raises, with a one-line message

`import dtoc` imports none of polars, DuckDB or Prefect: each function is imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dtoc.errors import DtocError

if TYPE_CHECKING:
    from dtoc.api import expectations, sweep
    from dtoc.api_read import explain, read_manifest, read_table

_API = {
    "expectations": "dtoc.api",
    "sweep": "dtoc.api",
    "read_table": "dtoc.api_read",
    "read_manifest": "dtoc.api_read",
    "explain": "dtoc.api_read",
}
__all__ = ["DtocError", "expectations", "explain", "read_manifest", "read_table", "sweep"]


def __getattr__(name: str) -> object:
    """The API's functions, imported on first use (so that `import dtoc` stays cheap)."""
    if name not in _API:
        raise AttributeError(f"module 'dtoc' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_API[name]), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
