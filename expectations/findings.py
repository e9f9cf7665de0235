"""Turn GX outcomes into findings a person can act on: the failing rows of each check frame, named by location.

A check record is one expectation: suite, check, description, severity, status (pass / fail / warn), the
number of failing rows, and up to MAX_EXAMPLES examples (the row's `location` and the values that matter).
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

MAX_EXAMPLES = 50
MAX_MESSAGES = 20


def plain_value(value: object) -> object:
    """A JSON-ready, deterministic form of one frame value (dates as ISO, missing as None, inf as text)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, datetime):
        return value.date().isoformat() if value == datetime(value.year, value.month, value.day) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) else (str(value) if math.isinf(value) else value)
    return value if isinstance(value, (bool, int, str)) else str(value)


def shown_columns(outcome: dict) -> list[str]:
    """The columns whose values a failing row's message shows: the checked ones, then the meta's `show`."""
    kwargs = outcome["kwargs"]
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] + list(
        kwargs.get("column_list", [])
    )
    return list(dict.fromkeys(columns + outcome["show"]))


def row_examples(outcome: dict, frame: pd.DataFrame) -> list[dict]:
    """The failing rows GX found (by index), looked up in the check frame: location and shown values."""
    rows = frame.loc[outcome["unexpected_index_list"][:MAX_EXAMPLES]]
    columns = [c for c in shown_columns(outcome) if c in frame.columns]
    return [
        {"location": plain_value(row.get("location")), "values": {c: plain_value(row[c]) for c in columns}}
        for _, row in rows.iterrows()
    ]


def table_example(outcome: dict) -> dict:
    """What a table-level expectation saw (missing or unexpected columns, or its observed value)."""
    mismatched = (outcome.get("details") or {}).get("mismatched")
    if isinstance(mismatched, dict):
        return {
            "location": f"table of check frame {outcome['suite']}",
            "values": {k: sorted(v) for k, v in sorted(mismatched.items()) if v},
        }
    return {
        "location": f"check frame {outcome['suite']}",
        "values": {"observed_value": plain_value(outcome.get("observed_value"))},
    }


def status_of(outcome: dict) -> str:
    if outcome["success"]:
        return "pass"
    return "warn" if outcome["severity"] == "warning" and not outcome["error"] else "fail"


def check_record(outcome: dict, frame: pd.DataFrame) -> dict:
    """The report's record of one expectation."""
    status = status_of(outcome)
    examples = []
    if status != "pass" and not outcome["error"]:
        examples = row_examples(outcome, frame) if outcome["unexpected_index_list"] else [table_example(outcome)]
    count = outcome["unexpected_count"] if outcome["unexpected_count"] is not None else len(examples)
    return {
        "suite": outcome["suite"],
        "check": outcome["check"],
        "description": outcome["description"],
        "severity": "error" if outcome["error"] else outcome["severity"],
        "expectation": outcome["type"],
        "success": outcome["success"],
        "status": status,
        "error": outcome["error"],
        "unexpected_count": count if status != "pass" else 0,
        "rows_checked": len(frame),
        "examples": examples,
    }


def format_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value).lower() if isinstance(value, bool) else str(value)


def example_text(example: dict) -> str:
    """'location: column = value, ...' for one failing row."""
    return f"{example['location']}: " + ", ".join(f"{k} = {format_value(v)}" for k, v in example["values"].items())


def check_messages(record: dict) -> list[str]:
    """One sentence per distinct failing row (at most MAX_MESSAGES): check, location, bad values and what should
    hold; identical rows (duplicates) are said once with their number."""
    name = f"{record['suite']}.{record['check']}"
    if record["error"]:
        return [f"{name}: the check could not run ({record['error']}); {record['description']}"]
    texts = [example_text(example) for example in record["examples"]]
    counts = {text: texts.count(text) for text in texts}
    shown = list(counts)[:MAX_MESSAGES]
    messages = [
        f"{name}: {text}"
        + (f" ({counts[text]} identical rows)" if counts[text] > 1 else "")
        + f" -- {record['description']}"
        for text in shown
    ]
    remaining = record["unexpected_count"] - sum(counts[text] for text in shown)
    if remaining > 0:
        messages.append(f"{name}: ... and {remaining} more rows (see validation.json)")
    return messages
