"""Policy scenarios: every HWB's expectation under many alternative Annex 3 policies, computed set-wise.

table.py defines the policies table, policies.py reads a POLICIES CSV into it (checks.py holds the checks),
grid.py expands a --grid TOML file into the same table, plan.py checks a request before any data are read,
budget.py states what a sweep may use (DuckDB's memory and spill, the long form's bounds), groups.py reads each
(baseline quarter, population vintage) group's data once, sweep.py runs the shared SQL models over all
policies a chunk at a time in one DuckDB database, stream.py writes its tables batch by batch, findings.py and
answer.py answer the question near the ambition, series.py and page.py draw the HTML page, record.py writes
the manifest and command.py publishes it all (`dtoc scenarios`).
"""

# --tolerance by default: policies within this many daily delays of the national ambition are ranked
DEFAULT_TOLERANCE = 50.0
