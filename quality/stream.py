"""Split raw Parquet larger than memory, batch by batch, with every decision equal to the in-memory one.

`split_rows` holds the whole load in memory, fine for county extracts (a million rows peak at roughly
1 GB). For larger loads, `split_files` bounds memory by `chunk_rows` whatever the row count. Every row
rule but uniqueness reads its own row only, so batches can be split independently once the
duplicates are known:

- **One load with a primary key** (the usual case): the batches are split in file order. Up to
  `KEY_BUCKET_CHUNKS` chunks, a `KeyLedger` keeps the typed keys of the batches split so far, and each
  batch's rows that repeat a key of an earlier row are found as the batch is split. Beyond that the
  keys would not fit the memory bound, so they are found first: (1) read only the key columns, in
  batches, and write each row's typed key and position to a key-hash bucket (Arrow IPC: the keys, not
  the rows); (2) per bucket, flag the rows that repeat a key seen earlier in the load (the in-memory
  rule); (3) read the rows in batches and split each with its flags (`split_rows` with
  `duplicates`). Spilling keys instead of whole rows saves partitioning, writing and reading back every
  raw value (~0.7 CPU s per million rows); the ledger saves reading, typing and hashing the keys a
  second time (~0.2 s wall per million rows).
- **Several loads with a primary key**: supersession and releases compare a key's rows across loads
  after evaluating them, so the raw rows themselves go to key-hash buckets and each bucket is split
  with `split_rows` (every row of a key is in one bucket).
- **No primary key**, or a load that fits one chunk: batches are split as they are read.

Clean and quarantine parts are written as Parquet per batch (or bucket), each in a writer thread while
the next batch is split (Polars releases the GIL while it encodes), and the statistics merged.
Memory: two batches (one split, one written), plus the ledger's keys (at most `KEY_BUCKET_CHUNKS`
chunks of keys, ~100 bytes a row) or the positions of the duplicate rows (8 bytes each).
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from catalog.model import Dataset
from quality.duplicates import KeyLedger, duplicate_flags
from quality.prepare import ENGINE, Duplicates, prepared_values, typed_key, value
from quality.split import RELEASED_SCHEMA, Split, Stats, split_rows
from warehouse.lake import PARQUET_WRITE

DEFAULT_CHUNK_ROWS = 500_000
# The keys of this many chunks are held in memory at once: by the key ledger of a load of up to this
# many chunks, or per key bucket of a larger one. ~100 bytes a row against ~2 kB a row while a batch is
# split, and fewer, larger spill files (20 batches x 20 buckets wrote 400 files per 10M rows).
KEY_BUCKET_CHUNKS = 4
_POSITION = "__position"


@dataclass(frozen=True)
class FileSplit:
    """The outcome of `split_files`: Parquet parts on disk plus the merged statistics."""

    clean_files: list[Path]
    quarantine_files: list[Path]
    released: pl.DataFrame
    stats: Stats
    clean_rows: int
    quarantined_rows: int

    @property
    def quarantine(self) -> pl.DataFrame:
        """Lineage and failed rules of every quarantined row (no values), as `results.record` needs."""
        if not self.quarantine_files:
            lists = {"_rules": pl.List(pl.String), "_columns": pl.List(pl.String)}
            return pl.DataFrame(schema={**RELEASED_SCHEMA, **lists})
        wanted = ["_load_id", "_row_number", "_source_file", "_rules", "_columns"]
        scan = pl.scan_parquet(self.quarantine_files)
        return scan.select([c for c in wanted if c in scan.collect_schema().names()]).collect()


@dataclass(frozen=True)
class _Loads:
    """What one scan of `_load_id` tells: the newest load, whether there are several, the row count."""

    newest: str | None
    several: bool
    rows: int


def _scan_loads(sources: Sequence[Path]) -> _Loads:
    if not sources:
        return _Loads(None, False, 0)
    load = pl.col("_load_id")
    scan = pl.scan_parquet(list(sources))
    found = scan.select(load.max().alias("newest"), load.min().alias("oldest"), load.null_count(), pl.len())
    newest, oldest, nulls, rows = found.collect().row(0)
    return _Loads(newest, newest != oldest or 0 < nulls < rows, rows)


def _batches(sources: Sequence[Path], rows: int, columns: list[pl.Expr] | None = None) -> Iterator[pl.DataFrame]:
    """The sources' rows in file order, `rows` at a time (only `columns` when given)."""
    for source in sources:
        scan = pl.scan_parquet(source)
        yield from (scan.select(columns) if columns else scan).collect_batches(chunk_size=rows)


