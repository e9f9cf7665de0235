"""What the validation gate found about one HWB, in words a board reads.

The gate's report (validation.json, expectations/findings.py) lists every check that did not pass with its
failing rows, each named by its location: a workbook cell or row (`FILE sheet 'S' cell G144 (...)`, `FILE sheet
'S' row 13 (...)`) or an HWB (`HWB E06000001 Hartlepool UA`). A finding concerns an HWB when it names the HWB, or
a row of a workbook that one of the HWB's own figures was read from (its baseline cells, its population row).
A brief states only those; the full report stays linked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

IN_SHEET = re.compile(
    r"^(?P<file>.+?) sheet '(?P<sheet>(?:[^']|'')*)' (?:cell [A-Z]+(?P<cell_row>\d+)|row (?P<row>\d+))\b"
)
OF_HWB = re.compile(r"^HWB (?P<code>\S+) ")
ROW_OF_REFERENCE = re.compile(r"^[A-Z]+(\d+)")
REPORT = "validation.html"


@dataclass(frozen=True)
class Finding:
    """One failing row of a check that did not pass (status 'warn' or 'fail'): what should hold and where; an
    empty location stands for rows the report could not list (a check that could not run, or more rows than
    its examples)."""

    check: str
    status: str
    description: str
    location: str


def findings_of(report: dict) -> tuple[Finding, ...]:
    """Every failing row the gate's report lists, in its order."""
    found = []
    for check in (c for c in report["checks"] if c["status"] != "pass"):
        name = f"{check['suite']}.{check['check']}"
        rows = [Finding(name, check["status"], check["description"], e["location"] or "") for e in check["examples"]]
        unlisted = check["error"] or check["unexpected_count"] > len(rows)
        found += rows + ([Finding(name, check["status"], check["description"], "")] if unlisted else [])
    return tuple(found)


def read_findings(path: Path) -> tuple[Finding, ...] | None:
    """The failing rows of the gate's report at path (validation.json); None when there is no such file."""
    if not path.is_file():
        return None
    return findings_of(json.loads(path.read_text(encoding="utf-8")))


def row_of(reference: str) -> str:
    """The row of an A1 reference or range ('G144' -> '144', 'V13:CP13' -> '13')."""
    found = ROW_OF_REFERENCE.match(reference)
    return found.group(1) if found else reference


def hwb_places(explanation: dict) -> set[tuple[str, str, str]]:
    """(file, sheet, row) of every workbook row one of the HWB's figures was read from."""
    cells = [c for part in explanation["attributions"].values() for c in part["cells"]]
    places = {(c["source_file"], c["sheet"], row_of(c["cell_ref"])) for c in cells}
    return places | {
        (c["source_file"], c["sheet"], row_of(c["cells_summed"])) for c in explanation["population"]["cells"]
    }


def concerns(finding: Finding, code: str, places: set[tuple[str, str, str]]) -> bool:
    """Whether a finding names the HWB or a row its figures were read from."""
    hwb = OF_HWB.match(finding.location)
    if hwb:
        return hwb.group("code") == code
    cell = IN_SHEET.match(finding.location)
    if cell:
        row = cell.group("cell_row") or cell.group("row")
        return (cell.group("file"), cell.group("sheet").replace("''", "'"), row) in places
    return False


def validation_statement(
    validation: dict | None, findings: tuple[Finding, ...] | None, code: str, explanation: dict
) -> str:
    """The data checks in a sentence or two: the verdict, and only the findings that concern this HWB."""
    if validation is None:
        return "Data checks: not stated (this brief was written without the validation gate's verdict)."
    verdict = "passed" if validation["passed"] else "FAILED"
    opening = f"Data checks: the published data {verdict} the {validation['checks']} automated checks"
    if findings is None:
        noted = validation["warnings"] + validation["failed"]
        return f"{opening}{'; some raised warnings' if noted else ''}. Full report: {REPORT}."
    places = hwb_places(explanation)
    about = [f for f in findings if f.location and concerns(f, code, places)]
    unplaced = sum(1 for f in findings if not f.location)
    if about:
        listed = "; ".join(f"{f.description} ({f.location})" for f in about[:3])
        more = f"; and {len(about) - 3} more" if len(about) > 3 else ""
        said = f"{opening}, with {len(about)} finding(s) about this HWB's figures: {listed}{more}"
    elif findings:
        said = f"{opening}; none of the findings the full report lists concerns this HWB's figures"
    else:
        said = f"{opening}, with nothing to report"
    caveat = f" ({unplaced} check(s) had rows the report could not list)" if unplaced else ""
    return f"{said}{caveat}. Full report: {REPORT}."
