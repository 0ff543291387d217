"""The safe layer: a dataset desensitized for one destination, as a lazy Polars plan.

`desensitize_frame` is what the `[safe, dataset]` asset calls once per destination: every column of
the frame is matched to its catalog column (by name or alias), gets its operator from the policy, and
becomes one expression; suppressed columns and columns the catalog does not declare (lineage columns
included) are dropped: a column nobody declared is never published. `write_safe` applies the same
expressions to a Parquet file one record batch at a time (memory bounded by a batch, not by the row
count) and reports counts only.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import polars as pl
import pyarrow.parquet as pq
from polars.io.plugins import register_io_source

from catalog.model import Column, Dataset
from desensitize import keys, operators
from desensitize.policy import DESTINATIONS, Policy, PolicyError, operator_for
from desensitize.subject import SUBJECT_COLUMN, subject_of_digest
from warehouse.clock import county_today
from warehouse.headers import fold
from warehouse.lake import PARQUET_WRITE

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)
UNDECLARED = "suppress"
BATCH_ROWS = 100_000
CHUNKS_PER_BATCH = 4
# SUBJECT_COLUMN (desensitize.subject) is the consent filter key: the second half of the resident ID's
# keyed digest (its published pseudonym is the first), added to shares (so grants can filter on
# authorized subjects) and never to open.


@dataclass(frozen=True)
class ColumnAction:
    """What happened to one column for one destination (names only, never values)."""

    column: str
    entity: str | None
    operator: str
    destination: str


@dataclass(frozen=True)
class SafeReport:
    """Counts of one safe write: rows, columns per operator; never a value."""

    dataset: str
    destination: str
    rows: int
    columns_in: int
    columns_out: int
    actions: list[ColumnAction] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def operators(self) -> dict[str, int]:
        """Number of columns per operator."""
        return dict(Counter(a.operator for a in self.actions))

    def markdown(self) -> str:
        """A short table for asset metadata: each column's entity and operator, then the counts."""
        lines = [
            f"**{self.destination}**: {self.rows:,} rows, {self.columns_out} of {self.columns_in} columns kept",
            "",
            "| column | entity | operator |",
            "|---|---|---|",
        ]
        lines += [f"| {a.column} | {a.entity or ''} | {a.operator} |" for a in self.actions]
        return "\n".join(lines)


def _catalog_column(dataset: Dataset, header: str) -> Column | None:
    lookup = {fold(h): c for c in dataset.columns for h in c.headers}
    return lookup.get(fold(header))


def plan_actions(
    dataset: Dataset, headers: list[str], destination: str, policy: Policy | None = None
) -> list[ColumnAction]:
    """The operator of every header for `destination`; undeclared headers are suppressed."""
    if destination not in DESTINATIONS:
        raise PolicyError(f"unknown destination '{destination}'; expected one of {', '.join(DESTINATIONS)}")
    actions = []
    for header in headers:
        column = _catalog_column(dataset, header)
        if header == SUBJECT_COLUMN and destination != "open":
            actions.append(ColumnAction(header, None, "keep", destination))
            continue
        if column is None:
            actions.append(ColumnAction(header, None, UNDECLARED, destination))
            continue
        entity = column.entity.value if column.entity is not None else None
        actions.append(ColumnAction(header, entity, operator_for(column, dataset, destination, policy), destination))
    return actions


@dataclass
class Plan:
    """How a frame becomes its safe form: hidden `shared` columns first (an ID's HMAC digest, read by
    its pseudonym and by the subject key), then one expression per published column."""

    exprs: list[pl.Expr]
    actions: list[ColumnAction]
    shared: dict[str, pl.Expr] = field(default_factory=dict)

    def share(self, name: str, expr: pl.Expr) -> pl.Expr:
        """`OperatorContext.shared`: `expr` becomes the hidden column `name`, computed once."""
        self.shared.setdefault(name, expr.alias(name))
        return pl.col(name)

    def apply(self, frame: FrameT) -> FrameT:
        """The published columns of `frame` (a DataFrame or LazyFrame)."""
        return (frame.with_columns(*self.shared.values()) if self.shared else frame).select(self.exprs)


def plan_for(
    dataset: Dataset, headers: list[str], destination: str, *, policy: Policy | None = None, today: date | None = None
) -> Plan:
    """The plan of `headers` for `destination`: one expression per published column (suppressed ones
    have none), the shared hidden columns they read, and every column's action."""
    plan = Plan([], plan_actions(dataset, headers, destination, policy))
    loaded: dict[str, bytes] = {}

    def load_once(name: str) -> bytes:
        if name not in loaded:
            loaded[name] = keys.load_or_create(name)
        return loaded[name]

    for action in list(plan.actions):
        op = operators.get(action.operator)
        if op.drops:
            continue
        ctx = operators.OperatorContext(
            action.column, action.entity, dataset.id, today or county_today(), load_once, plan.share
        )
        plan.exprs.append(op(pl.col(action.column), ctx).alias(action.column))
    subject = _subject_expr(dataset, headers, destination, load_once, plan.share)
    if subject is not None:
        plan.exprs.append(subject)
        plan.actions.append(ColumnAction(SUBJECT_COLUMN, "CN_RESIDENT_ID", "subject_key", destination))
    return plan


