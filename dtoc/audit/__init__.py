"""Audit: explain a published figure down to its cells (explain.py, explain_text.py) and compare two
publications (diff.py). Reads finished runs; never recomputes."""
