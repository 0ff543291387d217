"""Split raw Parquet larger than memory, batch by batch, with every decision equal to the in-memory one.

`split_rows` holds the whole load in memory, fine for county extracts (a million rows peak at roughly
1 GB). For larger loads, `split_files` bounds memory by `chunk_rows` whatever the row count. Every row
rule but uniqueness reads its own row only, so batches can be split independently once the
duplicates are known:

- **One load with a primary key** (the usual case): a pass over the key columns alone first finds the
  rows that may repeat a key, those whose key hash occurs twice (`_candidates`; 16 bytes a row, kept
  in memory up to `HASH_BUCKET_CHUNKS` chunks, 10M rows at the default size, spilled to disk and read
  back a hash bucket at a time beyond). A text key is hashed from the raw text by `folded_hash_expr`,
  which normalization and stripping do not change, so no key is typed twice. The pass runs in a
  thread while the first batch is read and prepared (its duplicate flags wait for the pass: 0.06-0.1 s
  less on 1M rows). The batches are split in file order, and a `KeyLedger` compares the typed keys of
  those rows only, exactly: memory grows with the repeated keys, not with the rows. On 10M rows the
  pass takes 1.1 s; the pass it replaced (typed keys spilled to key buckets) took 3.1-4.5 s, and the
  ledger of every key that loads of up to four chunks used instead cost 0.1 s per million rows and
  100 bytes a row.
- **Several loads with a primary key**: supersession and releases compare a key's rows across loads
  after evaluating them, so the raw rows themselves go to key-hash buckets and each bucket is split
  with `split_rows` (every row of a key is in one bucket).
- **No primary key**, or a load that fits one chunk: batches are split as they are read.

`split_batches` gives the split of each batch (or bucket) in turn. `check_files` merges their statistics
and counts without writing anything: a load checked with flat memory, the whole rule set evaluated and
every row's outcome decided. `split_files` also writes the clean and quarantine parts as Parquet, each
in a writer thread while the next batch is split (Polars releases the GIL while it encodes). Why
Polars' writer and not pyarrow's with a dictionary and statistics only where they pay: pyarrow's took
11-30 % less CPU, but its files read slower (a DuckDB query over 1M clean rows 158 ms against 93, the
safe layer's read 218 against 183 ms), and the layers are written once and read many times
(docs/decisions.md). Memory: two batches (one split, one written), plus the key hashes of one bucket
during the key pass (`HASH_BUCKET_CHUNKS` chunks, 16 bytes a row), while the first batch is prepared,
and the ledger's repeated keys.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from catalog.model import Dataset
from catalog.vocabulary import ColumnType
from quality.duplicates import KeyLedger, combined_hash, repeated
from quality.prepare import ENGINE, Duplicates, prepared_values, typed_key, value
from quality.split import RELEASED_SCHEMA, Split, Stats, split_rows
from quality.validators.compiled import folded_hash_expr
from warehouse.lake import LAYER_PARQUET_WRITE, ROW_GROUP_ROWS

DEFAULT_CHUNK_ROWS = ROW_GROUP_ROWS  # a batch is a raw file's row group: one chunk
# The key hashes of this many chunks of rows are held in memory at once, per hash bucket: 16 bytes a row
# (160 MB for 20 chunks of 500k rows, and a sorted copy of the hashes) against ~1 GB while a batch is
# split, so the key pass does not raise the peak. One bucket instead of three for 10M rows saved 0.1 s.
HASH_BUCKET_CHUNKS = 20
_POSITION, _HASH = "__position", "__hash"


@dataclass(frozen=True)
class Checked:
    """The outcome of `check_files`: the merged statistics, row counts and releases of a load."""

    released: pl.DataFrame
    stats: Stats
    clean_rows: int
    quarantined_rows: int


@dataclass(frozen=True)
class FileSplit(Checked):
    """The outcome of `split_files`: the same, plus the clean and quarantine Parquet parts on disk."""

    clean_files: list[Path]
    quarantine_files: list[Path]

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
    """Each row's bucket from a hash of its typed, normalized primary key: equal keys share a bucket
    (rows with an incomplete key, which repeat nothing, go to the first)."""
    combined = combined_hash([value(k) for k in dataset.primary_key]).fill_null(0)
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


def _key_hashes(dataset: Dataset, keys: pl.DataFrame, today: date, start: int) -> pl.DataFrame:
    """A hash of each row's primary key (raw key columns `keys`, rows from position `start`), equal for
    rows whose typed keys are equal: text keys by `folded_hash_expr` of the text as sent (no typing: 2-3x
    cheaper), other keys by their typed value. Rows with a null key column are left out."""
    columns = [dataset.column(k) for k in dataset.primary_key]
    typed = [c for c in columns if c.type != ColumnType.STRING]
    frame = prepared_values(typed, keys, today) if typed else keys
    parts = {
        f"__h{i}": folded_hash_expr(pl.col(c.name)) if c.type == ColumnType.STRING else value(c.name)
        for i, c in enumerate(columns)
    }
    position = pl.int_range(start, start + keys.height, dtype=pl.Int64).alias(_POSITION)
    # Two steps: Polars does not share a function's output between the expressions that read it.
    combined = combined_hash([pl.col(name) for name in parts]).alias(_HASH)
    hashed = frame.lazy().select(position, **parts).select(_POSITION, combined).drop_nulls(_HASH)
    return hashed.collect(engine=ENGINE)


def _repeating(hashes: pl.DataFrame) -> pl.Series:
    """The positions of the rows of `hashes` whose hash another row there shares."""
    return hashes.filter(pl.col(_HASH).is_in(repeated(hashes.get_column(_HASH)).implode())).get_column(_POSITION)


def _candidates(
    dataset: Dataset, sources: Sequence[Path], spill: Path, loads: _Loads, rows: int, today: date
) -> pl.Series:
    """Positions (file order, ascending) of the rows of a single load whose key hash another row shares:
    every row that repeats a key, and every row it repeats.

    Each row's key hash and position take 16 bytes. A load of up to `HASH_BUCKET_CHUNKS` chunks keeps
    them in memory and finds the hashes that occur twice at once. A larger one writes each batch's to
    a spill file, then reads them back a hash bucket (as many rows) at a time, so memory does not grow
    with the load.
    """
    buckets = math.ceil(loads.rows / (rows * HASH_BUCKET_CHUNKS))
    kept, files, start = [], [], 0
    for n, keys in enumerate(_batches(sources, rows, _key_columns(dataset, sources))):
        hashes = _key_hashes(dataset, keys, today, start)
        start += keys.height
        if buckets == 1:
            kept.append(hashes)
            continue
        spill.mkdir(parents=True, exist_ok=True)
        files.append(spill / f"hashes-{n:06d}.arrow")
        hashes.write_ipc(files[-1], compression="uncompressed")
    if buckets == 1:
        return _repeating(pl.concat(kept)).sort()
    scan = pl.scan_ipc(files)
    found = [_repeating(scan.filter(pl.col(_HASH) % buckets == b).collect(engine=ENGINE)) for b in range(buckets)]
    return pl.concat(found).sort()


def _spill_rows(dataset: Dataset, sources: Sequence[Path], spill: Path, buckets: int, rows: int, today: date) -> None:
    """Several loads: every raw row to its key bucket's spill folder."""
    keys, key_columns = [dataset.column(k) for k in dataset.primary_key], _key_columns(dataset, sources)
    for n, batch in enumerate(_batches(sources, rows)):
        bucket = prepared_values(keys, batch.select(key_columns), today).select(_bucket(dataset, buckets))
        _write_buckets(batch.with_columns(bucket.to_series()), spill, n)


