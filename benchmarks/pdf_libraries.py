"""Benchmark: three PDF libraries on a brief-like A4 document (two pages: a title, paragraphs, a 4 x 6 table,
a 4-line chart over 12 months, a second page with a 10-row table), written N times as a pack writes 151 briefs.
Prints wall and process CPU time per document and the size of one document.

    uv run --with typst --with fpdf2 python benchmarks/pdf_libraries.py [N]

ReportLab is the project's dependency; typst and fpdf2 are brought in by `--with` for the comparison only.
"""

from __future__ import annotations

import io
import json
import sys
import time
from datetime import UTC, datetime

N = int(sys.argv[1]) if len(sys.argv) > 1 else 151
ROWS = [
    ("NHS", "Reduce by the cap", "48.49", "10.79", "33.94", "7.55"),
    ("Social care", "Keep the rate", "1.28", "0.50", "1.28", "0.50"),
    ("Joint", "Held at the baseline", "2.21", "0.87", "2.21", "0.87"),
    ("Total", "", "51.98", "12.16", "37.43", "8.92"),
]
PARA = (
    "Social care: at most 1.3 delayed transfers a day; your rate, 0.5 per 100,000 aged 18+, is below the 2.6 "
    "target, so the expectation is to hold it. "
) * 2
SERIES = [
    [50 - i * 2.5 if i < 5 else 37.4 for i in range(12)],
    [20 - i for i in range(12)],
    [10.0] * 12,
    [5 + i * 0.1 for i in range(12)],
]
SOURCES = [(f"LA-Type-B-Month-{i}.xls", f"F{100 + i}", "14th December 2017", "10th May 2018") for i in range(10)]
TYPST_TEMPLATE = r"""
#let d = json(bytes(sys.inputs.data))
#set document(title: d.title, date: datetime(year: 2018, month: 9, day: 30))
#set page(paper: "a4", margin: 18mm)
#set text(font: "DejaVu Sans", size: 9.5pt)
= #d.title
#d.para
#table(columns: 6, ..d.rows.flatten())
#let chart(series, w: 160mm, h: 60mm) = box(width: w, height: h, {
  for s in series {
    place(curve(stroke: 1pt + blue, curve.move((0mm, h - s.at(0) * 1mm)),
      ..s.enumerate().slice(1).map(((i, v)) => curve.line((i * w / 11, h - v * 1mm)))))
  }
  for i in range(12) { place(dx: i * w / 11, dy: h + 1mm, text(size: 7pt)[M#i]) }
})
#chart(d.series)
#d.para
#pagebreak()
== Sources
#table(columns: 4, ..d.sources.flatten())
#d.para #d.para #d.para
"""


def with_typst(compiler, i: int) -> bytes:
    data = json.dumps({"title": f"Area {i}", "para": PARA, "rows": ROWS, "series": SERIES, "sources": SOURCES})
    return compiler.compile(input=TYPST_TEMPLATE.encode(), format="pdf", sys_inputs={"data": data}, timestamp=0)


def with_reportlab_canvas(i: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(f"Area {i}")
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(50, 800, f"Area {i}")
    canvas.setFont("Helvetica", 9.5)
    y = 776
    for line in simpleSplit(PARA, "Helvetica", 9.5, 495):
        canvas.drawString(50, y, line)
        y -= 12
    for row in ROWS:
        for k, cell in enumerate(row):
            canvas.drawString(50 + k * 80, y, cell)
        canvas.line(50, y - 3, 545, y - 3)
        y -= 14
    for series in SERIES:
        path = canvas.beginPath()
        path.moveTo(60, 400 + series[0] * 3)
        for j, value in enumerate(series[1:], 1):
            path.lineTo(60 + j * 40, 400 + value * 3)
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.showPage()
    y = 800
    for row in SOURCES:
        for k, cell in enumerate(row):
            canvas.drawString(50 + k * 120, y, cell)
        y -= 14
    for line in simpleSplit(PARA * 3, "Helvetica", 9.5, 495):
        canvas.drawString(50, y, line)
        y -= 12
    canvas.save()
    return buffer.getvalue()


def with_reportlab_platypus(i: int) -> bytes:
    from reportlab.graphics.shapes import Drawing, PolyLine
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    styles, buffer = getSampleStyleSheet(), io.BytesIO()
    drawing = Drawing(480, 200)
    for series in SERIES:
        drawing.add(PolyLine([c for j, v in enumerate(series) for c in (40 + j * 38, 20 + v * 3)]))
    story = [
        Paragraph(f"Area {i}", styles["Title"]),
        Paragraph(PARA, styles["Normal"]),
        Table(ROWS),
        drawing,
        PageBreak(),
        Table(SOURCES),
        Paragraph(PARA * 3, styles["Normal"]),
    ]
    SimpleDocTemplate(buffer, pagesize=A4, title=f"Area {i}", invariant=1).build(story)
    return buffer.getvalue()


def with_fpdf2(i: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2018, 9, 30, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("helvetica", size=16)
    pdf.cell(text=f"Area {i}")
    pdf.ln(10)
    pdf.set_font("helvetica", size=9.5)
    pdf.multi_cell(0, 5, PARA)
    for table in (ROWS, SOURCES):
        with pdf.table() as grid:
            for row in table:
                cells = grid.row()
                for cell in row:
                    cells.cell(cell)
        pdf.add_page()
    for series in SERIES:
        pdf.polyline([(20 + j * 14, 200 - v) for j, v in enumerate(series)])
    return bytes(pdf.output())


def measure(label: str, write) -> None:
    start_import = time.perf_counter()
    write(0)
    first = time.perf_counter() - start_import
    wall, cpu = time.perf_counter(), time.process_time()
    sizes = [len(write(i)) for i in range(N)]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:<26} {N} documents: wall {wall:5.2f} s ({wall / N * 1000:5.1f} ms each), CPU {cpu:5.2f} s "
        f"({cpu / N * 1000:5.1f} ms each); first call with import {first:4.2f} s; {sizes[0] / 1024:4.1f} KB"
    )


def main() -> None:
    measure("reportlab canvas", with_reportlab_canvas)
    measure("reportlab platypus", with_reportlab_platypus)
    try:
        import typst

        compiler = typst.Compiler()
        measure("typst (compiler reused)", lambda i: with_typst(compiler, i))
    except ImportError:
        print("typst: not installed (add --with typst)")
    try:
        measure("fpdf2", with_fpdf2)
    except ImportError:
        print("fpdf2: not installed (add --with fpdf2)")


if __name__ == "__main__":
    main()