def _subject_expr(
    dataset: Dataset,
    headers: list[str],
    destination: str,
    key_loader: Callable[[str], bytes],
    share: Callable[[str, pl.Expr], pl.Expr],
) -> pl.Expr | None:
    """For shares of a dataset with one resident-ID column: the subject key consent filters match on."""
    ids = [c for c in dataset.columns if c.entity == "CN_RESIDENT_ID" and c.name in headers]
    if destination == "open" or len(ids) != 1 or SUBJECT_COLUMN in headers:
        return None
    ctx = operators.OperatorContext(ids[0].name, "CN_RESIDENT_ID", dataset.id, key_loader=key_loader, shared=share)
    return subject_of_digest(ctx.digest(pl.col(ids[0].name)))


def desensitize_frame(
    dataset: Dataset,
    frame: pl.LazyFrame,
    destination: str,
    *,
    policy: Policy | None = None,
    today: date | None = None,
) -> tuple[pl.LazyFrame, list[ColumnAction]]:
    """The frame as `destination` may see it, and what was done to each column."""
    plan = plan_for(dataset, frame.collect_schema().names(), destination, policy=policy, today=today)
    if not plan.exprs:
        raise PolicyError(f"{dataset.id}: every column is suppressed for {destination}; nothing to publish")
    return plan.apply(frame), plan.actions


def _slices(source: Path) -> Iterator[tuple[int, int]]:
    """(offset, rows) of each piece: a row group, or `BATCH_ROWS` slices of a very large one."""
    metadata = pq.ParquetFile(source).metadata
    start = 0
    for index in range(metadata.num_row_groups):
        rows = metadata.row_group(index).num_rows
        step = rows if rows <= 4 * BATCH_ROWS else BATCH_ROWS
        for offset in range(start, start + rows, step):
            yield offset, min(step, start + rows - offset)
        start += rows


def _pieces(source: Path) -> Iterator[pl.DataFrame]:
    """The file one piece at a time (Polars' reader), the next piece read in a thread meanwhile.

    Reading one row group is single-threaded (0.32 s per million rows of the benchmark table, against
    0.17 s for the whole file at once); reading ahead overlaps it with the previous piece's work, for
    one more piece in memory.
    """

    def read(piece: tuple[int, int]) -> pl.DataFrame:
        return pl.scan_parquet(source).slice(*piece).collect()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as ahead:
        pending: Future | None = None
        for piece in _slices(source):
            following = ahead.submit(read, piece)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()


def _read_batches(source: Path) -> Iterator[pl.DataFrame]:
    """The pieces of the file (`_pieces`), each cut into `CHUNKS_PER_BATCH` chunks (zero-copy slices).

    Polars runs an elementwise expression over a frame's chunks in parallel; on one-chunk batches
    the second core had only the other columns to work on.
    """
    for piece in _pieces(source):
        size = -(-piece.height // CHUNKS_PER_BATCH) or 1
        yield pl.concat([piece.slice(start, size) for start in range(0, piece.height, size)] or [piece], rechunk=False)


def safe_batches(source: Path, plan: Plan) -> pl.LazyFrame:
    """A lazy frame of `source` (Parquet) through `plan`, computed one record batch at a time.

    Why not `scan_parquet(...).select(exprs).sink_parquet(...)`: with string expressions Polars 2.1's
    streaming engine was measured to grow with the row count (peak 330 MB at 1M rows, 720 MB at 3M,
    1.26 GB at 6M); so did `collect_batches` and pyarrow's `iter_batches` (pre-buffering). Reading one
    row group at a time stays flat (peak ~240 MB for reading at 1M and 6M rows). The batches feed
    Polars' own Parquet sink through an IO source (`register_io_source`), faster than pyarrow's writer.
    Each batch is cut into `CHUNKS_PER_BATCH` chunks: a share of the 1M-row benchmark table took
    3.8 s instead of 4.5-5.0 s, at the same peak memory (four row groups per batch did as well, at
    740 MB instead of 400 MB).
    """
    schema = plan.apply(pl.DataFrame(schema=pl.read_parquet_schema(source))).schema

    def batches(
        with_columns: list[str] | None, predicate: pl.Expr | None, n_rows: int | None, _batch_size: int | None
    ) -> Iterator[pl.DataFrame]:
        remaining = n_rows
        for batch in _read_batches(source):
            frame = plan.apply(batch)
            frame = frame.select(with_columns) if with_columns is not None else frame
            frame = frame.filter(predicate) if predicate is not None else frame
            if remaining is not None:
                frame, remaining = frame.head(remaining), remaining - min(remaining, frame.height)
            yield frame
            if remaining == 0:
                return

    return register_io_source(batches, schema=schema)


def write_safe(
    dataset: Dataset, source: Path, target: Path, destination: str, *, policy: Policy | None = None
) -> SafeReport:
    """Stream `source` (Parquet) to `target` (Parquet) desensitized for `destination`; atomic replace.

    Memory is bounded by one batch (a row group of the source, or `BATCH_ROWS` rows of a very large
    one), whatever the row count.
    """
    started = time.perf_counter()
    headers = pq.ParquetFile(source).schema_arrow.names
    plan = plan_for(dataset, headers, destination, policy=policy)
    actions = plan.actions
    if not plan.exprs:
        raise PolicyError(f"{dataset.id}: every column is suppressed for {destination}; nothing to publish")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        safe_batches(source, plan).sink_parquet(partial, **PARQUET_WRITE)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    rows = pq.ParquetFile(target).metadata.num_rows
    return SafeReport(
        dataset.id, destination, rows, len(actions), len(plan.exprs), actions, round(time.perf_counter() - started, 3)
    )
