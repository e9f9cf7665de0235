"""The shares file, checked: for an HWB signed by several CCGs, each CCG's fraction of its NHS reduction.

Refused (one InputError naming the file, row and value): a missing column, an HWB code the publication does
not have, an empty CCG code or name, a CCG listed twice for one HWB, a share that is not a number or lies
outside 0..1, and an HWB whose shares do not add up to 1 (within SHARE_SUM_TOLERANCE).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from dtoc.assure.fields import read_code, read_hwb_code, read_share, read_text
from dtoc.assure.plan_files import Rows, read_rows
from dtoc.assure.plans import describe_lines
from dtoc.assure.verdicts import SHARE_COLUMNS, SHARE_SUM_TOLERANCE


@dataclass(frozen=True)
class Share:
    """One CCG's share of one HWB's NHS delays, and the row it came from."""

    hwb_code: str
    ccg_code: str
    ccg_name: str
    nhs_share: float
    row: int


def read_share_row(rows: Rows, number: int, values: dict, hwb_names: dict[str, str], publication: Path) -> Share:
    code = read_hwb_code(rows, number, values["hwb_code"], hwb_names, publication)
    ccg_code = read_code(rows, number, "ccg_code", values["ccg_code"])
    ccg_name = read_text(values["ccg_name"])
    if ccg_name is None:
        raise rows.error(f"ccg_name is empty for CCG {ccg_code}", number)
    return Share(code, ccg_code, ccg_name, read_share(rows, number, "nhs_share", values["nhs_share"]), number)


def read_shares(path: Path, hwb_names: dict[str, str], publication: Path) -> list[Share]:
    """Read and check SHARES against the publication's HWBs (code -> name)."""
    rows = read_rows(path, "shares", SHARE_COLUMNS)
    if not rows.rows:
        raise rows.error("holds a header but no share rows")
    shares: list[Share] = []
    seen: dict[tuple[str, str], int] = {}  # (hwb_code, ccg_code) -> the row that gave it
    for number, values in rows.rows:
        share = read_share_row(rows, number, values, hwb_names, publication)
        key = (share.hwb_code, share.ccg_code)
        if key in seen:
            raise rows.error(
                f"CCG {share.ccg_code} of {share.hwb_code} is also on row {seen[key]}; one row per HWB and CCG", number
            )
        seen[key] = number
        shares.append(share)
    check_sums(rows, shares, hwb_names)
    return shares


def check_sums(rows: Rows, shares: list[Share], hwb_names: dict[str, str]) -> None:
    """Every HWB's shares add up to 1."""
    by_hwb: dict[str, list[Share]] = {}
    for share in shares:
        by_hwb.setdefault(share.hwb_code, []).append(share)
    for code, listed in by_hwb.items():
        total = math.fsum(s.nhs_share for s in listed)
        if abs(total - 1) > SHARE_SUM_TOLERANCE:
            raise rows.error(
                f"the nhs_share values of {code} ({hwb_names[code]}) on "
                f"{describe_lines([s.row for s in listed])} add up to {total:.6g}, not 1",
                listed[0].row,
            )
