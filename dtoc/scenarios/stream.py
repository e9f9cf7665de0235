"""Writing a sweep's tables straight from DuckDB, a record batch at a time, so that no table the size of the
sweep is ever held in Python: Parquet through pyarrow's writer (zstd, one row group per batch), CSV through
polars per batch (the same formula-safe, full-precision text as dtoc.publish.files.write_table gives a whole
frame). The same rows in the same batches give the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dtoc.model.database import frame_from_arrow
from dtoc.publish.files import safe_text_columns


class ParquetStream:
    """A Parquet file written batch by batch (or reader by reader), opened with the first batch's schema,
    closed and fsynced when the block ends; `rows` counts what was written. A file is written even with no
    rows, with its columns, once a reader (however empty) has been given."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0

    def __enter__(self) -> Self:
        return self

    def write_batch(self, batch: pa.RecordBatch | None, schema: pa.Schema) -> None:
        """One row group (None: only open the file, so that it exists with its columns)."""
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, schema, compression="zstd", store_schema=False)
        if batch is not None:
            self.writer.write_batch(batch)
            self.rows += batch.num_rows

    def write(self, reader: pa.RecordBatchReader) -> None:
        for batch in reader:
            self.write_batch(batch, reader.schema)
        self.write_batch(None, reader.schema)

    def write_named(self, reader: pa.RecordBatchReader, names: pa.Array, first: int) -> None:
        """The reader's batches, whose first column is policy_number (from `first`, ascending), written with
        that column replaced by `policy`: `names[number - first]`, as a dictionary of only the batch's own
        policies, so that a name is carried and written once per row group, not once per row."""
        schema = pa.schema([pa.field("policy", pa.dictionary(pa.int32(), names.type)), *list(reader.schema)[1:]])
        for batch in reader:
            numbers = batch.column(0)
            low, high = pc.min(numbers).as_py(), pc.max(numbers).as_py()
            policy = pa.DictionaryArray.from_arrays(
                pc.subtract(numbers, low).cast(pa.int32()), names.slice(low - first, high - low + 1)
            )
            self.write_batch(pa.RecordBatch.from_arrays([policy, *batch.columns[1:]], schema=schema), schema)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.writer is not None:
            self.writer.close()
            if kind is None:
                fsync(self.path)


class TableStream(ParquetStream):
    """`stem`.csv and `stem`.parquet written together from readers, batch by batch (the CSV's header once)."""

    def __init__(self, folder: Path, stem: str) -> None:
        super().__init__(folder / f"{stem}.parquet")
        self.csv_path = folder / f"{stem}.csv"
        self.csv: BinaryIO = self.csv_path.open("wb")

    def write(self, reader: pa.RecordBatchReader) -> None:
        for batch in reader:
            self.write_csv(batch, header=self.writer is None)
            self.write_batch(batch, reader.schema)
        if self.writer is None:
            self.write_csv(pa.RecordBatch.from_pylist([], schema=reader.schema), header=True)
            self.write_batch(None, reader.schema)

    def write_csv(self, batch: pa.RecordBatch, header: bool) -> None:
        frame = safe_text_columns(frame_from_arrow(pa.Table.from_batches([batch])))
        frame.write_csv(self.csv, include_header=header, quote_style="necessary")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.csv.close()
        super().__exit__(kind, error, trace)
        if kind is None:
            fsync(self.csv_path)


def fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
