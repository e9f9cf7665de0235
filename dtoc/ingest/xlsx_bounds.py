"""Check an .xlsx file against the input limits before openpyxl opens it, and list its sheets without opening it.

openpyxl, even in read-only mode, measures every sheet when it opens a workbook and builds each row whole
before returning it, so a sheet of a million empty rows, or one row of millions of cells, costs minutes and
gigabytes before the caller sees a single row. Here each sheet's XML is streamed through expat (no tree is
kept, so memory stays flat) and the scan stops at the first row or cell past the limits in dtoc.ingest.limits;
the other parts (shared strings, styles, the workbook's index) are bounded by their unpacked size.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from dtoc.errors import InputError
from dtoc.ingest.limits import (
    MAX_PART_BYTES,
    MAX_UNPACKED_BYTES,
    WORKBOOK,
    TableLimits,
    describe_bytes,
    too_many_columns,
    too_many_rows,
)

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
COLUMN_LETTERS = re.compile(r"[A-Za-z]{1,3}")
# element names as expat reports them ('namespace local'), in transitional and strict OOXML and without namespace
NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
ROW_TAGS = frozenset({"row", *(f"{ns} row" for ns in NAMESPACES)})
CELL_TAGS = frozenset({"c", *(f"{ns} c" for ns in NAMESPACES)})


def local(name: str) -> str:
    """'{namespace}sheet' or 'namespace sheet' -> 'sheet' (transitional and strict OOXML use other namespaces)."""
    return re.split(r"[}\s]", name)[-1]


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in the zip ('xl/worksheets/sheet1.xml'), in the workbook's order."""
    workbook = ElementTree.fromstring(archive.read(WORKBOOK_PART))
    relations = ElementTree.fromstring(archive.read(WORKBOOK_RELS))
    targets = {r.get("Id"): r.get("Target", "") for r in relations if local(r.tag) == "Relationship"}
    parts = {}
    for sheet in (e for e in workbook.iter() if local(e.tag) == "sheet"):
        relation = next((v for k, v in sheet.attrib.items() if local(k) == "id"), None)
        target = targets.get(relation, "")
        parts[sheet.get("name", "")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
    return parts


def check_parts(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    """Refuse an .xlsx that unpacks to more than the limit, or one of whose parts other than its sheets (which are
    bounded by rows and columns) is larger than a part may be; return sheet name -> part. zipfile never unpacks
    more of a part than the size it declares, so the declared sizes bound what is read."""
    sizes = {info.filename: info.file_size for info in archive.infolist()}
    if sum(sizes.values()) > MAX_UNPACKED_BYTES:
        raise InputError(
            f"unpacks to {describe_bytes(sum(sizes.values()))}, more than "
            f"{describe_bytes(MAX_UNPACKED_BYTES)}, the limit for an .xlsx input (a published DToC or "
            "MYE workbook saved as .xlsx unpacks to a few MB); it was not read",
            file=str(path),
        )
    check_part_sizes(path, sizes, (WORKBOOK_PART, WORKBOOK_RELS))
    parts = sheet_parts(archive)
    check_part_sizes(path, sizes, set(sizes) - set(parts.values()))
    return parts


def check_part_sizes(path: Path, sizes: dict[str, int], names) -> None:
    for name in sorted(n for n in names if sizes.get(n, 0) > MAX_PART_BYTES):
        raise InputError(
            f"its part {name} unpacks to {describe_bytes(sizes[name])}, more than "
            f"{describe_bytes(MAX_PART_BYTES)}, the limit for a part other than a sheet (in the "
            "published workbooks such parts are under 1 MB); it was not read",
            file=str(path),
        )


def column_number(reference: str | None) -> int | None:
    """'C17' -> 3; None when the cell has no (readable) reference."""
    return letters_number(reference.rstrip("0123456789")) if reference else None


@functools.lru_cache(maxsize=4096)
def letters_number(letters: str) -> int | None:
    """'C' -> 3, 'GS' -> 201 (cached: a sheet repeats the same few column letters on every row)."""
    if not COLUMN_LETTERS.fullmatch(letters):
        return None
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def scan_sheet(path: Path, archive: zipfile.ZipFile, name: str, part: str, limits: TableLimits = WORKBOOK) -> None:
    """Stream one sheet's XML; InputError naming the file, sheet and limit at the first row past limits.rows or
    the first cell past limits.columns (counting cells too, so a row of unnumbered cells cannot grow unseen)."""
    row = column = cells = 0
    max_rows, max_columns = limits.rows, limits.columns

    def start(tag: str, attributes: dict[str, str]) -> None:  # called for every element: kept lean
        nonlocal row, column, cells
        if tag in CELL_TAGS:
            cells += 1
            column = column_number(attributes.get("r")) or column + 1
            if column > max_columns or cells > max_columns:
                raise too_many_columns(str(path), name, row, limits)
        elif tag in ROW_TAGS:
            number = attributes.get("r", "")
            row, column, cells = (int(number) if number.isdigit() else row + 1), 0, 0
            if row > max_rows:
                raise too_many_rows(str(path), name, limits)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    with archive.open(part) as source:
        parser.ParseFile(source)


def check_xlsx_bounds(path: Path, limits: TableLimits = WORKBOOK) -> dict[str, str]:
    """Check the unpacked size and every sheet of an .xlsx against the limits; return sheet name -> part."""
    with zipfile.ZipFile(path) as archive:
        parts = check_parts(path, archive)
        for name, part in parts.items():
            scan_sheet(path, archive, name, part, limits)
    return parts


def xlsx_sheet_names(path: Path) -> list[str]:
    """The sheet names, read from the workbook part only (no sheet is opened)."""
    with zipfile.ZipFile(path) as archive:
        return list(check_parts(path, archive))
