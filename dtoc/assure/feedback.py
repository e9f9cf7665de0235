"""One sentence of feedback per HWB, in plain English, from its verdict and its assessed months."""

from __future__ import annotations

from datetime import date

from dtoc.assure.verdicts import IN_LINE, NO_PLAN, NOT_IN_LINE, REATTRIBUTED_EVIDENCED
from dtoc.periods import month_label
from dtoc.vocabulary import ATTRIBUTIONS, TOTAL_KEY

MAX_EVIDENCE_CHARS = 200


def in_words(label: str) -> str:
    """'Social care' -> 'social care' inside a sentence; 'NHS' stays."""
    return label if label.startswith("NHS") else label[0].lower() + label[1:]


def months_over(rows: list[dict], key: str) -> list[dict]:
    return [r for r in rows if r["attribution"] == key and not r["in_line"]]


def worst_words(rows: list[dict]) -> str:
    """'by up to 12.3 delayed days (December 2018)' for the largest gap among rows."""
    worst = max(rows, key=lambda r: (r["gap_days"], -r["month"].toordinal()))
    return f"by up to {worst['gap_days']:,.1f} delayed days ({month_label(worst['month'])})"


def parts_over(assessed: list[dict]) -> str:
    """'social care in 3 months, by up to 4.2 delayed days (November 2018)' for each attribution above."""
    described = []
    for attribution in ATTRIBUTIONS:
        over = months_over(assessed, attribution.key)
        if over:
            count = f"{len(over)} month{'s' if len(over) > 1 else ''}"
            described.append(f"{in_words(attribution.label)} in {count}, {worst_words(over)}")
    return "; ".join(described)


def evidence_words(evidence: list[str]) -> str:
    text = "; ".join(evidence)
    return text if len(text) <= MAX_EVIDENCE_CHARS else text[: MAX_EVIDENCE_CHARS - 3] + "..."


def feedback_sentence(verdict: str, assessed: list[dict], evidence: list[str], assessed_months: list[date]) -> str:
    """The sentence a Better Care Manager reads first about an HWB's plan."""
    period = f"{month_label(assessed_months[0])} to {month_label(assessed_months[-1])}"
    if verdict == NO_PLAN:
        return "No plan for this HWB is in the plans file."
    if verdict == IN_LINE:
        return f"The plan meets the expectation for NHS, social care and joint delays in every month from {period}."
    if verdict == NOT_IN_LINE:
        over = months_over(assessed, TOTAL_KEY)
        return (
            f"The planned total is above the expected total in {len(over)} of the {len(assessed_months)} months "
            f"from {period}, {worst_words(over)}: the plan is less ambitious than the expectation."
        )
    start = (
        f"The planned total meets the expectation in every month from {period}, but some delays are "
        f"planned above their own attribution's expectation ({parts_over(assessed)})"
    )
    if verdict == REATTRIBUTED_EVIDENCED:
        return f"{start}; the area gives evidence for the change of attribution: {evidence_words(evidence)}."
    return f"{start}, and no evidence or rationale for the change of attribution is given (KLOE 35)."
