"""Ingest agency extracts from a dataset's landing folder into the immutable raw layer (art. 11).

Each file is identified by its content hash: a file already loaded is recorded as a duplicate and
adds nothing. A file is loaded whole or not at all: it is either written as one raw Parquet file
(all values as sent, plus lineage columns) and moved to `received/`, or moved to `rejected/` with a
reason file beside it. Nothing is half-loaded and nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from catalog.model import Dataset
from warehouse.headers import HeaderMismatch, map_headers
from warehouse.lake import RAW_PARQUET_WRITE, Lake
from warehouse.readers import ExtractError, read_extract

log = logging.getLogger(__name__)

LINEAGE = ("_source_file", "_load_id", "_row_number", "_ingested_at")


@dataclass
class IngestReport:
    dataset: str
    loaded: list[tuple[str, int]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(n for _, n in self.loaded)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pending_files(lake: Lake, dataset: Dataset) -> list[Path]:
    """Files waiting in the dataset's landing folder (hidden and partial files ignored)."""
    inbox = lake.inbox(dataset.provider.code, dataset.id)
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def to_raw_frame(dataset: Dataset, frame: pl.DataFrame, source: str, load_id: str, at: datetime) -> pl.DataFrame:
    """Rename headers to catalog columns, add absent optional columns as nulls, add lineage.

    `_row_number` is the row's line in the file (header = 1); wholly blank lines are skipped.
    """
    mapping = map_headers(dataset, frame.columns)
    frame = frame.rename(mapping).with_row_index("_row_number", offset=2)
    frame = frame.filter(~pl.all_horizontal(pl.exclude("_row_number").is_null()))  # blank lines carry nothing
    columns = [
        pl.col(c.name) if c.name in frame.columns else pl.lit(None, pl.String).alias(c.name) for c in dataset.columns
    ]
    return frame.select(
        *columns,
        pl.lit(source).alias("_source_file"),
        pl.lit(load_id).alias("_load_id"),
        pl.col("_row_number").cast(pl.Int64),
        pl.lit(at).alias("_ingested_at"),
    )


def new_load_id(at: datetime, sha: str) -> str:
    """A load id: the ingestion time (so ids sort by it) and the start of the file's content hash."""
    return f"{at:%Y%m%dT%H%M%S%fZ}_{sha[:10]}"


def _move(path: Path, folder: Path, load_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{load_id}__{path.name}"
    shutil.move(path, target)
    return target


def _record(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    ds: str,
    src: Path,
    sha: str,
    status: str,
    rows: int | None,
    message: str | None,
    kept: Path,
    raw: Path | None,
    at: datetime,
) -> None:
    con.execute(
        "insert into meta.loads values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, ds, src.name, sha, status, rows, message, str(kept), raw and str(raw), at],
    )


def _already_loaded(con: duckdb.DuckDBPyConnection, dataset: str, sha: str) -> bool:
    query = "select count(*) from meta.loads where dataset_id = ? and sha256 = ? and status = 'loaded'"
    return con.execute(query, [dataset, sha]).fetchone()[0] > 0


def _reject(lake: Lake, dataset: Dataset, path: Path, load_id: str, reason: str) -> Path:
    kept = _move(path, lake.rejected / dataset.provider.code / dataset.id, load_id)
    kept.with_name(kept.name + ".reason.txt").write_text(f"{path.name}: {reason}\n", encoding="utf-8")
    log.warning("rejected %s for %s: %s", path.name, dataset.id, reason)
    return kept


def ingest_file(con: duckdb.DuckDBPyConnection, lake: Lake, dataset: Dataset, path: Path, report: IngestReport) -> None:
    at = datetime.now(UTC)
    sha = file_sha256(path)
    load_id = new_load_id(at, sha)
    provider_dir = (dataset.provider.code, dataset.id)
    if _already_loaded(con, dataset.id, sha):
        kept = _move(path, lake.received.joinpath(*provider_dir), load_id)
        _record(con, load_id, dataset.id, path, sha, "duplicate", 0, "identical to an earlier load", kept, None, at)
        report.duplicates.append(path.name)
        return
    try:
        raw = to_raw_frame(dataset, read_extract(path), path.name, load_id, at)
    except (ExtractError, HeaderMismatch) as exc:
        reason = exc.problem if isinstance(exc, ExtractError) else str(exc)
        kept = _reject(lake, dataset, path, load_id, reason)
        _record(con, load_id, dataset.id, path, sha, "rejected", None, reason, kept, None, at)
        report.rejected.append((path.name, reason))
        return
    target = lake.layer_dir("raw", dataset.id) / f"{load_id}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.partial")
    raw.write_parquet(partial, **RAW_PARQUET_WRITE)
    partial.rename(target)
    kept = _move(path, lake.received.joinpath(*provider_dir), load_id)
    _record(con, load_id, dataset.id, path, sha, "loaded", raw.height, None, kept, target, at)
    report.loaded.append((path.name, raw.height))


def ingest_pending(con: duckdb.DuckDBPyConnection, lake: Lake, dataset: Dataset) -> IngestReport:
    """Load every file waiting in the dataset's landing folder, oldest name first."""
    report = IngestReport(dataset.id)
    for path in pending_files(lake, dataset):
        ingest_file(con, lake, dataset, path, report)
    return report


def raw_files(lake: Lake, dataset: Dataset, con: duckdb.DuckDBPyConnection) -> list[Path]:
    """The raw files that make up the dataset now: the latest load of a snapshot, every load of an append."""
    rows = con.execute(
        "select raw_path from meta.loads where dataset_id = ? and status = 'loaded' order by ingested_at",
        [dataset.id],
    ).fetchall()
    paths = [Path(r[0]) for r in rows]
    return paths[-1:] if dataset.load_mode == "snapshot" else paths
