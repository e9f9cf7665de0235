"""Policy scenarios: every HWB's expectation under many alternative Annex 3 policies, computed set-wise.

table.py defines the policies table, policies.py reads a POLICIES CSV into it (checks.py holds the checks),
grid.py expands a --grid TOML file into the same table, groups.py reads each (baseline quarter, population
vintage) group's data once, sweep.py runs the shared SQL models over all policies in one DuckDB database,
answer.py ranks the policies near the ambition, page.py draws the HTML page and command.py publishes it all
(`dtoc scenarios`).
"""

# --tolerance by default: policies within this many daily delays of the national ambition are ranked
DEFAULT_TOLERANCE = 50.0
