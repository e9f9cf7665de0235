"""Check an .xlsx file against the input limits before openpyxl opens it, and list its sheets without opening it.

openpyxl, even in read-only mode, measures every sheet when it opens a workbook and builds each row whole
before returning it, so a sheet of a million empty rows, or one row of millions of cells, costs minutes and
gigabytes before the caller sees a single row. Here each sheet's XML is streamed through expat (no tree is
kept, so memory stays flat) and the scan stops at the first row or cell past the limits in dtoc.ingest.limits.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from dtoc.errors import InputError
from dtoc.ingest.limits import MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, describe_bytes, too_many_columns, \
    too_many_rows

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CELL_COLUMN = re.compile(r"([A-Za-z]{1,3})\d*$")


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
        parts[sheet.get("name", "")] = (target.lstrip("/") if target.startswith("/")
                                        else posixpath.normpath(posixpath.join("xl", target)))
    return parts


def check_unpacked_size(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse an .xlsx whose parts unpack to more than the limit (zipfile reads no more than each part declares)."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"unpacks to {describe_bytes(unpacked)}, more than {describe_bytes(MAX_UNPACKED_BYTES)}, "
                         "the limit for an .xlsx input (a published DToC or MYE workbook saved as .xlsx unpacks to "
                         "a few MB); it was not read", file=str(path))


def column_number(reference: str | None) -> int | None:
    """'C17' -> 3; None when the cell has no reference."""
    match = CELL_COLUMN.match(reference or "")
    if not match:
        return None
    number = 0
    for letter in match[1].upper():
        number = number * 26 + ord(letter) - 64
    return number


def scan_sheet(path: Path, archive: zipfile.ZipFile, name: str, part: str) -> None:
    """Stream one sheet's XML; InputError naming the file, sheet and limit at the first row past MAX_ROWS or
    the first cell past MAX_COLUMNS (counting cells too, so a row of unnumbered cells cannot grow unseen)."""
    where = {"file": str(path), "sheet": name}
    state = {"row": 0, "column": 0, "cells": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        kind = local(tag)
        if kind == "row":
            number = attributes.get("r", "")
            state.update(row=int(number) if number.isdigit() else state["row"] + 1, column=0, cells=0)
            if state["row"] > MAX_ROWS:
                raise too_many_rows(**where)
        elif kind == "c":
            state["cells"] += 1
            state["column"] = column_number(attributes.get("r")) or state["column"] + 1
            if max(state["column"], state["cells"]) > MAX_COLUMNS:
                raise too_many_columns(row=state["row"], **where)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    with archive.open(part) as source:
        parser.ParseFile(source)


def check_xlsx_bounds(path: Path) -> dict[str, str]:
    """Check the unpacked size and every sheet of an .xlsx against the limits; return sheet name -> part."""
    with zipfile.ZipFile(path) as archive:
        check_unpacked_size(path, archive)
        parts = sheet_parts(archive)
        for name, part in parts.items():
            scan_sheet(path, archive, name, part)
    return parts


def xlsx_sheet_names(path: Path) -> list[str]:
    """The sheet names, read from the workbook part only (no sheet is opened)."""
    with zipfile.ZipFile(path) as archive:
        check_unpacked_size(path, archive)
        return list(sheet_parts(archive))
