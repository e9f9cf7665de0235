"""`dtoc assure` and `dtoc split` as two domain functions: read and check everything, then publish atomically.

All inputs are read and checked before the publication transaction starts, so a bad input writes nothing and
leaves any earlier output as it was. The output folder follows the rules every command follows
(dtoc/publish/outputs.py): new, empty, or a publication of the same kind holding only what dtoc wrote there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from dtoc.assure import outputs
from dtoc.assure.judge import judge_plans
from dtoc.assure.page import write_assurance_page
from dtoc.assure.plans import read_plans
from dtoc.assure.publication import read_publication
from dtoc.assure.shares import read_shares
from dtoc.assure.split import split_by_ccg
from dtoc.assure.verdicts import ALLOWANCE_DAYS, SHARE_SUM_TOLERANCE, VERDICT_LABELS
from dtoc.assure.workbook import write_assurance_workbook
from dtoc.config import Config
from dtoc.publish.datapackage import write_datapackage
from dtoc.publish.files import write_table
from dtoc.publish.outputs import check_output_folder
from dtoc.publish.transaction import publication


def plan_year(config: Config) -> str:
    """'2018-19': the plan's financial year."""
    return config.plan.year


class AssuranceSummary(TypedDict):
    """What `dtoc assure` published (the command prints it)."""

    out: Path
    hwbs: int
    verdicts: dict[str, int]
    plan_year: str


class SplitSummary(TypedDict):
    """What `dtoc split` published (the command prints it)."""

    out: Path
    hwbs: int
    ccgs: int
    rows: int
    plan_year: str


def rules(config: Config) -> dict[str, object]:
    target = config.plan.target_month
    return {
        "plan_year": plan_year(config),
        "target_month": f"{target:%Y-%m}",
        "allowance_days": ALLOWANCE_DAYS,
        "target_date": config.plan.target_date.isoformat(),
    }


def assure_plans(plans_path: Path, expectations_dir: Path, out: Path, config: Config) -> AssuranceSummary:
    """Judge PLANS against the publication in expectations_dir and publish the assurance outputs to out."""
    source = read_publication(expectations_dir)
    check_output_folder(out, outputs.ASSURANCE_KIND, {"expectations publication": expectations_dir})
    year_months, target = config.plan.months, config.plan.target_month
    names = dict(source.table.select("hwb_code", "hwb_name").iter_rows())
    plans = read_plans(plans_path, names, year_months, target, expectations_dir)
    assurance, months = judge_plans(
        list(source.rows_by_code().values()), plans.months, plans.evidence, target, year_months, config
    )
    by_region = outputs.count_by_region(assurance)
    counts = outputs.count_verdicts(assurance)
    plans_record = outputs.describe_input(plans_path, plans.rows)
    with publication(out, outputs.ASSURANCE_KIND) as staging:
        write_table(assurance, staging, "assurance")
        write_table(months, staging, "assurance_months")
        write_table(by_region, staging, "assurance_by_region")
        write_assurance_workbook(
            staging / "assurance.xlsx",
            f"Assurance of {plan_year(config)} DToC plans against the expectations",
            summary_lines(plans_record, source.identity, counts),
            [("Assurance", assurance), ("Months", outputs.months_wide(months)), ("By region", by_region)],
        )
        write_assurance_page(
            staging / "assurance.html",
            assurance,
            months,
            by_region,
            {
                "plan_year": plan_year(config),
                "publication": str(source.identity["folder"]),
                "plans_file": plans_record["file"],
                "plans_sha": plans_record["sha256"],
            },
            [m for m in year_months if m >= target],
        )
        write_datapackage(staging, outputs.ASSURANCE_KIND)
        outputs.write_publication_manifest(
            staging, outputs.ASSURANCE_KIND, "plans", plans_record, source.identity, rules(config), {"verdicts": counts}
        )
    return {"out": out, "hwbs": assurance.height, "verdicts": counts, "plan_year": plan_year(config)}


def summary_lines(plans: dict, identity: dict, counts: dict[str, int]) -> list[tuple[str, object]]:
    return [
        ("Plans file", plans["path"]),
        ("Plans sha256", plans["sha256"]),
        ("Plan rows", plans["rows"]),
        ("Expectations publication", identity["folder"]),
        ("Expectations table sha256", identity["expectations_sha256"]),
        *((f"{VERDICT_LABELS[v]} ({v})", n) for v, n in counts.items()),
    ]


def split_shares(shares_path: Path, expectations_dir: Path, out: Path, config: Config) -> SplitSummary:
    """Split each listed HWB's NHS expectation among its CCGs and publish ccg_split to out."""
    source = read_publication(expectations_dir)
    check_output_folder(out, outputs.SPLIT_KIND, {"expectations publication": expectations_dir})
    shares = read_shares(shares_path, dict(source.table.select("hwb_code", "hwb_name").iter_rows()), expectations_dir)
    table = split_by_ccg(source.rows_by_code(), shares, config)
    record = outputs.describe_input(shares_path, len(shares))
    hwbs = len({s.hwb_code for s in shares})
    with publication(out, outputs.SPLIT_KIND) as staging:
        write_table(table, staging, "ccg_split")
        write_datapackage(staging, outputs.SPLIT_KIND)
        outputs.write_publication_manifest(
            staging,
            outputs.SPLIT_KIND,
            "shares",
            record,
            source.identity,
            {**rules(config), "share_sum_tolerance": SHARE_SUM_TOLERANCE},
            {"hwbs": hwbs, "ccgs": len(shares), "rows": table.height},
        )
    return {"out": out, "hwbs": hwbs, "ccgs": len(shares), "rows": table.height, "plan_year": plan_year(config)}


def format_assurance_summary(summary: AssuranceSummary) -> str:
    counts = ", ".join(f"{v} {n}" for v, n in summary["verdicts"].items())
    return f"{summary['hwbs']} HWBs assured for {summary['plan_year']}: {counts}. Published to {summary['out']}"


def format_split_summary(summary: SplitSummary) -> str:
    return (
        f"{summary['ccgs']} CCG shares of {summary['hwbs']} HWBs split over {summary['plan_year']} "
        f"({summary['rows']} rows). Published to {summary['out']}"
    )
