"""One chart module: every chart's ticks come from one algorithm and its colours from one palette (the
attributions' and bands' from the vocabulary), and the ticks leave room above the highest value.

The headroom case is the issue's: Shropshire's total of 17.0 daily delays sat above a top tick of 15.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

from dtoc.report.charts import axis_ticks, headroom_ticks, tick_label

DTOC = Path(__file__).resolve().parents[2] / "dtoc"
# every module that draws a chart
CHART_MODULES = (
    "report/svg.py",
    "report/line_chart.py",
    "report/line_labels.py",
    "report/shapes.py",
    "report/pdf_chart.py",
    "monitor/page.py",
    "scenarios/page.py",
)


@pytest.mark.parametrize(
    ("highest", "top"),
    [(17.0, 20), (15.0, 20), (11.9, 15), (1.1, 1.5), (0.3, 0.4), (3958.7, 6000), (4000, 6000), (98, 150)],
)
def test_the_top_tick_is_a_round_number_above_the_highest_value(highest, top):
    ticks = headroom_ticks(highest, 4)
    assert ticks[0] == 0 and ticks[-1] == pytest.approx(top) and ticks[-1] > highest
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1  # evenly spaced
    step = steps.pop()
    mantissa = step / 10 ** int(f"{step:e}".split("e")[1])
    assert round(mantissa, 9) in (1, 2, 2.5, 5)


def test_ticks_cover_a_range_that_does_not_start_at_zero():
    ticks = axis_ticks(3850, 4150, 5)
    assert ticks[0] <= 3850 and ticks[-1] >= 4150 and ticks == [3800, 3900, 4000, 4100, 4200]
    assert axis_ticks(0.1, 0.3, 2) == [0.1, 0.2, 0.3]  # no 0.30000000000000004


@pytest.mark.parametrize(("value", "label"), [(1500, "1,500"), (2.5, "2.5"), (0, "0"), (0.30000000000000004, "0.3")])
def test_tick_labels(value, label):
    assert tick_label(value) == label


def test_no_chart_module_has_colours_or_a_tick_algorithm_of_its_own():
    """Colours are written in the chart module (dtoc/report/charts.py) and the vocabulary only; ticks made there."""
    for name in CHART_MODULES:
        source = (DTOC / name).read_text(encoding="utf-8")
        strings = [
            n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]
        colours = [s for s in strings if re.search(r"#[0-9a-fA-F]{3,6}\b", s)]
        assert set(colours) <= ({"#000000"} if name == "report/pdf_chart.py" else set()), (name, colours)  # black ink
        assert not re.search(r"def \w*ticks\(", source), name
