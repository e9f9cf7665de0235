"""hwb/<stem>.html: one HWB's brief as a printable page (A4, one or two pages), from dtoc.report.brief_content."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from dtoc.report.line_chart import Frame, line_chart_svg
from dtoc.report.pages import render_page


def chart_frame(brief: dict) -> Frame:
    """The brief's chart, the same on the page and in the PDF: months by name, the y axis titled with its unit,
    each line labelled at its end (no separate key)."""
    return Frame(510, 200, legend=False, month_labels="short", axis_title=brief["axis_title"], end_labels=True)


def glide_chart_svg(brief: dict) -> Markup:
    """The monthly path of every attribution and the total as one inline SVG (the PDF draws the same shapes)."""
    title = f"{brief['name']}: expected daily delays per month, {brief['year']}"
    return Markup(line_chart_svg(brief["months"], brief["series"], title, chart_frame(brief)))


def render_brief_html(brief: dict) -> str:
    """The brief's page as text."""
    return render_page("brief.html.j2", b=brief, chart=glide_chart_svg(brief))


def write_brief_html(folder: Path, brief: dict) -> Path:
    """hwb/<stem>.html in folder, as UTF-8."""
    path = folder / f"{brief['stem']}.html"
    path.write_bytes(render_brief_html(brief).encode("utf-8"))
    return path