def _parts(
    dataset: Dataset, sources: Sequence[Path], spill: Path, loads: _Loads, rows: int, today: date
) -> Iterator[tuple[pl.DataFrame, Duplicates]]:
    """The frames to split one after the other, each with the load's key ledger where one is needed."""
    buckets = math.ceil(loads.rows / rows)
    if not dataset.primary_key:
        yield from ((batch, None) for batch in _batches(sources, rows))
    elif buckets <= 1:
        yield from ((frame, None) for frame in ([pl.read_parquet(list(sources))] if sources else []))
    elif loads.several:
        _spill_rows(dataset, sources, spill, buckets, rows, today)
        yield from ((frame, None) for frame in _bucket_frames(spill))
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="key-pass") as pool:
            found = pool.submit(_candidates, dataset, sources, spill, loads, rows, today)
            ledger = KeyLedger(typed_key(dataset), found)
            yield from ((batch, ledger) for batch in _batches(sources, rows))


def split_batches(
    dataset: Dataset,
    sources: Sequence[Path],
    spill: Path,
    *,
    today: date,
    lookups: Mapping[str, pl.Series] | None = None,
    previous: pl.DataFrame | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Iterator[Split]:
    """The split of each batch of the raw Parquet `sources`, in file order, as `split_rows` gives it for
    the whole load (at least one, empty for no rows). `spill` is a folder the key pass may write to;
    it is removed when the iterator ends or is closed."""
    loads = _scan_loads(sources)
    parts = _parts(dataset, sources, spill, loads, chunk_rows, today)
    options = {"today": today, "lookups": lookups, "previous": previous, "load_id": loads.newest}
    try:
        empty = True
        for frame, duplicates in parts:
            empty = False
            yield split_rows(dataset, frame, duplicates=duplicates, **options)
        if empty:
            columns = {c.name: pl.String for c in dataset.columns} | {"_load_id": pl.String, "_row_number": pl.Int64}
            yield split_rows(dataset, pl.DataFrame(schema=columns), **options | {"previous": None})
    finally:
        parts.close()  # on an error, waits for a key pass still running before its spill folder goes
        shutil.rmtree(spill, ignore_errors=True)


def check_files(
    dataset: Dataset,
    sources: Sequence[Path],
    *,
    today: date,
    lookups: Mapping[str, pl.Series] | None = None,
    previous: pl.DataFrame | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Checked:
    """Every rule on every row of the raw Parquet `sources`, batch by batch as `split_files` does, without
    writing the clean and quarantine layers: the statistics, counts and releases a load would give."""
    options = {"today": today, "lookups": lookups, "previous": previous, "chunk_rows": chunk_rows}
    with tempfile.TemporaryDirectory(prefix="pdl-check-") as folder:
        parts = split_batches(dataset, sources, Path(folder) / "_spill", **options)
        with closing(parts):
            return _totals(parts)


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
    for sub in ("clean", "quarantine"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    options = {"today": today, "lookups": lookups, "previous": previous, "chunk_rows": chunk_rows}
    written: list[Future[tuple[Path, Path | None]]] = []
    parts = split_batches(dataset, sources, out_dir / "_spill", **options)
    with closing(parts), ThreadPoolExecutor(max_workers=1, thread_name_prefix="split-writer") as writer:
        checked = _totals(_written(parts, writer, out_dir, written))
    paths = [future.result() for future in written]
    clean_files = [clean for clean, _ in paths]
    quarantine_files = [quarantine for _, quarantine in paths if quarantine]
    return FileSplit(**vars(checked), clean_files=clean_files, quarantine_files=quarantine_files)


def _written(
    parts: Iterator[Split], writer: ThreadPoolExecutor, out_dir: Path, written: list[Future]
) -> Iterator[Split]:
    """`parts`, each written as Parquet in the `writer` thread while the next is split (one part in the
    writer at a time: memory stays two batches); the writes' futures go to `written`."""
    for n, part in enumerate(parts):
        if written:
            written[-1].result()
        written.append(writer.submit(_write_part, part, out_dir, n))
        yield part


def _totals(parts: Iterator[Split]) -> Checked:
    """The merged statistics, counts and releases of `parts` (at least one)."""
    released, stats, clean_rows, quarantined_rows = [], None, 0, 0
    for part in parts:
        released.append(part.released)
        clean_rows += part.clean_rows
        quarantined_rows += part.quarantined_rows
        stats = part.stats if stats is None else stats.merged(part.stats)
    return Checked(pl.concat(released), stats, clean_rows, quarantined_rows)


def _write_part(part: Split, out_dir: Path, n: int) -> tuple[Path, Path | None]:
    clean = out_dir / "clean" / f"part-{n:05d}.parquet"
    part.clean.write_parquet(clean, **LAYER_PARQUET_WRITE)
    if not part.quarantine.height:
        return clean, None
    quarantine = out_dir / "quarantine" / f"part-{n:05d}.parquet"
    part.quarantine.write_parquet(quarantine, **LAYER_PARQUET_WRITE)
    return clean, quarantine
