"""Policy scenarios: every HWB's expectation under many alternative Annex 3 policies, computed set-wise.

policies.py reads and checks a POLICIES CSV, grid.py expands a --grid TOML file into the same table, sweep.py
reads each (baseline quarter, population vintage) group's data once and runs the shared SQL models over all
its policies in one DuckDB database, answer.py ranks the policies near the ambition, page.py draws the HTML
page and command.py publishes it all (`dtoc scenarios`).
"""

# --tolerance by default: policies within this many daily delays of the national ambition are ranked
DEFAULT_TOLERANCE = 50.0
