"""The document `dtoc diff` gives (its JSON output), as types: the headline counts, the HWBs whose figures
changed and how, and the source cells whose values differ."""

from __future__ import annotations

from typing import Any, TypedDict


class TotalChange(TypedDict):
    """One national total in the two publications."""

    old: float
    new: float
    change: float


class Headline(TypedDict):
    """The counts `dtoc diff` shows first."""

    hwbs_in_both: int
    hwbs_changed: int
    hwbs_added: int
    hwbs_removed: int
    band_changes: dict[str, int]
    band_change_lines: list[str]
    national: dict[str, TotalChange]


class FigureChange(TypedDict):
    """One figure of one HWB that differs; change is None for a figure that is not a number (a band)."""

    figure: str
    old: Any
    new: Any
    change: float | None


class HwbChange(TypedDict):
    """An HWB in both publications whose figures differ."""

    hwb_code: str
    hwb_name: str
    figures: list[FigureChange]


class SourceCells(TypedDict, total=False):
    """The source cells whose values differ, one dict per cell (the queries' columns); or a note why not compared."""

    delays: list[dict[str, Any]]
    population: list[dict[str, Any]]
    note: list[str]


class Diff(TypedDict):
    """`dtoc diff` as data (its JSON output)."""

    old: str
    new: str
    headline: Headline
    warnings: list[str]
    hwbs_added: list[str]
    hwbs_removed: list[str]
    hwbs_changed: list[HwbChange]
    source_cells_changed: SourceCells
