"""The validation gate: Great Expectations suites run on check frames computed from a run's DuckDB file.

- checks/<frame>.sql: one check frame per file (pandas, via DuckDB), every row with a `location` column;
- suites/<frame>.json: the committed GX suite of that frame (regenerate: python -m expectations.definitions);
- definitions/: the suites in Python; gate.run_gate: the entry point, which worker.py runs in a process of its
  own for `dtoc run` (tests may call it in-process).

Nothing here imports GX at module import time; only expectations.validate does, inside its function.
"""
