"""Hand a Polars String column to compiled code without a copy: its Arrow string views, chunk by chunk.

Polars holds strings as Arrow string views and exports them as such through the Arrow PyCapsule
interface (`pa.chunked_array(series)`): no copy, where `Series.to_arrow()` built a `large_string`
array (10 ms per million values). `warehouse/string_views.h` reads them on the C side; both compiled
extensions (`desensitize/_hmac.c`, `quality/validators/_checks.c`) take `views, data, first, count`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl
import pyarrow as pa


@dataclass(frozen=True)
class StringChunk:
    """One chunk: the views buffer, the data buffers, and the chunk's values `first..first+count-1`
    of the views; `start` is the chunk's first row in the whole column."""

    views: pa.Buffer
    data: tuple[pa.Buffer, ...]
    first: int
    count: int
    start: int


def string_chunks(series: pl.Series) -> Iterator[StringChunk]:
    """The non-empty chunks of a String `series`. Polars' null slots read as empty strings: the caller
    masks nulls afterwards."""
    start = 0
    for chunk in pa.chunked_array(series.cast(pl.String)).cast(pa.string_view()).chunks:
        if len(chunk):
            _, views, *data = chunk.buffers()
            yield StringChunk(views, tuple(data), chunk.offset, len(chunk), start)
            start += len(chunk)
