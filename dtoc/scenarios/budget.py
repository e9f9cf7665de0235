"""The sweep's stated budget, written once: what DuckDB may use, how many policies go through at a time, and
how large a long form (scenarios_hwb.parquet, one row per policy and HWB) may be.

The sweep runs chunk by chunk (`chunk_policies` policies at a time), so what it holds at once does not grow
with the number of policies; DuckDB keeps under `memory_limit` on `threads` threads and spills, if ever, only
into a folder inside the staging folder, at most `max_spill`. README's "Policy scenarios" section states the
figures these settings give (peak memory and disk at 2,000,000 policies), measured by
benchmarks/scenarios_benchmark.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from dtoc.errors import DtocError

LONG_FORM_OPTION = "--long-form"


@dataclass(frozen=True)
class Budget:
    """DuckDB's settings and the long form's bounds (tests lower them through this object, never by patching).

    `long_form_unasked`: the most policies whose long form is written without --long-form;
    `long_form_most`: the most policies --long-form may write (about 1.3 GB at 151 HWBs: the disk budget)."""

    memory_limit: str = "500MB"
    threads: int = 2
    max_spill: str = "1GB"
    chunk_policies: int = 10_000
    long_form_unasked: int = 100_000
    long_form_most: int = 1_000_000


def long_form_decision(asked: bool | None, policies: int, budget: Budget) -> tuple[bool, str | None]:
    """Whether to write the long form, and the note saying why not when it is not written. `asked` is True for
    --long-form, False for --no-long-form, None when neither was given. --long-form past the bound is an error,
    raised before any data are read."""
    if asked and policies > budget.long_form_most:
        raise DtocError(
            f"{LONG_FORM_OPTION}: {policies:,} policies is more than {budget.long_form_most:,}, the most whose "
            "long form (one row per policy and HWB) fits the disk budget; leave out "
            f"{LONG_FORM_OPTION} (scenarios.csv has one row per policy) or split the policies into parts of at "
            f"most {budget.long_form_most:,}"
        )
    if asked is False:
        return False, "scenarios_hwb.parquet (one row per policy and HWB) was not written: --no-long-form"
    if asked is None and policies > budget.long_form_unasked:
        return False, (
            f"scenarios_hwb.parquet (one row per policy and HWB) was not written: {policies:,} policies is more "
            f"than the {budget.long_form_unasked:,} it is written for without asking; add {LONG_FORM_OPTION} "
            f"to write it (up to {budget.long_form_most:,} policies)"
        )
    return True, None


LONG_FORM_HELP = (
    "Write scenarios_hwb.parquet, one row per policy and HWB (without either option: written for up to "
    f"{Budget().long_form_unasked:,} policies); --long-form writes it for up to {Budget().long_form_most:,} "
    "(more is refused: the disk budget), --no-long-form never"
)
