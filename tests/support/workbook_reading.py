"""Reading the published workbooks back as a person would (openpyxl), for the tests (no tests here): the codes
left in cells a person reads, and the 'About this publication' block of a Summary sheet.

The codes are written here as the data files write them (the issue names them: band codes such as
`reduce_by_cap`, verdicts such as `not_in_line`, `kloe33_total_in_line`, sheets of `nhs` and `glide_path`), not
read from the code under test.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import openpyxl

BAND_CODES = {"maintain", "reduce_to_target", "reduce_by_cap", "held_at_baseline"}
VERDICT_CODES = {"in_line", "reattributed_evidenced", "reattributed_unevidenced", "not_in_line", "no_plan"}
VALUE_CODES = {"nhs", "asc", "social_care", "joint", "total", "glide_path", "glide path", "expected", "expectation"}
CODES = BAND_CODES | VERDICT_CODES | VALUE_CODES
SNAKE_CASE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")
# a code with an underscore inside a sentence ("band: reduce_by_cap (rate ...)") is a code left too
CODE_WORDS = re.compile(r"\b(" + "|".join(sorted((c for c in CODES if "_" in c), key=len, reverse=True)) + r")\b")
HEADER_FILL = "DCE6F1"


def is_header(cell) -> bool:
    """A header cell: bold on the header fill (dtoc.report.cells.put_header)."""
    colour = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type == "solid" else None
    return bool(cell.font and cell.font.b) and isinstance(colour, str) and colour.endswith(HEADER_FILL)


def codes_left(path) -> list[str]:
    """codes_in the workbook at path."""
    return codes_in(openpyxl.load_workbook(path), path.name)


def codes_in(book, name: str) -> list[str]:
    """'name sheet!cell: value' for every text cell (the Columns sheet excepted) that is a code, is a snake_case
    machine name, is a header holding one, or holds a code with an underscore among its words."""
    found = []
    for sheet in book.worksheets:
        if sheet.title == "Columns":
            continue
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                header_code = is_header(cell) and any(SNAKE_CASE.fullmatch(w) for w in re.split(r"[\s(),:;]+", value))
                in_words = CODE_WORDS.search(value) is not None
                if value.strip() in CODES or SNAKE_CASE.fullmatch(value.strip()) or header_code or in_words:
                    found.append(f"{name} {sheet.title}!{cell.coordinate}: {value!r}")
    return found


def about_block(sheet) -> dict:
    """The 'About this publication' block of a Summary sheet: publication date, validation, parameters (label ->
    value) and sources (file, holds, published, revised, address), as the cells hold them."""
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == "About this publication")
    facts = {r[0]: r[1] for r in rows[top + 1 : top + 3]}
    header = next(i for i in range(top, len(rows)) if rows[i][0] == "Source file")
    parameters = {r[0]: r[1] for r in rows[top + 5 : header - 1]}
    sources = [tuple(r[:5]) for r in rows[header + 1 :] if r[0] is not None]
    published = facts["Publication date"]
    return {
        "published": published.date() if isinstance(published, datetime) else published,
        "validation": facts["Validation"],
        "parameters": parameters,
        "sources": sources,
    }


def manifest_sources(inputs: list[dict]) -> list[tuple]:
    """(file, published, revised) of each input a manifest lists, as a Summary sheet shows them."""
    return [
        (i["file_name"], i.get("published") or "not stated in the file", i.get("revised") or "not stated in the file")
        for i in inputs
    ]


def shown_sources(about: dict) -> list[tuple]:
    return [(s[0], s[2], s[3]) for s in about["sources"]]


def as_date(text: str) -> date:
    return date.fromisoformat(text)
