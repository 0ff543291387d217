"""Publish a dataset's safe layer as a share view or an open dataset, tagged by its class (art. 2, 26).

Share views live in schema `share`; open datasets are files under `PDL_HOME/open/` (Parquet and UTF-8
CSV) plus a view in schema `open` over the Parquet file. Every published view carries its class in a
view comment and a row of `meta.published`. What reaches a publication is decided upstream (the
catalog's classes and the desensitization policy); this module only writes what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from catalog.model import Dataset
from catalog.vocabulary import OPEN_LABELS, SHARE_LABELS
from warehouse.db import quote, sql_string
from warehouse.lake import Lake


@dataclass(frozen=True)
class Published:
    dataset: str
    schema: str
    view: str
    klass: str
    label: str
    rows: int
    columns: list[str]
    files: list[str]


def _create_view(con: duckdb.DuckDBPyConnection, schema: str, ds: Dataset, source: Path, label: str) -> None:
    view = f"{schema}.{quote(ds.id)}"
    con.execute(f"create or replace view {view} as select * from read_parquet({sql_string(str(source))})")
    comment = f"{ds.title} | {ds.provider.name} | {label}"
    con.execute(f"comment on view {view} is {sql_string(comment)}")


def _record(con: duckdb.DuckDBPyConnection, pub: Published) -> None:
    con.execute("delete from meta.published where dataset_id = ? and schema_name = ?", [pub.dataset, pub.schema])
    con.execute(
        "insert into meta.published values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [pub.dataset, pub.schema, pub.view, pub.klass, pub.label, pub.rows, pub.columns, pub.files, datetime.now(UTC)],
    )


def _columns_and_rows(con: duckdb.DuckDBPyConnection, source: Path) -> tuple[list[str], int]:
    columns = [d[0] for d in con.execute("select * from read_parquet(?) limit 0", [str(source)]).description]
    return columns, con.execute("select count(*) from read_parquet(?)", [str(source)]).fetchone()[0]


def _copy(con: duckdb.DuckDBPyConnection, source: Path, target: Path, options: str) -> None:
    """Copy a Parquet file to `target` via a partial file, so readers never see half a file."""
    partial = target.with_name(target.name + ".partial")
    con.execute(
        f"copy (select * from read_parquet({sql_string(str(source))})) to {sql_string(str(partial))} ({options})"
    )
    partial.rename(target)


def publish_share(con: duckdb.DuckDBPyConnection, ds: Dataset, source: Path) -> Published:
    """Create `share.<dataset>` over the dataset's share-ready Parquet file."""
    if not ds.shareable:
        raise ValueError(f"{ds.id} is non-shareable (非共享) and cannot be published to schema share")
    label = SHARE_LABELS[ds.share.klass]
    _create_view(con, "share", ds, source, label)
    columns, rows = _columns_and_rows(con, source)
    pub = Published(ds.id, "share", f"share.{ds.id}", ds.share.klass.value, label, rows, columns, [str(source)])
    _record(con, pub)
    return pub


def publish_open(con: duckdb.DuckDBPyConnection, lake: Lake, ds: Dataset, source: Path) -> Published:
    """Write `open/<dataset>.parquet` and `.csv` (UTF-8 with BOM, so spreadsheet users read Chinese) and `open.<dataset>`."""
    if not ds.openable:
        raise ValueError(f"{ds.id} is prohibited from opening (禁止开放) and cannot be published to schema open")
    lake.open_dir.mkdir(parents=True, exist_ok=True)
    parquet, csv = lake.open_dir / f"{ds.id}.parquet", lake.open_dir / f"{ds.id}.csv"
    _copy(con, source, parquet, "format parquet")
    _copy(con, source, csv, "format csv, header true")
    csv.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes())
    label = OPEN_LABELS[ds.open.klass]
    _create_view(con, "open", ds, parquet, label)
    columns, rows = _columns_and_rows(con, parquet)
    pub = Published(ds.id, "open", f"open.{ds.id}", ds.open.klass.value, label, rows, columns, [str(parquet), str(csv)])
    _record(con, pub)
    return pub


def view_over(con: duckdb.DuckDBPyConnection, schema: str, ds: Dataset, files: list[Path]) -> None:
    """A plain view `<schema>.<dataset>` over Parquet files of an internal layer (raw, clean, quarantine, safe)."""
    if not files:
        return
    paths = "[" + ", ".join(sql_string(str(f)) for f in files) + "]"
    con.execute(
        f"create or replace view {schema}.{quote(ds.id)} as select * from read_parquet({paths}, union_by_name = true)"
    )
