"""Copies of the shipped parameters file with some of its lines replaced, for the tests of other plans."""

from __future__ import annotations

from pathlib import Path

from dtoc.paths import PARAMETERS_FILE

# A 2019-20 plan from the 2018-19 Q3 baseline: the target at the end of December 2019, the glide path from June
PLAN_2019_20 = (
    ('baseline_quarter = "2017-18Q3"', 'baseline_quarter = "2018-19Q3"'),
    ('year = "2018-19"', 'year = "2019-20"'),
    ('target_date = "2018-09-30"', 'target_date = "2019-12-31"'),
    ('glide_path_start = "2018-04"', 'glide_path_start = "2019-06"'),
)


def parameters_with(path: Path, replacements: tuple[tuple[str, str], ...]) -> Path:
    """The shipped file at path with each (old, new) replaced; an old text the file no longer holds fails."""
    text = PARAMETERS_FILE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path