def _bucket(dataset: Dataset, buckets: int) -> pl.Expr:
    """Each row's bucket from a hash of its typed, normalized primary key: equal keys share a bucket."""
    combined = pl.lit(0, pl.UInt64)
    for seed, k in enumerate(dataset.primary_key):
        combined = combined.xor(value(k).hash(seed))
    return (combined % buckets).cast(pl.Int64).alias("__bucket")


def _write_buckets(frame: pl.DataFrame, spill: Path, n: int) -> None:
    """Write the rows of batch `n` of each bucket (column `__bucket`) to that bucket's spill folder."""
    for (bucket,), part in frame.partition_by("__bucket", as_dict=True, include_key=False).items():
        folder = spill / f"{bucket:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        part.write_ipc(folder / f"{n:06d}.arrow", compression="uncompressed")


def _bucket_frames(spill: Path) -> Iterator[pl.DataFrame]:
    if not spill.exists():
        return
    for folder in sorted(p for p in spill.iterdir() if p.is_dir()):
        yield pl.scan_ipc(sorted(folder.glob("*.arrow"))).collect(engine=ENGINE)


def _key_columns(dataset: Dataset, sources: Sequence[Path]) -> list[pl.Expr]:
    """The key columns as `split_rows` conforms them: text, null when the files lack one."""
    present = set(pl.scan_parquet(list(sources)).collect_schema().names())
    missing = pl.lit(None, pl.String)
    return [pl.col(k).cast(pl.String) if k in present else missing.alias(k) for k in dataset.primary_key]


def _typed_keys(
    dataset: Dataset, sources: Sequence[Path], rows: int, buckets: int, today: date
) -> Iterator[pl.DataFrame]:
    """Every row's typed key, position (in file order) and key bucket, a batch at a time."""
    keys = [dataset.column(k) for k in dataset.primary_key]
    start = 0
    for batch in _batches(sources, rows, _key_columns(dataset, sources)):
        position = pl.int_range(start, start + batch.height, dtype=pl.Int64).alias(_POSITION)
        typed = prepared_values(keys, batch, today)
        yield typed.select(position, *(value(k.name) for k in keys), _bucket(dataset, buckets))
        start += batch.height


def _duplicates_in(dataset: Dataset, keys: pl.DataFrame, load_id: str | None) -> pl.Series:
    """Positions of the rows of `keys` (every row of their keys, single load) that repeat an earlier key."""
    flags = duplicate_flags(keys.with_columns(pl.lit(load_id, pl.String).alias("_load_id")), typed_key(dataset))
    return keys.get_column(_POSITION).filter(flags)


def _duplicate_positions(
    dataset: Dataset, sources: Sequence[Path], spill: Path, loads: _Loads, rows: int, today: date
) -> pl.Series:
    """Steps 1-2: positions of the rows that repeat a key seen earlier in the (single) load, ascending.

    The keys go to key-hash buckets on disk, about `KEY_BUCKET_CHUNKS` chunks of keys a bucket.
    """
    buckets = math.ceil(loads.rows / (rows * KEY_BUCKET_CHUNKS))
    for n, keys in enumerate(_typed_keys(dataset, sources, rows, buckets, today)):
        _write_buckets(keys, spill, n)
    found = [_duplicates_in(dataset, keys, loads.newest) for keys in _bucket_frames(spill)]
    return pl.concat(found).sort() if found else pl.Series(_POSITION, [], dtype=pl.Int64)


def _batch_flags(positions: pl.Series, start: int, height: int) -> pl.Series:
    """The duplicate flags of the batch of `height` rows from position `start`."""
    inside = positions.filter(positions.is_between(start, start + height - 1)) - start
    flags = pl.repeat(False, height, eager=True, dtype=pl.Boolean)
    return flags.scatter(inside, True) if inside.len() else flags


def _flagged_batches(
    dataset: Dataset, sources: Sequence[Path], spill: Path, loads: _Loads, rows: int, today: date
) -> Iterator[tuple[pl.DataFrame, pl.Series]]:
    """Steps 1-3 of a single load: its batches in file order, each with its duplicate flags."""
    positions = _duplicate_positions(dataset, sources, spill, loads, rows, today)
    start = 0
    for batch in _batches(sources, rows):
        yield batch, _batch_flags(positions, start, batch.height)
        start += batch.height


