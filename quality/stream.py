"""Split raw Parquet larger than memory: key buckets on disk, then `split_rows` one bucket at a time.

`split_rows` holds the whole load in memory, fine for county extracts (a million rows peak at roughly
1 GB). For larger loads, `split_files` bounds memory by `chunk_rows` whatever the row count:

1. read the raw files in batches; give each row a bucket from the hash of its normalized primary key and
   write the batch's rows of each bucket to that bucket's spill folder (Arrow IPC, uncompressed: the
   cheapest to write and read back; file order is kept);
2. split each bucket with `split_rows` (every row of a key is in one bucket, so duplicate, supersession
   and release decisions are the same as in memory), write its clean and quarantine Parquet parts and
   merge the statistics.

A dataset without a primary key needs no buckets: its batches are split as they are read; a load that
fits in one chunk is split directly.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from catalog.model import Dataset
from quality.prepare import typed_values, value
from quality.split import RELEASED_SCHEMA, Split, Stats, split_rows

DEFAULT_CHUNK_ROWS = 500_000


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


def _batches(sources: Sequence[Path], rows: int) -> Iterator[pl.DataFrame]:
    for source in sources:
        yield from pl.scan_parquet(source).collect_batches(chunk_size=rows)


def _total_rows(sources: Sequence[Path]) -> int:
    return pl.scan_parquet(list(sources)).select(pl.len()).collect().item() if sources else 0


def _buckets(dataset: Dataset, batch: pl.DataFrame, buckets: int) -> pl.Series:
    """Each row's bucket: a hash of its typed, normalized primary key, so equal keys share a bucket."""
    keys = typed_values([dataset.column(k) for k in dataset.primary_key], batch)
    combined = pl.lit(0, pl.UInt64)
    for seed, k in enumerate(dataset.primary_key):
        combined = combined.xor(value(k).hash(seed))
    return keys.select((combined % buckets).cast(pl.Int64).alias("__bucket")).to_series()


def _spill(dataset: Dataset, sources: Sequence[Path], spill: Path, buckets: int, rows: int) -> None:
    """Write every raw row to its bucket's spill folder."""
    for n, batch in enumerate(_batches(sources, rows)):
        tagged = batch.with_columns(_buckets(dataset, batch, buckets))
        for (bucket,), part in tagged.partition_by("__bucket", as_dict=True, include_key=False).items():
            folder = spill / f"{bucket:05d}"
            folder.mkdir(parents=True, exist_ok=True)
            part.write_ipc(folder / f"{n:06d}.arrow", compression="uncompressed")


def _newest_load(sources: Sequence[Path]) -> str | None:
    if not sources:
        return None
    return pl.scan_parquet(list(sources)).select(pl.col("_load_id").max()).collect().item()


def _bucket_frames(spill: Path) -> Iterator[pl.DataFrame]:
    for folder in sorted(p for p in spill.iterdir() if p.is_dir()):
        yield pl.scan_ipc(sorted(folder.glob("*.arrow"))).collect()


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
    load_id = _newest_load(sources)
    buckets = math.ceil(_total_rows(sources) / chunk_rows)
    if dataset.primary_key and buckets > 1:
        _spill(dataset, sources, spill, buckets, chunk_rows)
        frames: Iterator[pl.DataFrame] = _bucket_frames(spill) if spill.exists() else iter(())
    elif dataset.primary_key:
        frames = iter([pl.read_parquet(list(sources))] if sources else [])
    else:
        frames = _batches(sources, chunk_rows)
    try:
        return _split_parts(dataset, frames, out_dir, today=today, lookups=lookups, previous=previous, load_id=load_id)
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _split_parts(
    dataset: Dataset,
    frames: Iterator[pl.DataFrame],
    out_dir: Path,
    *,
    today: date,
    lookups: Mapping[str, pl.Series] | None,
    previous: pl.DataFrame | None,
    load_id: str | None,
) -> FileSplit:
    clean_files, quarantine_files, released = [], [], []
    stats: Stats | None = None
    clean_rows = quarantined_rows = 0
    for n, frame in enumerate(frames):
        part: Split = split_rows(dataset, frame, today=today, lookups=lookups, previous=previous, load_id=load_id)
        clean_files.append(out_dir / "clean" / f"part-{n:05d}.parquet")
        part.clean.write_parquet(clean_files[-1])
        if part.quarantine.height:
            quarantine_files.append(out_dir / "quarantine" / f"part-{n:05d}.parquet")
            part.quarantine.write_parquet(quarantine_files[-1])
        released.append(part.released)
        clean_rows += part.clean_rows
        quarantined_rows += part.quarantined_rows
        stats = part.stats if stats is None else stats.merged(part.stats)
    if stats is None:
        empty = pl.DataFrame(
            schema={c.name: pl.String for c in dataset.columns} | {"_load_id": pl.String, "_row_number": pl.Int64}
        )
        return _split_parts(
            dataset, iter([empty]), out_dir, today=today, lookups=lookups, previous=None, load_id=load_id
        )
    merged_released = pl.concat(released) if released else pl.DataFrame(schema=RELEASED_SCHEMA)
    return FileSplit(clean_files, quarantine_files, merged_released, stats, clean_rows, quarantined_rows)
