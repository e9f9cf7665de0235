"""`python -m expectations.definitions`: rewrite expectations/suites/*.json from the Python definitions."""

import os

os.environ["GX_ANALYTICS_ENABLED"] = "false"

from expectations.definitions import write_suites

for written in write_suites():
    print(written)