def _spill_rows(
    dataset: Dataset, sources: Sequence[Path], spill: Path, buckets: int, rows: int, today: date
) -> None:
    """Several loads: every raw row to its key bucket's spill folder."""
    keys, key_columns = [dataset.column(k) for k in dataset.primary_key], _key_columns(dataset, sources)
    for n, batch in enumerate(_batches(sources, rows)):
        bucket = prepared_values(keys, batch.select(key_columns), today).select(_bucket(dataset, buckets))
        _write_buckets(batch.with_columns(bucket.to_series()), spill, n)


def _parts(
    dataset: Dataset, sources: Sequence[Path], spill: Path, loads: _Loads, rows: int, today: date
) -> Iterator[tuple[pl.DataFrame, Duplicates]]:
    """The frames to split one after the other, with their duplicate flags or the load's key ledger."""
    buckets = math.ceil(loads.rows / rows)
    if not dataset.primary_key:
        yield from ((batch, None) for batch in _batches(sources, rows))
    elif buckets <= 1:
        yield from ((frame, None) for frame in ([pl.read_parquet(list(sources))] if sources else []))
    elif loads.several:
        _spill_rows(dataset, sources, spill, buckets, rows, today)
        yield from ((frame, None) for frame in _bucket_frames(spill))
    elif buckets <= KEY_BUCKET_CHUNKS:
        ledger = KeyLedger(typed_key(dataset))
        yield from ((batch, ledger) for batch in _batches(sources, rows))
    else:
        yield from _flagged_batches(dataset, sources, spill, loads, rows, today)


def split_files(
    dataset: Dataset,
    sources: Sequence[Path],
    out_dir: Path,
    *,
    today: date,
    lookups: Mapping[str, pl.Series] | None = None,
    previous: pl.DataFrame | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> FileSplit:
    """Split the raw Parquet `sources` into `out_dir/clean/*.parquet` and `out_dir/quarantine/*.parquet`."""
    spill = out_dir / "_spill"
    for sub in ("clean", "quarantine"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    loads = _scan_loads(sources)
    try:
        parts = _parts(dataset, sources, spill, loads, chunk_rows, today)
        return _split_parts(
            dataset, parts, out_dir, today=today, lookups=lookups, previous=previous, load_id=loads.newest
        )
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _write_part(part: Split, out_dir: Path, n: int) -> tuple[Path, Path | None]:
    clean = out_dir / "clean" / f"part-{n:05d}.parquet"
    part.clean.write_parquet(clean, **PARQUET_WRITE)
    if not part.quarantine.height:
        return clean, None
    quarantine = out_dir / "quarantine" / f"part-{n:05d}.parquet"
    part.quarantine.write_parquet(quarantine, **PARQUET_WRITE)
    return clean, quarantine


def _split_parts(
    dataset: Dataset,
    parts: Iterator[tuple[pl.DataFrame, Duplicates]],
    out_dir: Path,
    *,
    today: date,
    lookups: Mapping[str, pl.Series] | None,
    previous: pl.DataFrame | None,
    load_id: str | None,
) -> FileSplit:
    released, written = [], []
    stats: Stats | None = None
    clean_rows = quarantined_rows = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="split-writer") as writer:
        for n, (frame, duplicates) in enumerate(parts):
            options = {"today": today, "lookups": lookups, "previous": previous, "load_id": load_id}
            part = split_rows(dataset, frame, duplicates=duplicates, **options)
            if written:
                written[-1].result()  # one part in the writer at a time: memory stays two batches
            written.append(writer.submit(_write_part, part, out_dir, n))
            released.append(part.released)
            clean_rows += part.clean_rows
            quarantined_rows += part.quarantined_rows
            stats = part.stats if stats is None else stats.merged(part.stats)
    paths = [future.result() for future in written]
    clean_files = [clean for clean, _ in paths]
    quarantine_files = [quarantine for _, quarantine in paths if quarantine]
    if stats is None:
        empty = pl.DataFrame(
            schema={c.name: pl.String for c in dataset.columns} | {"_load_id": pl.String, "_row_number": pl.Int64}
        )
        return _split_parts(
            dataset, iter([(empty, None)]), out_dir, today=today, lookups=lookups, previous=None, load_id=load_id
        )
    merged_released = pl.concat(released) if released else pl.DataFrame(schema=RELEASED_SCHEMA)
    return FileSplit(clean_files, quarantine_files, merged_released, stats, clean_rows, quarantined_rows)
