"""The suites in Python: one list of expectations per check frame, written to expectations/suites/<frame>.json.

The committed JSON files are what the gate runs; regenerate them after editing a definition with
`uv run --no-sync python -m expectations.definitions`. A test checks that the two agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from expectations.definitions import delays, outputs, population

SUITES_DIR = Path(__file__).resolve().parents[1] / "suites"
SUITE_DEFINITIONS: dict[str, Callable[[], list[dict]]] = {
    "delayed_days": delays.delayed_days_suite,
    "reported_totals": delays.reported_totals_suite,
    "england_totals": delays.england_totals_suite,
    "quarter_months": delays.quarter_months_suite,
    "area_months": delays.area_months_suite,
    "population_raw": population.population_raw_suite,
    "population_totals": population.population_totals_suite,
    "hwb_population": population.hwb_population_suite,
    "expectations": outputs.expectations_suite,
}


def build_suite_json(name: str) -> dict:
    """The suite of frame `name` as GX writes it: built with gx.ExpectationSuite, then `to_json_dict()`."""
    import great_expectations as gx

    function = SUITE_DEFINITIONS[name]
    suite = gx.ExpectationSuite(name=name, expectations=function(), meta={"description": function.__doc__})
    return suite.to_json_dict()


def write_suites(folder: Path = SUITES_DIR) -> list[Path]:
    """Write every suite to folder/<name>.json (sorted keys, indented); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in sorted(SUITE_DEFINITIONS):
        path = folder / f"{name}.json"
        path.write_text(json.dumps(build_suite_json(name), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def load_suite_json(name: str, folder: Path = SUITES_DIR) -> dict:
    """The committed suite of frame `name`, as a dictionary (pass to gx.ExpectationSuite(**...))."""
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
