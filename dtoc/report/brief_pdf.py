"""hwb/<stem>.pdf: one HWB's brief as an A4 PDF of one or two pages, from the same content as the HTML brief
(dtoc.report.brief_content) and the same chart shapes (dtoc.report.line_chart), drawn by dtoc.report.pdf_pages.

Reruns give the same bytes: ReportLab's invariant mode (the document ID is a digest of the content, no clock is
read) with the creation and modification dates set to the publication date.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from dtoc.report.brief_html import chart_frame
from dtoc.report.line_chart import chart_shapes
from dtoc.report.pdf_pages import A4, BOLD, GREY, TEXT_WIDTH, BriefPages, paragraph_height, table_start_height

FIGURES_HEADER = [
    "Attribution",
    "Band",
    "Baseline daily delays",
    "Baseline rate",
    "Expected daily delays",
    "Expected rate",
]
CELLS_HEADER = ["Figure", "Month or area", "Value", "Sheet and cell"]
SOURCES_HEADER = ["File", "Holds", "Published", "Revised", "Official address"]


def draw_heading_block(pages: BriefPages, brief: dict) -> None:
    """Who the brief is for, when it was published, the validation verdict and the expectation in words."""
    pages.text(
        f"Better Care Fund {brief['year']} - Delayed transfers of care (DToC) - Health and Wellbeing Board brief",
        size=8.5,
        ink=GREY,
    )
    pages.text(brief["name"], BOLD, 20, after=2)
    pages.text(meta_line(brief), size=8.5, after=8)
    pages.text(brief["headline"], BOLD, 11, after=6)
    for part in brief["parts"][:-1]:
        pages.text(f"{part['sentence']} {part['reason']}", size=9, indent=8, after=3)
    pages.text(brief["validation"], size=8.5, ink=GREY, after=3)


def meta_line(brief: dict) -> str:
    """'ONS code E06000001 - North East - published 30 September 2018 - NHS England's workbooks: Hartlepool UA'."""
    region = f" - {brief['region']}" if brief["region"] else ""
    named = f" - NHS England's workbooks: {brief['workbook_name']}" if brief["workbook_name"] != brief["name"] else ""
    return f"ONS code {brief['code']}{region} - published {brief['published']}{named}"


def draw_figures(pages: BriefPages, brief: dict) -> None:
    rows = [
        [p["label"], p["band_label"], p["baseline_daily"], p["baseline_rate"], p["expected_daily"], p["expected_rate"]]
        for p in brief["parts"]
    ]
    widths: list[float] = [90, 120, 80, 70, 80, 71]
    pages.heading("Baseline and expectation", table_start_height(FIGURES_HEADER, rows, widths))
    pages.table(FIGURES_HEADER, rows, widths, {2, 3, 4, 5})
    population = brief["population"]
    pages.text(
        "Daily delays: the average number of people whose transfer of care was delayed on a day. Rates are "
        f"per 100,000 people aged 18+ ({population['total']}, ONS {population['vintage']}). Baseline: "
        f"{brief['baseline_quarter']}.",
        size=8,
        ink=GREY,
    )


def draw_path(pages: BriefPages, brief: dict) -> None:
    """The path's sentence, its chart, and a line per month: each attribution's daily level and delayed days."""
    frame = chart_frame(brief)
    pages.heading(f"The path for {brief['year']}", paragraph_height(brief["path_sentence"]) + frame.height)
    pages.text(brief["path_sentence"])
    pages.chart(chart_shapes(brief["months"], brief["series"], frame), frame.width, frame.height)
    keys = [p["key"] for p in brief["parts"]]
    header = ["Month", "Path"] + [f"{p['label']} {kind}" for p in brief["parts"] for kind in ("daily", "days")]
    rows = [[m["month"], m["path"], *(m[k] for key in keys for k in (key, f"{key}_days"))] for m in brief["monthly"]]
    widths: list[float] = [66, 59, *([48.25] * (2 * len(keys)))]
    pages.table(header, rows, widths, set(range(2, 2 + 2 * len(keys))), size=7.5)
    pages.text(
        "Daily: the month's average delayed transfers a day. Days: the delayed days that level makes in the month "
        "(daily x days in the month), as plans count them.",
        size=7.5,
        ink=GREY,
    )


def draw_cells(pages: BriefPages, brief: dict) -> None:
    words = (
        "Each baseline figure is the sum of three cells, one in each month's workbook (see Sources), divided "
        "by the days in the quarter; the population is the sum of single years of age 18 to 90+."
    )
    rows = []
    for part in (p for p in brief["parts"] if p["cells"]):
        rows += [[f"{part['label']} delayed days", c["month"], c["value"], c["where"]] for c in part["cells"]]
        rows.append(
            [
                f"{part['label']}: {part['delayed_days']} delayed days / days in the quarter",
                "",
                part["baseline_daily"],
                "baseline daily delays",
            ]
        )
    rows += [
        ["Population aged 18+", c["area"], c["value"], f"{c['file']} {c['where']}"]
        for c in brief["population"]["cells"]
    ]
    widths = [190, 110, 70, TEXT_WIDTH - 370]
    pages.heading(
        "Where the figures come from", paragraph_height(words, 8) + table_start_height(CELLS_HEADER, rows, widths, 7.5)
    )
    pages.text(words, size=8)
    pages.table(CELLS_HEADER, rows, widths, {2}, size=7.5)


def draw_sources_and_caveats(pages: BriefPages, brief: dict) -> None:
    rows = [
        [
            s["file_name"],
            s["period_label"],
            s["published"] or "-",
            s["revised"] or "-",
            s["url"] or "not in dtoc/reference/sources.csv",
        ]
        for s in brief["sources"]
    ]
    widths = [142, 62, 62, 58, TEXT_WIDTH - 324]
    pages.heading("Sources", table_start_height(SOURCES_HEADER, rows, widths, 7))
    pages.table(SOURCES_HEADER, rows, widths, set(), size=7)
    pages.heading("Caveats", paragraph_height(f"- {brief['caveats'][0]}", 8.5, 2, 4) if brief["caveats"] else 0)
    for caveat in brief["caveats"]:
        pages.text(f"- {caveat}", size=8.5, indent=4)
    pages.text(
        "NHS England Delayed Transfers of Care statistics and ONS mid-year population estimates, Crown "
        "copyright, Open Government Licence v3.0.",
        size=7.5,
        ink=GREY,
    )


def render_brief_pdf(brief: dict, published: date) -> bytes:
    """The brief as PDF bytes; the same brief and date give the same bytes."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setDateFormatter(lambda *_: f"D:{published:%Y%m%d}000000+00'00'")
    canvas.setTitle(f"{brief['name']}: delayed transfers of care, expectation {brief['year']}")
    canvas.setAuthor("dtoc")
    canvas.setCreator("dtoc")
    canvas.setSubject(brief["headline"])
    pages = BriefPages(
        canvas, f"{brief['name']} ({brief['code']}) - DToC expectation {brief['year']} - published {brief['published']}"
    )
    for draw in (draw_heading_block, draw_figures, draw_path, draw_cells, draw_sources_and_caveats):
        draw(pages, brief)
    pages.finish_page()
    canvas.save()
    return buffer.getvalue()


def write_brief_pdf(folder: Path, brief: dict, published: date) -> Path:
    """hwb/<stem>.pdf in folder."""
    path = folder / f"{brief['stem']}.pdf"
    path.write_bytes(render_brief_pdf(brief, published))
    return path
