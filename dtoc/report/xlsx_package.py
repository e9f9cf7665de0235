"""The .xlsx package around dtoc.report.xlsx_writer's sheets: the workbook, relationships, content types, document
properties (fixed dates), the zip (fixed times, fixed order). The same sheets always give the same bytes."""
from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from dtoc.report.xlsx_writer import (CONTENT, DOCUMENT_TIME, HEAD, MAIN, PACKAGE_RELS, RELS, ZIP_TIME, Registry, Sheet,
                              sheet_xml, styles_xml, xml_text)

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def check_sheet_names(sheets: list[Sheet]) -> None:
    names = [sheet.name for sheet in sheets]
    for name in names:
        if not 0 < len(name) <= 31 or SHEET_NAME_FORBIDDEN.search(name):
            raise ValueError(f"sheet name {name!r}: 1 to 31 characters, none of []:*?/\\")
    if len({n.lower() for n in names}) != len(names) or not names:
        raise ValueError(f"sheet names must be distinct and at least one: {names}")


def absolute(ref: str) -> str:
    """'A1:T152' -> '$A$1:$T$152'."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def quoted_name(name: str) -> str:
    """A sheet name as a formula reference spells it: 'Name', inner apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


def workbook_xml(sheets: list[Sheet]) -> str:
    entries = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
    filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                      f"{escape(quoted_name(s.name))}!{absolute(s.autofilter)}</definedName>"
                      for i, s in enumerate(sheets) if s.autofilter)
    names = f"<definedNames>{filters}</definedNames>" if filters else ""
    return (f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><workbookPr/><bookViews><workbookView activeTab="0"/>'
            f'</bookViews><sheets>{entries}</sheets>{names}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def workbook_rels(count: int) -> str:
    sheets = "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                     for i in range(1, count + 1))
    return (f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}">{sheets}'
            f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>")


def content_types(count: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CONTENT}.worksheet+xml"/>'
                     for i in range(1, count + 1))
    return (f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.sheet.main+xml"/>{sheets}'
            f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CONTENT}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')


def root_rels() -> str:
    return (f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/extended-properties" Target="docProps/app.xml"/></Relationships>')


def core_properties(title: str) -> str:
    return (f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_text(title)}</dc:title><dc:creator>dtoc</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{DOCUMENT_TIME}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{DOCUMENT_TIME}</dcterms:modified></cp:coreProperties>')


def shared_strings(registry: Registry) -> str:
    items = "".join(f'<si><t xml:space="preserve">{xml_text(text)}</t></si>' for text in registry.strings)
    return (f'{HEAD}<sst xmlns="{MAIN}" count="{registry.string_count}" uniqueCount="{len(registry.strings)}">'
            f"{items}</sst>")


def workbook_bytes(sheets: list[Sheet], title: str = "") -> bytes:
    """The .xlsx file holding the sheets, the first one selected."""
    check_sheet_names(sheets)
    registry = Registry()
    worksheets = [sheet_xml(sheet, index == 0, registry) for index, sheet in enumerate(sheets)]
    parts = [("[Content_Types].xml", content_types(len(sheets))), ("_rels/.rels", root_rels()),
             ("docProps/app.xml", f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                                  'extended-properties"><Application>dtoc</Application></Properties>'),
             ("docProps/core.xml", core_properties(title)), ("xl/workbook.xml", workbook_xml(sheets)),
             ("xl/_rels/workbook.xml.rels", workbook_rels(len(sheets))), ("xl/styles.xml", styles_xml(registry)),
             ("xl/sharedStrings.xml", shared_strings(registry)),
             *((f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(worksheets, start=1))]
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(entry, text.encode("utf-8"))
    return buffer.getvalue()


def write_workbook(path: Path, sheets: list[Sheet], title: str = "") -> Path:
    path.write_bytes(workbook_bytes(sheets, title))
    return path
