"""A4 pages drawn with ReportLab's canvas: paragraphs, headings, tables and line charts, one after another down
the page, a new page (with its footer) when one is full. Used by dtoc.report.brief_pdf.

No heading is left alone at the foot of a page: a heading is drawn only where the first part of what follows it
fits below it (`keep`, measured by `paragraph_height` and `table_start_height`), else it starts the next page;
a table's header likewise goes with its first row.

Text uses the standard PDF fonts (Helvetica), so no font file is read or embedded; they cover Latin-1, which every
HWB name in the sources fits (other characters print as a box).
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dtoc.report.pdf_chart import colour, draw_shapes
from dtoc.report.shapes import Shape

REGULAR, BOLD, MONO = "Helvetica", "Helvetica-Bold", "Courier"
WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 42.0, 42.0, 800.0, 48.0
TEXT_WIDTH = WIDTH - LEFT - RIGHT
GREY, HEADER_FILL = "#505a5f", "#dce6f1"
HEADING_SIZE, HEADING_BEFORE, HEADING_AFTER = 12.0, 6.0, 2.0
HEADING_HEIGHT = HEADING_BEFORE + HEADING_SIZE * 1.3 + HEADING_AFTER


@lru_cache(maxsize=8192)
def wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Lines of text no wider than width: split at spaces, and inside a word (an address) where it must.
    Cached: the same file names, months and labels recur in every brief."""
    lines = []
    for line in simpleSplit(text, font, size, width) or [""]:
        if stringWidth(line, font, size) <= width:
            lines.append(line)
            continue
        used, start = 0.0, 0
        for index, character in enumerate(line):
            used += stringWidth(character, font, size)
            if used > width:
                lines.append(line[start:index])
                start, used = index, stringWidth(character, font, size)
        lines.append(line[start:])
    return tuple(lines)


def cell_lines(row: list[str], widths: list[float], font: str, size: float) -> list[tuple[str, ...]]:
    """Each cell of a table row wrapped to its column (3 points of padding each side)."""
    return [wrap(cell, font, size, width - 6) for cell, width in zip(row, widths, strict=True)]


def row_height(cells: list[tuple[str, ...]], size: float) -> float:
    return max(len(lines) for lines in cells) * size * 1.25 + 4


def paragraph_height(text: str, size: float = 9.0, lines: int | None = None, indent: float = 0) -> float:
    """The height of a paragraph as `BriefPages.text` draws it, or of its first `lines` lines."""
    count = len(wrap(text, REGULAR, size, TEXT_WIDTH - indent))
    return size * 1.3 * (count if lines is None else min(lines, count))


def table_start_height(header: list[str], rows: list[list[str]], widths: list[float], size: float = 8.0) -> float:
    """The height of a table's header and its first two rows (what a heading is kept with)."""
    heights = [row_height(cell_lines(row, widths, REGULAR, size), size) for row in rows[:2]]
    return row_height(cell_lines(header, widths, BOLD, size), size) + sum(heights)


class BriefPages:
    """A canvas with a cursor that moves down the page and starts a new page, with the footer, when full."""

    def __init__(self, canvas: Canvas, footer: str) -> None:
        self.canvas, self.footer, self.y, self.page = canvas, footer, TOP, 1

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.finish_page()
            self.canvas.showPage()
            self.y, self.page = TOP, self.page + 1

    def finish_page(self) -> None:
        self.canvas.setFont(REGULAR, 7.5)
        self.canvas.setFillColor(colour(GREY))
        self.canvas.drawString(LEFT, BOTTOM - 22, self.footer)
        self.canvas.drawRightString(WIDTH - RIGHT, BOTTOM - 22, f"page {self.page}")
        self.canvas.setFillColor(colour("#000000"))

    def text(
        self,
        text: str,
        font: str = REGULAR,
        size: float = 9.0,
        ink: str = "#000000",
        indent: float = 0,
        after: float = 3.0,
    ) -> None:
        """A paragraph, wrapped to the text width, in one text object per page it runs onto."""
        leading, lines = size * 1.3, wrap(text, font, size, TEXT_WIDTH - indent)
        while lines:
            self.need(leading)
            fits = max(1, min(len(lines), int((self.y - BOTTOM) // leading)))
            writer = self.canvas.beginText(LEFT + indent, self.y - leading + size * 0.25)
            writer.setFont(font, size, leading)
            writer.setFillColor(colour(ink))
            writer.textLines(lines[:fits], trim=0)
            self.canvas.drawText(writer)
            self.y -= leading * fits
            lines = lines[fits:]
        self.y -= after

    def heading(self, text: str, keep: float) -> None:
        """A heading, on the same page as the first `keep` points of what follows it."""
        self.need(HEADING_HEIGHT + keep)
        self.y -= HEADING_BEFORE
        self.text(text, BOLD, HEADING_SIZE, after=HEADING_AFTER)

    def table(
        self, header: list[str], rows: list[list[str]], widths: list[float], numeric: set[int], size: float = 8.0
    ) -> None:
        """Rows under a shaded header; a cell wraps within its column; the header repeats on a new page and is
        never left without a row under it."""
        self.need(table_start_height(header, rows[:1], widths, size))
        self.table_row(header, widths, numeric, BOLD, size, fill=True)
        for row in rows:
            cells = cell_lines(row, widths, REGULAR, size)
            if self.y - row_height(cells, size) < BOTTOM:
                self.need(row_height(cells, size) + size * 4)
                self.table_row(header, widths, numeric, BOLD, size, fill=True)
            self.table_row(row, widths, numeric, REGULAR, size)
        self.y -= 6

    def table_row(
        self, row: list[str], widths: list[float], numeric: set[int], font: str, size: float, fill: bool = False
    ) -> None:
        """One row, its cells' lines written in one text object (numbers right-aligned), a rule below."""
        cells = cell_lines(row, widths, font, size)
        height, x = row_height(cells, size), LEFT
        if fill:
            self.canvas.setFillColor(colour(HEADER_FILL))
            self.canvas.rect(LEFT, self.y - height, sum(widths), height, stroke=0, fill=1)
            self.canvas.setFillColor(colour("#000000"))
        text = self.canvas.beginText()
        text.setFont(font, size)
        for column, (lines, width) in enumerate(zip(cells, widths, strict=True)):
            for number, line in enumerate(lines):
                start = x + width - 3 - stringWidth(line, font, size) if column in numeric else x + 3
                text.setTextOrigin(start, self.y - 2 - size * 1.25 * (number + 1) + size * 0.3)
                text.textOut(line)
            x += width
        self.canvas.drawText(text)
        self.canvas.setStrokeColor(colour("#dddddd"))
        self.canvas.line(LEFT, self.y - height, LEFT + sum(widths), self.y - height)
        self.canvas.setStrokeColor(colour("#000000"))
        self.y -= height

    def chart(self, shapes: list[Shape], width: float, height: float) -> None:
        """The chart's shapes (origin top left, y down) drawn with their top left at the cursor."""
        self.need(height)
        draw_shapes(self.canvas, shapes, LEFT, self.y)
        self.y -= height + 4
