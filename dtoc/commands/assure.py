"""`dtoc assure` and `dtoc split`, each composed once: read and check everything, then publish atomically.

All inputs are read and checked before the publication transaction starts (the publication judged against, its
plan year and figures; the plans or shares file), so a bad input writes nothing and leaves any earlier output as
it was. The output folder follows the rules every command follows (dtoc/publish/output_folders.py): new, empty, or a
publication of the same kind holding only what dtoc wrote there (with force, one edited since may be replaced).
Plans are judged by the plan year of the publication's own plan (the one its expectations were made for).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from dtoc.assure import tables
from dtoc.assure.assurance_workbook import write_assurance_workbook
from dtoc.assure.judge import judge_plans
from dtoc.assure.page import write_assurance_page
from dtoc.assure.plans import read_plans
from dtoc.assure.publication_about import publication_about
from dtoc.assure.shares import read_shares
from dtoc.assure.split import split_by_ccg
from dtoc.assure.split_page import write_split_page
from dtoc.assure.split_workbook import write_split_workbook
from dtoc.assure.verdicts import ALLOWANCE_DAYS, ATTENTION_ORDER, SHARE_SUM_TOLERANCE, VERDICT_LABELS
from dtoc.commands.datapackage import write_datapackage
from dtoc.config import Config
from dtoc.paths import DERIVED_DIR
from dtoc.plan import Plan
from dtoc.publish.files import write_table
from dtoc.publish.manifest import publication_manifest, write_manifest
from dtoc.publish.output_folders import check_output_folder
from dtoc.publish.reading import Publication, check_publication, read_publication, with_regions
from dtoc.publish.transaction import publication
from dtoc.report.about import About


def read_judged(expectations_dir: Path, config: Config) -> tuple[Publication, Plan]:
    """The publication a plan or a split is made against (checked, with each HWB's region) and its plan."""
    check_publication(expectations_dir)
    publication = with_regions(read_publication(expectations_dir))
    return publication, publication.plan(config)


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


def rules(plan: Plan) -> dict[str, object]:
    return {
        "plan_year": plan.year,
        "target_month": f"{plan.target_month:%Y-%m}",
        "allowance_days": ALLOWANCE_DAYS,
        "target_date": plan.target_date.isoformat(),
    }


def page_context(source: Publication, plan: Plan, record: dict, key: str) -> dict[str, object]:
    """What a page says of its inputs: the plan year, the expectations folder, the plans or shares file and sha."""
    folder = str(source.identity["folder"])
    return {
        "plan_year": plan.year,
        "publication": folder,
        f"{key}_file": record["file"],
        f"{key}_sha": record["sha256"],
    }


def finish(staging: Path, kind: str, body: dict, source: Publication, about: About, config: Config) -> None:
    """The data package, then the manifest: the kind's body, the expectations it was made from, the date."""
    write_datapackage(staging, kind)
    record = {**body, "expectations": source.identity, "publication_date": about.published.isoformat()}
    write_manifest(staging, publication_manifest(staging, kind, record, config))


def assure_plans(
    plans_path: Path, expectations_dir: Path, out: Path | None, config: Config, force: bool = False
) -> AssuranceSummary:
    """Judge PLANS against the publication in expectations_dir and publish the assurance outputs to out (by
    default data/derived/assurance-<the publication's plan year>)."""
    source, plan = read_judged(expectations_dir, config)
    out = out or DERIVED_DIR / f"assurance-{plan.year}"
    check_output_folder(out, tables.ASSURANCE_KIND, {"expectations publication": expectations_dir}, force)
    year_months, target = plan.months, plan.target_month
    names = dict(source.table.select("hwb_code", "hwb_name").iter_rows())
    plans = read_plans(plans_path, names, year_months, target, expectations_dir)
    assurance, months = judge_plans(
        list(source.rows_by_code().values()), plans.months, plans.evidence, target, year_months, plan
    )
    by_region = tables.count_by_region(assurance)
    counts = tables.count_verdicts(assurance)
    plans_record = tables.describe_input(plans_path, plans.rows)
    allowance = (("Allowance, delayed days a month", ALLOWANCE_DAYS),)
    about = publication_about(source, plan, plans_record, "Plans", allowance)
    with publication(out, tables.ASSURANCE_KIND) as staging:
        write_table(assurance, staging, "assurance")
        write_table(months, staging, "assurance_months")
        write_table(by_region, staging, "assurance_by_region")
        title = f"Assurance of {plan.year} DToC plans against the expectations"
        wide = tables.months_wide(months)
        write_assurance_workbook(staging / "assurance.xlsx", title, assurance, wide, by_region, counts, about)
        context = page_context(source, plan, plans_record, "plans")
        assessed = [m for m in year_months if m >= target]
        write_assurance_page(staging / "assurance.html", assurance, wide, by_region, counts, context, assessed)
        body = {"plans": plans_record, "rules": rules(plan), "summary": {"verdicts": counts}}
        finish(staging, tables.ASSURANCE_KIND, body, source, about, config)
    return {"out": out, "hwbs": assurance.height, "verdicts": counts, "plan_year": plan.year}


def split_shares(
    shares_path: Path, expectations_dir: Path, out: Path | None, config: Config, force: bool = False
) -> SplitSummary:
    """Split each listed HWB's NHS expectation among its CCGs and publish ccg_split to out (by default
    data/derived/ccg-split-<the publication's plan year>)."""
    source, plan = read_judged(expectations_dir, config)
    out = out or DERIVED_DIR / f"ccg-split-{plan.year}"
    check_output_folder(out, tables.SPLIT_KIND, {"expectations publication": expectations_dir}, force)
    shares = read_shares(shares_path, dict(source.table.select("hwb_code", "hwb_name").iter_rows()), expectations_dir)
    table = split_by_ccg(source.rows_by_code(), shares, plan)
    record = tables.describe_input(shares_path, len(shares))
    hwbs = len({s.hwb_code for s in shares})
    about = publication_about(source, plan, record, "Shares", (("Shares add up to 1 within", SHARE_SUM_TOLERANCE),))
    title = f"The {plan.year} NHS expectation shared among CCGs"
    with publication(out, tables.SPLIT_KIND) as staging:
        write_table(table, staging, "ccg_split")
        write_split_workbook(staging / "ccg_split.xlsx", title, table, about)
        write_split_page(staging / "ccg_split.html", table, page_context(source, plan, record, "shares"))
        body = {
            "shares": record,
            "rules": {**rules(plan), "share_sum_tolerance": SHARE_SUM_TOLERANCE},
            "summary": {"hwbs": hwbs, "ccgs": len(shares), "rows": table.height},
        }
        finish(staging, tables.SPLIT_KIND, body, source, about, config)
    return {"out": out, "hwbs": hwbs, "ccgs": len(shares), "rows": table.height, "plan_year": plan.year}


def format_assurance_summary(summary: AssuranceSummary) -> str:
    """'151 HWBs assured for 2018-19: Not in line 20; ...; In line 105. Published to OUT' (those that need
    attention first)."""
    counts = "; ".join(f"{VERDICT_LABELS[v]} {summary['verdicts'][v]}" for v in ATTENTION_ORDER)
    return f"{summary['hwbs']} HWBs assured for {summary['plan_year']}: {counts}. Published to {summary['out']}"


def format_split_summary(summary: SplitSummary) -> str:
    return (
        f"{summary['ccgs']} CCG shares of {summary['hwbs']} HWBs split over {summary['plan_year']} "
        f"({summary['rows']} rows). Published to {summary['out']}"
    )
