"""The caveats a publication states, in plain English: the general ones every page carries, and those one HWB's
own data give it (cells not reported, a baseline rate near a band threshold, a population that includes another
area). Written once here; the briefs and report.html read them.
"""

from __future__ import annotations

from datetime import date

from dtoc.config import Config
from dtoc.periods import month_label
from dtoc.report.release import Release
from dtoc.vocabulary import BY_KEY, BY_SHORT, RATE_UNIT, cell_reference

METHOD_NOTE = (
    "These expectations are recomputed from the published statistics by the method of the BCF Operating "
    "Guidance 2017-19, Annex 3; each figure's derivation, cell by cell, is in the HWB's files."
)


def vintage_caveat(vintage: str, config: Config) -> str:
    """Which population estimates, and why (the parameters file's reason; dtoc.config.vintage_reason)."""
    return f"Population aged 18+: ONS {config.vintage_reason(vintage)}."


def plan_caveat(config: Config) -> list[str]:
    """A plan derived from the baseline quarter (no plan set for it in the parameters file) says so."""
    if not config.plan.derived:
        return []
    return [
        f"No plan is set for the baseline {config.baseline.describe()} in the parameters file, so the plan is "
        f"derived from it: the financial year {config.plan.describe()}; no national ambition is stated for it."
    ]


def general_caveats(release: Release, config: Config, vintage: str) -> list[str]:
    """What every page of the publication says about the figures behind it."""
    return [
        f"The delays are the revised figures the workbooks now carry (revised {release.revised}); the figures "
        "first published may differ.",
        vintage_caveat(vintage, config),
        METHOD_NOTE,
        *plan_caveat(config),
    ]


def not_reported_caveats(explanation: dict) -> list[str]:
    """One caveat per baseline cell published as '-' (not reported), which the sums count as 0."""
    return [
        f"{month_label(date.fromisoformat(cell['month']))}: {BY_KEY[key].phrase} delays were not reported "
        f"('-') in {cell_reference(cell['source_file'], cell['sheet'], cell['cell_ref'])}; they are counted as 0."
        for key, part in explanation["attributions"].items()
        for cell in part["cells"]
        if cell["not_reported"]
    ]


def sensitive_caveats(explanation: dict) -> list[str]:
    """One caveat per attribution whose baseline rate lies within the sensitivity margin of a threshold."""
    flagged = [s.strip() for s in (explanation.get("band_sensitive") or "").split(";") if s.strip()]
    return [
        f"The {BY_SHORT[short].phrase} baseline rate lies within {explanation['sensitivity_margin']:g} "
        f"{RATE_UNIT} of a band threshold: a small revision of the figures could change the band."
        for short in flagged
    ]


def component_caveats(explanation: dict) -> list[str]:
    """One caveat per area whose population the geography lookup adds to this HWB's (Isles of Scilly)."""
    return [
        f"The population includes {cell['population_area']}: {cell['lookup_reason']}"
        for cell in explanation["population"]["cells"]
        if cell.get("lookup_reason")
    ]


def hwb_caveats(explanation: dict) -> list[str]:
    """The caveats this HWB's own data give it, from its explanation (dtoc.audit.explain)."""
    return not_reported_caveats(explanation) + sensitive_caveats(explanation) + component_caveats(explanation)
