"""Audit: find an HWB by any name or code (find.py), explain a published figure down to its cells (explain.py,
explain_text.py) and compare two publications (diff.py, diff_summary.py, diff_records.py). Reads finished runs;
never recomputes."""
