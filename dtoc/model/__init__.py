"""Model: the DuckDB database, the SQL models in sql/ run in order, the geography checks between them, and the
composition of the expectations pipeline (pipeline.py)."""
